"""The stock documents' shop, with helpers to make orders and to read what a refused request must leave
unchanged."""

from datetime import date
from decimal import Decimal as D

from modules.inventory.models import Lot, StockBalance, StockMove
from modules.purchasing import services
from modules.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt
from modules.purchasing.services import OrderLineInput
from tests.stockops.conftest import (  # noqa: F401
    TZ,
    Shop,
    auth,
    login,
    make_key,
    make_user,
    on_hand,
    roles_synced,
    shop,
    shop_create,
)


def order_create(s: Shop, *lines: OrderLineInput, on: date | None = None) -> PurchaseOrder:
    lines = lines or (
        OrderLineInput(s.cola, s.case, "2", "48.00"),  # 48 bottles
        OrderLineInput(s.milk, s.bottle, "10", "5.65"),
    )
    return services.purchase_order_create(
        supplier=s.supplier, warehouse=s.main, date=on or services.today_in(TZ), lines=list(lines)
    )


def confirmed(s: Shop, *lines: OrderLineInput) -> PurchaseOrder:
    return services.purchase_order_confirm(order=order_create(s, *lines))


def purchasing_state() -> tuple:
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("item_id", "warehouse_id", "location_id", "lot_id", "on_hand")),
        sorted(PurchaseOrder.objects.values_list("id", "number", "status", "note", "date", "total_gross")),
        sorted(PurchaseOrderLine.objects.values_list("order_id", "position", "quantity", "received_quantity")),
        PurchaseReceipt.objects.count(),
        Lot.objects.count(),
    )


def line(order: PurchaseOrder, position: int) -> PurchaseOrderLine:
    return order.lines.get(position=position)


__all__ = ["D"]
