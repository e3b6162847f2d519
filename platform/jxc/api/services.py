"""Write paths for API keys and idempotency records of the current tenant schema."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.api.enums import ALL_SCOPES, ApiErrorCode, Scope
from jxc.api.models import TenantAPIKey
from jxc.kernel.errors import AppError, Conflict, NotFound

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 50


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = {str(scope).strip() for scope in scopes}
    unknown = chosen - ALL_SCOPES
    if unknown:
        raise AppError(
            ApiErrorCode.SCOPE_INVALID,
            _("Unknown scope(s): %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))},
            field="scopes",
        )
    if not chosen:
        raise AppError(ApiErrorCode.SCOPES_REQUIRED, _("Choose at least one scope."), field="scopes")
    # Stored in the enum's order so lists read the same everywhere.
    return [scope for scope in Scope.values if scope in chosen]


@transaction.atomic
def api_key_create(
    *, name: str, scopes: Iterable[str], created_by_id: int | None, expires_at: datetime | None = None
) -> tuple[TenantAPIKey, str]:
    """Create a key; returns it and the full secret, which is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise AppError(ApiErrorCode.NAME_REQUIRED, _("Give the key a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise AppError(
            ApiErrorCode.VALIDATION_ERROR,
            _("The name may be at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            field="name",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise AppError(ApiErrorCode.VALIDATION_ERROR, _("The expiry date must be in the future."), field="expires_at")
    api_key, secret = TenantAPIKey.objects.create_key(
        name=name, scopes=_clean_scopes(scopes), created_by_id=created_by_id, expiry_date=expires_at
    )
    logger.info("api key created", extra={"api_key_prefix": api_key.prefix, "by_user_id": created_by_id})
    return api_key, secret


@transaction.atomic
def api_key_revoke(*, prefix: str, revoked_by_id: int | None) -> TenantAPIKey:
    """Revoke a key for good (the library refuses to un-revoke)."""
    api_key = TenantAPIKey.objects.select_for_update().filter(prefix=prefix).first()
    if api_key is None:
        raise NotFound(ApiErrorCode.API_KEY_NOT_FOUND, _("No API key has this prefix."), field="prefix")
    if api_key.revoked:
        raise Conflict(ApiErrorCode.API_KEY_ALREADY_REVOKED, _("This API key is already revoked."))
    api_key.revoked = True
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked", "revoked_at"])
    logger.info("api key revoked", extra={"api_key_prefix": api_key.prefix, "by_user_id": revoked_by_id})
    return api_key
