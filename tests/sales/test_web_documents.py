"""The sales document pages: the order form with the scanner line picker, the order page (confirm, deliver,
invoice), the delivery page (return, reversal), invoices, receipts of payment and returns; errors keep
what was typed; roles and isolation."""

import re
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.sales import services
from modules.sales.models import SalesDelivery, SalesInvoice, SalesOrder, SalesReceipt, SalesReturn
from modules.sales.services import DeliverLineInput, DocumentLineInput, OrderLineInput
from tests.sales.conftest import TZ, documents_state, in_tenant, login, make_user, on_hand, stocked_shop

pytestmark = pytest.mark.usefixtures("roles_synced")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return stocked_shop()


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    client_a.cookies["django_language"] = "en"
    return login(client_a, tenant_a, owner_a)


def order_post(shop, lines, **head):
    data = {
        "customer": shop.customer.pk, "warehouse": shop.main.pk, "date": services.today_in(TZ).isoformat(),
        "prices_include_vat": "on", "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", **head,
    }  # fmt: skip
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value
    return data


def confirmed_order(tenant, shop, *lines):
    def make():
        order = services.sales_order_create(
            customer=shop.customer, warehouse=shop.main, date=services.today_in(TZ),
            lines=list(lines) or [OrderLineInput(shop.cola, shop.bottle, "10", "3.50")],
        )  # fmt: skip
        return services.sales_order_confirm(order=order)

    return in_tenant(tenant, make)


def test_the_line_picker_fills_a_row_from_a_scan(owner, shop_a):
    page = owner.get("/sales/orders/new").content.decode()
    assert 'id="id_lines-0-search"' in page and 'id="save-order"' in page
    scan = owner.get("/sales/orders/line", {"index": "0", "lines-0-search": "6901234567892"}, **HTMX)
    html = scan.content.decode()
    assert scan["HX-Retarget"] == "#line-0" and f'value="{shop_a.cola.pk}"' in html and "autofocus" in html
    assert 'placeholder="3.5"' in html  # the item's sale price, when the price is left empty
    found = owner.get("/sales/orders/line", {"index": "0", "lines-0-search": "可口"}, **HTMX).content.decode()
    assert 'data-pick="COLA"' in found
    new = owner.get("/sales/orders/line", {"new": "1", "lines-TOTAL_FORMS": "1"}, **HTMX).content.decode()
    assert 'id="line-1"' in new and 'name="lines-TOTAL_FORMS" value="2"' in new


def test_an_order_is_entered_confirmed_delivered_and_invoiced(owner, tenant_a, shop_a):
    response = owner.post(
        "/sales/orders/new",
        order_post(shop_a, [
            {"item": shop_a.cola.pk, "unit": shop_a.case.pk, "quantity": "1", "unit_price": "84",
             "price_source": "list: Wholesale"},
            {"item": shop_a.milk.pk, "unit": shop_a.bottle.pk, "quantity": "5"},
        ]),
    )  # fmt: skip
    order = in_tenant(tenant_a, SalesOrder.objects.get)
    assert response["Location"] == f"/sales/orders/{order.pk}"
    page = owner.get(response["Location"]).content.decode()
    assert "list: Wholesale" in page and 'id="action-confirm"' in page and order.number in page
    owner.post(f"/sales/orders/{order.pk}/confirm")
    page = owner.get(f"/sales/orders/{order.pk}").content.decode()
    assert 'data-status="confirmed"' in page and 'id="deliver-form"' in page and "First to expire" in page
    cola_line, milk_line = in_tenant(tenant_a, lambda: list(order.lines.order_by("position")))
    refused = owner.post(f"/sales/orders/{order.pk}/deliver",
                         {"date": services.today_in(TZ).isoformat(), f"deliver-{cola_line.pk}": "2"})  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 400 and 'id="deliver-errors"' in html and 'value="2"' in html
    done = owner.post(f"/sales/orders/{order.pk}/deliver",
                      {"date": services.today_in(TZ).isoformat(), f"deliver-{cola_line.pk}": "1",
                       f"deliver-{milk_line.pk}": "5"})  # fmt: skip
    assert done.status_code == 302
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("76")
    page = owner.get(f"/sales/orders/{order.pk}").content.decode()
    assert 'data-delivered="full"' in page and 'id="invoice-form"' in page
    delivery = in_tenant(tenant_a, SalesDelivery.objects.get)
    assert delivery.number in page
    lines = in_tenant(tenant_a, lambda: list(delivery.lines.all()))
    invoiced = owner.post(f"/sales/orders/{order.pk}/invoice",
                          {"date": services.today_in(TZ).isoformat(),
                           **{f"invoice-{line.pk}": str(line.quantity) for line in lines}})  # fmt: skip
    invoice = in_tenant(tenant_a, SalesInvoice.objects.get)
    assert invoiced["Location"] == f"/sales/invoices/{invoice.pk}"
    assert invoice.total_gross == D("114.00")
    page = owner.get(invoiced["Location"]).content.decode()
    assert 'id="action-receive"' in page and "114.00" in page
    assert invoice.number in owner.get("/sales/invoices/?open=1").content.decode()
    listing = owner.get("/sales/orders/").content.decode()
    assert f'data-order="{order.number}" data-status="delivered"' in listing and 'data-invoiced="full"' in listing


def test_a_receipt_settles_invoices_picked_by_customer(owner, tenant_a, shop_a):
    order = confirmed_order(tenant_a, shop_a)

    def billed():
        line = order.lines.get()
        delivery = services.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, "10")], tz_name=TZ)
        return services.sales_invoice_create(
            order=order, lines=[DocumentLineInput(delivery.lines.get().pk, "10")], tz_name=TZ
        )

    invoice = in_tenant(tenant_a, billed)
    form = owner.get("/sales/receipts/new", {"customer": shop_a.customer.pk}).content.decode()
    assert f'name="allocate-{invoice.pk}"' in form
    # From the invoice's "Receive payment": its open amount is filled in, as the amount and against it.
    prefilled = owner.get(
        "/sales/receipts/new", {"customer": shop_a.customer.pk, "invoice": invoice.pk, "allocate": "35.00"}
    ).content.decode()
    assert 'name="amount" value="35.00"' in prefilled and 'value="35.00" placeholder' in prefilled
    partial = owner.get("/sales/receipts/invoices", {"customer": shop_a.customer.pk}, **HTMX).content.decode()
    assert "<html" not in partial and invoice.number in partial
    body = {"customer": shop_a.customer.pk, "date": services.today_in(TZ).isoformat(), "method": "alipay"}
    too_much = owner.post("/sales/receipts/new", {**body, "amount": "10", f"allocate-{invoice.pk}": "20"})
    assert too_much.status_code == 400 and 'value="20"' in too_much.content.decode()
    response = owner.post("/sales/receipts/new", {**body, "amount": "35", f"allocate-{invoice.pk}": "30"})
    receipt = in_tenant(tenant_a, SalesReceipt.objects.get)
    assert response["Location"] == f"/sales/receipts/{receipt.pk}"
    assert in_tenant(tenant_a, lambda: SalesInvoice.objects.get().paid_amount) == D("30.00")
    assert receipt.number in owner.get("/sales/receipts/").content.decode()
    reversed_ = owner.post(f"/sales/receipts/{receipt.pk}/reverse")
    assert reversed_.status_code == 302
    assert in_tenant(tenant_a, lambda: SalesInvoice.objects.get().paid_amount) == D("0.00")


def test_a_return_from_the_delivery_page_and_reversals(owner, tenant_a, shop_a):
    order = confirmed_order(tenant_a, shop_a)

    def delivered():
        line = order.lines.get()
        return services.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, "10")], tz_name=TZ)

    delivery = in_tenant(tenant_a, delivered)
    line = in_tenant(tenant_a, lambda: delivery.lines.get())
    page = owner.get(f"/sales/deliveries/{delivery.pk}").content.decode()
    assert 'id="return-form"' in page and 'id="action-reverse"' in page
    today = services.today_in(TZ).isoformat()
    over = owner.post(f"/sales/deliveries/{delivery.pk}/return", {"date": today, f"return-{line.pk}": "11"})
    assert over.status_code == 400 and 'id="return-errors"' in over.content.decode()
    response = owner.post(f"/sales/deliveries/{delivery.pk}/return", {"date": today, f"return-{line.pk}": "3",
                                                                       "reason": "破损"})  # fmt: skip
    sales_return = in_tenant(tenant_a, SalesReturn.objects.get)
    assert response["Location"] == f"/sales/returns/{sales_return.pk}"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("93")
    assert sales_return.number in owner.get("/sales/returns/").content.decode()
    # The delivery cannot be reversed while its return stands; the page says why.
    refused = owner.post(f"/sales/deliveries/{delivery.pk}/reverse", follow=True).content.decode()
    assert "reverse those documents first" in refused
    owner.post(f"/sales/returns/{sales_return.pk}/reverse")
    reversed_ = owner.post(f"/sales/deliveries/{delivery.pk}/reverse")
    reversal = in_tenant(tenant_a, lambda: SalesDelivery.objects.get(reverses=delivery))
    assert reversed_["Location"] == f"/sales/deliveries/{reversal.pk}"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("100")


def test_a_quotation_is_converted_and_a_credit_limit_overridden(owner, tenant_a, shop_a):
    from modules.partners.models import Partner

    line = {"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "10", "unit_price": "20"}
    owner.post("/sales/orders/new", order_post(shop_a, [line], quotation="on"))
    quote = in_tenant(tenant_a, SalesOrder.objects.get)
    assert quote.number.startswith("BJ")
    owner.post(f"/sales/orders/{quote.pk}/convert")
    in_tenant(tenant_a, lambda: Partner.objects.filter(pk=shop_a.customer.pk).update(credit_limit=D("100")))
    refused = owner.post(f"/sales/orders/{quote.pk}/confirm", follow=True).content.decode()
    assert "credit limit" in refused and in_tenant(tenant_a, lambda: SalesOrder.objects.get().status) == "draft"
    owner.post(f"/sales/orders/{quote.pk}/confirm", {"override_credit_limit": "1"})
    order = in_tenant(tenant_a, SalesOrder.objects.get)
    assert (order.status, order.number[:2], order.quotation_number) == ("confirmed", "XS", quote.number)


def test_bad_order_input_keeps_the_lines(owner, tenant_a, shop_a):
    before = in_tenant(tenant_a, documents_state)
    response = owner.post("/sales/orders/new", order_post(shop_a, [
        {"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "-1", "unit_price": "3"}]))  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400 and "greater than zero" in html and 'value="-1"' in html
    assert in_tenant(tenant_a, documents_state) == before


def test_roles_and_isolation(client_a, client_b, tenant_a, tenant_b, owner_b, shop_a):
    order = confirmed_order(tenant_a, shop_a)
    clerk = login(client_a, tenant_a, make_user(tenant_a, "wh@alpha.test", Role.WAREHOUSE))
    assert clerk.get(f"/sales/orders/{order.pk}").status_code == 200
    assert clerk.get("/sales/orders/new").status_code == 403
    assert clerk.post(f"/sales/orders/{order.pk}/cancel").status_code == 403
    assert clerk.get("/sales/receipts/new").status_code == 403
    assert in_tenant(tenant_a, lambda: SalesOrder.objects.get().status) == "confirmed"
    beta = login(client_b, tenant_b, owner_b)
    for url in (f"/sales/orders/{order.pk}", f"/sales/deliveries/{order.pk}", f"/sales/invoices/{order.pk}",
                f"/sales/receipts/{order.pk}", f"/sales/returns/{order.pk}"):  # fmt: skip
        assert beta.get(url).status_code == 404
    assert beta.post(f"/sales/orders/{order.pk}/cancel").status_code == 404
    assert order.number not in beta.get("/sales/orders/").content.decode()
    assert in_tenant(tenant_a, lambda: SalesOrder.objects.get().status) == "confirmed"


def test_the_pages_in_chinese(client_a, tenant_a, owner_a, shop_a):
    owner = login(client_a, tenant_a, owner_a)
    client_a.cookies["django_language"] = "zh-hans"
    html = owner.get("/sales/orders/").content.decode()
    assert "销售订单" in html and "收款单" in html
    assert re.search("新建销售订单", html)


def test_a_draft_is_changed_on_its_form(owner, tenant_a, shop_a):
    def draft():
        return services.sales_order_create(
            customer=shop_a.customer, warehouse=shop_a.main, date=services.today_in(TZ),
            lines=[OrderLineInput(shop_a.cola, shop_a.bottle, "10", "3.50", price_source="list: Retail")],
        )  # fmt: skip

    order = in_tenant(tenant_a, draft)
    assert 'id="action-edit"' in owner.get(f"/sales/orders/{order.pk}").content.decode()
    form = owner.get(f"/sales/orders/{order.pk}/edit").content.decode()
    assert 'value="10"' in form and 'value="list: Retail"' in form and 'id="id_quotation"' not in form
    data = order_post(shop_a, [{"item": shop_a.cola.pk, "unit": shop_a.case.pk, "quantity": "1", "unit_price": "80"}])
    response = owner.post(f"/sales/orders/{order.pk}/edit", data)
    assert response["Location"] == f"/sales/orders/{order.pk}"
    line = in_tenant(tenant_a, lambda: SalesOrder.objects.get().lines.get())
    assert (line.unit_id, line.gross, line.price_source) == (shop_a.case.pk, D("80.00"), "manual")
    in_tenant(tenant_a, lambda: services.sales_order_confirm(order=order))
    assert owner.get(f"/sales/orders/{order.pk}/edit")["Location"] == f"/sales/orders/{order.pk}"
