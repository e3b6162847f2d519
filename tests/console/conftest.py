import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

STAFF_PASSWORD = "Staff-Horse-42"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def staff_create(email: str = "staff@vendor.test", *, is_staff: bool = True) -> User:
    """A user of the public schema (the connection is on it between requests)."""
    assert connection.schema_name == settings.PUBLIC_SCHEMA_NAME
    user = User(username=email, email=email, is_staff=is_staff)
    user.set_password(STAFF_PASSWORD)
    user.save()
    return user


@pytest.fixture
def staff_user(db):
    return staff_create()


@pytest.fixture
def staff_client(staff_user):
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(staff_user, backend=MODEL_BACKEND)
    return client
