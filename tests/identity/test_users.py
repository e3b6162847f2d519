"""The users page and the services behind it: invite, change role, deactivate, reactivate."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Plan
from jxc.kernel.errors import AppError
from jxc.kernel.errors import PermissionDenied as AppPermissionDenied
from modules.identity import services
from modules.identity.access import user_role
from modules.identity.enums import IdentityErrorCode as Code
from modules.identity.models import Invitation
from modules.identity.roles import Role
from tenants.models import Tenant
from tests.identity.conftest import USERS, make_user


def _set_limit(tenant, max_users):
    plan = Plan.objects.create(code=f"t{max_users}", name_zh_hans="测", name_en="T", max_users=max_users)
    Tenant.objects.filter(pk=tenant.pk).update(plan=plan)


def _invitations(tenant, **filters):
    with schema_context(tenant.schema_name):
        return list(Invitation.objects.filter(**filters).values_list("email", "role"))


# --- page ---------------------------------------------------------------------


def test_users_page_lists_users_with_role_status_and_last_login(owner_client_a, tenant_a):
    make_user(tenant_a, "gone@alpha.test", Role.WAREHOUSE, active=False)
    response = owner_client_a.get(USERS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-user="owner@alpha.test"' in html
    assert 'data-user="gone@alpha.test"' in html
    assert "Deactivated" in html
    assert "Never" in html
    assert 'name="email"' in html and 'name="role"' in html
    assert "owner@beta.test" not in html


# --- invite -------------------------------------------------------------------


def test_invite_by_page_sends_an_email_with_a_link_on_the_shop_host(
    owner_client_a, tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client_a.post("/accounts/users/invite/", {"email": "New@Alpha.test", "role": Role.SALES})
    assert response.status_code == 302
    assert response["Location"] == USERS
    assert _invitations(tenant_a) == [("new@alpha.test", Role.SALES)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@alpha.test"]
    assert "Alpha 商店" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/invitations/" in line).strip()
    assert link.startswith("http://alpha.localhost/accounts/invitations/")
    token = link.rsplit("/", 2)[1]
    with schema_context(tenant_a.schema_name):
        invitation = Invitation.objects.get()
        assert invitation.token_hash == services.token_hash(token)
        assert token not in invitation.token_hash
    page = owner_client_a.get(USERS).content.decode()
    assert 'data-invitation="new@alpha.test"' in page


def test_invite_email_is_not_sent_when_the_transaction_rolls_back(
    tenant_a, owner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, schema_context(tenant_a.schema_name):
        services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invite_with_a_bad_email_or_role_is_refused(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post("/accounts/users/invite/", {"email": "not-an-email", "role": Role.SALES})
    assert response.status_code == 400
    response = owner_client_a.post("/accounts/users/invite/", {"email": "a@alpha.test", "role": "emperor"})
    assert response.status_code == 400
    with schema_context(tenant_a.schema_name):
        with pytest.raises(AppError) as exc:
            services.user_invite(email="nope", role=Role.SALES, invited_by=owner_a)
        assert (exc.value.code, exc.value.field) == (Code.EMAIL_INVALID, "email")
        with pytest.raises(AppError) as exc:
            services.user_invite(email="a@alpha.test", role="emperor", invited_by=owner_a)
        assert (exc.value.code, exc.value.field) == (Code.ROLE_INVALID, "role")
    assert _invitations(tenant_a) == []


def test_invite_an_existing_user_is_refused(owner_client_a, tenant_a):
    response = owner_client_a.post(
        "/accounts/users/invite/", {"email": "owner@alpha.test", "role": Role.SALES}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "owner@alpha.test already has an account in this shop." in response.content.decode()
    assert _invitations(tenant_a) == []


def test_inviting_again_replaces_the_pending_invitation(tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        first = services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
        second = services.user_invite(email="x@alpha.test", role=Role.WAREHOUSE, invited_by=owner_a)
        first.refresh_from_db()
        assert first.revoked_at is not None
        assert second.is_pending
        with pytest.raises(AppError) as exc:
            services.invitation_get_pending(token=first.token)
        assert exc.value.code == Code.INVITATION_INVALID


def test_non_owner_cannot_invite_by_service(tenant_a):
    manager = make_user(tenant_a, "m@alpha.test", Role.MANAGER)
    with schema_context(tenant_a.schema_name), pytest.raises(AppPermissionDenied):
        services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=manager)
    assert _invitations(tenant_a) == []


def test_plan_user_limit_counts_active_users_and_pending_invitations(owner_client_a, tenant_a, owner_a):
    _set_limit(tenant_a, 3)
    make_user(tenant_a, "gone@alpha.test", Role.SALES, active=False)  # inactive users do not count
    with schema_context(tenant_a.schema_name):
        services.user_invite(email="one@alpha.test", role=Role.SALES, invited_by=owner_a)
        services.user_invite(email="two@alpha.test", role=Role.SALES, invited_by=owner_a)
    response = owner_client_a.post(
        "/accounts/users/invite/", {"email": "three@alpha.test", "role": Role.SALES}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Your plan allows 3 users" in response.content.decode()
    assert sorted(e for e, _r in _invitations(tenant_a)) == ["one@alpha.test", "two@alpha.test"]
    with schema_context(tenant_a.schema_name):
        # Re-inviting a pending address does not need another seat.
        services.user_invite(email="two@alpha.test", role=Role.WAREHOUSE, invited_by=owner_a)
        # An expired invitation frees its seat.
        Invitation.objects.filter(email="one@alpha.test").update(expires_at=timezone.now() - timedelta(seconds=1))
        services.user_invite(email="three@alpha.test", role=Role.SALES, invited_by=owner_a)


def test_no_limit_when_the_plan_has_none(tenant_a, owner_a):
    _set_limit(tenant_a, None)
    with schema_context(tenant_a.schema_name):
        for n in range(5):
            services.user_invite(email=f"u{n}@alpha.test", role=Role.SALES, invited_by=owner_a)
    assert len(_invitations(tenant_a)) == 5


def test_revoke_an_invitation(owner_client_a, tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        invitation = services.user_invite(email="x@alpha.test", role=Role.SALES, invited_by=owner_a)
    response = owner_client_a.post(f"/accounts/users/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
    response = owner_client_a.post(
        f"/accounts/users/invitations/{invitation.pk}/revoke/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "This invitation was already accepted or cancelled." in response.content.decode()


# --- change role --------------------------------------------------------------


def test_owner_changes_a_users_role(owner_client_a, tenant_a):
    user = make_user(tenant_a, "s@alpha.test", Role.SALES)
    response = owner_client_a.post(f"/accounts/users/{user.pk}/role/", {"role": Role.WAREHOUSE})
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        fresh = User.objects.get(pk=user.pk)
        assert user_role(fresh) == Role.WAREHOUSE
        assert list(fresh.groups.values_list("name", flat=True)) == [Role.WAREHOUSE]


def test_role_change_by_htmx_returns_the_row(owner_client_a, tenant_a):
    user = make_user(tenant_a, "s@alpha.test", Role.SALES)
    response = owner_client_a.post(
        f"/accounts/users/{user.pk}/role/", {"role": Role.ACCOUNTANT}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="user-{user.pk}"')
    assert f'<option value="{Role.ACCOUNTANT}" selected>' in html


def test_role_change_to_an_unknown_role_is_refused(owner_client_a, tenant_a):
    user = make_user(tenant_a, "s@alpha.test", Role.SALES)
    owner_client_a.post(f"/accounts/users/{user.pk}/role/", {"role": "emperor"})
    with schema_context(tenant_a.schema_name):
        assert user_role(User.objects.get(pk=user.pk)) == Role.SALES


def test_the_last_owner_cannot_be_demoted(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post(
        f"/accounts/users/{owner_a.pk}/role/", {"role": Role.SALES}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The shop must keep at least one active owner." in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert user_role(User.objects.get(pk=owner_a.pk)) == Role.OWNER


def test_an_owner_can_be_demoted_when_another_owner_remains(tenant_a, owner_a):
    second = make_user(tenant_a, "o2@alpha.test", Role.OWNER)
    with schema_context(tenant_a.schema_name):
        services.user_set_role(user=second, role=Role.MANAGER, acting_user=owner_a)
        assert user_role(User.objects.get(pk=second.pk)) == Role.MANAGER


# --- deactivate / reactivate --------------------------------------------------


def test_owner_deactivates_and_reactivates_a_user(owner_client_a, tenant_a):
    user = make_user(tenant_a, "s@alpha.test", Role.SALES)
    response = owner_client_a.post(f"/accounts/users/{user.pk}/deactivate/")
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=user.pk).is_active is False
    response = owner_client_a.post(f"/accounts/users/{user.pk}/reactivate/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="deactivate"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=user.pk).is_active is True


def test_owner_cannot_deactivate_themself(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post(f"/accounts/users/{owner_a.pk}/deactivate/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "You cannot deactivate yourself." in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=owner_a.pk).is_active is True


def test_the_last_active_owner_cannot_be_deactivated(tenant_a, owner_a):
    other_owner = make_user(tenant_a, "o2@alpha.test", Role.OWNER)
    with schema_context(tenant_a.schema_name):
        services.user_deactivate(user=other_owner, acting_user=owner_a)
        # Now owner_a is the only active owner; a (re)activated other owner is needed to remove them.
        with pytest.raises(AppError) as exc:
            services.user_deactivate(user=owner_a, acting_user=owner_a)
        assert exc.value.code == Code.CANNOT_DEACTIVATE_SELF
        assert User.objects.get(pk=owner_a.pk).is_active is True


def test_last_owner_rule_in_the_service(tenant_a, owner_a):
    second = make_user(tenant_a, "o2@alpha.test", Role.OWNER)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=owner_a.pk).update(is_active=False)
        # An inactive acting owner may not act at all.
        with pytest.raises(AppPermissionDenied):
            services.user_deactivate(user=second, acting_user=User.objects.get(pk=owner_a.pk))
        User.objects.filter(pk=owner_a.pk).update(is_active=True)
        User.objects.filter(pk=second.pk).update(is_active=True)
        services.user_deactivate(user=owner_a, acting_user=second)
        with pytest.raises(AppError) as exc:
            services.user_set_role(user=second, role=Role.SALES, acting_user=second)
        assert exc.value.code == Code.LAST_OWNER


def test_reactivation_respects_the_user_limit(tenant_a, owner_a):
    _set_limit(tenant_a, 2)
    gone = make_user(tenant_a, "gone@alpha.test", Role.SALES, active=False)
    make_user(tenant_a, "here@alpha.test", Role.SALES)
    with schema_context(tenant_a.schema_name):
        with pytest.raises(AppError) as exc:
            services.user_reactivate(user=gone, acting_user=owner_a)
        assert exc.value.code == Code.USER_LIMIT_REACHED
        assert User.objects.get(pk=gone.pk).is_active is False
