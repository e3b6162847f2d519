"""Purchasing reads: orders by supplier, status and date; one order with its lines and receipts, and how
much of it has arrived."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from jxc.kernel.numbers import cents
from modules.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt


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
    receipts = PurchaseReceipt.objects.select_related("location").order_by("date", "id")
    return (
        PurchaseOrder.objects.select_related("supplier", "warehouse", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines), Prefetch("receipts", queryset=receipts))
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
