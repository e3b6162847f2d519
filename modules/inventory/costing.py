"""Pure costing of one item's cost pool, move by move, in ledger order; no database here.

The pool is per item across all warehouses and locations (as in most small-shop systems): a transfer
moves quantity and value between places without changing the item's cost. Each move is applied to the
pool state left by the moves before it, so the same function serves a normal posting and the replay
of later moves after a backdated one.

Roles of a move:
- IN: incoming at its own unit cost (a receipt);
- IN_AVG: incoming at the pool's current cost (a count gain, a positive adjustment without a cost);
- OUT: outgoing at the method's cost (moving average, or FIFO layers);
- TRANSFER: a leg of a transfer, valued at the current average, pool unchanged;
- REVERSAL: the mirror of an earlier move (红冲): the opposite quantity and value of that move.

An outgoing move that empties the pool takes its whole remaining value, so no rounding residue is
left on an empty shelf.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

QTY = Decimal("0.000001")
COST = Decimal("0.000001")
MONEY = Decimal("0.01")
ZERO = Decimal("0")


class Method(StrEnum):
    AVERAGE = "average"
    FIFO = "fifo"


class Role(StrEnum):
    IN = "in"
    IN_AVG = "in_avg"
    OUT = "out"
    TRANSFER = "transfer"
    REVERSAL = "reversal"


def money(value: Decimal) -> Decimal:
    return value.quantize(MONEY, rounding=ROUND_HALF_UP)


def unit_cost(value: Decimal) -> Decimal:
    return value.quantize(COST, rounding=ROUND_HALF_UP)


Layer = tuple[Decimal, Decimal]  # (quantity left, unit cost) of one FIFO layer


@dataclass(frozen=True)
class Pool:
    """An item's pool after some moves: quantity, value, the cost an empty pool falls back on, and
    (FIFO only) the layers still on hand, oldest first."""

    quantity: Decimal = ZERO
    value: Decimal = Decimal("0.00")
    cost: Decimal = ZERO
    layers: tuple[Layer, ...] | None = None

    def average(self) -> Decimal:
        return unit_cost(self.value / self.quantity) if self.quantity > 0 else self.cost

    def value_of(self, quantity: Decimal) -> Decimal:
        """`quantity` (> 0) at the exact average, not the rounded one, so repeated partial issues cannot drift."""
        if self.quantity > 0:
            return money(quantity * self.value / self.quantity)
        return money(quantity * self.cost)

    def layers_json(self) -> list[list[str]] | None:
        return None if self.layers is None else [[str(q), str(c)] for q, c in self.layers]

    @classmethod
    def restore(cls, quantity, value, cost, layers_json, method: Method) -> "Pool":
        layers = None
        if method == Method.FIFO:
            layers = tuple((Decimal(q), Decimal(c)) for q, c in (layers_json or []))
        return cls(Decimal(quantity), Decimal(value), Decimal(cost), layers)


@dataclass(frozen=True)
class Move:
    """What the costing needs of one move. `reversed_value` / `reversed_cost`: of the move a REVERSAL mirrors."""

    role: Role
    quantity: Decimal
    cost: Decimal | None = None
    reversed_value: Decimal | None = None
    reversed_cost: Decimal | None = None


@dataclass(frozen=True)
class Costed:
    unit_cost: Decimal
    value: Decimal
    after: Pool


class CostingError(ValueError):
    pass


def apply(pool: Pool, move: Move) -> Costed:
    """Cost `move` against `pool`; return its unit cost, its signed value and the pool after it."""
    q = move.quantity
    if q == 0:
        raise CostingError("a move has a non-zero quantity")
    if move.role == Role.TRANSFER:
        value = pool.value_of(abs(q))
        return Costed(pool.average(), value if q > 0 else -value, pool)
    if move.role == Role.IN:
        if q < 0 or move.cost is None:
            raise CostingError("an incoming move has a positive quantity and a unit cost")
        return _add(pool, q, unit_cost(move.cost), money(q * move.cost))
    if move.role == Role.IN_AVG:
        if q < 0:
            raise CostingError("an incoming move has a positive quantity")
        cost = pool.average()
        return _add(pool, q, cost, pool.value_of(q) if pool.quantity > 0 else money(q * cost))
    if move.role == Role.OUT:
        if q > 0:
            raise CostingError("an outgoing move has a negative quantity")
        return _take(pool, -q)
    if move.role == Role.REVERSAL:
        if move.reversed_value is None or move.reversed_cost is None:
            raise CostingError("a reversal needs the reversed move's value and cost")
        if q > 0:  # goods come back at what they went out at
            return _add(pool, q, move.reversed_cost, -move.reversed_value)
        return _take(pool, -q, value=move.reversed_value, cost=move.reversed_cost)
    raise CostingError(f"unknown role {move.role}")


def _add(pool: Pool, quantity: Decimal, cost: Decimal, value: Decimal) -> Costed:
    after_quantity = pool.quantity + quantity
    after_value = pool.value + value
    layers = None if pool.layers is None else (*pool.layers, (quantity, cost))
    after_cost = unit_cost(after_value / after_quantity) if after_quantity > 0 else cost
    return Costed(cost, value, Pool(after_quantity, after_value, after_cost, layers))


def _take(pool: Pool, quantity: Decimal, *, value: Decimal | None = None, cost: Decimal | None = None) -> Costed:
    """Take `quantity` out: at the method's cost, or (a reversal) at the given value, preferring the
    FIFO layers of the given cost."""
    layers = pool.layers
    if layers is not None:
        if quantity > pool.quantity:
            raise CostingError("FIFO cannot take more than is on hand")
        layers, taken = _take_layers(layers, quantity, prefer_cost=cost)
        if value is None:
            value = money(taken)
    elif value is None:
        value = pool.value_of(quantity)
    if pool.quantity > 0 and quantity == pool.quantity:
        value = pool.value  # the last units take whatever value is left
    move_cost = unit_cost(value / quantity)
    after_quantity = pool.quantity - quantity
    after_value = pool.value - value
    after_cost = unit_cost(after_value / after_quantity) if after_quantity > 0 else move_cost
    after = Pool(after_quantity, after_value, after_cost, layers)
    return Costed(move_cost, -value, after)


def _take_layers(
    layers: tuple[Layer, ...], quantity: Decimal, *, prefer_cost: Decimal | None
) -> tuple[tuple[Layer, ...], Decimal]:
    """Consume `quantity` from the layers (oldest first; layers at `prefer_cost` first, newest first).
    Return the layers left and the exact cost of what was taken."""
    remaining = [list(layer) for layer in layers]
    need = quantity
    taken = ZERO
    order = list(range(len(remaining)))
    if prefer_cost is not None:
        preferred = [i for i in reversed(order) if remaining[i][1] == prefer_cost]
        order = preferred + [i for i in order if i not in preferred]
    for i in order:
        if need == 0:
            break
        take = min(need, remaining[i][0])
        remaining[i][0] -= take
        taken += take * remaining[i][1]
        need -= take
    return tuple((q, c) for q, c in remaining if q > 0), taken


def replay(pool: Pool, moves: list[Move]) -> list[Costed]:
    """Apply the moves in order; each result's `after` is the pool the next one starts from."""
    results = []
    for move in moves:
        costed = apply(pool, move)
        results.append(costed)
        pool = costed.after
    return results
