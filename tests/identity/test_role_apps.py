"""The pricing and customers apps in the roles: who holds which of their permissions, the checks that read
them, and the data migration that gives them to the role groups of shops made before."""

from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.db import connection

from modules.crm.enums import VIEW_PERMISSION, WRITE_PERMISSION
from modules.identity.grants import app_permissions_grant
from modules.identity.roles import BUSINESS_APPS, Role
from modules.identity.services import roles_sync
from modules.pricing.enums import MANAGE_PERMISSION
from modules.pricing.selectors import pricing_manager

PRICE_VIEW = "pricing.view_pricelist"


def _user(role: str) -> User:
    user = User.objects.create(username=f"r-{role}@alpha.test", email=f"r-{role}@alpha.test", password="!")
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def test_the_apps_are_business_apps():
    assert {"pricing", "crm"} <= BUSINESS_APPS


@pytest.mark.parametrize(
    ("role", "manage_prices", "view_prices", "view_customers", "write_customers"),
    [
        (Role.OWNER, True, True, True, True),
        (Role.MANAGER, True, True, True, True),
        (Role.PURCHASING, False, True, True, True),
        (Role.SALES, False, True, True, True),
        (Role.WAREHOUSE, False, True, True, False),
        (Role.ACCOUNTANT, False, True, True, False),
    ],
)
def test_who_holds_what(in_tenant_a, role, manage_prices, view_prices, view_customers, write_customers):
    roles_sync()
    user = _user(role)
    assert user.has_perm(MANAGE_PERMISSION) is manage_prices
    assert pricing_manager(user) is manage_prices
    assert user.has_perm(PRICE_VIEW) is view_prices
    assert user.has_perm(VIEW_PERMISSION) is view_customers
    assert user.has_perm(WRITE_PERMISSION) is write_customers


def test_the_migration_grants_them_to_a_shop_made_before(in_tenant_a):
    roles_sync()
    before = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    # A shop from before: its groups lack the apps' permissions.
    for group in Group.objects.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label__in=["pricing", "crm"]))
    assert not _user(Role.SALES).has_perm(WRITE_PERMISSION)
    schema_editor = SimpleNamespace(connection=connection)
    app_permissions_grant("pricing")(django_apps, schema_editor)
    app_permissions_grant("crm")(django_apps, schema_editor)
    after = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    assert after == before
    assert Group.objects.get(name=Role.MANAGER).permissions.filter(codename="change_pricelist").exists()


def test_a_new_schema_without_groups_is_left_to_roles_sync(in_tenant_a):
    Group.objects.all().delete()
    app_permissions_grant("pricing")(django_apps, SimpleNamespace(connection=connection))
    assert not Group.objects.exists()
