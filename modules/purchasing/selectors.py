"""Purchasing reads: orders by supplier, status and date; one order with its lines and receipts, and how
much of it has arrived."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from modules.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt


def purchase_order_list(
    *,
    supplier_id: int | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[PurchaseOrder]:
    """Newest first."""
    qs = PurchaseOrder.objects.select_related("supplier", "warehouse")
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
