"""A small shop for retail sale tests (the stock documents' shop, with sale prices) and helpers to stock
it and to read what a refused sale must leave unchanged."""

import itertools
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog.models import Item
from modules.inventory.models import Lot, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from modules.sales.models import RetailSale, RetailSaleLine
from tests.stockops.conftest import TZ, Shop, auth, login, make_key, make_user, on_hand, shop_create  # noqa: F401

_sources = itertools.count(1)


def sale_shop() -> Shop:
    """Cola at 3.50 a bottle (a 箱 of 24, barcode 6901234567892), milk at 6.00 (lot-tracked)."""
    shop = shop_create()
    Item.objects.filter(pk=shop.cola.pk).update(sale_price=D("3.50"))
    Item.objects.filter(pk=shop.milk.pk).update(sale_price=D("6.00"))
    shop.cola.refresh_from_db()
    shop.milk.refresh_from_db()
    return shop


def receive(item, warehouse, quantity, *, location=None, lot: Lot | None = None) -> None:
    stock_moves_post(
        lines=[MoveLine(item, warehouse, D(quantity), D("2.00"), location, lot)],
        posted_at=timezone.now(),
        source_type="test_receipt",
        source_id=next(_sources),
    )


def lot(item, code: str, expiry: date | None) -> Lot:
    return Lot.objects.create(item=item, code=code, expiry_date=expiry)


def sales_state() -> tuple:
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("item_id", "warehouse_id", "location_id", "lot_id", "on_hand")),
        RetailSale.objects.count(),
        RetailSaleLine.objects.count(),
    )


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    from modules.identity.services import roles_sync

    # alpha and beta were provisioned before this app's permissions existed.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


# --- Sales documents ----------------------------------------------------------------------------------


def order_create(shop: Shop, *lines, on: date | None = None, customer=None, **kwargs):
    """A draft order of the shop's customer out of the main warehouse; default 2 箱 of cola at 84.00 a
    case (48 bottles, 168.00) and 10 bottles of milk at 6.00 (60.00), VAT 13 % included."""
    from modules.sales import services
    from modules.sales.services import OrderLineInput

    lines = lines or (
        OrderLineInput(shop.cola, shop.case, "2", "84.00"),
        OrderLineInput(shop.milk, shop.bottle, "10", "6.00"),
    )
    return services.sales_order_create(
        customer=customer or shop.customer,
        warehouse=shop.main,
        date=on or services.today_in(TZ),
        lines=list(lines),
        **kwargs,
    )


def order_confirmed(shop: Shop, *lines, **kwargs):
    from modules.sales import services

    return services.sales_order_confirm(order=order_create(shop, *lines, **kwargs))


def stocked_shop() -> Shop:
    """The sale shop with 100 bottles of cola and two lots of milk in the main warehouse: L2 (20, expiring
    first) and L1 (20, expiring later)."""
    shop = sale_shop()
    receive(shop.cola, shop.main, "100")
    receive(shop.milk, shop.main, "20", lot=lot(shop.milk, "L1", date(2031, 6, 1)))
    receive(shop.milk, shop.main, "20", lot=lot(shop.milk, "L2", date(2031, 1, 1)))
    return shop


def reserved(item, warehouse) -> D:
    row = StockBalance.objects.filter(item=item, warehouse=warehouse, location=None, lot=None).first()
    return row.reserved if row else D("0")


def documents_state() -> tuple:
    """Everything a refused sales document write must leave unchanged."""
    from modules.partnerledger.models import PartnerEntry
    from modules.sales.models import (
        SalesDelivery,
        SalesDeliveryLine,
        SalesInvoice,
        SalesOrder,
        SalesOrderLine,
        SalesReceipt,
        SalesReturn,
    )

    return (
        StockMove.objects.count(),
        sorted(
            (row[0], row[1], row[2] or 0, row[3] or 0, row[4], row[5])
            for row in StockBalance.objects.values_list(
                "item_id", "warehouse_id", "location_id", "lot_id", "on_hand", "reserved"
            )
        ),
        sorted(SalesOrder.objects.values_list("id", "number", "status", "total_gross")),
        sorted(
            SalesOrderLine.objects.values_list(
                "order_id",
                "position",
                "quantity",
                "delivered_quantity",
                "returned_quantity",
                "invoiced_quantity",
                "credited_quantity",
            )
        ),  # fmt: skip
        sorted(SalesDeliveryLine.objects.values_list("id", "invoiced_quantity", "returned_quantity")),
        SalesDelivery.objects.count(),
        sorted(SalesInvoice.objects.values_list("id", "paid_amount")),
        SalesReceipt.objects.count(),
        SalesReturn.objects.count(),
        PartnerEntry.objects.count(),
    )


from tests.finance.invariants import books_reconcile  # noqa: E402, F401  (the books reconcile after each test)
