"""Support actions on tenants, each written to the append-only audit log in the same transaction.

The lifecycle rules themselves (which transitions are legal, how a schema is dropped) belong to
`tenants.services`; this module adds who did it, why, and from where.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from jxc.console.enums import ConsoleAction, ConsoleErrorCode
from jxc.console.models import ConsoleAuditEntry
from jxc.kernel.errors import AppError
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_extend_trial, tenant_get, tenant_reactivate, tenant_suspend

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000
DEMO_STAFF_EMAIL = "support@demo.localhost"
DEMO_STAFF_PASSWORD = "console-demo-2026"  # noqa: S105 - development only, refused in production


def _reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AppError(
            ConsoleErrorCode.REASON_REQUIRED, _("Give a reason: it is kept in the audit log."), field="reason"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise AppError(
            ConsoleErrorCode.REASON_REQUIRED,
            _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _staff_check(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise AppError(ConsoleErrorCode.NOT_STAFF, _("Only vendor staff may do this."), status=403)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def console_audit_entry_create(
    *, actor: User, action: ConsoleAction, tenant: Tenant, reason: str, details: dict[str, Any], ip: str | None
) -> ConsoleAuditEntry:
    """Append one entry. Called inside the action's own transaction, so both happen or neither."""
    return ConsoleAuditEntry.objects.create(
        staff_user_id=actor.pk,
        staff_email=actor.email or actor.get_username(),
        action=action,
        tenant_id=tenant.pk,
        tenant_slug=tenant.slug,
        reason=reason,
        details=details,
        ip=ip or None,
    )


def _locked_tenant(slug: str) -> Tenant:
    return tenant_get(slug=slug, for_update=True)


def console_tenant_suspend(*, actor: User, slug: str, reason: str, ip: str | None) -> Tenant:
    _staff_check(actor)
    reason = _reason_clean(reason)
    with transaction.atomic():
        tenant = _locked_tenant(slug)
        before = tenant.status
        tenant_suspend(tenant=tenant)
        console_audit_entry_create(
            actor=actor,
            action=ConsoleAction.SUSPEND,
            tenant=tenant,
            reason=reason,
            details={"status_before": before, "status_after": tenant.status},
            ip=ip,
        )
    logger.info("console: %s suspended tenant %s", actor.email, tenant.slug)
    return tenant


def console_tenant_reactivate(*, actor: User, slug: str, reason: str, ip: str | None) -> Tenant:
    _staff_check(actor)
    reason = _reason_clean(reason)
    with transaction.atomic():
        tenant = _locked_tenant(slug)
        before = tenant.status
        tenant_reactivate(tenant=tenant)
        console_audit_entry_create(
            actor=actor,
            action=ConsoleAction.REACTIVATE,
            tenant=tenant,
            reason=reason,
            details={"status_before": before, "status_after": tenant.status},
            ip=ip,
        )
    logger.info("console: %s reactivated tenant %s", actor.email, tenant.slug)
    return tenant


def console_tenant_extend_trial(*, actor: User, slug: str, days: int, reason: str, ip: str | None) -> Tenant:
    _staff_check(actor)
    reason = _reason_clean(reason)
    with transaction.atomic():
        tenant = _locked_tenant(slug)
        status_before, trial_before = tenant.status, tenant.trial_ends_at
        tenant_extend_trial(tenant=tenant, days=days)
        console_audit_entry_create(
            actor=actor,
            action=ConsoleAction.EXTEND_TRIAL,
            tenant=tenant,
            reason=reason,
            details={
                "days": days,
                "trial_ends_before": _iso(trial_before),
                "trial_ends_after": _iso(tenant.trial_ends_at),
                "status_before": status_before,
                "status_after": tenant.status,
            },
            ip=ip,
        )
    logger.info("console: %s extended the trial of %s by %d days", actor.email, tenant.slug, days)
    return tenant


def console_tenant_delete(*, actor: User, slug: str, confirmation: str, reason: str, ip: str | None) -> None:
    """Drop the tenant; the audit entry lives in the public schema and keeps no foreign key to it."""
    _staff_check(actor)
    reason = _reason_clean(reason)
    with transaction.atomic():
        tenant = _locked_tenant(slug)
        snapshot = {
            "schema_name": tenant.schema_name,
            "name": tenant.name,
            "owner_email": tenant.owner_email,
            "status": tenant.status,
            "plan": tenant.plan.code if tenant.plan_id else None,
            "created_at": _iso(tenant.created_at),
        }
        tenant_delete(tenant=tenant, confirmation=(confirmation or "").strip())
        console_audit_entry_create(
            actor=actor, action=ConsoleAction.DELETE, tenant=tenant, reason=reason, details=snapshot, ip=ip
        )
    logger.info("console: %s deleted tenant %s", actor.email, slug)


def console_staff_create(*, email: str, password: str) -> User:
    """Create (or promote, and set the password of) a vendor staff user in the public schema."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise AppError("email_invalid", _("Enter a valid email address."), field="email")
    if not password:
        raise AppError("password_required", _("Enter a password."), field="password")
    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        user = User.objects.filter(username=email).first() or User(username=email, email=email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AppError("password_invalid", " ".join(exc.messages), field="password") from exc
        user.email = email
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
    return user


def console_demo_staff_ensure() -> tuple[str, str]:
    """The demo staff account that `make run` prints; returns (email, password). Never in production."""
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Refusing to create a demo console account with a known password in production.")
    console_staff_create(email=DEMO_STAFF_EMAIL, password=DEMO_STAFF_PASSWORD)
    return DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD
