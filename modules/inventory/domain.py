"""Pure costing arithmetic of the moving weighted average (移动加权平均); no database here.

Quantities carry six decimal places, values two. An issue takes the current average
(value / on hand); an issue that empties the balance takes the whole remaining value so that
no rounding residue is left behind on an empty shelf.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

QTY = Decimal("0.000001")
COST = Decimal("0.000001")
MONEY = Decimal("0.01")
ZERO = Decimal("0")


def money(value: Decimal) -> Decimal:
    return value.quantize(MONEY, rounding=ROUND_HALF_UP)


def unit_cost(value: Decimal) -> Decimal:
    return value.quantize(COST, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Position:
    on_hand: Decimal
    value: Decimal

    def average(self, fallback: Decimal = ZERO) -> Decimal:
        """The current unit cost; `fallback` when nothing (or less than nothing) is on hand."""
        if self.on_hand <= 0:
            return fallback
        return unit_cost(self.value / self.on_hand)


@dataclass(frozen=True)
class Costed:
    """The outcome of one move: its unit cost and value, and the balance after it."""

    unit_cost: Decimal
    value: Decimal
    after: Position


def receive(position: Position, *, quantity: Decimal, cost: Decimal) -> Costed:
    """A receipt (quantity > 0) adds its own value at its own cost."""
    if quantity <= 0:
        raise ValueError("a receipt has a positive quantity")
    value = money(quantity * cost)
    return Costed(unit_cost(cost), value, Position(position.on_hand + quantity, position.value + value))


def issue(position: Position, *, quantity: Decimal, fallback_cost: Decimal = ZERO) -> Costed:
    """An issue of `quantity` (> 0) at the current average; the move's value is negative."""
    if quantity <= 0:
        raise ValueError("an issue has a positive quantity")
    if position.on_hand > 0 and quantity == position.on_hand:
        value = position.value
        cost = position.average()
    else:
        cost = position.average(fallback_cost)
        # The value uses the exact ratio, not the rounded average, so that a sequence of partial
        # issues cannot drift away from the balance's value.
        exact = position.value / position.on_hand if position.on_hand > 0 else cost
        value = money(quantity * exact)
    return Costed(cost, -value, Position(position.on_hand - quantity, position.value - value))


def apply(position: Position, *, quantity: Decimal, cost: Decimal | None) -> Costed:
    """A signed move: positive receives at `cost`, negative issues at the average."""
    if quantity > 0:
        if cost is None:
            raise ValueError("a receipt needs a unit cost")
        return receive(position, quantity=quantity, cost=cost)
    return issue(position, quantity=-quantity, fallback_cost=cost or ZERO)
