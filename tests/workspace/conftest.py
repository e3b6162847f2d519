import pytest
from django_tenants.utils import schema_context

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, tenant, user) -> None:
    """Sign `user` in on `client`; the session row lives in the tenant's schema."""
    with schema_context(tenant.schema_name):
        client.force_login(user, backend=MODEL_BACKEND)


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    login(client_a, tenant_a, owner_a)
    return client_a
