"""A merchant's first day with stock, in a real browser: create an item, receive it, transfer part of it
to a shelf in the back warehouse, count that warehouse, and see the stock by location.

Runs in a shop of its own (provisioned here, deleted at the end) so its committed documents, numbers
and moves cannot disturb the session's alpha and beta shops.
"""

import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.domain import ean_check_digit
from modules.inventory import services as inventory
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"stk{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="库存测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        catalog.unit_create(name="瓶")
        main = inventory.warehouse_default_ensure()
        back = inventory.warehouse_create(code="WH2", name="后仓", max_warehouses=None)
        zone = inventory.location_create(warehouse=back, code="R")
        shelf = inventory.location_create(warehouse=back, code="R-1", parent=zone)
    yield {"tenant": tenant, "email": email, "main": main, "back": back, "shelf": shelf}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def _choose(page, selector: str, label_part: str) -> None:
    value = page.eval_on_selector(
        selector,
        "(el, part) => [...el.options].find(o => o.textContent.includes(part)).value",
        label_part,
    )
    page.select_option(selector, value)


def _pick_item(page, line: int, code: str) -> None:
    search = page.locator(f"#id_lines-{line}-search")
    search.fill(code)
    search.press("Enter")  # a scanner ends with Enter: an exact code fills the line
    page.wait_for_function(f"document.querySelector('#id_lines-{line}-item').value !== ''")


def _confirm_and_post(page) -> None:
    page.click("#action-confirm")
    page.wait_for_load_state()
    page.click("#action-post")
    page.wait_for_load_state()
    assert page.locator("#document").get_attribute("data-status") == "posted"


def test_item_receive_transfer_count_then_stock_by_location(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    barcode = "694" + f"{uuid.uuid4().int % 10**9:09d}"
    barcode += str(ean_check_digit(barcode))
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    # 1. The item, with its barcode.
    page.goto(server.url("/catalog/items/new", slug=slug))
    page.fill("#id_code", "COLA330")
    page.fill("#id_name", "可口可乐 330ml")
    _choose(page, "#id_base_unit", "瓶")
    page.fill("#id_barcodes", barcode)
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state()
    assert "COLA330" in page.content()

    # 2. Receive 24 at 2.50 into the main warehouse (其它入库).
    page.goto(server.url("/stock/documents/new/stock_in", slug=slug))
    _choose(page, "#id_warehouse", shop["main"].code)
    _pick_item(page, 0, "COLA330")
    page.fill("#id_lines-0-quantity", "24")
    page.fill("#id_lines-0-unit_cost", "2.50")
    page.click("#save-document")
    page.wait_for_load_state()
    _confirm_and_post(page)
    snap(page, "receipt-posted")

    # 3. Transfer 10 to the back warehouse's shelf R-1 (调拨).
    page.goto(server.url("/stock/documents/new/transfer", slug=slug))
    _choose(page, "#id_warehouse", shop["main"].code)
    _choose(page, "#id_target_warehouse", "WH2")
    _pick_item(page, 0, barcode)  # scanning the barcode finds the item too
    page.fill("#id_lines-0-quantity", "10")
    _choose(page, "#id_lines-0-target_location", "R-1")
    page.click("#save-document")
    page.wait_for_load_state()
    _confirm_and_post(page)

    # 4. Count the back warehouse: one bottle is missing (盘点).
    page.goto(server.url("/stock/counts/new", slug=slug))
    _choose(page, "#id_warehouse", "WH2")
    page.click("#count-create")
    page.wait_for_load_state()
    row = page.locator("tr[data-item]").first
    assert row.get_attribute("data-expected") in ("10", "10.000000")
    page.fill("#scan-barcode", barcode)
    page.press("#scan-barcode", "Enter")
    page.wait_for_function("document.querySelector('tr[data-item]').dataset.counted !== ''")
    counted = row.locator("input[name=counted]")
    counted.fill("9")
    counted.press("Enter")
    page.wait_for_function("['-1', '-1.000000'].includes(document.querySelector('tr[data-item]').dataset.difference)")
    snap(page, "count-entered")
    page.click("#count-post")
    page.wait_for_load_state()
    assert page.locator("[data-count-status]").first.get_attribute("data-count-status") == "posted"

    # 5. Stock by location: 14 in the main warehouse, 9 on shelf R-1 of the back warehouse.
    page.goto(server.url(f"/stock/on-hand?warehouse={shop['back'].pk}", slug=slug))
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "R-1" in rows.first.inner_text() and "9" in rows.first.inner_text()
    page.goto(server.url(f"/stock/on-hand?location={shop['shelf'].pk}", slug=slug))
    assert "COLA330" in page.locator("table tbody").inner_text()
    page.goto(server.url("/stock/on-hand", slug=slug))
    text = page.locator("table tbody").inner_text()
    assert "14" in text and "9" in text
    snap(page, "on-hand")
