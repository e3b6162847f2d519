import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context

from jxc.console.services import console_demo_staff_ensure


def test_console_staff_create_command_makes_a_public_staff_user(db, tenant_a):
    call_command("console_staff_create", email="Help@Vendor.test", password="Long-Enough-77")
    user = User.objects.get(username="help@vendor.test")
    assert (user.email, user.is_staff, user.is_superuser, user.is_active) == ("help@vendor.test", True, False, True)
    with schema_context(tenant_a.schema_name):
        assert not User.objects.filter(username="help@vendor.test").exists()
    client = Client(HTTP_HOST="localhost")
    response = client.post("/console/login/", {"email": "help@vendor.test", "password": "Long-Enough-77"})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def test_console_staff_create_resets_the_password_of_an_existing_user(db):
    call_command("console_staff_create", email="help@vendor.test", password="Long-Enough-77")
    call_command("console_staff_create", email="help@vendor.test", password="Other-Enough-88")
    assert User.objects.filter(username="help@vendor.test").count() == 1
    assert User.objects.get(username="help@vendor.test").check_password("Other-Enough-88")


@pytest.mark.parametrize("email,password", [("not-an-email", "Long-Enough-77"), ("a@vendor.test", "short")])
def test_console_staff_create_refuses_bad_input(db, email, password):
    with pytest.raises(CommandError):
        call_command("console_staff_create", email=email, password=password)
    assert not User.objects.filter(is_staff=True).exists()


def test_demo_staff_ensure_returns_working_credentials_and_is_idempotent(db):
    email, password = console_demo_staff_ensure()
    assert console_demo_staff_ensure() == (email, password)
    assert User.objects.filter(username=email, is_staff=True).count() == 1
    client = Client(HTTP_HOST="localhost")
    assert client.post("/console/login/", {"email": email, "password": password}).status_code == 302


def test_demo_staff_is_refused_in_production(db, settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        console_demo_staff_ensure()
    assert not User.objects.filter(is_staff=True).exists()
