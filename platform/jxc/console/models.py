from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.console.enums import ConsoleAction


class ConsoleAuditEntry(models.Model):
    """One support action on a tenant. Append-only: a database trigger refuses UPDATE and DELETE.

    The staff user and the tenant are copied as plain values, not foreign keys, so that an entry
    outlives both (the point of the log is to say who deleted a tenant after it is gone).
    """

    staff_user_id = models.BigIntegerField(_("staff user id"))
    staff_email = models.EmailField(_("staff email"))
    action = models.CharField(_("action"), max_length=30, choices=ConsoleAction.choices)
    tenant_id = models.BigIntegerField(_("tenant id"))
    tenant_slug = models.CharField(_("shop address"), max_length=63, db_index=True)
    reason = models.TextField(_("reason"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("console audit entry")
        verbose_name_plural = _("console audit entries")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="console_audit_reason_not_empty")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.staff_email} {self.action} {self.tenant_slug}"
