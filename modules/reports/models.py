"""The reports keep no data of their own: they read the ledgers and documents of the other modules.

`Report` is a table-less model that only carries the permission to read them (costs and margins are
not for every role), so that roles grant it like any other ("view_" of the app "reports").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", _("Can read the trade reports"))]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
