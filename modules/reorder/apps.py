from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorderConfig(AppConfig):
    name = "modules.reorder"
    label = "reorder"
    verbose_name = _("Reordering")
