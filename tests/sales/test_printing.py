"""Printed sales documents (/print/<doc_type>/<id>.pdf): the sales order with each line's price basis, the
delivery note (发货单), the invoice (销售发票) and the receipt of payment (收款单), in Chinese with the shop's
name and the amount in capital numerals; Print links on their pages; another tenant's ids are 404."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.printing.amounts import amount_in_words
from modules.printing.registry import print_types
from modules.sales import services
from modules.sales.services import AllocationInput, DeliverLineInput, DocumentLineInput, OrderLineInput
from tests.printing.pdfs import pdf_pages
from tests.sales.conftest import TZ, login, make_user, stocked_shop

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def docs(tenant_a):
    """An order of 10 cola at 5.65 (priced by the engine: the item's price, 3.50... typed here) and 2 milk
    from the item's price, delivered in full, invoiced, and paid 50.00 of its 68.50."""
    with schema_context(tenant_a.schema_name):
        shop = stocked_shop()
        lines = services.order_lines_priced(
            [OrderLineInput(shop.cola, shop.bottle, "10", "5.65"), OrderLineInput(shop.milk, shop.bottle, "2")],
            customer=shop.customer, on=services.today_in(TZ),
        )  # fmt: skip
        order = services.sales_order_create(
            customer=shop.customer, warehouse=shop.main, date=services.today_in(TZ), lines=lines, note="周五前送达"
        )
        order = services.sales_order_confirm(order=order)
        delivery = services.sales_deliver(
            order=order, lines=[DeliverLineInput(line.pk, line.quantity) for line in order.lines.all()], tz_name=TZ
        )
        invoice = services.sales_invoice_create(
            order=order, lines=[DocumentLineInput(line.pk, line.quantity) for line in delivery.lines.all()], tz_name=TZ
        )
        receipt = services.sales_receipt_create(
            customer=shop.customer, amount="50.00", method="bank", tz_name=TZ, reference="BANK-77",
            allocations=[AllocationInput(invoice, "50.00")],
        )  # fmt: skip
        return {"order": order, "delivery": delivery, "invoice": invoice, "receipt": receipt}


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def text_of(client, doc_type, pk) -> str:
    response = client.get(f"/print/{doc_type}/{pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.status_code
    return "\n".join(pdf_pages(response.content))


def test_the_sales_builders_are_registered_in_ready():
    assert {t.doc_type: t.permission for t in print_types()}.items() >= {
        "sales_order": "sales.view_salesorder",
        "sales_delivery": "sales.view_salesdelivery",
        "sales_invoice": "sales.view_salesinvoice",
        "sales_receipt": "sales.view_salesreceipt",
    }.items()


def test_the_four_documents_print_in_chinese_with_the_amount_in_words(owner, tenant_a, docs):
    order, delivery, invoice, receipt = docs["order"], docs["delivery"], docs["invoice"], docs["receipt"]
    assert order.total_gross == D("68.50")  # 10 × 5.65 + 2 × 6.00
    words = "金额大写：人民币" + amount_in_words(D("68.50"))

    text = text_of(owner, "sales_order", order.pk)
    for expected in (tenant_a.name, "销售订单", order.number, "可口可乐", "56.50", "商品售价", "68.50", words,
                     "备注：周五前送达", "第 1 页，共 1 页"):  # fmt: skip
        assert expected in text, expected

    text = text_of(owner, "sales_delivery", delivery.pk)
    for expected in (tenant_a.name, "发货单", delivery.number, order.number, "可口可乐", "牛奶", "L2", "56.50",
                     "12.00", words, "收货人"):  # fmt: skip
        assert expected in text, expected

    text = text_of(owner, "sales_invoice", invoice.pk)
    for expected in (tenant_a.name, "销售发票", invoice.number, order.number, "13%", "价税合计", "68.50", words):
        assert expected in text, expected

    text = text_of(owner, "sales_receipt", receipt.pk)
    for expected in (tenant_a.name, "收款单", receipt.number, invoice.number, "BANK-77", "50.00", "68.50",
                     "金额大写：人民币伍拾元整"):  # fmt: skip
        assert expected in text, expected


def test_print_links_on_the_pages(owner, docs):
    pages = {
        f"/sales/orders/{docs['order'].pk}": f"/print/sales_order/{docs['order'].pk}.pdf",
        f"/sales/deliveries/{docs['delivery'].pk}": f"/print/sales_delivery/{docs['delivery'].pk}.pdf",
        f"/sales/invoices/{docs['invoice'].pk}": f"/print/sales_invoice/{docs['invoice'].pk}.pdf",
        f"/sales/receipts/{docs['receipt'].pk}": f"/print/sales_receipt/{docs['receipt'].pk}.pdf",
    }
    for page, pdf in pages.items():
        html = owner.get(page).content.decode()
        assert f'href="{pdf}"' in html, page


def test_a_retail_receipt_links_its_pdf(owner, tenant_a):
    from modules.sales.services import SaleLineInput, retail_sale_post

    with schema_context(tenant_a.schema_name):
        shop = stocked_shop()
        sale = retail_sale_post(lines=[SaleLineInput(shop.cola, shop.bottle, "1")], payment_method="cash", tz_name=TZ)
    html = owner.get(f"/sales/retail/{sale.pk}/receipt").content.decode()
    assert f'href="/print/retail_sale/{sale.pk}.pdf"' in html


def test_another_tenant_gets_404_and_roles_without_the_permission_403(client_a, client_b, tenant_a, tenant_b,
                                                                      owner_b, docs):  # fmt: skip
    beta = login(client_b, tenant_b, owner_b)
    for doc_type, document in (("sales_order", docs["order"]), ("sales_delivery", docs["delivery"]),
                               ("sales_invoice", docs["invoice"]), ("sales_receipt", docs["receipt"])):  # fmt: skip
        assert beta.get(f"/print/{doc_type}/{document.pk}.pdf").status_code == 404, doc_type
    assert beta.get("/print/sales_invoice/999999.pdf").status_code == 404
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    assert buyer.get(f"/print/sales_invoice/{docs['invoice'].pk}.pdf").status_code == 403
