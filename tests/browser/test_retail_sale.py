"""A retail sale at the counter, in a real browser: scan a barcode twice (one line, quantity 2), pay cash,
see the change as the amount tendered is typed, then the receipt; and refund the sale from it.

Runs in a shop of its own (provisioned here, deleted at the end) so its committed sale, number and
moves cannot disturb the session's alpha and beta shops.
"""

import uuid
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.domain import ean_check_digit
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance
from modules.inventory.services import MoveLine, stock_moves_post
from modules.sales.models import RetailSale
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"pos{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="零售测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    barcode = "694" + f"{uuid.uuid4().int % 10**9:09d}"
    barcode += str(ean_check_digit(barcode))
    with schema_context(tenant.schema_name):
        bottle = catalog.unit_create(name="瓶")
        item = catalog.item_create(
            code="COLA330", name="可口可乐 330ml", base_unit=bottle, max_items=None, barcodes=[barcode],
            sale_price=D("3.50"),
        )  # fmt: skip
        main = inventory.warehouse_default_ensure()
        stock_moves_post(
            lines=[MoveLine(item, main, D("10"), D("2.00"))],
            posted_at=timezone.now(),
            source_type="opening",
            source_id=1,
        )
    yield {"tenant": tenant, "email": email, "barcode": barcode, "item": item}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def _scan(page, code: str, quantity: str) -> None:
    page.fill("#scan-barcode", code)
    page.press("#scan-barcode", "Enter")  # a scanner ends with Enter
    page.wait_for_function(
        f"(() => {{ const row = document.querySelector('#cart-lines tr[data-item]');"
        f" return row !== null && row.dataset.quantity === '{quantity}'; }})()"
    )


def test_scan_pay_cash_and_print_the_receipt(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    page.goto(server.url("/sales/retail/new", slug=slug))
    assert page.evaluate("document.activeElement.id") == "scan-barcode"
    _scan(page, shop["barcode"], "1")
    _scan(page, shop["barcode"], "2")  # the same item again: its line counts up
    assert page.locator("#cart-lines tr[data-item]").count() == 1
    assert page.locator("#sale-total").get_attribute("data-total") == "7.00"
    # The scan box keeps the focus, ready for the next item.
    assert page.evaluate("document.activeElement.id") == "scan-barcode"

    page.click("label[for=pay-cash]")
    page.fill("#tendered", "5")
    assert page.locator("#change").get_attribute("data-change") == ""  # not enough yet
    page.fill("#tendered", "10")
    assert page.locator("#change").get_attribute("data-change") == "3.00"
    snap(page, "counter")
    page.click("#pay")
    page.wait_for_load_state()

    receipt = page.locator("#receipt")
    assert receipt.get_attribute("data-number").startswith("LS")
    assert page.locator("#receipt-total").inner_text() == "7.00"
    assert page.locator("#receipt-change").inner_text() == "3.00"
    assert page.locator("#receipt-shop").inner_text() == "零售测试店"
    assert "现金" in page.locator("#receipt-method").inner_text()
    snap(page, "receipt")
    with schema_context(shop["tenant"].schema_name):
        sale = RetailSale.objects.get()
        assert (sale.total, sale.tendered, sale.change) == (D("7.00"), D("10.00"), D("3.00"))
        assert StockBalance.objects.get(item=shop["item"]).on_hand == D("8")

    # The customer brings it all back: refund the whole sale (红冲), after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#action-refund")
    page.wait_for_load_state()
    assert page.locator("#receipt").get_attribute("data-reverses") == sale.number
    assert page.locator("#receipt-total").inner_text() == "-7.00"
    with schema_context(shop["tenant"].schema_name):
        assert StockBalance.objects.get(item=shop["item"]).on_hand == D("10")
