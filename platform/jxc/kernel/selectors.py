"""Kernel reads."""

from django.db.models import QuerySet

from jxc.kernel.models import TenantUsage
from tenants.models import Tenant


def tenants_for_usage() -> QuerySet[Tenant]:
    """Every merchant tenant (the public schema's own row is not a merchant)."""
    return Tenant.objects.exclude(schema_name="public").order_by("pk")


def tenant_usage_latest(*, tenant: Tenant) -> TenantUsage | None:
    return TenantUsage.objects.filter(tenant=tenant).order_by("-recorded_at", "-id").first()
