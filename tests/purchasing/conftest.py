"""The stock documents' shop, with helpers to make orders and to read what a refused request must leave
unchanged."""

from datetime import date
from decimal import Decimal as D

from modules.inventory.models import Lot, StockBalance, StockMove
from modules.partnerledger.models import PartnerEntry
from modules.partnerledger.selectors import partner_balance
from modules.purchasing import services
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseBillLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePayment,
    PurchasePaymentAllocation,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from modules.purchasing.services import OrderLineInput, ReceiveLineInput
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
        sorted(
            PurchaseOrderLine.objects.values_list(
                "order_id", "position", "quantity", "received_quantity", "billed_quantity", "returned_quantity"
            )
        ),
        sorted(PurchaseOrder.objects.values_list("id", "billed_amount", "paid_amount", "returned_amount")),
        PurchaseReceipt.objects.count(),
        sorted(PurchaseReceiptLine.objects.values_list("id", "quantity", "billed_quantity", "returned_quantity")),
        sorted(PurchaseReturn.objects.values_list("id", "number", "total_gross")),
        PurchaseReturnLine.objects.count(),
        sorted(PurchaseBill.objects.values_list("id", "number", "total_gross", "paid_amount")),
        PurchaseBillLine.objects.count(),
        sorted(PurchasePayment.objects.values_list("id", "number", "amount")),
        PurchasePaymentAllocation.objects.count(),
        sorted(PartnerEntry.objects.values_list("id", "amount")),
        Lot.objects.count(),
    )


def received(s: Shop, order: PurchaseOrder | None = None, cola: str = "2", milk: str = "10") -> PurchaseReceipt:
    """A confirmed order (by default 2 箱 cola at 48.00, 10 milk at 5.65, with VAT) received as told."""
    order = order or confirmed(s)
    entries = []
    if cola:
        entries.append(ReceiveLineInput(line(order, 0).pk, cola))
    if milk:
        entries.append(ReceiveLineInput(line(order, 1).pk, milk, "L1"))
    return services.purchase_receive(order=order, tz_name=TZ, lines=entries)


def billed(s: Shop, receipt: PurchaseReceipt | None = None, **quantities):
    """A bill of all of `receipt` (default: a new one of the default order) at the order's prices."""
    receipt = receipt or received(s)
    lines = [services.BillLineInput(rl.pk, rl.quantity) for rl in receipt.lines.order_by("id")]
    return services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=lines)


def payable(s: Shop) -> D:
    return partner_balance(partner_id=s.supplier.pk, kind="payable")


def line(order: PurchaseOrder, position: int) -> PurchaseOrderLine:
    return order.lines.get(position=position)


__all__ = ["D"]

from tests.finance.invariants import books_reconcile  # noqa: E402, F401  (the books reconcile after each test)
