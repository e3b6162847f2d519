"""Tenant isolation of everything identity serves: logins, sessions, the users page, invitations."""

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from modules.identity import services
from modules.identity.models import Invitation
from modules.identity.roles import Role
from tests.conftest import PASSWORD
from tests.identity.conftest import LOGIN, USERS, make_user, post_login


def test_a_user_of_alpha_cannot_log_into_beta(client_a, client_b, tenant_a):
    make_user(tenant_a, "only-alpha@example.test", Role.SALES)
    assert post_login(client_a, "only-alpha@example.test").status_code == 302
    response = post_login(client_b, "only-alpha@example.test", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The email or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client_b.session


def test_alphas_owner_cannot_log_into_beta(client_b):
    response = post_login(client_b, "owner@alpha.test", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client_b.session


def test_alphas_session_cookie_is_useless_on_beta(client_a, tenant_b):
    assert post_login(client_a, "owner@alpha.test").status_code == 302
    session_id = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    assert client_a.get(USERS).status_code == 200
    client_b = Client(HTTP_HOST=f"{tenant_b.slug}.{settings.BASE_DOMAIN}")
    client_b.cookies[settings.SESSION_COOKIE_NAME] = session_id
    for url in (USERS, "/accounts/password/change/"):
        response = client_b.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={url}"


def test_session_cookie_is_host_only(client_a):
    response = post_login(client_a, "owner@alpha.test")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["domain"] == ""
    assert cookie["httponly"] is True


def test_sessions_are_stored_in_the_tenants_schema(client_a, tenant_a, tenant_b):
    from django.contrib.sessions.models import Session

    post_login(client_a, "owner@alpha.test")
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    with schema_context(tenant_a.schema_name):
        assert Session.objects.filter(session_key=key).exists()
    with schema_context(tenant_b.schema_name):
        assert not Session.objects.filter(session_key=key).exists()
    with schema_context("public"):
        assert not Session.objects.filter(session_key=key).exists()


def test_betas_owner_cannot_touch_alphas_users(owner_client_b, tenant_a, tenant_b):
    target = make_user(tenant_a, "target@alpha.test", Role.SALES)
    with schema_context(tenant_b.schema_name):
        assert not User.objects.filter(pk=target.pk).exists()
    for action, data in (("role", {"role": Role.OWNER}), ("deactivate", {}), ("reactivate", {})):
        assert owner_client_b.post(f"/accounts/users/{target.pk}/{action}/", data).status_code == 404
    with schema_context(tenant_a.schema_name):
        fresh = User.objects.get(pk=target.pk)
        assert fresh.is_active is True
        assert list(fresh.groups.values_list("name", flat=True)) == [Role.SALES]


def test_betas_users_page_lists_only_beta(owner_client_b, tenant_a):
    make_user(tenant_a, "target@alpha.test", Role.SALES)
    html = owner_client_b.get(USERS).content.decode()
    assert "owner@beta.test" in html
    assert "alpha.test" not in html


def test_betas_owner_cannot_revoke_alphas_invitation(owner_client_b, tenant_a, tenant_b, owner_a):
    with schema_context(tenant_a.schema_name):
        invitation = services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
    with schema_context(tenant_b.schema_name):
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert owner_client_b.post(f"/accounts/users/invitations/{invitation.pk}/revoke/").status_code == 404
    with schema_context(tenant_a.schema_name):
        assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_invitations_live_in_the_inviting_tenant_only(tenant_a, tenant_b, owner_a, owner_client_b):
    with schema_context(tenant_a.schema_name):
        services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
    with schema_context(tenant_b.schema_name):
        assert Invitation.objects.count() == 0
    assert "x@alpha.test" not in owner_client_b.get(USERS).content.decode()


def test_identity_pages_on_the_public_host_do_not_exist(public_client):
    for url in (LOGIN, USERS, "/accounts/token-login/?token=x"):
        assert public_client.get(url).status_code == 404
