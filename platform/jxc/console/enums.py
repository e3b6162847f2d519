from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsoleAction(models.TextChoices):
    SUSPEND = "suspend", _("Suspend")
    REACTIVATE = "reactivate", _("Reactivate")
    EXTEND_TRIAL = "extend_trial", _("Extend trial")
    DELETE = "delete", _("Delete")


class ConsoleErrorCode:
    REASON_REQUIRED = "reason_required"
    NOT_STAFF = "not_staff"
