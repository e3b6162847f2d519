"""Control-plane records the kernel keeps about tenants (public schema)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TenantUsage(models.Model):
    """A snapshot of what one tenant uses, taken nightly inside the tenant's own schema."""

    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("tenant"), on_delete=models.CASCADE, related_name="usage_records"
    )
    users = models.PositiveIntegerField(_("active users"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-recorded_at"], name="kernel_usage_tenant_recent")]
        verbose_name = _("tenant usage")
        verbose_name_plural = _("tenant usage")

    def __str__(self) -> str:
        return f"{self.tenant_id} @ {self.recorded_at:%Y-%m-%d %H:%M}: {self.users} users"
