import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache, keyed by the client's IP (every test client is 127.0.0.1).
    cache.clear()
    yield
    cache.clear()
