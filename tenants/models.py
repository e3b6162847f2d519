from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.enums import TenantStatus


class Tenant(TenantMixin):
    slug = models.SlugField(_("shop address"), max_length=30, unique=True)
    name = models.CharField(_("company name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=TenantStatus.choices, default=TenantStatus.TRIAL)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    plan = models.ForeignKey(
        "billing.Plan", verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_email = models.EmailField(_("owner email"), blank=True)
    trial_ends_at = models.DateTimeField(_("trial ends"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    # Schemas are created by the provisioning service (spare pool or migrate), never implicitly.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def is_public(self) -> bool:
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class SpareSchema(models.Model):
    """A pre-migrated, unclaimed tenant schema waiting for a signup."""

    schema_name = models.CharField(max_length=63, unique=True)
    # tenants.schema_state.tenant_migration_state() of the code that migrated it.
    migration_state = models.CharField(max_length=40, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.schema_name
