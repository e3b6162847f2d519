"""Reads of merchant users, invitations and the current shop's plan limits."""

from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from modules.identity.access import user_role  # noqa: F401 - re-exported for other modules
from modules.identity.models import Invitation
from modules.identity.roles import ROLE_RULES
from tenants.models import Tenant


def tenant_current() -> Tenant | None:
    """The Tenant row of the schema the connection is in (works in requests, tasks and schema_context)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant) and tenant.schema_name == connection.schema_name:
        return tenant
    return Tenant.objects.select_related("plan").filter(schema_name=connection.schema_name).first()


def user_list() -> QuerySet[User]:
    return User.objects.order_by("-is_active", "email", "pk").prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=list(ROLE_RULES)))
    )


def invitation_pending_list() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def seats_taken(*, exclude_invitation_email: str | None = None) -> int:
    """Active users plus pending invitations: what counts against a plan's user limit."""
    pending = invitation_pending_list()
    if exclude_invitation_email:
        pending = pending.exclude(email=exclude_invitation_email)
    return User.objects.filter(is_active=True).count() + pending.count()


def user_limit() -> int | None:
    tenant = tenant_current()
    plan = tenant.plan if tenant is not None else None
    return plan.max_users if plan is not None else None
