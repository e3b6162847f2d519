"""Accepting an invitation: name and password, the user is created with the role and logged in."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.identity import services
from modules.identity.access import user_role
from modules.identity.enums import IdentityErrorCode as Code
from modules.identity.models import Invitation, Profile
from modules.identity.roles import Role

GOOD = {"name": "王小明", "password1": "Warehouse-Pass-42", "password2": "Warehouse-Pass-42"}


@pytest.fixture
def invitation_a(tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        return services.user_invite(email="new@alpha.test", role=Role.WAREHOUSE, invited_by=owner_a)


def _url(invitation) -> str:
    return f"/accounts/invitations/{invitation.token}/"


def _users(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return sorted(User.objects.values_list("username", flat=True))


def test_invitation_page_shows_the_form(client_a, invitation_a):
    response = client_a.get(_url(invitation_a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "new@alpha.test" in html
    for name in ("name", "password1", "password2"):
        assert f'name="{name}"' in html


def test_accepting_creates_the_user_with_the_role_and_logs_them_in(client_a, tenant_a, invitation_a):
    response = client_a.post(_url(invitation_a), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/"
    with schema_context(tenant_a.schema_name):
        user = User.objects.get(username="new@alpha.test")
        assert (user.email, user.first_name, user.is_active) == ("new@alpha.test", "王小明", True)
        assert user.check_password("Warehouse-Pass-42")
        assert user_role(user) == Role.WAREHOUSE
        assert Profile.objects.get(user=user).language == "en"
        invitation = Invitation.objects.get(pk=invitation_a.pk)
        assert invitation.accepted_at is not None
        assert invitation.accepted_user_id == user.pk
    assert int(client_a.session["_auth_user_id"]) == user.pk
    assert client_a.get("/accounts/password/change/").status_code == 200


def test_a_used_invitation_cannot_be_used_again(client_a, tenant_a, invitation_a):
    client_a.post(_url(invitation_a), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    client_a.post("/accounts/logout/")
    response = client_a.post(_url(invitation_a), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This invitation has already been accepted." in html
    assert "/accounts/login/" in html
    assert _users(tenant_a) == ["new@alpha.test", "owner@alpha.test"]


def test_an_expired_invitation_is_refused(client_a, tenant_a, invitation_a):
    with schema_context(tenant_a.schema_name):
        Invitation.objects.filter(pk=invitation_a.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_a.post(_url(invitation_a), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This invitation has expired." in response.content.decode()
    assert _users(tenant_a) == ["owner@alpha.test"]


def test_a_revoked_invitation_is_refused(client_a, tenant_a, owner_a, invitation_a):
    with schema_context(tenant_a.schema_name):
        services.invitation_revoke(invitation=invitation_a, acting_user=owner_a)
    response = client_a.get(_url(invitation_a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()


def test_an_unknown_token_is_refused(client_a):
    response = client_a.get("/accounts/invitations/made-up-token/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()


def test_alphas_invitation_token_does_not_work_on_beta(client_b, tenant_a, tenant_b, invitation_a):
    response = client_b.get(_url(invitation_a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    response = client_b.post(_url(invitation_a), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()
    assert _users(tenant_b) == ["owner@beta.test"]
    assert _users(tenant_a) == ["owner@alpha.test"]
    with schema_context(tenant_a.schema_name):
        assert Invitation.objects.get(pk=invitation_a.pk).accepted_at is None


def test_mismatched_passwords_are_refused(client_a, tenant_a, invitation_a):
    response = client_a.post(_url(invitation_a), {**GOOD, "password2": "Other-Pass-43"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The two passwords do not match." in response.content.decode()
    assert _users(tenant_a) == ["owner@alpha.test"]


def test_a_weak_password_is_refused_by_the_validators(client_a, tenant_a, invitation_a):
    response = client_a.post(
        _url(invitation_a), {"name": "Li", "password1": "12345678", "password2": "12345678"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert _users(tenant_a) == ["owner@alpha.test"]


def test_accept_service_errors_name_the_field(tenant_a, invitation_a):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(AppError) as exc:
            services.invitation_accept(token=invitation_a.token, name="  ", password="Warehouse-Pass-42")
        assert (exc.value.code, exc.value.field) == (Code.NAME_REQUIRED, "name")
        with pytest.raises(AppError) as exc:
            services.invitation_accept(token=invitation_a.token, name="Li", password="short")
        assert (exc.value.code, exc.value.field) == (Code.PASSWORD_INVALID, "password")
        with pytest.raises(AppError) as exc:
            services.invitation_accept(token="nope", name="Li", password="Warehouse-Pass-42")
        assert exc.value.code == Code.INVITATION_INVALID
    assert _users(tenant_a) == ["owner@alpha.test"]


def test_invitation_send_task_skips_a_revoked_invitation(tenant_a, owner_a, mailoutbox):
    from modules.identity.tasks import invitation_send

    with schema_context(tenant_a.schema_name):
        invitation = services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
        services.invitation_revoke(invitation=invitation, acting_user=owner_a)
        result = invitation_send.apply(args=[invitation.pk, invitation.token]).get()
    assert result is False
    assert mailoutbox == []


def test_invitation_send_task_in_beta_cannot_send_alphas_invitation(tenant_a, tenant_b, owner_a, mailoutbox):
    from modules.identity.tasks import invitation_send

    with schema_context(tenant_a.schema_name):
        invitation = services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
    with schema_context(tenant_b.schema_name):
        result = invitation_send.apply(args=[invitation.pk, invitation.token]).get()
    assert result is False
    assert mailoutbox == []


def test_invitation_send_task_refuses_to_run_without_a_tenant(tenant_a, owner_a):
    from jxc.celery import MissingTenantContext
    from modules.identity.tasks import invitation_send

    with pytest.raises(MissingTenantContext):
        invitation_send.delay(1, "token")
