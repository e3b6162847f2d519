import pytest
from django_tenants.utils import schema_context

from modules.identity.services import roles_sync
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    # alpha and beta were created before the inventory app existed: give their roles its permissions.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)
