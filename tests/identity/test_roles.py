import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View
from django_tenants.utils import schema_context

from modules.identity.access import RoleRequiredMixin, role_required, user_role
from modules.identity.roles import Role
from tests.identity.conftest import USERS, login, make_user


def test_user_role_of_each_role(tenant_a):
    assert user_role(AnonymousUser()) == ""
    for role in (Role.MANAGER, Role.PURCHASING, Role.SALES, Role.WAREHOUSE, Role.ACCOUNTANT):
        user = make_user(tenant_a, f"{role}@alpha.test", role)
        with schema_context(tenant_a.schema_name):
            assert user_role(user) == role


def test_owner_role(owner_a, in_tenant_a):
    assert user_role(owner_a) == Role.OWNER


def test_role_required_rejects_unknown_roles():
    with pytest.raises(ValueError):
        role_required("emperor")
    with pytest.raises(ValueError):
        role_required()


@role_required(Role.OWNER, Role.MANAGER)
def _guarded(request):
    return HttpResponse("ok")


class _GuardedView(RoleRequiredMixin, View):
    roles = (Role.ACCOUNTANT,)

    def get(self, request):
        return HttpResponse("ok")


def test_role_required_decorator(in_tenant_a, tenant_a, owner_a):
    factory = RequestFactory()
    request = factory.get("/x/")
    request.user = AnonymousUser()
    response = _guarded(request)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/x/"
    request.user = owner_a
    assert _guarded(request).status_code == 200
    request.user = make_user(tenant_a, "s@alpha.test", Role.SALES)
    from django.core.exceptions import PermissionDenied
    from django.db import connection

    connection.set_tenant(tenant_a)
    with pytest.raises(PermissionDenied):
        _guarded(request)


def test_role_required_mixin(in_tenant_a, tenant_a, owner_a):
    from django.core.exceptions import PermissionDenied
    from django.db import connection

    accountant = make_user(tenant_a, "acc@alpha.test", Role.ACCOUNTANT)
    connection.set_tenant(tenant_a)
    request = RequestFactory().get("/y/")
    request.user = accountant
    assert _GuardedView.as_view()(request).status_code == 200
    request.user = owner_a
    with pytest.raises(PermissionDenied):
        _GuardedView.as_view()(request)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.PURCHASING, Role.SALES, Role.WAREHOUSE, Role.ACCOUNTANT])
def test_only_owners_see_the_users_page(client_a, tenant_a, role):
    user = make_user(tenant_a, f"{role}@alpha.test", role)
    login(client_a, tenant_a, user)
    assert client_a.get(USERS).status_code == 403
    assert client_a.post("/accounts/users/invite/", {"email": "x@alpha.test", "role": Role.SALES}).status_code == 403


def test_sales_user_cannot_change_roles_or_deactivate(client_a, tenant_a, owner_a):
    user = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(client_a, tenant_a, user)
    assert client_a.post(f"/accounts/users/{owner_a.pk}/role/", {"role": Role.SALES}).status_code == 403
    assert client_a.post(f"/accounts/users/{owner_a.pk}/deactivate/").status_code == 403
    from django_tenants.utils import schema_context

    with schema_context(tenant_a.schema_name):
        from django.contrib.auth.models import User

        owner = User.objects.get(pk=owner_a.pk)
        assert owner.is_active is True
        assert user_role(owner) == Role.OWNER


def test_roles_sync_command_restores_every_shops_role_permissions(tenant_a, tenant_b):
    """A release that adds models (bills, payments …) leaves existing shops' groups without their
    permissions until this deploy step gives them back."""
    from io import StringIO

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            Group.objects.get(name="sales").permissions.clear()
    out = StringIO()
    call_command("roles_sync", stdout=out)
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            granted = set(Group.objects.get(name="sales").permissions.values_list("codename", flat=True))
            assert {"add_salesorder", "view_item"} <= granted
    assert "Synced the roles of" in out.getvalue()
