"""A purchase from order to payment, in a real browser: a purchase order scanned in, confirmed, received,
billed from its receipt, and paid; the order's status at a glance follows each step.

Runs in a shop of its own (provisioned here, deleted at the end) so its committed documents, numbers
and moves cannot disturb the session's alpha and beta shops.
"""

import uuid
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.inventory import services as inventory
from modules.partnerledger.selectors import partner_balance
from modules.partners import services as partners
from modules.purchasing.models import PurchaseBill, PurchasePayment
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"pur{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="采购测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        bottle = catalog.unit_create(name="瓶")
        case = catalog.unit_create(name="箱")
        catalog.item_create(
            code="COLA330", name="可口可乐 330ml", base_unit=bottle, max_items=None, units=[(case, D("24"))]
        )
        inventory.warehouse_default_ensure()
        supplier = partners.partner_create(code="S01", name="饮料批发", is_supplier=True)
    yield {"tenant": tenant, "email": email, "supplier": supplier}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def _choose(page, selector: str, label_part: str) -> None:
    value = page.eval_on_selector(
        selector,
        "(el, part) => [...el.options].find(o => o.textContent.includes(part)).value",
        label_part,
    )
    page.select_option(selector, value)


def _glance(page) -> tuple[str, str, str]:
    table = page.locator("#order-glance")
    return (
        table.get_attribute("data-stage"),
        page.locator("#glance-billed").inner_text(),
        page.locator("#glance-paid").inner_text(),
    )


def test_order_confirm_receive_bill_pay(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    # 1. The order: 2 箱 of cola at 48.00 (with VAT), the item scanned in by its code.
    page.goto(server.url("/purchasing/new", slug=slug))
    _choose(page, "#id_supplier", "饮料批发")
    search = page.locator("#id_lines-0-search")
    search.fill("COLA330")
    search.press("Enter")
    page.wait_for_function("document.querySelector('#id_lines-0-item').value !== ''")
    _choose(page, "#id_lines-0-unit", "箱")
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-unit_price", "48")
    page.click("#save-order")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "draft"
    assert page.locator("#order-total").inner_text() == "96.00"

    # 2. Confirm, then receive all of it.
    page.click("#action-confirm")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "confirmed"
    assert _glance(page) == ("ordered", "0.00", "0.00")
    page.locator("input[name$='-quantity']").first.fill("2")
    page.click("#action-receive")
    page.wait_for_load_state()
    assert page.locator("#order").get_attribute("data-status") == "received"
    assert _glance(page)[0] == "received"
    snap(page, "received")

    # 3. Bill the receipt at the order's price (prefilled): 96.00.
    page.click("#order-receipts a[data-action=bill]")
    page.wait_for_load_state()
    page.fill("#id_invoice_number", "No.0001")
    page.click("#save-bill")
    page.wait_for_load_state()
    assert page.locator("#bill-total").inner_text() == "96.00"
    assert page.locator("#bill-differences").count() == 0
    snap(page, "billed")

    # 4. Pay it in full by bank transfer, from the bill's Pay button.
    page.click("#action-pay")
    page.wait_for_load_state()
    assert page.locator("#open-bills tr[data-bill]").count() == 1
    _choose(page, "#id_method", "银行转账")
    page.fill("#id_account", "6222 0000 1111")
    page.click("#save-payment")
    page.wait_for_load_state()
    assert page.locator("#payment-amount").inner_text() == "96.00"
    snap(page, "paid")

    # 5. The order at a glance: billed and paid.
    page.goto(server.url("/purchasing/", slug=slug))
    assert page.locator("#orders .glance").first.get_attribute("data-stage") == "paid"
    page.locator("#orders a").first.click()
    page.wait_for_load_state()
    assert _glance(page) == ("paid", "96.00", "96.00")
    with schema_context(shop["tenant"].schema_name):
        assert PurchaseBill.objects.get().paid_amount == D("96.00")
        assert PurchasePayment.objects.get().method == "bank"
        assert partner_balance(partner_id=shop["supplier"].pk, kind="payable") == 0
