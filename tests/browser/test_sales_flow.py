"""A sale from order to money in a real browser: enter a sales order by scanning, confirm it (stock is
reserved), deliver it, invoice it, and receive the payment; the order list then shows it delivered,
invoiced and paid.

Runs in a shop of its own (provisioned here, deleted at the end) so its committed documents, numbers
and moves cannot disturb the session's alpha and beta shops.
"""

import uuid
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance
from modules.partnerledger.selectors import partner_balance
from modules.partners import services as partners
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"sal{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="销售测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        bottle = catalog.unit_create(name="瓶")
        case = catalog.unit_create(name="箱")
        item = catalog.item_create(
            code="COLA330", name="可口可乐 330ml", base_unit=bottle, max_items=None, barcodes=["6901234567892"],
            units=[(case, D("24"))], sale_price=D("3.50"),
        )  # fmt: skip
        main = inventory.warehouse_default_ensure()
        inventory.stock_moves_post(
            lines=[inventory.MoveLine(item, main, D("100"), D("2.00"))], posted_at=timezone.now(),
            source_type="opening", source_id=1,
        )  # fmt: skip
        customer = partners.partner_create(code="K001", name="华联超市", is_customer=True)
    yield {"tenant": tenant, "email": email, "item": item, "main": main, "customer": customer, "case": case}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def _choose(page, selector: str, label_part: str) -> None:
    value = page.eval_on_selector(
        selector, "(el, part) => [...el.options].find(o => o.textContent.includes(part)).value", label_part
    )
    page.select_option(selector, value)


def test_order_confirm_deliver_invoice_receipt(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    # 1. The order: scan the cola's barcode, 2 cases at 80.00 a case.
    page.goto(server.url("/sales/orders/new", slug=slug))
    _choose(page, "#id_customer", "华联超市")
    search = page.locator("#id_lines-0-search")
    search.fill("6901234567892")
    search.press("Enter")  # a scanner ends with Enter: an exact barcode fills the line
    page.wait_for_function("document.querySelector('#id_lines-0-item').value !== ''")
    page.fill("#id_lines-0-quantity", "2")
    page.select_option("#id_lines-0-unit", str(shop["case"].pk))
    # Beside the line: the quoted price per case (no price list: the item's 3.50 × 24) and why, the cost.
    page.wait_for_function(
        "(document.querySelector('#pricing-0 [data-price]') || {}).textContent === '84.00'", timeout=10_000
    )
    pricing = page.locator("#pricing-0").inner_text()
    assert "商品售价" in pricing and "48.00" in pricing  # the cost per case: 2.00 × 24
    page.fill("#id_lines-0-unit_price", "80")
    page.click("#save-order")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "draft"
    number = page.locator("#order").get_attribute("data-number")
    assert number.startswith("XS")

    # 2. Confirm: 48 bottles are reserved.
    page.click("#action-confirm")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "confirmed"
    with schema_context(shop["tenant"].schema_name):
        holder = StockBalance.objects.get(item=shop["item"], warehouse=shop["main"], location=None, lot=None)
        assert holder.reserved == D("48")
    snap(page, "order-confirmed")

    # 3. Deliver it all.
    page.locator("#deliver-form input[id^=deliver-]").first.fill("2")
    page.click("#action-deliver")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "delivered"
    assert page.locator("#order-glance [data-delivered]").get_attribute("data-delivered") == "full"

    # 4. Invoice what was delivered (the form offers all of it).
    page.click("#action-invoice")
    page.wait_for_load_state()
    assert "160.00" in page.locator("#invoice-total").inner_text()
    assert "/print/sales_invoice/" in page.locator("#action-print").get_attribute("href")
    snap(page, "invoice")

    # 5. Receive the payment from the invoice page: the open amount is filled in.
    page.click("#action-receive")
    page.wait_for_load_state()
    page.fill("#id_amount", "160")
    page.select_option("#id_method", "wechat")
    page.click("#save-receipt")
    page.wait_for_load_state()
    assert page.locator("#receipt").get_attribute("data-number").startswith("SK")

    # 6. The order list: delivered, invoiced, paid.
    page.goto(server.url("/sales/orders/", slug=slug))
    glance = page.locator(f"tr[data-order='{number}'] .glance")
    assert (glance.get_attribute("data-delivered"), glance.get_attribute("data-invoiced"),
            glance.get_attribute("data-received")) == ("full", "full", "full")  # fmt: skip
    snap(page, "order-list")
    with schema_context(shop["tenant"].schema_name):
        assert partner_balance(partner_id=shop["customer"].pk, kind="receivable") == D("0.00")
        assert StockBalance.objects.get(
            item=shop["item"], warehouse=shop["main"], location=None, lot=None
        ).on_hand == D("52")
