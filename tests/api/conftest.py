import pytest
from django.contrib.auth.models import Group, User
from django_tenants.utils import schema_context

from jxc.api.models import TenantAPIKey
from jxc.api.services import api_key_create
from tests.conftest import PASSWORD

ME = "/api/v1/me"
KEYS = "/api/v1/api-keys"


def revoke_url(prefix: str) -> str:
    return f"/api/v1/api-keys/{prefix}/revoke"


def make_key(tenant, scopes=("read",), *, name="Test key", **kwargs) -> tuple[TenantAPIKey, str]:
    with schema_context(tenant.schema_name):
        return api_key_create(name=name, scopes=list(scopes), created_by_id=None, **kwargs)


def auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def make_user(tenant, email: str, role: str | None) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(username=email, email=email, password=PASSWORD)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


def login(client, tenant, user):
    with schema_context(tenant.schema_name):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def key_state(tenant, prefix: str) -> TenantAPIKey:
    with schema_context(tenant.schema_name):
        return TenantAPIKey.objects.get(prefix=prefix)


def key_count(tenant) -> int:
    with schema_context(tenant.schema_name):
        return TenantAPIKey.objects.count()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)
