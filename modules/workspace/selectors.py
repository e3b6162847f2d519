"""Reads for the merchant shell: the user menu and the dashboard summary.

Everything here runs in the current tenant's schema (the request's); the
tenant row itself comes from the public schema through `request.tenant`.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jxc.api.selectors import api_key_list
from modules.catalog.models import Item
from modules.identity.access import user_role
from modules.identity.roles import ROLE_LABELS, Role
from modules.identity.selectors import invitation_pending_list, user_limit
from modules.reorder.selectors import LowStockCard, low_stock_card
from modules.workspace.navigation import url_or_none
from tenants.enums import TenantStatus
from tenants.models import Tenant


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class UserMenu:
    email: str
    role: str
    role_label: str | Promise
    links: list[MenuLink]
    logout_url: str | None


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    label: str | Promise
    done: bool
    # None when the page is not there yet (coming_soon) or this user may not use it.
    url: str | None
    coming_soon: bool


@dataclass(frozen=True)
class DashboardSummary:
    greeting: str | Promise
    display_name: str
    tenant_name: str
    status: str
    status_label: str | Promise
    trial_days_left: int | None
    trial_ends_at: datetime | None
    plan_name: str | None
    users_active: int
    users_inactive: int
    users_limit: int | None  # the plan's; None means unlimited
    invitations_pending: int
    checklist: list[ChecklistStep]
    low_stock: LowStockCard | None  # None until the first low-stock computation

    @property
    def checklist_done(self) -> int:
        return sum(1 for step in self.checklist if step.done)


def user_menu_get(*, user) -> UserMenu:
    role = user_role(user)
    candidates: list[tuple[str | Promise, str]] = [
        (pgettext_lazy("user menu", "Change password"), "identity:password_change")
    ]
    if role == Role.OWNER:
        candidates += [
            (pgettext_lazy("user menu", "Users"), "identity:users"),
            (pgettext_lazy("user menu", "API keys"), "api_keys:list"),
        ]
    # The shop's letterhead and its document numbers are the owner's and the manager's to set.
    if role in (Role.OWNER, Role.MANAGER):
        candidates += [
            (pgettext_lazy("user menu", "Print settings"), "print_settings:index"),
            (pgettext_lazy("user menu", "Document numbers"), "numbering:settings"),
        ]
    resolved = [(label, url_or_none(url_name)) for label, url_name in candidates]
    links = [MenuLink(label=label, url=url) for label, url in resolved if url is not None]
    return UserMenu(
        email=user.email or user.get_username(),
        role=role,
        role_label=ROLE_LABELS.get(role, ""),
        links=links,
        logout_url=url_or_none("identity:logout"),
    )


def trial_days_left(*, tenant: Tenant, now: datetime | None = None) -> int | None:
    """Whole days (rounded up) until the trial ends, 0 once it has ended; None when not on trial."""
    if tenant.status != TenantStatus.TRIAL or tenant.trial_ends_at is None:
        return None
    remaining = tenant.trial_ends_at - (now or timezone.now())
    if remaining <= timedelta(0):
        return 0
    return math.ceil(remaining / timedelta(days=1))


def greeting_for(*, local_time: datetime) -> str | Promise:
    if 5 <= local_time.hour < 12:
        return _("Good morning")
    if 12 <= local_time.hour < 18:
        return _("Good afternoon")
    return _("Good evening")


def _step(key: str, label: str | Promise, url_name: str, *, allowed: bool, done: bool) -> ChecklistStep:
    url = url_or_none(url_name)
    return ChecklistStep(key=key, label=label, done=done, url=url if allowed else None, coming_soon=url is None)


def dashboard_summary(*, tenant: Tenant, user, now: datetime | None = None) -> DashboardSummary:
    now = now or timezone.now()
    role = user_role(user)
    is_owner = role == Role.OWNER
    counts = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
    )
    users_active, users_inactive = counts["active"], counts["inactive"]
    local_time = timezone.localtime(now, timezone=_zone(tenant.timezone))
    invitations_pending = invitation_pending_list().count()
    invited = users_active + users_inactive > 1 or invitations_pending > 0
    checklist = [
        _step("invite", _("Invite a colleague"), "identity:users", allowed=is_owner, done=invited),
        _step("api_key", _("Create an API key"), "api_keys:list", allowed=is_owner, done=api_key_list().exists()),
        _step("items", _("Add your items"), "catalog:item_list", allowed=True, done=Item.objects.exists()),
    ]
    return DashboardSummary(
        greeting=greeting_for(local_time=local_time),
        display_name=user.get_full_name() or user.email or user.get_username(),
        tenant_name=tenant.name,
        status=tenant.status,
        status_label=TenantStatus(tenant.status).label,
        trial_days_left=trial_days_left(tenant=tenant, now=now),
        trial_ends_at=tenant.trial_ends_at,
        plan_name=tenant.plan.display_name if tenant.plan_id else None,
        users_active=users_active,
        users_inactive=users_inactive,
        users_limit=user_limit(),
        invitations_pending=invitations_pending,
        checklist=checklist,
        low_stock=low_stock_card(tz=_zone(tenant.timezone)),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")
