from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TenantStatus(models.TextChoices):
    # Items and documents say "Active" 启用 and "Cancelled" 已作废: the shop's standing takes its own words.
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", pgettext_lazy("tenant status", "Active")
    PAST_DUE = "past_due", _("Past due")
    READ_ONLY = "read_only", _("Read-only")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", pgettext_lazy("tenant status", "Cancelled")


# A tenant in one of these states may not use its shop at all.
BLOCKED_STATUSES = frozenset({TenantStatus.SUSPENDED, TenantStatus.CANCELLED})
# A tenant in one of these states may look but not change anything.
READ_ONLY_STATUSES = frozenset({TenantStatus.READ_ONLY})


class TenantErrorCode:
    SLUG_INVALID = "slug_invalid"
    SLUG_RESERVED = "slug_reserved"
    SLUG_TAKEN = "slug_taken"
    TENANT_NOT_FOUND = "tenant_not_found"
    CONFIRMATION_MISMATCH = "confirmation_mismatch"
    INVALID_TRANSITION = "invalid_transition"
