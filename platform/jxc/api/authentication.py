"""`Authorization: Api-Key <prefix>.<secret>` against the keys of the shop named by the host.

The library's own `KeyParser` reads the *whole* header when `API_KEY_CUSTOM_HEADER` is set (it would
hand us "Api-Key abc.def"), so the keyword is parsed here. Keys live in the tenant schema, so a key of
another shop is simply not found on this host.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from jxc.api.enums import ApiErrorCode
from jxc.api.models import TenantAPIKey
from jxc.api.principals import ApiKeyUser

logger = logging.getLogger(__name__)

KEYWORD = "Api-Key"
# Record use at most this often per key, so reads do not turn into a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def tenant_has_api_access(tenant) -> bool:
    """API keys work only on plans with API access; a shop without a plan (self-hosted, no billing) has it."""
    plan = getattr(tenant, "plan", None) if tenant is not None else None
    return plan is None or plan.api_access


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _sep, key = header.strip().partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None  # not ours: let session authentication have a go
        key = key.strip()
        prefix, dot, secret = key.partition(".")
        if not prefix or not dot or not secret:
            raise exceptions.AuthenticationFailed(
                _("The API key is malformed. Send 'Authorization: Api-Key <key>'."), code=ApiErrorCode.API_KEY_MALFORMED
            )
        api_key = TenantAPIKey.objects.filter(prefix=prefix).order_by().first()  # prefix is unique: no sort
        if api_key is None or not api_key.is_valid(key) or not api_key.is_usable:
            logger.info("api key refused", extra={"api_key_prefix": prefix[:8]})
            raise exceptions.AuthenticationFailed(
                _("The API key is invalid, revoked or expired."), code=ApiErrorCode.API_KEY_INVALID
            )
        if not tenant_has_api_access(getattr(request, "tenant", None)):
            # Authenticated, but the shop's plan does not include the API: a 403, not a bad key.
            raise exceptions.PermissionDenied(
                _("This shop's plan does not include API access. The owner can upgrade the plan."),
                code=ApiErrorCode.PLAN_NO_API_ACCESS,
            )
        self._record_use(api_key)
        return ApiKeyUser(api_key), api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a missing or bad key.
        return self.keyword

    @staticmethod
    def _record_use(api_key: TenantAPIKey) -> None:
        now = timezone.now()
        if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_RESOLUTION:
            return
        # A conditional UPDATE: concurrent requests of the same key write once per minute, not once each.
        threshold = now - LAST_USED_RESOLUTION
        TenantAPIKey.objects.filter(pk=api_key.pk).exclude(last_used_at__gte=threshold).update(last_used_at=now)
        api_key.last_used_at = now
