"""The pages of bills (from a receipt), payments (over a supplier's open bills), returns (from a receipt),
reversal buttons, changing a draft order and the prices-include-VAT setting; roles and another shop."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.purchasing import services
from modules.purchasing.models import PurchaseBill, PurchasePayment, PurchaseReceipt, PurchaseReturn
from modules.purchasing.services import today_in
from tests.purchasing.conftest import (
    TZ,
    billed,
    login,
    make_user,
    on_hand,
    order_create,
    payable,
    purchasing_state,
    received,
    shop_create,
)

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


def in_a(tenant_a, call):
    with schema_context(tenant_a.schema_name):
        return call()


@pytest.fixture
def buyer(client_a, tenant_a):
    return login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))


def test_bill_a_receipt_with_a_price_difference(tenant_a, shop_a, buyer):
    receipt = in_a(tenant_a, lambda: received(shop_a))
    cola, milk = in_a(tenant_a, lambda: list(receipt.lines.order_by("id").values_list("pk", flat=True)))
    form = buyer.get(f"/purchasing/receipts/{receipt.pk}/bill").content.decode()
    # Prefilled with what is not yet billed.
    assert f'name="bill-{cola}-quantity" id="bill-{cola}-quantity" value="2"' in form
    data = {"date": today_in(TZ).isoformat(), f"bill-{cola}-quantity": "3", f"bill-{milk}-quantity": "10"}
    before = in_a(tenant_a, purchasing_state)
    refused = buyer.post(f"/purchasing/receipts/{receipt.pk}/bill", data)
    assert refused.status_code == 400 and "未开票的只有 2" in refused.content.decode()
    assert in_a(tenant_a, purchasing_state) == before
    saved = buyer.post(
        f"/purchasing/receipts/{receipt.pk}/bill",
        {**data, f"bill-{cola}-quantity": "2", f"bill-{milk}-unit_price": "6"},
    )
    bill = in_a(tenant_a, PurchaseBill.objects.get)
    assert saved.status_code == 302 and saved["Location"] == f"/purchasing/bills/{bill.pk}"
    page = buyer.get(saved["Location"]).content.decode()
    assert 'id="bill-differences"' in page and 'data-flag="price"' in page and bill.total_gross == D("156.00")
    assert bill.number in buyer.get("/purchasing/bills/?open=1").content.decode()


def test_pay_open_bills_of_a_supplier(tenant_a, shop_a, buyer):
    first, second = in_a(tenant_a, lambda: (billed(shop_a), billed(shop_a)))
    form = buyer.get("/purchasing/payments/new", {"supplier": shop_a.supplier.pk, "bill": first.pk}).content.decode()
    assert first.number in form and second.number in form and 'value="152.50"' in form
    assert "应付 供应商 共 305.00" in form
    data = {"supplier": shop_a.supplier.pk, "date": today_in(TZ).isoformat(), "method": "wechat", "account": "wx-1"}
    before = in_a(tenant_a, purchasing_state)
    over = buyer.post("/purchasing/payments/new", {**data, f"pay-{first.pk}": "200"})
    assert over.status_code == 400 and "未付金额只有 152.50" in over.content.decode()
    assert in_a(tenant_a, purchasing_state) == before
    done = buyer.post("/purchasing/payments/new", {**data, f"pay-{first.pk}": "152.50", f"pay-{second.pk}": "2.50"})
    payment = in_a(tenant_a, PurchasePayment.objects.get)
    assert done.status_code == 302 and done["Location"] == f"/purchasing/payments/{payment.pk}"
    assert payment.amount == D("155.00") and payment.method == "wechat"
    assert in_a(tenant_a, lambda: payable(shop_a)) == D("150.00")
    page = buyer.get(done["Location"]).content.decode()
    assert "微信支付" in page and first.number in page
    reversed_ = buyer.post(f"/purchasing/payments/{payment.pk}/reverse")
    assert reversed_.status_code == 302 and in_a(tenant_a, lambda: payable(shop_a)) == D("305.00")
    assert payment.number in buyer.get("/purchasing/payments/").content.decode()


def test_return_from_a_receipt_and_reverse_it(tenant_a, shop_a, buyer):
    receipt = in_a(tenant_a, lambda: received(shop_a, milk=""))
    cola = in_a(tenant_a, lambda: receipt.lines.get().pk)
    order_page = buyer.get(f"/purchasing/{receipt.order_id}").content.decode()
    assert f"/purchasing/receipts/{receipt.pk}/return" in order_page
    refused = buyer.post(
        f"/purchasing/receipts/{receipt.pk}/return", {"date": today_in(TZ).isoformat(), f"return-{cola}-quantity": "5"}
    )
    assert refused.status_code == 400 and in_a(tenant_a, PurchaseReturn.objects.count) == 0
    done = buyer.post(
        f"/purchasing/receipts/{receipt.pk}/return", {"date": today_in(TZ).isoformat(), f"return-{cola}-quantity": "1"}
    )
    ret = in_a(tenant_a, PurchaseReturn.objects.get)
    assert done.status_code == 302 and done["Location"] == f"/purchasing/returns/{ret.pk}"
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D(24)
    assert buyer.post(f"/purchasing/returns/{ret.pk}/reverse").status_code == 302
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D(48)
    assert 'id="reversed-by"' in buyer.get(f"/purchasing/returns/{ret.pk}").content.decode()
    # And the receipt itself, from its order's page.
    assert buyer.post(f"/purchasing/receipts/{receipt.pk}/reverse").status_code == 302
    assert in_a(tenant_a, lambda: PurchaseReceipt.objects.filter(reverses=receipt).exists())
    assert "已红冲" in buyer.get(f"/purchasing/{receipt.order_id}").content.decode()


def test_a_refused_reversal_says_why(tenant_a, shop_a, buyer):
    receipt_id = in_a(tenant_a, lambda: billed(shop_a).lines.first().receipt_line.receipt_id)
    response = buyer.post(f"/purchasing/receipts/{receipt_id}/reverse", follow=True)
    assert "已开票：请先红冲其发票" in response.content.decode()


def test_change_a_draft_order(tenant_a, shop_a, buyer):
    order = in_a(tenant_a, lambda: order_create(shop_a))
    form = buyer.get(f"/purchasing/{order.pk}/edit").content.decode()
    assert order.number in form and 'value="48"' in form
    data = {
        "supplier": shop_a.supplier.pk, "warehouse": shop_a.main.pk, "date": today_in(TZ).isoformat(), "note": "改",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-item": shop_a.cola.pk, "lines-0-unit": shop_a.bottle.pk, "lines-0-quantity": "10",
        "lines-0-unit_price": "2",
    }  # fmt: skip
    assert buyer.post(f"/purchasing/{order.pk}/edit", {**data, "lines-0-quantity": "-1"}).status_code == 400
    saved = buyer.post(f"/purchasing/{order.pk}/edit", data)
    assert saved.status_code == 302
    order = in_a(tenant_a, lambda: services.purchase_order_confirm(order=order))
    assert (order.note, order.total_gross) == ("改", D("20.00"))
    moved = buyer.get(f"/purchasing/{order.pk}/edit")
    assert moved.status_code == 302 and moved["Location"] == f"/purchasing/{order.pk}"


def test_settings_page(client_a, tenant_a, shop_a, buyer):
    assert "checked" in buyer.get("/purchasing/settings").content.decode()
    assert buyer.post("/purchasing/settings", {}).status_code == 302
    assert in_a(tenant_a, lambda: services.settings_get().prices_include_vat) is False
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get("/purchasing/settings").status_code == 200
    assert clerk.post("/purchasing/settings", {"prices_include_vat": "on"}).status_code == 403
    assert in_a(tenant_a, lambda: services.settings_get().prices_include_vat) is False


def test_roles_and_another_shop(client_a, client_b, tenant_a, tenant_b, shop_a):
    bill = in_a(tenant_a, lambda: billed(shop_a))
    receipt_id = in_a(tenant_a, lambda: bill.lines.first().receipt_line.receipt_id)
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get(f"/purchasing/bills/{bill.pk}").status_code == 200
    assert clerk.get(f"/purchasing/receipts/{receipt_id}/bill").status_code == 403
    assert clerk.get("/purchasing/payments/new").status_code == 403
    assert clerk.post(f"/purchasing/bills/{bill.pk}/reverse").status_code == 403
    owner_b = login(client_b, tenant_b, make_user(tenant_b, "boss@beta.test", Role.OWNER))
    for url in (
        f"/purchasing/bills/{bill.pk}", f"/purchasing/receipts/{receipt_id}/bill",
        f"/purchasing/receipts/{receipt_id}/return",
    ):  # fmt: skip
        assert owner_b.get(url).status_code == 404, url
    assert owner_b.post(f"/purchasing/bills/{bill.pk}/reverse").status_code == 404
    assert bill.number not in owner_b.get("/purchasing/bills/").content.decode()
    assert in_a(tenant_a, lambda: PurchaseBill.objects.get().reversed_by) is None


def test_a_return_without_a_receipt_by_scanned_codes(tenant_a, shop_a, buyer):
    in_a(tenant_a, lambda: received(shop_a))
    form = buyer.get("/purchasing/returns/new").content.decode()
    assert 'id="row-5-code"' in form
    head = {"supplier": shop_a.supplier.pk, "warehouse": shop_a.main.pk, "date": today_in(TZ).isoformat()}
    before = in_a(tenant_a, purchasing_state)
    unknown = buyer.post(
        "/purchasing/returns/new", {**head, "row-0-code": "NOPE", "row-0-quantity": "1", "row-0-unit_price": "1"}
    )
    assert unknown.status_code == 400 and "NOPE" in unknown.content.decode()
    no_lot = buyer.post(
        "/purchasing/returns/new",
        {**head, "row-0-code": "6901234567892", "row-0-quantity": "6", "row-0-unit_price": "2",
         "row-2-code": "MILK", "row-2-quantity": "1", "row-2-unit_price": "5.65"},
    )  # fmt: skip
    page = no_lot.content.decode()
    # The filled rows come back first: the refused one is row 2, as the message says.
    assert no_lot.status_code == 400 and "第 2 行：MILK 牛奶 按批次管理" in page
    assert 'id="row-1-code" value="MILK"' in page
    assert in_a(tenant_a, purchasing_state) == before
    done = buyer.post(
        "/purchasing/returns/new",
        {**head, "row-0-code": "6901234567892", "row-0-quantity": "6", "row-0-unit_price": "2",
         "row-2-code": "MILK", "row-2-quantity": "1", "row-2-unit_price": "5.65", "row-2-lot_code": "L1"},
    )  # fmt: skip
    ret = in_a(tenant_a, PurchaseReturn.objects.get)
    assert done.status_code == 302 and done["Location"] == f"/purchasing/returns/{ret.pk}"
    assert ret.receipt is None and ret.total_gross == D("17.65")
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D(42)
