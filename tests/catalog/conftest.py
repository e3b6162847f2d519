import pytest
from django.contrib.auth.models import Group, User
from django_tenants.utils import schema_context

from modules.catalog import services
from modules.identity.services import roles_sync
from tests.api.conftest import auth, login, make_key  # noqa: F401
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _roles_cover_the_catalog(tenant_a, tenant_b):
    # alpha and beta were created before the catalog app existed: give their roles its permissions.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


def make_user(tenant, email: str, role: str | None) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(username=email, email=email, password=PASSWORD)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


def make_item(tenant, code="COLA", name="可口可乐", barcodes=(), unit_name="瓶"):
    with schema_context(tenant.schema_name):
        from modules.catalog.models import Unit

        unit = Unit.objects.filter(name=unit_name).first() or services.unit_create(name=unit_name)
        return services.item_create(code=code, name=name, base_unit=unit, max_items=None, barcodes=list(barcodes))


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)
