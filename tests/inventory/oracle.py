"""An independent, deliberately plain recomputation of every move's cost from the full history.

It shares no code with modules.inventory.costing: it walks each item's moves in ledger order
(posted_at, id) and applies the documented rules with ordinary arithmetic, so the property tests
compare the incremental engine against a second reading of the same rules.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal


def r2(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def r6(x):
    return x.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def recompute(moves, fifo: bool) -> tuple[dict, dict]:
    """`moves`: StockMove rows. Returns ({move id: (unit_cost, value, balance qty, balance value)},
    {item id: (qty, value)})."""
    by_item = defaultdict(list)
    for m in moves:
        by_item[m.item_id].append(m)
    result, pools = {}, {}
    for item_id, item_moves in by_item.items():
        item_moves.sort(key=lambda m: (m.posted_at, m.id))
        qty, value, last = Decimal(0), Decimal("0.00"), Decimal(0)
        layers = []  # [quantity, cost], oldest first
        for m in item_moves:
            q = m.quantity
            if m.role == "transfer":
                v = r2(abs(q) * value / qty) if qty > 0 else r2(abs(q) * last)
                unit = r6(value / qty) if qty > 0 else last
                result[m.id] = (unit, v if q > 0 else -v, qty, value)
                continue
            if q > 0:
                if m.role == "in":
                    unit, v = m.unit_cost, r2(q * m.unit_cost)
                elif m.role == "in_avg":
                    unit = r6(value / qty) if qty > 0 else last
                    v = r2(q * value / qty) if qty > 0 else r2(q * unit)
                else:  # reversal of an outgoing move: back at what it went out at
                    target = result[m.reverses_id]
                    unit, v = target[0], -target[1]
                layers.append([q, unit])
                qty, value = qty + q, value + v
                last = r6(value / qty) if qty > 0 else unit
                result[m.id] = (unit, v, qty, value)
                continue
            n = -q
            prefer = None
            if m.role == "reversal":
                target = result[m.reverses_id]
                v, prefer = target[1], target[0]
            if fifo:
                order = list(range(len(layers)))
                if prefer is not None:
                    first = [i for i in reversed(order) if layers[i][1] == prefer]
                    order = first + [i for i in order if i not in first]
                need, taken = n, Decimal(0)
                for i in order:
                    take = min(need, layers[i][0])
                    layers[i][0] -= take
                    taken += take * layers[i][1]
                    need -= take
                assert need == 0, "FIFO ran out of layers"
                layers = [layer for layer in layers if layer[0] > 0]
                if prefer is None:
                    v = r2(taken)
            elif prefer is None:
                v = r2(n * value / qty) if qty > 0 else r2(n * last)
            if qty > 0 and n == qty:
                v = value
            unit = r6(v / n)
            qty, value = qty - n, value - v
            last = r6(value / qty) if qty > 0 else unit
            result[m.id] = (unit, -v, qty, value)
        pools[item_id] = (qty, value)
    return result, pools
