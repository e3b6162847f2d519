"""Purchasing reads: orders by supplier, status and date; one order with its lines and receipts, and how
much of it has arrived."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet

from jxc.kernel.numbers import cents
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseBillLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePayment,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)


def purchase_order_list(
    *,
    supplier_id: int | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[PurchaseOrder]:
    """Newest first."""
    # The lines come along for the status at a glance of each order on the page.
    qs = PurchaseOrder.objects.select_related("supplier", "warehouse").prefetch_related("lines")
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-id")


def purchase_order_detail(*, order_id: int) -> PurchaseOrder | None:
    lines = PurchaseOrderLine.objects.select_related("item", "unit").order_by("position")
    receipts = PurchaseReceipt.objects.select_related("location", "reverses", "reversal").order_by("date", "id")
    bills = PurchaseBill.objects.select_related("reverses", "reversal").order_by("date", "id")
    returns = PurchaseReturn.objects.select_related("reverses", "reversal").order_by("date", "id")
    return (
        PurchaseOrder.objects.select_related("supplier", "warehouse", "created_by")
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            Prefetch("receipts", queryset=receipts),
            Prefetch("bills", queryset=bills),
            Prefetch("returns", queryset=returns),
        )
        .filter(pk=order_id)
        .first()
    )


@dataclass(frozen=True)
class ReceivedProgress:
    """How much of an order has arrived, in base units over all its lines."""

    ordered: Decimal
    received: Decimal

    @property
    def percent(self) -> int:
        return int(self.received * 100 / self.ordered) if self.ordered else 0


def order_progress(order: PurchaseOrder) -> ReceivedProgress:
    ordered = received = Decimal(0)
    for line in order.lines.all():
        ordered += line.base_quantity
        received += line.base_quantity * line.received_quantity / line.quantity
    return ReceivedProgress(ordered=ordered.normalize(), received=received.normalize())


@dataclass(frozen=True)
class OrderGlance:
    """Ordered / received / billed / paid (and returned) of one order at a glance: quantities in base units
    over all its lines, amounts with VAT. Received and returned amounts are at the order's prices; billed
    and paid are what the bills and the payments allocated to them say. Read from the counters the
    services keep on the order and its lines (see the property tests: they always add up to the documents)."""

    ordered_quantity: Decimal
    received_quantity: Decimal
    billed_quantity: Decimal
    returned_quantity: Decimal
    ordered_amount: Decimal
    received_amount: Decimal
    billed_amount: Decimal
    paid_amount: Decimal
    returned_amount: Decimal

    @property
    def open_amount(self) -> Decimal:
        """Billed but not paid."""
        return self.billed_amount - self.paid_amount

    @property
    def stage(self) -> str:
        """The furthest step every unit of the order (as received) has made: a compact code for the list."""
        if self.received_quantity == 0:
            return "ordered"
        if self.billed_quantity < self.received_quantity:
            return "received"
        if self.paid_amount < self.billed_amount:
            return "billed"
        return "paid"


def _share(total: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    return cents(total * part / whole) if whole else Decimal("0.00")


def order_glance(order: PurchaseOrder) -> OrderGlance:
    """From the order's prefetched (or loaded) lines and its kept amounts."""
    ordered = received = billed = returned = Decimal(0)
    received_amount = Decimal("0.00")
    for line in order.lines.all():
        factor = line.base_quantity / line.quantity
        ordered += line.base_quantity
        received += line.received_quantity * factor
        billed += line.billed_quantity * factor
        returned += line.returned_quantity * factor
        received_amount += _share(line.gross, line.received_quantity, line.quantity)
    return OrderGlance(
        ordered_quantity=ordered.normalize(),
        received_quantity=received.normalize(),
        billed_quantity=billed.normalize(),
        returned_quantity=returned.normalize(),
        ordered_amount=order.total_gross,
        received_amount=received_amount,
        billed_amount=order.billed_amount,
        paid_amount=order.paid_amount,
        returned_amount=order.returned_amount,
    )


def _dated(qs: QuerySet, supplier_id: int | None, date_from: date | None, date_to: date | None) -> QuerySet:
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-id")


def purchase_receipt_detail(*, receipt_id: int) -> PurchaseReceipt | None:
    lines = PurchaseReceiptLine.objects.select_related("order_line__item", "order_line__unit", "lot").order_by("id")
    return (
        PurchaseReceipt.objects.select_related("order__supplier", "location", "reverses", "reversal")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=receipt_id)
        .first()
    )


def purchase_bill_list(
    *,
    supplier_id: int | None = None,
    order_id: int | None = None,
    open_only: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[PurchaseBill]:
    """Newest first; `open_only`: standing bills (neither a reversal nor reversed) with something left to pay."""
    qs = PurchaseBill.objects.select_related("supplier", "order", "reverses", "reversal")
    if order_id:
        qs = qs.filter(order_id=order_id)
    if open_only:
        qs = qs.filter(reverses__isnull=True, reversal__isnull=True, paid_amount__lt=F("total_gross"))
    return _dated(qs, supplier_id, date_from, date_to)


def purchase_bill_detail(*, bill_id: int) -> PurchaseBill | None:
    lines = PurchaseBillLine.objects.select_related(
        "receipt_line__receipt", "receipt_line__order_line__item", "receipt_line__order_line__unit"
    ).order_by("position")
    return (
        PurchaseBill.objects.select_related("supplier", "order", "reverses", "reversal", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines), "allocations__payment")
        .filter(pk=bill_id)
        .first()
    )


def purchase_payment_list(
    *, supplier_id: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[PurchasePayment]:
    qs = PurchasePayment.objects.select_related("supplier", "reverses", "reversal")
    return _dated(qs, supplier_id, date_from, date_to)


def purchase_payment_detail(*, payment_id: int) -> PurchasePayment | None:
    return (
        PurchasePayment.objects.select_related("supplier", "reverses", "reversal", "created_by")
        .prefetch_related("allocations__bill")
        .filter(pk=payment_id)
        .first()
    )


def purchase_return_list(
    *, supplier_id: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[PurchaseReturn]:
    qs = PurchaseReturn.objects.select_related("supplier", "order", "receipt", "warehouse", "reverses", "reversal")
    return _dated(qs, supplier_id, date_from, date_to)


def purchase_return_detail(*, return_id: int) -> PurchaseReturn | None:
    lines = PurchaseReturnLine.objects.select_related("item", "unit", "lot").order_by("position")
    return (
        PurchaseReturn.objects.select_related(
            "supplier", "order", "receipt", "warehouse", "location", "reverses", "reversal", "created_by"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=return_id)
        .first()
    )
