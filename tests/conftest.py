"""Test worlds hold several tenants: `alpha` and `beta` are created once per session.

Tests run inside a transaction that is rolled back (`db`), except those that
need committed data seen by other connections (`committed_db`: a live server,
a Celery worker, parallel connections), which create uniquely named data.
"""

import os
import shutil
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from jxc import celery_app

TENANT_SLUGS = ("alpha", "beta")
PASSWORD = "Correct-Horse-9"


def pytest_configure(config):
    # Fast hashing in tests; production keeps Django's default hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A Redis cache outlives the run (rate-limit counters, for one): give each run keys of its own.
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_always_eager = True
    _always_set_up_the_test_database()


def _always_set_up_the_test_database():
    """pytest-django creates the test database only when a collected test uses `db` (or the marker);
    a run of `committed_db` tests alone would otherwise write to the development database."""
    from pytest_django import fixtures

    original = fixtures._get_databases_for_setup

    def with_default(items):
        aliases, serialized = original(items)
        return aliases | {"default"}, serialized

    fixtures._get_databases_for_setup = with_default


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.services import public_tenant_ensure, tenant_provision

    with django_db_blocker.unblock():
        public_tenant_ensure()
        for slug in TENANT_SLUGS:
            tenant_provision(
                slug=slug,
                name=f"{slug.title()} 商店",
                owner_email=f"owner@{slug}.test",
                owner_password_hash=make_password(PASSWORD),
                use_pool=False,
            )
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Connections other threads left behind (a live server's, a browser's keep-alive) would
        # stop pytest-django from dropping the test database.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _tenant(slug: str):
    from tenants.models import Tenant

    return Tenant.objects.get(slug=slug)


@pytest.fixture
def tenant_a(db):
    return _tenant("alpha")


@pytest.fixture
def tenant_b(db):
    return _tenant("beta")


def host_for(tenant) -> str:
    return f"{tenant.slug}.{settings.BASE_DOMAIN}"


@pytest.fixture
def public_client(db):
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def client_a(tenant_a):
    return Client(HTTP_HOST=host_for(tenant_a))


@pytest.fixture
def client_b(tenant_b):
    return Client(HTTP_HOST=host_for(tenant_b))


@pytest.fixture
def in_tenant_a(tenant_a):
    """Run the test body in alpha's schema (reset to public afterwards)."""
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture
def owner_a(tenant_a):
    from django.contrib.auth.models import User

    with schema_context(tenant_a.schema_name):
        return User.objects.get(email="owner@alpha.test")


@pytest.fixture
def owner_b(tenant_b):
    from django.contrib.auth.models import User

    with schema_context(tenant_b.schema_name):
        return User.objects.get(email="owner@beta.test")


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    connection.set_schema_to_public()
    # A test that switched the language (a request in English, translation.activate) must not leave the
    # next test speaking it.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access without the per-test rollback: for data other connections must see."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def require_or_skip(env_flag: str, available: bool, reason: str):
    """Skip when a real dependency is missing, but fail in CI where it must be present."""
    if available:
        return
    if os.environ.get(env_flag):
        pytest.fail(f"{reason} ({env_flag} is set, so this is required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    require_or_skip("REQUIRE_BROWSER", bool(path), "Debian's chromium is not installed")
    return path
