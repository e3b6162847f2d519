"""Pure rules of sales documents, without a database: how far an order has got (status at a glance)."""

from dataclasses import dataclass
from decimal import Decimal

from modules.sales.enums import Progress

ZERO = Decimal(0)


@dataclass(frozen=True)
class LineFigures:
    """One order line's quantities, in its unit: ordered, delivered (net of delivery reversals), returned,
    invoiced (net of invoice reversals) and credited (returned after being invoiced)."""

    quantity: Decimal
    delivered: Decimal = ZERO
    returned: Decimal = ZERO
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    # The line's amount: what its share of the delivered percentage weighs.
    gross: Decimal = ZERO

    @property
    def kept(self) -> Decimal:
        """Delivered and not sent back: what the customer is to pay for."""
        return self.delivered - self.returned

    @property
    def billed(self) -> Decimal:
        """Invoiced and not credited back."""
        return self.invoiced - self.credited


@dataclass(frozen=True)
class OrderFigures:
    lines: tuple[LineFigures, ...]
    # The gross total of the order's invoices (reversals negative) and what receipts settled of them.
    invoiced_amount: Decimal = ZERO
    received_amount: Decimal = ZERO


@dataclass(frozen=True)
class OrderGlance:
    delivered: Progress
    invoiced: Progress
    received: Progress
    delivered_percent: int
    returned: Decimal
    invoiced_amount: Decimal
    received_amount: Decimal


def glance(figures: OrderFigures) -> OrderGlance:
    """Delivered: none, part or all of every line. Invoiced: nothing billed, or everything kept of a fully
    delivered order billed (full), else part. Received: nothing, or all of the invoiced amount of a fully
    invoiced order (full), else part."""
    lines = figures.lines
    # Delivered share of the order's value (of its quantities when it is all free of charge).
    weights = [line.gross for line in lines] if any(line.gross for line in lines) else [line.quantity for line in lines]
    whole = sum(weights, ZERO)
    done = sum((weight * line.delivered / line.quantity for weight, line in zip(weights, lines, strict=True)), ZERO)
    if all(line.delivered == 0 for line in lines):
        delivered = Progress.NONE
    elif all(line.delivered == line.quantity for line in lines):
        delivered = Progress.FULL
    else:
        delivered = Progress.PARTIAL
    billed = sum((line.billed for line in lines), ZERO)
    if billed == 0:
        invoiced = Progress.NONE
    elif delivered == Progress.FULL and all(line.billed == line.kept for line in lines):
        invoiced = Progress.FULL
    else:
        invoiced = Progress.PARTIAL
    if figures.received_amount == 0:
        received = Progress.NONE
    elif invoiced == Progress.FULL and figures.received_amount >= figures.invoiced_amount:
        received = Progress.FULL
    else:
        received = Progress.PARTIAL
    return OrderGlance(
        delivered=delivered,
        invoiced=invoiced,
        received=received,
        delivered_percent=int(done * 100 / whole) if whole else 0,
        returned=sum((line.returned for line in lines), ZERO),
        invoiced_amount=figures.invoiced_amount,
        received_amount=figures.received_amount,
    )
