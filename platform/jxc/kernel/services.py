"""Kernel services that act on the current tenant (taken from the connection, never an argument)."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jxc.kernel.errors import AppError
from jxc.kernel.models import TenantUsage
from tenants.models import Tenant


def _current_tenant() -> Tenant:
    schema = connection.schema_name
    if not schema or schema == "public":
        raise AppError("tenant_context_missing", _("This needs a shop's context; none is active."))
    # The connection may hold a FakeTenant (schema_context): look the real row up on public.
    return Tenant.objects.get(schema_name=schema)


def tenant_usage_record() -> TenantUsage:
    """Counts what the current tenant uses, in its own schema, and stores the snapshot on public."""
    tenant = _current_tenant()
    with transaction.atomic():
        # search_path is "<tenant>, public": auth_user resolves to the tenant's own table.
        users = get_user_model().objects.filter(is_active=True).count()
        return TenantUsage.objects.create(tenant=tenant, users=users)
