"""GET /print/<doc_type>/<id>.pdf for purchase orders, retail sales and stock documents: the PDF in the
request's language with the shop's name, who may print what, and another tenant's ids are 404."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.printing.amounts import amount_in_words
from modules.printing.registry import print_types
from modules.purchasing import services as purchasing
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import OrderLineInput
from modules.sales.models import RetailSale
from modules.sales.services import SaleLineInput, retail_sale_post
from modules.stockops import services as stockops
from modules.stockops.models import StockDocument
from modules.stockops.services import LineInput
from tests.printing.conftest import TZ, D, documents_create, in_tenant, login, make_user, pdf_url, sale_shop
from tests.printing.pdfs import pdf_pages

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def docs_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return documents_create()


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def test_the_three_builders_are_registered():
    assert {t.doc_type: t.permission for t in print_types()}.items() >= {
        "purchase_order": "purchasing.view_purchaseorder",
        "retail_sale": "sales.view_retailsale",
        "stock_document": "stockops.view_stockdocument",
    }.items()


def test_purchase_order_pdf(owner, docs_a):
    order = docs_a.order
    response = owner.get(pdf_url("purchase_order", order.pk))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{order.number}.pdf"'
    assert order.total_gross == D("152.50")
    [text] = pdf_pages(response.content)
    for expected in (
        "Alpha 商店", "采购订单", order.number, "供应商", "供应商", "王经理 138 0000 0000", "可口可乐", "COLA", "箱",
        "48.00", "96.00", "牛奶", "5.65", "56.50", "13%", "价税合计", "152.50",
        "金额大写：人民币壹佰伍拾贰元伍角", "备注：周五前送达", "草稿", "含税", "供应商确认", "第 1 页，共 1 页",
    ):  # fmt: skip
        assert expected in text, expected
    assert amount_in_words(D("152.50")) == "壹佰伍拾贰元伍角"


def test_labels_follow_the_request_language(owner, docs_a):
    text = pdf_pages(owner.get(pdf_url("purchase_order", docs_a.order.pk), HTTP_ACCEPT_LANGUAGE="en").content)[0]

    for expected in ("Purchase order", "Supplier", "Unit price", "Total with VAT", "Amount in words: RMB", "Draft"):
        assert expected in text, expected
    assert "采购订单" not in text and "Page 1 of 1" in text


def test_retail_sale_receipt_pdf(owner, docs_a):
    sale = docs_a.sale
    response = owner.get(pdf_url("retail_sale", sale.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="{sale.number}.pdf"'
    [text] = pdf_pages(response.content)
    for expected in (
        "零售小票", sale.number, "散客", "现金", "可口可乐", "3.50", "10.50", "实收", "20.00", "找零", "9.50",
        "金额大写：人民币壹拾元零伍角",
    ):  # fmt: skip
        assert expected in text, expected


def test_stock_document_pdf(owner, docs_a):
    document = docs_a.stock_in
    text = pdf_pages(owner.get(pdf_url("stock_document", document.pk)).content)[0]

    for expected in ("其它入库单", document.number, "仓库", "2.50", "12.50", "55.00", "金额合计", "67.50",
                     "金额大写：人民币陆拾柒元伍角", "备注：盘盈入库", "仓管员", "草稿"):  # fmt: skip
        assert expected in text, expected
    # 5 瓶 and 1 箱 are not 6 of anything.
    assert "数量合计" not in text


def test_stock_issue_in_one_unit_totals_its_quantity_and_has_no_amount(owner, tenant_a, docs_a):
    shop = docs_a.shop

    def issue():
        return stockops.stock_document_create(
            kind="stock_out", date=purchasing.today_in(TZ), warehouse=shop.main, tz_name=TZ,
            lines=[LineInput(shop.cola, shop.bottle, "1"), LineInput(shop.cola, shop.bottle, "2")],
        )  # fmt: skip

    text = pdf_pages(owner.get(pdf_url("stock_document", in_tenant(tenant_a, issue).pk)).content)[0]

    assert "其它出库单" in text and "数量合计" in text and "3 瓶" in text
    assert "金额合计" not in text and "大写" not in text


def test_a_document_of_many_lines_spans_pages_with_its_header_repeated(owner, tenant_a):
    def make():
        shop = sale_shop()
        lines = [OrderLineInput(shop.cola, shop.bottle, str(n), "1.00") for n in range(1, 121)]
        return purchasing.purchase_order_create(
            supplier=shop.supplier, warehouse=shop.main, date=purchasing.today_in(TZ), lines=lines
        )

    order = in_tenant(tenant_a, make)
    pages = pdf_pages(owner.get(pdf_url("purchase_order", order.pk)).content)

    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Alpha 商店" in text and order.number in text
        assert f"第 {number} 页，共 {len(pages)} 页" in text
    # The table's header row on every page its lines run onto.
    with_lines = [text for text in pages if "COLA" in text]
    assert len(with_lines) >= 3
    for text in with_lines:
        assert all(label in text for label in ("序号", "品名", "单价", "金额"))
    total = sum(range(1, 121))  # 7260.00
    assert f"金额大写：人民币{amount_in_words(D(total))}" in pages[-1]


MODELS = {"purchase_order": PurchaseOrder, "retail_sale": RetailSale, "stock_document": StockDocument}


def _next_ids_aligned(*tenants) -> None:
    """Move each model's id sequence forward in every tenant to one common next value (never back:
    rows committed by other tests keep their ids free), so the next documents get the same ids."""

    def next_value(table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0]

    def restart_at(table: str, value: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, value])

    for model in MODELS.values():
        table = model._meta.db_table
        common = max(in_tenant(tenant, lambda t=table: next_value(t)) for tenant in tenants) + 1
        for tenant in tenants:
            in_tenant(tenant, lambda t=table, v=common: restart_at(t, v))


def test_another_tenants_ids_are_not_found(tenant_a, tenant_b, owner):
    _next_ids_aligned(tenant_a, tenant_b)
    docs_a = in_tenant(tenant_a, documents_create)

    def beta_documents():
        # Beta's documents get the very ids of alpha's; then one more of each, which alpha lacks.
        docs = documents_create(note="beta's order")
        shop = docs.shop
        extra = {
            "purchase_order": purchasing.purchase_order_create(
                supplier=shop.supplier, warehouse=shop.main, date=purchasing.today_in(TZ),
                lines=[OrderLineInput(shop.cola, shop.bottle, "1", "1.00")],
            ),
            "retail_sale": retail_sale_post(
                lines=[SaleLineInput(shop.cola, shop.bottle, "1")], payment_method="wechat", tz_name=TZ
            ),
            "stock_document": stockops.stock_document_create(
                kind="stock_out", date=purchasing.today_in(TZ), warehouse=shop.main, tz_name=TZ,
                lines=[LineInput(shop.cola, shop.bottle, "1")],
            ),
        }  # fmt: skip
        return docs, extra

    docs_b, extra_b = in_tenant(tenant_b, beta_documents)
    assert (docs_b.order.pk, docs_b.sale.pk, docs_b.stock_in.pk) == (
        docs_a.order.pk, docs_a.sale.pk, docs_a.stock_in.pk,
    )  # fmt: skip
    for doc_type, document in extra_b.items():
        assert not in_tenant(tenant_a, lambda m=MODELS[doc_type], pk=document.pk: m.objects.filter(pk=pk).exists())
        assert owner.get(pdf_url(doc_type, document.pk)).status_code == 404, doc_type
    # The ids both have print alpha's own documents.
    text = pdf_pages(owner.get(pdf_url("purchase_order", docs_a.order.pk)).content)[0]
    assert "Alpha 商店" in text and "Beta" not in text and "周五前送达" in text and "beta's order" not in text


def test_unknown_types_and_ids_are_404(owner, docs_a):
    assert owner.get(pdf_url("nothing", docs_a.order.pk)).status_code == 404
    assert owner.get(pdf_url("purchase_order", docs_a.order.pk + 10_000)).status_code == 404
    assert owner.get(f"/print/purchase_order/{docs_a.order.pk}").status_code == 404


def test_printing_needs_the_documents_view_permission(client_a, tenant_a, docs_a):
    assert client_a.get(pdf_url("purchase_order", docs_a.order.pk)).status_code == 302  # to the login page
    seller = login(client_a, tenant_a, make_user(tenant_a, "seller@alpha.test", Role.SALES))
    assert seller.get(pdf_url("purchase_order", docs_a.order.pk)).status_code == 403
    # Refused before the lookup: an id that does not exist is a 403 too, not a 404.
    assert seller.get(pdf_url("purchase_order", docs_a.order.pk + 10_000)).status_code == 403
    assert seller.get(pdf_url("retail_sale", docs_a.sale.pk)).status_code == 200
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    assert buyer.get(pdf_url("retail_sale", docs_a.sale.pk)).status_code == 403
    assert buyer.get(pdf_url("purchase_order", docs_a.order.pk)).status_code == 200
    keeper = login(client_a, tenant_a, make_user(tenant_a, "keeper@alpha.test", Role.WAREHOUSE))
    assert keeper.get(pdf_url("stock_document", docs_a.stock_in.pk)).status_code == 200
    assert keeper.post(pdf_url("stock_document", docs_a.stock_in.pk)).status_code == 405
