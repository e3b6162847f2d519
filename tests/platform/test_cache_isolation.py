"""Cache keys go through django-tenants' key function: one schema never reads another's entries."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django_tenants.utils import schema_context


def _isolation_holds(backend, tenant_a, tenant_b) -> None:
    key = f"k-{uuid.uuid4().hex[:8]}"
    with schema_context(tenant_a.schema_name):
        backend.set(key, "alpha's secret", timeout=60)
    with schema_context(tenant_b.schema_name):
        assert backend.get(key) is None
        assert backend.add(key, "beta's own", timeout=60) is True  # no collision either
        backend.delete(key)  # beta deleting its key leaves alpha's alone
    assert backend.get(key) is None  # nor does public see it
    with schema_context(tenant_a.schema_name):
        assert backend.get(key) == "alpha's secret"
        backend.delete(key)


def test_default_cache_keys_are_per_tenant(tenant_a, tenant_b):
    assert settings.CACHES["default"]["KEY_FUNCTION"] == "django_tenants.cache.make_key"

    _isolation_holds(cache, tenant_a, tenant_b)


@pytest.mark.redis
def test_redis_cache_keys_are_per_tenant(redis_url, tenant_a, tenant_b):
    redis_cache = RedisCache(
        redis_url,
        {
            "KEY_FUNCTION": settings.CACHES["default"]["KEY_FUNCTION"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",  # a shared Redis may hold other runs' keys
        },
    )
    try:
        _isolation_holds(redis_cache, tenant_a, tenant_b)
        with schema_context(tenant_a.schema_name):
            redis_cache.set("probe", 1, timeout=60)
            raw_keys = [key.decode() for key in redis_cache._cache.get_client().keys("*probe")]
            redis_cache.delete("probe")
        assert len(raw_keys) == 1 and raw_keys[0].startswith(f"{tenant_a.schema_name}:")
    finally:
        redis_cache.close()
