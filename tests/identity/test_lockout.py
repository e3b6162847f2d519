"""django-axes counts failures per username in each tenant's own schema."""

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from tests.conftest import PASSWORD
from tests.identity.conftest import make_user, post_login

EMAIL = "shared@example.test"


def _fail(client, times: int, email: str = EMAIL):
    return [post_login(client, email, "wrong-password", HTTP_ACCEPT_LANGUAGE="en") for _ in range(times)]


def test_four_failures_do_not_lock(client_a, tenant_a):
    make_user(tenant_a, EMAIL, Role.SALES)
    responses = _fail(client_a, 4)
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    response = post_login(client_a, EMAIL)
    assert response.status_code == 302


def test_five_failures_lock_the_account(client_a, tenant_a):
    make_user(tenant_a, EMAIL, Role.SALES)
    responses = _fail(client_a, 5)
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]
    assert responses[4].status_code == 429
    assert "Account temporarily locked" in responses[4].content.decode()


def test_locked_account_refuses_the_right_password_with_a_clear_message(client_a, tenant_a):
    make_user(tenant_a, EMAIL, Role.SALES)
    _fail(client_a, 5)
    response = post_login(client_a, EMAIL, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 429
    assert "This account is locked after 5 failed login attempts." in html
    assert "/accounts/password/reset/" in html
    assert "_auth_user_id" not in client_a.session


def test_lockout_is_recorded_in_the_tenants_own_schema(client_a, tenant_a, tenant_b):
    make_user(tenant_a, EMAIL, Role.SALES)
    _fail(client_a, 5)
    with schema_context(tenant_a.schema_name):
        assert AccessAttempt.objects.get(username=EMAIL).failures_since_start == 5
    with schema_context(tenant_b.schema_name):
        assert AccessAttempt.objects.filter(username=EMAIL).count() == 0
    with schema_context("public"):
        assert AccessAttempt.objects.filter(username=EMAIL).count() == 0


def test_same_named_user_of_another_tenant_is_not_locked(client_a, client_b, tenant_a, tenant_b):
    make_user(tenant_a, EMAIL, Role.SALES)
    make_user(tenant_b, EMAIL, Role.SALES)
    _fail(client_a, 5)
    assert post_login(client_a, EMAIL).status_code == 429
    response = post_login(client_b, EMAIL)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_lockout_does_not_touch_other_users_of_the_same_tenant(client_a, tenant_a):
    make_user(tenant_a, EMAIL, Role.SALES)
    _fail(client_a, 5)
    assert post_login(client_a, "owner@alpha.test").status_code == 302


def test_password_reset_unlocks_the_account(client_a, tenant_a):
    make_user(tenant_a, EMAIL, Role.SALES)
    _fail(client_a, 5)
    client_a.post("/accounts/password/reset/", {"email": EMAIL})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("alpha.localhost", 1)[1]
    response = client_a.get(path)
    assert response.status_code == 302
    response = client_a.post(
        response["Location"], {"new_password1": "Brand-New-Pass-77", "new_password2": "Brand-New-Pass-77"}
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert AccessAttempt.objects.filter(username=EMAIL).count() == 0
        assert User.objects.get(username=EMAIL).check_password("Brand-New-Pass-77")
    assert post_login(client_a, EMAIL, "Brand-New-Pass-77").status_code == 302
