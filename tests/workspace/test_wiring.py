"""The shell's links to the modules of issue 4: print and numbering settings in the user menu, the follow-ups
due card on the dashboard, the Prices entry in the nav, and the partner page's way to the customer overview."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.identity.services import roles_sync
from modules.partners.services import partner_create
from modules.workspace.navigation import nav_items
from modules.workspace.selectors import user_menu_get
from tests.workspace.conftest import login as _login


def login(client, tenant, user):
    _login(client, tenant, user)
    return client


SETTINGS_URLS = {"/settings/print/", "/settings/numbering/"}


@pytest.fixture
def synced(tenant_a, tenant_b):
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


def _user(tenant, email: str, role: str) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create(username=email, email=email, password=make_password("x"))
        user.groups.add(Group.objects.get(name=role))
        return user


def test_print_and_numbering_settings_are_in_the_owner_and_manager_menu(synced, tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        owner_menu = {link.url: str(link.label) for link in user_menu_get(user=owner_a).links}
        assert set(owner_menu) >= SETTINGS_URLS
        manager = _user(tenant_a, "manager@alpha.test", Role.MANAGER)
        manager_urls = {link.url for link in user_menu_get(user=manager).links}
        assert manager_urls >= SETTINGS_URLS and "/accounts/users/" not in manager_urls
        for role in (Role.PURCHASING, Role.SALES, Role.WAREHOUSE, Role.ACCOUNTANT):
            urls = {link.url for link in user_menu_get(user=_user(tenant_a, f"{role}@alpha.test", role)).links}
            assert not urls & SETTINGS_URLS, role


def test_the_menu_shows_them_in_chinese(synced, client_a, tenant_a, owner_a):
    html = login(client_a, tenant_a, owner_a).get("/").content.decode()
    assert 'href="/settings/print/"' in html and "打印设置" in html
    assert 'href="/settings/numbering/"' in html and "单据编号" in html


def test_the_dashboard_loads_the_follow_ups_due_card(synced, client_a, tenant_a, owner_a):
    client = login(client_a, tenant_a, owner_a)
    html = client.get("/").content.decode()
    assert 'hx-get="/customers/due/card" hx-trigger="load"' in html
    card = client.get("/customers/due/card")
    assert card.status_code == 200 and 'data-card="follow-ups-due"' in card.content.decode()


def test_the_prices_entry_is_in_the_nav_for_every_role(synced, client_a, tenant_a):
    clerk = _user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE)
    with schema_context(tenant_a.schema_name):
        items = {item.key: item for item in nav_items(user=clerk, path="/pricing/")}
    assert items["pricing"].url == "/pricing/" and items["pricing"].active
    keys = list(items)
    assert keys.index("customers") < keys.index("pricing") < keys.index("finance")
    html = login(client_a, tenant_a, clerk).get("/pricing/").content.decode()
    assert 'data-nav="pricing"' in html and ">价格<" in html


def test_a_customer_partner_links_to_its_overview(synced, client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    with schema_context(tenant_a.schema_name):
        customer = partner_create(code="C1", name="华联超市", is_customer=True)
        supplier = partner_create(code="S1", name="可乐厂", is_supplier=True)
    client = login(client_a, tenant_a, owner_a)
    html = client.get(f"/partners/{customer.pk}/").content.decode()
    assert f'href="/customers/{customer.pk}" id="partner-customer-overview"' in html
    assert client.get(f"/customers/{customer.pk}").status_code == 200
    assert 'id="partner-customer-overview"' not in client.get(f"/partners/{supplier.pk}/").content.decode()
    # Another shop has neither the partner nor its overview.
    other = login(client_b, tenant_b, owner_b)
    assert other.get(f"/partners/{customer.pk}/").status_code == 404
    assert other.get(f"/customers/{customer.pk}").status_code == 404
