import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django_tenants.utils import schema_context

from jxc.console.models import ConsoleAuditEntry
from tests.conftest import PASSWORD
from tests.console.conftest import MODEL_BACKEND, STAFF_PASSWORD, staff_create

CONSOLE_PAGES = ["/console/", "/console/tenants/alpha/", "/console/audit/", "/console/audit/?tenant=alpha"]
ACTIONS = ["suspend", "reactivate", "extend-trial", "delete"]


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_anonymous_is_sent_to_the_console_login(public_client, path):
    response = public_client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/console/login/?next=")


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_actions_are_refused_and_nothing_changes(public_client, tenant_a, action):
    response = public_client.post(
        f"/console/tenants/alpha/{action}/",
        {"suspend-reason": "x", "delete-confirmation": "alpha", "delete-reason": "x", "extend-days": "3"},
    )
    assert response.status_code == 302
    assert response.url.startswith("/console/login/")
    tenant_a.refresh_from_db()
    assert tenant_a.status == "trial"
    assert not ConsoleAuditEntry.objects.exists()


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_public_non_staff_user_is_sent_to_the_console_login(public_client, path):
    user = staff_create("plain@vendor.test", is_staff=False)
    public_client.force_login(user, backend=MODEL_BACKEND)
    response = public_client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/console/login/")


def test_inactive_staff_is_sent_to_the_console_login(public_client):
    user = staff_create()
    public_client.force_login(user, backend=MODEL_BACKEND)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = public_client.get("/console/")
    assert response.status_code == 302


def test_staff_logs_in_and_sees_the_console(public_client):
    staff_create("Staff@Vendor.test".lower())
    response = public_client.post("/console/login/", {"email": "Staff@Vendor.test", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/console/"
    assert public_client.get("/console/").status_code == 200


def test_login_follows_a_local_next_but_not_a_foreign_one(public_client):
    staff_create()
    credentials = {"email": "staff@vendor.test", "password": STAFF_PASSWORD}
    response = public_client.post("/console/login/?next=/console/audit/", credentials)
    assert response.url == "/console/audit/"
    public_client.logout()
    response = public_client.post("/console/login/", {**credentials, "next": "https://evil.test/"})
    assert response.url == "/console/"


def test_non_staff_public_user_cannot_log_in(public_client):
    staff_create("plain@vendor.test", is_staff=False)
    response = public_client.post("/console/login/", {"email": "plain@vendor.test", "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert "not vendor staff" in response.content.decode() or "不是供应商" in response.content.decode()
    assert "_auth_user_id" not in public_client.session
    assert public_client.get("/console/").status_code == 302


def test_wrong_password_cannot_log_in(public_client):
    staff_create()
    response = public_client.post("/console/login/", {"email": "staff@vendor.test", "password": "wrong-one-1"})
    assert response.status_code == 400
    assert "_auth_user_id" not in public_client.session


def test_merchant_owner_credentials_cannot_log_in_to_the_console(public_client, owner_a):
    response = public_client.post("/console/login/", {"email": "owner@alpha.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in public_client.session
    assert public_client.get("/console/").status_code == 302


def test_merchant_owner_who_is_staff_in_their_shop_still_cannot_log_in(public_client, tenant_a, owner_a):
    # Even a tenant user flagged is_staff lives in the tenant's schema, which the console never reads.
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=owner_a.pk).update(is_staff=True)
    response = public_client.post("/console/login/", {"email": "owner@alpha.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in public_client.session


def test_alphas_session_cookie_is_useless_on_the_console(tenant_a, owner_a, client_a, public_client):
    staff_create()  # a public user exists whose id may well equal the owner's
    with schema_context(tenant_a.schema_name):
        client_a.force_login(owner_a, backend=MODEL_BACKEND)
        session_key = client_a.cookies["sessionid"].value
        assert Session.objects.filter(session_key=session_key).exists()
    public_client.cookies["sessionid"] = session_key
    response = public_client.get("/console/")
    assert response.status_code == 302
    assert response.url.startswith("/console/login/")
    response = public_client.post("/console/tenants/alpha/suspend/", {"suspend-reason": "takeover"})
    assert response.status_code == 302
    tenant_a.refresh_from_db()
    assert tenant_a.status == "trial"


@pytest.mark.parametrize("path", ["/console/", "/console/login/", "/console/audit/", "/console/tenants/alpha/"])
def test_console_does_not_exist_on_a_shop_host(client_a, path):
    assert client_a.get(path).status_code == 404


def test_beta_cannot_act_on_alpha_through_its_own_host(client_b, owner_b, tenant_a, tenant_b):
    with schema_context(tenant_b.schema_name):
        client_b.force_login(owner_b, backend=MODEL_BACKEND)
    response = client_b.post("/console/tenants/alpha/suspend/", {"suspend-reason": "x"})
    assert response.status_code == 404
    tenant_a.refresh_from_db()
    assert tenant_a.status == "trial"
    assert not ConsoleAuditEntry.objects.exists()


def test_logout_is_post_only_and_ends_the_session(staff_client):
    assert staff_client.get("/console/logout/").status_code == 405
    assert staff_client.get("/console/").status_code == 200
    response = staff_client.post("/console/logout/")
    assert response.status_code == 302
    assert staff_client.get("/console/").status_code == 302


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_post_only(staff_client, action):
    assert staff_client.get(f"/console/tenants/alpha/{action}/").status_code == 405


def test_actions_need_a_csrf_token(staff_user, tenant_a):
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(staff_user, backend=MODEL_BACKEND)
    response = client.post("/console/tenants/alpha/suspend/", {"suspend-reason": "no token"})
    assert response.status_code == 403
    tenant_a.refresh_from_db()
    assert tenant_a.status == "trial"
    assert not ConsoleAuditEntry.objects.exists()


def test_login_needs_a_csrf_token(db):
    staff_create()
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    response = client.post("/console/login/", {"email": "staff@vendor.test", "password": STAFF_PASSWORD})
    assert response.status_code == 403


def test_repeated_failures_lock_the_staff_account(public_client, settings):
    staff_create()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        public_client.post("/console/login/", {"email": "staff@vendor.test", "password": "guess-guess-1"})
    public_client.cookies["django_language"] = "en"
    response = public_client.post("/console/login/", {"email": "staff@vendor.test", "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert "locked for a while" in response.content.decode()
    assert "_auth_user_id" not in public_client.session
    assert public_client.get("/console/").status_code == 302
