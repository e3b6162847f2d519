import pytest
from django.contrib.auth.models import Group, User
from django_tenants.utils import schema_context

from modules.identity.models import Profile
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
USERS = "/accounts/users/"


def make_user(tenant, email: str, role: str, *, password: str = PASSWORD, active: bool = True, language=None):
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(username=email, email=email, password=password, is_active=active)
        user.groups.add(Group.objects.get(name=role))
        if language:
            Profile.objects.create(user=user, language=language)
        return user


def login(client, tenant, user):
    """A session for `user`, stored in the tenant's schema as a real login would."""
    with schema_context(tenant.schema_name):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def post_login(client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def in_schema(tenant, fn):
    with schema_context(tenant.schema_name):
        return fn()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (per-process) cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
