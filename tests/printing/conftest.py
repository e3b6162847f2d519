"""The sales shop (stock documents' shop with sale prices) with one document of each printable kind,
and helpers to fetch a PDF as a given user."""

from dataclasses import dataclass
from decimal import Decimal as D

from django_tenants.utils import schema_context

from modules.partners import services as partners
from modules.purchasing import services as purchasing
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import OrderLineInput
from modules.sales.models import RetailSale
from modules.sales.services import SaleLineInput, retail_sale_post
from modules.stockops import services as stockops
from modules.stockops.models import StockDocument
from modules.stockops.services import LineInput
from tests.sales.conftest import TZ, Shop, login, make_user, receive, roles_synced, sale_shop  # noqa: F401


@dataclass
class Documents:
    shop: Shop
    order: PurchaseOrder
    sale: RetailSale
    stock_in: StockDocument


def documents_create(note: str = "周五前送达") -> Documents:
    shop = sale_shop()
    partners.contact_create(partner_id=shop.supplier.pk, name="王经理", phone="138 0000 0000", is_primary=True)
    order = purchasing.purchase_order_create(
        supplier=shop.supplier,
        warehouse=shop.main,
        date=purchasing.today_in(TZ),
        note=note,
        lines=[
            OrderLineInput(shop.cola, shop.case, "2", "48.00"),  # 96.00 with VAT
            OrderLineInput(shop.milk, shop.bottle, "10", "5.65"),  # 56.50
        ],
    )
    receive(shop.cola, shop.main, "10")
    sale = retail_sale_post(
        lines=[SaleLineInput(shop.cola, shop.bottle, "3")], payment_method="cash", tendered="20", tz_name=TZ
    )
    stock_in = stockops.stock_document_create(
        kind="stock_in",
        date=purchasing.today_in(TZ),
        warehouse=shop.main,
        tz_name=TZ,
        note="盘盈入库",
        lines=[LineInput(shop.cola, shop.bottle, "5", "2.50"), LineInput(shop.cola, shop.case, "1", "55.00")],
    )
    return Documents(shop=shop, order=order, sale=sale, stock_in=stock_in)


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def pdf_url(doc_type: str, pk: int) -> str:
    return f"/print/{doc_type}/{pk}.pdf"


__all__ = ["D", "TZ", "login", "make_user", "roles_synced"]
