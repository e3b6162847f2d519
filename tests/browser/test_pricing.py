"""Prices in a real browser: add a wholesale list, price an item on it found by its code (Enter, as a scanner
types), check the price a wholesale customer's line gets and why, then raise a category's prices after a
preview. Runs in a shop of its own (provisioned here, deleted at the end)."""

import uuid
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.models import Item
from modules.inventory import services as inventory
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing.models import PriceListItem
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"price{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="价格测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        drinks = catalog.category_create(name="饮料")
        bottle, case = catalog.unit_create(name="瓶"), catalog.unit_create(name="箱")
        item = catalog.item_create(
            code="COLA330", name="可口可乐 330ml", base_unit=bottle, max_items=None, category=drinks,
            sale_price=D("3.50"), units=[(case, D(24))],
        )  # fmt: skip
        stock_moves_post(
            lines=[MoveLine(item, inventory.warehouse_default_ensure(), D("30"), D("2.00"))],
            posted_at=timezone.now(),
            source_type="opening",
            source_id=1,
        )
        customer = partner_create(code="K1", name="批发王", is_customer=True, price_tier=PriceTier.WHOLESALE)
    yield {"tenant": tenant, "email": email, "item": item, "customer": customer, "drinks": drinks}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def test_price_a_list_check_a_line_and_raise_a_category(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    page.goto(server.url("/pricing/", slug=slug))
    page.select_option("#list-form select[name=tier]", "wholesale")
    page.fill("#list-form input[name=name]", "批发价")
    page.click("#list-form button[type=submit]")
    page.wait_for_url("**/pricing/lists/*/")

    page.fill("#id_item-search", "COLA330")
    page.press("#id_item-search", "Enter")  # the first match is picked, the form is not sent
    page.wait_for_function("document.querySelector('#id_item').value !== ''")
    page.fill("#id_min_quantity", "24")
    page.fill("#id_price", "3.00")
    page.press("#id_price", "Enter")
    page.wait_for_selector('tr[data-entry="COLA330/瓶/24"]')
    with schema_context(shop["tenant"].schema_name):
        entry = PriceListItem.objects.get()
    assert (entry.item_id, entry.min_quantity, entry.price) == (shop["item"].pk, D(24), D("3.00"))

    # The price check answers with the line fragment: 2 cases for the wholesale customer reach the break.
    page.goto(server.url("/pricing/", slug=slug))
    page.fill("#check-item-search", "COLA330")
    page.press("#check-item-search", "Enter")
    page.select_option("#check-customer", str(shop["customer"].pk))
    page.select_option("#check-unit", label="箱")
    page.fill("#check-quantity", "2")
    page.wait_for_function(
        "(() => { const el = document.querySelector('#price-check-result [data-price-line]');"
        " return el !== null && el.dataset.quantity === '2'; })()"
    )
    result = page.locator("#price-check-result")
    assert result.locator("[data-price-line]").get_attribute("data-unit-price") == "72.00"
    assert "批发价 ≥ 24 瓶" in result.inner_text()
    assert result.locator("[data-warning=beyond_stock]").count() == 1  # 48 bottles, 30 in stock
    snap(page, "price-check")

    page.goto(server.url("/pricing/bulk-change", slug=slug))
    page.select_option("#id_category", str(shop["drinks"].pk))
    page.fill("#id_percent", "10")
    page.click("button[data-action=preview]")
    page.wait_for_selector('tr[data-bulk-row="COLA330"] [data-new-price="3.85"]')
    with schema_context(shop["tenant"].schema_name):
        assert Item.objects.get().sale_price == D("3.50")  # a preview changes nothing
    snap(page, "bulk-preview")
    page.click("button[data-action=apply]")
    page.wait_for_url("**/pricing/bulk-change")
    with schema_context(shop["tenant"].schema_name):
        assert Item.objects.get().sale_price == D("3.85")
