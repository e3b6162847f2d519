"""Posting throughput: 5-line receipts and issues through the ledger service vs hand-written psycopg 3.

Run after `make test` has installed things: `.venv/bin/python bench/stock_posting.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its own,
created and migrated first and dropped at the end.

One plan of documents (receipts and issues, 5 lines each, over BENCH_POSTING_ITEMS items at four places
in two warehouses; an issue only takes what the plan has on hand there) is posted twice, each into a
fresh tenant schema of its own:

  project  modules.inventory.services.stock_moves_post, one call (one transaction) per document
  raw      the same writes by hand on a plain psycopg 3 connection (prepared statements on): insert the
           missing pool and balance rows, lock them with SELECT ... FOR UPDATE in sorted order, check the
           stock, cost the lines at the moving average, UPDATE balances and pools, INSERT the moves with
           their running pool balances (RETURNING id) — and nothing else (no settings read, no
           backdating, reversal or lot handling; those are the project's extra work)

The two alternate in rounds so that drift on the machine hits both alike; the first documents of each
(receipts that stock the shelves) are an untimed warm-up. At the end both schemas must hold the same
moves, balances and pools, figure for figure.
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.db import connection

from bench.harness import (
    catalog_create,
    places_create,
    raw_connection,
    say,
    target,
    tenant_create,
    tenant_drop,
    throwaway_database,
)
from modules.inventory.models import ItemValuation, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post

DOCS = int(os.environ.get("BENCH_POSTING_DOCS", "600"))
ITEMS = int(os.environ.get("BENCH_POSTING_ITEMS", "60"))
ROUND = int(os.environ.get("BENCH_POSTING_ROUND", "50"))
WARMUP = 20
LINES = 5
GOAL = 0.5
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")

# A plan line: (item index, place index, signed quantity, unit cost or None)
PlanLine = tuple[int, int, Decimal, Decimal | None]


def plan_make(seed: int = 7) -> list[list[PlanLine]]:
    """Documents in posting order: the first WARMUP are receipts; then 40 % receipts, 60 % issues that
    only take what is on hand at each line's place."""
    rng = random.Random(seed)
    on_hand: dict[tuple[int, int], int] = {}
    docs = []
    for n in range(DOCS + WARMUP):
        receipt = n < WARMUP or rng.random() < 0.4
        if not receipt:
            stocked = [key for key, q in on_hand.items() if q > 0]
            by_item: dict[int, tuple[int, int]] = {}
            for key in rng.sample(stocked, len(stocked)):
                by_item.setdefault(key[0], key)
            if len(by_item) < LINES:
                receipt = True
        if receipt:
            lines = [
                (item, rng.randrange(4), Decimal(rng.randint(5, 60)), Decimal(rng.randint(150, 2500)) / 100)
                for item in rng.sample(range(ITEMS), LINES)
            ]
        else:
            lines = [
                (item, place, -Decimal(rng.randint(1, min(10, on_hand[(item, place)]))), None)
                for item, place in rng.sample(sorted(by_item.values()), LINES)
            ]
        for item, place, quantity, _cost in lines:
            on_hand[(item, place)] = on_hand.get((item, place), 0) + int(quantity)
        docs.append(lines)
    return docs


def at(n: int) -> datetime:
    return START + timedelta(minutes=n)


# --- The project's path -------------------------------------------------------------------------------


class ProjectPoster:
    def __init__(self, tenant):
        self.tenant = tenant
        connection.set_tenant(tenant)
        self.items = catalog_create(items=ITEMS, categories=10)
        self.places = places_create()

    def post(self, n: int, lines: list[PlanLine]) -> None:
        stock_moves_post(
            lines=[
                MoveLine(self.items[i], self.places[p][0], quantity, cost, self.places[p][1])
                for i, p, quantity, cost in lines
            ],
            posted_at=at(n),
            source_type="bench",
            source_id=n,
            reference=f"QT{n:06d}",
        )


# --- The hand-written path ----------------------------------------------------------------------------


class RawPoster:
    """The same writes on a plain psycopg connection, written the way one would without the ORM."""

    def __init__(self, tenant):
        connection.set_tenant(tenant)
        items = catalog_create(items=ITEMS, categories=10)
        self.item_ids = [item.pk for item in items]
        self.places = [(warehouse.pk, location.pk if location else 0) for warehouse, location in places_create()]
        connection.set_schema_to_public()
        self.conn = raw_connection(tenant.schema_name)
        self.cur = self.conn.cursor()

    def post(self, n: int, lines: list[PlanLine]) -> None:
        posted_at = at(n)
        rows = [(self.item_ids[i], *self.places[p], q, cost) for i, p, q, cost in lines]
        item_ids = sorted({row[0] for row in rows})
        keys = sorted({row[:3] for row in rows})
        cur = self.cur
        with self.conn.transaction():
            cur.execute(
                "INSERT INTO inventory_itemvaluation (item_id, quantity, value, cost)"
                " SELECT unnest(%s::bigint[]), 0, 0, 0 ON CONFLICT DO NOTHING",
                [item_ids],
            )
            cur.execute(
                "SELECT item_id, quantity, value, cost, last_posted_at FROM inventory_itemvaluation"
                " WHERE item_id = ANY(%s) ORDER BY item_id FOR UPDATE",
                [item_ids],
            )
            pools = {row[0]: list(row[1:]) for row in cur.fetchall()}
            columns = [list(column) for column in zip(*keys, strict=True)]
            cur.execute(
                "INSERT INTO inventory_stockbalance (item_id, warehouse_id, location_id, lot_id, on_hand, reserved,"
                " updated_at) SELECT k.i, k.w, NULLIF(k.l, 0), NULL, 0, 0, now()"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS k(i, w, l)"
                " ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING",
                columns,
            )
            cur.execute(
                "SELECT b.id, b.item_id, b.warehouse_id, COALESCE(b.location_id, 0), b.on_hand"
                " FROM inventory_stockbalance b"
                " JOIN unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS k(i, w, l)"
                " ON b.item_id = k.i AND b.warehouse_id = k.w AND COALESCE(b.location_id, 0) = k.l"
                " AND b.lot_id IS NULL ORDER BY b.item_id, b.warehouse_id, COALESCE(b.location_id, 0) FOR UPDATE OF b",
                columns,
            )
            balances = {tuple(row[1:4]): [row[0], row[4]] for row in cur.fetchall()}
            for item_id, pool in pools.items():
                if pool[3] is not None and posted_at < pool[3]:
                    raise RuntimeError(f"backdated posting for item {item_id}: not in the raw path")
            moves = []
            for item_id, warehouse_id, location_id, q, cost in rows:
                balance = balances[(item_id, warehouse_id, location_id)]
                balance[1] += q
                if balance[1] < 0:
                    raise RuntimeError(f"insufficient stock of item {item_id}")
                pool = pools[item_id]
                pool_q, pool_v, pool_c = pool[0], pool[1], pool[2]
                if q > 0:
                    value = (q * cost).quantize(CENT, ROUND_HALF_UP)
                    line_cost = cost.quantize(MICRO, ROUND_HALF_UP)
                    pool_q += q
                    pool_v += value
                    pool_c = (pool_v / pool_q).quantize(MICRO, ROUND_HALF_UP) if pool_q > 0 else line_cost
                    role = "in"
                else:
                    take = -q
                    if pool_q > 0 and take == pool_q:
                        value = pool_v
                    elif pool_q > 0:
                        value = (take * pool_v / pool_q).quantize(CENT, ROUND_HALF_UP)
                    else:
                        value = (take * pool_c).quantize(CENT, ROUND_HALF_UP)
                    line_cost = (value / take).quantize(MICRO, ROUND_HALF_UP)
                    pool_q -= take
                    pool_v -= value
                    pool_c = (pool_v / pool_q).quantize(MICRO, ROUND_HALF_UP) if pool_q > 0 else line_cost
                    value = -value
                    role = "out"
                pool[:3] = pool_q, pool_v, pool_c
                moves.append((item_id, warehouse_id, location_id, q, role, line_cost, value, pool_q, pool_v, pool_c))
            cur.execute(
                "UPDATE inventory_stockbalance b SET on_hand = u.q, updated_at = now()"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, q) WHERE b.id = u.id",
                [[b[0] for b in balances.values()], [b[1] for b in balances.values()]],
            )
            cur.execute(
                "UPDATE inventory_itemvaluation v SET quantity = u.q, value = u.v, cost = u.c,"
                " last_posted_at = GREATEST(v.last_posted_at, %s)"
                " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[]) AS u(id, q, v, c)"
                " WHERE v.item_id = u.id",
                [posted_at, list(pools), *([p[i] for p in pools.values()] for i in range(3))],
            )
            m = list(zip(*moves, strict=True))
            cur.execute(
                "INSERT INTO inventory_stockmove (item_id, warehouse_id, location_id, lot_id, quantity, role,"
                " reverses_id, unit_cost, value, balance_quantity, balance_value, balance_cost, fifo_layers,"
                " posted_at, source_type, source_id, reference, created_at)"
                " SELECT u.i, u.w, NULLIF(u.l, 0), NULL, u.q, u.r, NULL, u.c, u.v, u.bq, u.bv, u.bc, NULL,"
                " %s, %s, %s, %s, now()"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::numeric[], %s::text[], %s::numeric[],"
                " %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[]) WITH ORDINALITY"
                " AS u(i, w, l, q, r, c, v, bq, bv, bc, n) ORDER BY u.n RETURNING id",
                [posted_at, "bench", n, f"QT{n:06d}", *map(list, m)],
            )
            cur.fetchall()


# --- Run and compare ----------------------------------------------------------------------------------


def ledger_of(tenant) -> tuple:
    """Everything the two paths must agree on, by item code and place code (ids differ between schemas)."""
    connection.set_tenant(tenant)
    moves = list(
        StockMove.objects.order_by("posted_at", "id").values_list(
            "item__code", "warehouse__code", "location__code", "quantity", "role", "unit_cost", "value",
            "balance_quantity", "balance_value", "balance_cost", "posted_at", "source_id", "reference",
        )
    )  # fmt: skip
    balances = list(
        StockBalance.objects.order_by("item__code", "warehouse__code", "location__code").values_list(
            "item__code", "warehouse__code", "location__code", "on_hand"
        )
    )
    pools = list(
        ItemValuation.objects.order_by("item__code").values_list(
            "item__code", "quantity", "value", "cost", "last_posted_at"
        )
    )
    connection.set_schema_to_public()
    return moves, balances, pools


def main() -> int:
    plan = plan_make()
    with throwaway_database():
        project_tenant = tenant_create("bpp")
        raw_tenant = tenant_create("bpr")
        project = ProjectPoster(project_tenant)
        raw = RawPoster(raw_tenant)
        say(f"Posting {DOCS} documents of {LINES} lines ({ITEMS} items, 4 places) each way, in rounds of {ROUND} ...")
        elapsed = {"project": 0.0, "raw": 0.0}
        for n in range(WARMUP):
            connection.set_tenant(project_tenant)
            project.post(n, plan[n])
            raw.post(n, plan[n])
        for start in range(WARMUP, WARMUP + DOCS, ROUND):
            batch = range(start, min(start + ROUND, WARMUP + DOCS))
            connection.set_tenant(project_tenant)
            began = time.perf_counter()
            for n in batch:
                project.post(n, plan[n])
            elapsed["project"] += time.perf_counter() - began
            began = time.perf_counter()
            for n in batch:
                raw.post(n, plan[n])
            elapsed["raw"] += time.perf_counter() - began
        raw.conn.close()
        project_ledger = ledger_of(project_tenant)
        same = project_ledger == ledger_of(raw_tenant)
        moves = len(project_ledger[0])
        tenant_drop(project_tenant)
        tenant_drop(raw_tenant)

    project_rate = DOCS / elapsed["project"]
    raw_rate = DOCS / elapsed["raw"]
    ratio = project_rate / raw_rate
    say("")
    say("path       documents   seconds      docs/s   ms/doc")
    for name, rate in (("project", project_rate), ("raw", raw_rate)):
        say(f"{name:<9} {DOCS:>10} {elapsed[name]:>9.2f} {rate:>11.1f} {1000 / rate:>8.2f}")
    say(f"\nthe project posts at {ratio:.2f}x the hand-written psycopg rate ({moves} moves per schema)")
    say(f"both schemas hold the same moves, balances and pools: {'yes' if same else 'NO'}\n")
    ok = target("stock_posting_vs_raw", f"{ratio:.2f}x", f"{GOAL}x", ratio >= GOAL and same)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
