"""Reads of API keys in the current tenant schema."""

from django.db.models import QuerySet

from jxc.api.models import TenantAPIKey


def api_key_list() -> QuerySet[TenantAPIKey]:
    return TenantAPIKey.objects.order_by("revoked", "-created")


def api_key_get(*, prefix: str) -> TenantAPIKey | None:
    return TenantAPIKey.objects.filter(prefix=prefix).first()
