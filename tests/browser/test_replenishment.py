"""Replenishment in a real browser: the suggestions follow the sales window, a line explains itself, the
ticked lines (one unticked, one quantity changed) become draft purchase orders grouped by supplier with one
click (a double click makes them once), and a confirmed order takes its line off the list.

Runs in a shop of its own (provisioned here, deleted at the end) so its committed orders and numbers
cannot disturb the session's alpha and beta shops.
"""

import re
import uuid
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.inventory import services as inventory
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partners.services import partner_create, supplier_item_set
from modules.purchasing.models import PurchaseOrder
from modules.reorder.models import ReplenishmentBatch
from modules.reorder.services import reorder_rule_create
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"rep{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="补货测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        bottle, box = catalog.unit_create(name="瓶"), catalog.unit_create(name="箱")
        cola = catalog.item_create(code="COLA", name="可乐", base_unit=bottle, max_items=None, units=[(box, D("24"))])
        tea = catalog.item_create(code="TEA", name="绿茶", base_unit=bottle, max_items=None)
        milk = catalog.item_create(code="MILK", name="牛奶", base_unit=bottle, max_items=None)
        main = inventory.warehouse_default_ensure()
        s1 = partner_create(code="S1", name="可乐批发", is_supplier=True, lead_time_days=2)
        s2 = partner_create(code="S2", name="饮料批发", is_supplier=True, lead_time_days=1)
        supplier_item_set(
            supplier_id=s1.pk, item_id=cola.pk, last_purchase_price="2.00", purchase_unit_id=cola.units.get().pk
        )
        supplier_item_set(supplier_id=s2.pk, item_id=tea.pk, last_purchase_price="5.00")
        supplier_item_set(supplier_id=s2.pk, item_id=milk.pk, last_purchase_price="3.00")
        now = timezone.now()
        stock_moves_post(
            lines=[MoveLine(cola, main, D("80"), D("2.00"))],
            posted_at=now - timedelta(days=20),
            source_type="opening",
            source_id=1,
        )
        # 70 bottles sold over the counter in the last five days: 10 a day over 7 days, 2.33 over 30.
        for day in range(5):
            stock_moves_post(
                lines=[MoveLine(cola, main, D("-14"), None)],
                posted_at=now - timedelta(days=day, hours=1),
                source_type="retail_sale",
                source_id=100 + day,
            )
        for product in (cola, tea, milk):
            reorder_rule_create(item_id=product.pk, warehouse_id=main.pk, minimum="5", reorder_point="20", maximum="50")
    yield {"tenant": tenant, "email": email, "cola": cola, "tea": tea, "milk": milk, "main": main}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def _row(page, code: str):
    return page.locator(f"#suggestion-table tr[data-line='{code}@MAIN']")


def test_suggestion_to_purchase_order(server, new_page, snap, shop):
    slug, main = shop["tenant"].slug, shop["main"]
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    # 1. From the low-stock page to the suggestions: 30 days of sales, COLA needs 40 → 2 箱.
    page.goto(server.url("/stock/reorder/", slug=slug))
    page.click("#to-suggestions")
    page.wait_for_load_state()
    assert _row(page, "COLA").get_attribute("data-suggested") == "2"
    assert page.locator("#suggestion-table tr[data-line]").count() == 3

    # 2. Over the last 7 days COLA sells 10 a day: target 5 + 10 × (2 + 7) = 95, 85 missing → 4 箱.
    page.select_option("#window", "7")
    page.wait_for_function(
        "document.querySelector(\"#suggestion-table tr[data-line='COLA@MAIN']\").dataset.suggested === '4'"
    )
    assert "window=7" in page.url
    cola_key = _row(page, "COLA").get_attribute("data-key")
    assert page.input_value(f"#qty-{cola_key}") == "4"
    _row(page, "COLA").locator("summary").click()
    why = _row(page, "COLA").locator("ol.reasons").inner_text()
    assert "70" in why
    assert "95" in why and "4 箱" in why
    snap(page, "suggestions")

    # 3. Leave MILK out, order 36 TEA instead of 50, and click once (twice, as an impatient clerk does).
    milk_key = _row(page, "MILK").get_attribute("data-key")
    tea_key = _row(page, "TEA").get_attribute("data-key")
    page.uncheck(f"#pick-{milk_key}")
    page.fill(f"#qty-{tea_key}", "36")
    page.press(f"#qty-{tea_key}", "Enter")  # Enter moves on to the next quantity; it creates nothing
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.name") != f"qty-{tea_key}"
    assert "/suggestions/batches/" not in page.url
    with schema_context(shop["tenant"].schema_name):
        assert PurchaseOrder.objects.count() == 0
    page.dblclick("#create-orders")
    page.wait_for_url(re.compile(r"/stock/reorder/suggestions/batches/\d+$"))
    page.wait_for_load_state()
    rows = page.locator("#created-orders tbody tr")
    assert rows.count() == 2
    snap(page, "created")
    with schema_context(shop["tenant"].schema_name):
        assert ReplenishmentBatch.objects.count() == 1
        drafts = {
            po.supplier.code: [
                (line.item.code, line.unit.name, line.quantity, line.unit_price) for line in po.lines.all()
            ]
            for po in PurchaseOrder.objects.all()
        }
    assert drafts == {"S1": [("COLA", "箱", D("4"), D("48"))], "S2": [("TEA", "瓶", D("36"), D("5"))]}

    # 4. Open COLA's draft from the list and confirm it: it is on its way now.
    page.locator("#created-orders tr", has_text="S1").locator("a").click()
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "draft"
    assert "4 箱" in page.locator("#order-lines").inner_text()
    page.click("#action-confirm")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "confirmed"

    # 5. Back on the suggestions: COLA is covered (10 + 96 on order); TEA's draft shows but is not counted.
    page.goto(server.url(f"/stock/reorder/suggestions/?window=7&warehouse={main.pk}", slug=slug))
    assert _row(page, "COLA").count() == 0
    assert _row(page, "TEA").locator("[data-on-draft]").get_attribute("data-on-draft") == "36"
    assert _row(page, "MILK").count() == 1
    snap(page, "after-confirm")
