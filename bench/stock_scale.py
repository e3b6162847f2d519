"""Scale: a tenant with 10 million stock moves — posting, stock by category, value as of a date, backdating.

Run after `make test` has installed things: `.venv/bin/python bench/stock_scale.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its own,
created and migrated first and dropped at the end. BENCH_SCALE_MOVES=200000 makes a quick run
(`make bench` uses that); the default is the issue's 10,000,000 (about 15 minutes on 2 cores).

The big tenant's ledger is generated in posting order and COPYed in (psycopg 3 `cursor.copy`) with the
move table's indexes and foreign keys dropped, then rebuilt, VACUUM ANALYZEd and checked:
  - BENCH_SCALE_ITEMS (5,000) items in 50 categories (5 top-level, 45 below them), 2 warehouses, 4 places;
    two years of documents of 1-5 lines, item popularity skewed; receipts at a cost near the item's,
    issues only of what is on hand at the place (else the line restocks it);
  - one hot item with BENCH_SCALE_HOT_LATER (10,000) moves in its last 90 days and a fifth of that before;
  - every move carries the item's running pool balance, computed while generating with the moving
    average exactly as modules/inventory/costing.py rounds it (integer cents and millionths); balance
    rows are the sums per place, cost pools what each item's last move left.
A second tenant with the same catalog and an empty ledger is the baseline for posting.

Measured (median of several runs after a warm-up):
  (a) posting a 5-line document at the end of the big ledger vs the empty one, alternating
  (b) stock by category: selectors.stock_on_hand(category_id=...) evaluated plus its totals, for the
      largest top-level category
  (c) the whole tenant's stock value as of a date a year back: selectors.stock_value_as_of(at=...)
  (d) a receipt of the hot item backdated before its 10,000 later moves (all of them re-costed)
and afterwards the hot item's pool, balance rows and running balances must still match its moves.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

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
from modules.catalog.models import Category
from modules.inventory import costing, selectors
from modules.inventory.models import ItemValuation, StockMove
from modules.inventory.services import MoveLine, stock_moves_post

MOVES = int(os.environ.get("BENCH_SCALE_MOVES", "10000000"))
ITEMS = int(os.environ.get("BENCH_SCALE_ITEMS", "5000"))
CATEGORIES = 50
DAYS = 730
HOT_DAYS = 90
HOT_LATER = int(os.environ.get("BENCH_SCALE_HOT_LATER", "10000"))
HOT_BEFORE = HOT_LATER // 5
POSTING_SAMPLES = int(os.environ.get("BENCH_SCALE_POSTING_SAMPLES", "60"))
QUERY_SAMPLES = int(os.environ.get("BENCH_SCALE_QUERY_SAMPLES", "15"))
BACKDATED_SAMPLES = int(os.environ.get("BENCH_SCALE_BACKDATED_SAMPLES", "5"))
GOALS = {"posting": 1.2, "category_ms": 100.0, "as_of_ms": 500.0, "backdated_ms": 1000.0}


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for numerator >= 0 and denominator > 0 (costing's rounding)."""
    return (2 * numerator + denominator) // (2 * denominator)


class Generator:
    """The big tenant's moves in posting order, as COPY text, with the state the ledger rows need.

    Quantities are whole units; values integer cents; unit costs integer millionths. Moving average as
    costing.apply does it: an issue takes quantity × pool value / pool quantity (the last units take
    what is left), each unit cost is value / quantity to six places, half up.
    """

    def __init__(self, item_ids: list[int], hot_id: int, places: list[tuple[int, int | None]], end, seed: int = 11):
        self.rng = random.Random(seed)
        self.item_ids = item_ids
        self.hot_id = hot_id
        self.places = [(str(w), str(loc) if loc else "\\N") for w, loc in places]
        self.start = end - timedelta(days=DAYS)
        self.end = end
        self.hot_from = end - timedelta(days=HOT_DAYS)  # the backdating point: HOT_LATER hot moves after it
        everyone = [*item_ids, hot_id]
        self.quantity = dict.fromkeys(everyone, 0)
        self.value = dict.fromkeys(everyone, 0)
        self.cost = dict.fromkeys(everyone, 0)
        self.last_at = {}
        self.on_hand: dict[tuple[int, int], int] = {}
        self.base_cost = {item: self.rng.randint(150, 9000) for item in everyone}
        self.home = {item: self.rng.sample(range(len(places)), self.rng.choice((1, 1, 2))) for item in item_ids}
        self.home[hot_id] = [0]
        self.moves = 0

    def line(self, item: int, place: int, quantity: int, cost_cents: int | None, at: str, source: str, doc: int):
        """One move's COPY row; `cost_cents` for a receipt, None for an issue (quantity < 0)."""
        pool_q, pool_v = self.quantity[item], self.value[item]
        if quantity > 0:
            value = quantity * cost_cents
            unit = cost_cents * 10_000
            pool_q += quantity
            pool_v += value
            role = "in"
        else:
            take = -quantity
            value = pool_v if take == pool_q else half_up(take * pool_v, pool_q)
            unit = half_up(value * 10_000, take)
            pool_q -= take
            pool_v -= value
            value = -value
            role = "out"
        pool_c = half_up(pool_v * 10_000, pool_q) if pool_q > 0 else unit
        self.quantity[item], self.value[item], self.cost[item] = pool_q, pool_v, pool_c
        key = (item, place)
        self.on_hand[key] = self.on_hand.get(key, 0) + quantity
        self.last_at[item] = at
        self.moves += 1
        warehouse, location = self.places[place]
        return (
            f"{item}\t{warehouse}\t{location}\t\\N\t{quantity}\t{role}\t\\N\t{unit}e-6\t{value}e-2\t{pool_q}\t"
            f"{pool_v}e-2\t{pool_c}e-6\t\\N\t{at}\t{source}\t{doc}\tNO{doc:08d}\t{at}\n"
        )

    def hot_times(self) -> list[float]:
        """Seconds from the start of the hot item's documents: a fifth before the backdating point, the
        rest (HOT_LATER) after it, evenly spread."""
        before = (self.hot_from - self.start).total_seconds()
        after = (self.end - self.hot_from).total_seconds()
        return [before * (j + 0.5) / HOT_BEFORE for j in range(HOT_BEFORE)] + [
            before + after * (j + 0.5) / HOT_LATER for j in range(HOT_LATER)
        ]

    def rows(self, chunk: int = 20_000):
        """Yield COPY text in chunks: the documents in time order, the hot item's merged in by time."""
        rng = self.rng
        hot = self.hot_times()
        main_total = MOVES - len(hot)
        main_done = 0
        period = DAYS * 86_400
        # Popularity: a skewed draw (a few best sellers, a long tail), drawn in blocks for speed.
        weights = [1 / (rank + 10) ** 0.9 for rank in range(len(self.item_ids))]
        by_rank = rng.sample(self.item_ids, len(self.item_ids))
        picks: list[int] = []
        out: list[str] = []
        h = 0
        doc = 0
        while main_done < main_total or h < len(hot):
            # A document's time follows the share of the moves written so far: the last is near the end.
            seconds = period * main_done / main_total
            while h < len(hot) and (main_done >= main_total or hot[h] <= seconds):
                out.append(self.hot_line(hot[h], h))
                h += 1
            if main_done < main_total:
                at = (self.start + timedelta(seconds=seconds)).isoformat()
                receipt = rng.random() < 0.2
                items = set()
                for _ in range(min(rng.randint(1, 5), main_total - main_done)):
                    if not picks:
                        picks = rng.choices(by_rank, weights=weights, k=50_000)
                    items.add(picks.pop())
                for item in sorted(items):
                    place = rng.choice(self.home[item])
                    quantity = rng.randint(1, 10)
                    if receipt or self.on_hand.get((item, place), 0) < quantity:
                        cost = self.base_cost[item] * rng.randint(90, 110) // 100
                        out.append(self.line(item, place, rng.randint(20, 200), cost, at, "purchase", doc))
                    else:
                        out.append(self.line(item, place, -quantity, None, at, "sale", doc))
                main_done += len(items)
                doc += 1
            if len(out) >= chunk:
                yield "".join(out)
                out = []
        if out:
            yield "".join(out)

    def hot_line(self, seconds: float, n: int) -> str:
        at = (self.start + timedelta(seconds=seconds)).isoformat()
        quantity = self.rng.randint(1, 3)
        doc = 90_000_000 + n
        if self.on_hand.get((self.hot_id, 0), 0) < quantity:
            cost = self.base_cost[self.hot_id] * self.rng.randint(80, 120) // 100
            return self.line(self.hot_id, 0, 300, cost, at, "purchase", doc)
        return self.line(self.hot_id, 0, -quantity, None, at, "counter_sale", doc)


MOVE_COLUMNS = (
    "item_id, warehouse_id, location_id, lot_id, quantity, role, reverses_id, unit_cost, value, balance_quantity,"
    " balance_value, balance_cost, fifo_layers, posted_at, source_type, source_id, reference, created_at"
)


def load(tenant, generator: Generator) -> None:
    """COPY the moves in without the move table's secondary indexes and foreign keys, then rebuild them
    exactly as they were, write balances and pools, VACUUM ANALYZE."""
    raw = raw_connection(tenant.schema_name)
    cur = raw.cursor()
    cur.execute("SET synchronous_commit = off")
    cur.execute("SET maintenance_work_mem = '512MB'")
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname"
        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname"
        " JOIN pg_index x ON x.indexrelid = c.oid"
        " WHERE i.schemaname = current_schema() AND i.tablename = 'inventory_stockmove' AND NOT x.indisprimary"
    )
    indexes = cur.fetchall()
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'inventory_stockmove'::regclass AND contype = 'f'"
    )
    foreign_keys = cur.fetchall()
    for name, _definition in foreign_keys:
        cur.execute(f'ALTER TABLE inventory_stockmove DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')

    began = time.perf_counter()
    with raw.transaction(), cur.copy(f"COPY inventory_stockmove ({MOVE_COLUMNS}) FROM STDIN") as copy:
        for text in generator.rows():
            copy.write(text)
            if generator.moves % 1_000_000 < 20_000:
                say(f"  {generator.moves:>11,} moves ({time.perf_counter() - began:.0f} s)")
    copied = time.perf_counter() - began
    say(f"  generated and copied {generator.moves:,} moves in {copied:.0f} s ({generator.moves / copied:,.0f}/s)")

    began = time.perf_counter()
    for _name, definition in indexes:
        cur.execute(definition)
    for name, definition in foreign_keys:
        cur.execute(f'ALTER TABLE inventory_stockmove ADD CONSTRAINT "{name}" {definition}')
    say(f"  rebuilt {len(indexes)} indexes and {len(foreign_keys)} foreign keys in {time.perf_counter() - began:.0f} s")

    end = generator.end.isoformat()
    with raw.transaction():
        with cur.copy(
            "COPY inventory_stockbalance (item_id, warehouse_id, location_id, lot_id, on_hand, reserved, updated_at)"
            " FROM STDIN"
        ) as copy:
            for (item, place), on_hand in generator.on_hand.items():
                warehouse, location = generator.places[place]
                copy.write(f"{item}\t{warehouse}\t{location}\t\\N\t{on_hand}\t0\t{end}\n")
        with cur.copy(
            "COPY inventory_itemvaluation (item_id, quantity, value, cost, fifo_layers, last_posted_at) FROM STDIN"
        ) as copy:
            for item, at in generator.last_at.items():
                copy.write(
                    f"{item}\t{generator.quantity[item]}\t{generator.value[item]}e-2\t{generator.cost[item]}e-6"
                    f"\t\\N\t{at}\n"
                )
    began = time.perf_counter()
    cur.execute("VACUUM (ANALYZE) inventory_stockmove, inventory_stockbalance, inventory_itemvaluation")
    say(f"  VACUUM ANALYZE in {time.perf_counter() - began:.0f} s")
    cur.execute(
        "SELECT pg_size_pretty(pg_relation_size('inventory_stockmove')),"
        " pg_size_pretty(pg_indexes_size('inventory_stockmove'))"
    )
    say("  the move table: {} of rows, {} of indexes".format(*cur.fetchone()))
    raw.close()


def ledger_mismatches(item_ids: list[int] | None = None) -> int:
    """How many pools differ from the sums of their item's moves or from its latest move's running
    balance, plus how many balance rows differ from the sums of their place's moves (0: consistent).
    All items, or the given ones."""
    only = "WHERE m.item_id = ANY(%(items)s)" if item_ids else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH places AS (
                    SELECT item_id, warehouse_id, COALESCE(location_id, 0) location_id, sum(quantity) q, sum(value) v
                    FROM inventory_stockmove m {only} GROUP BY 1, 2, 3),
                sums AS (SELECT item_id, sum(q) q, sum(v) v FROM places GROUP BY 1)
                SELECT
                  (SELECT count(*) FROM sums s LEFT JOIN inventory_itemvaluation p USING (item_id)
                    WHERE p.quantity IS DISTINCT FROM s.q OR p.value IS DISTINCT FROM s.v)
                + (SELECT count(*) FROM places s LEFT JOIN inventory_stockbalance b ON b.item_id = s.item_id
                    AND b.warehouse_id = s.warehouse_id AND COALESCE(b.location_id, 0) = s.location_id
                    AND b.lot_id IS NULL WHERE b.on_hand IS DISTINCT FROM s.q)
                + (SELECT count(*) FROM sums s JOIN inventory_itemvaluation p USING (item_id)
                    CROSS JOIN LATERAL (SELECT balance_quantity, balance_value FROM inventory_stockmove m
                        WHERE m.item_id = s.item_id ORDER BY m.posted_at DESC, m.id DESC LIMIT 1) latest
                    WHERE (latest.balance_quantity, latest.balance_value) <> (p.quantity, p.value))""",
            {"items": item_ids},
        )
        return cursor.fetchone()[0]


def costing_agrees(item_id: int) -> bool:
    """The item's stored moves replayed through costing.apply give the same costs and running balances."""
    moves = StockMove.objects.filter(item_id=item_id).order_by("posted_at", "id")
    pool = costing.Pool()
    for role, quantity, unit_cost, value, bq, bv, bc in moves.values_list(
        "role", "quantity", "unit_cost", "value", "balance_quantity", "balance_value", "balance_cost"
    ).iterator(chunk_size=5000):
        costed = costing.apply(pool, costing.Move(costing.Role(role), quantity, unit_cost if role == "in" else None))
        pool = costed.after
        if (costed.unit_cost, costed.value, pool.quantity, pool.value, pool.cost) != (unit_cost, value, bq, bv, bc):
            return False
    return True


def timed_ms(fn) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def medians(fn, samples: int) -> tuple[float, list[float]]:
    fn()  # warm-up
    timings = [timed_ms(fn) for _ in range(samples)]
    return statistics.median(timings), timings


class Poster:
    """Alternating 5-line receipts and issues of the same five items, posted now."""

    def __init__(self, tenant, items, warehouse):
        self.tenant, self.items, self.warehouse = tenant, items, warehouse
        self.n = 0

    def post(self) -> float:
        connection.set_tenant(self.tenant)
        self.n += 1
        if self.n % 2:
            lines = [MoveLine(item, self.warehouse, Decimal(12), Decimal("4.35")) for item in self.items]
        else:
            lines = [MoveLine(item, self.warehouse, Decimal(-12)) for item in self.items]
        at = timezone.now()
        return timed_ms(
            lambda: stock_moves_post(
                lines=lines, posted_at=at, source_type="bench_doc", source_id=self.n, reference=f"BD{self.n:06d}"
            )
        )


def main() -> int:
    with throwaway_database():
        big = tenant_create("bsb")
        empty = tenant_create("bse")
        catalogs = {}
        for tenant in (big, empty):
            connection.set_tenant(tenant)
            catalogs[tenant.schema_name] = (catalog_create(items=ITEMS + 1, categories=CATEGORIES), places_create())
        big_items, big_places = catalogs[big.schema_name]
        empty_items, empty_places = catalogs[empty.schema_name]
        hot = big_items[0]
        generator = Generator(
            [item.pk for item in big_items[1:]],
            hot.pk,
            [(warehouse.pk, location.pk if location else None) for warehouse, location in big_places],
            end=timezone.now() - timedelta(hours=1),
        )
        connection.set_schema_to_public()
        say(f"Loading {MOVES:,} moves over {DAYS} days ({ITEMS:,} items, {CATEGORIES} categories, 4 places) ...")
        load(big, generator)

        connection.set_tenant(big)
        began = time.perf_counter()
        mismatches = ledger_mismatches()
        sampled = [hot.pk, *random.Random(5).sample(sorted(generator.last_at), 5)]
        replayed = all(costing_agrees(item_id) for item_id in sampled)
        hot_later = StockMove.objects.filter(item=hot, posted_at__gt=generator.hot_from).count()
        say(
            f"  checked in {time.perf_counter() - began:.0f} s: pools, balances and running balances match the"
            f" moves: {'yes' if mismatches == 0 else f'NO ({mismatches} off)'}; {len(sampled)} items replayed"
            f" through costing.apply agree: {'yes' if replayed else 'NO'}; the hot item has {hot_later:,} moves"
            f" after {generator.hot_from:%Y-%m-%d}"
        )

        # (a) The same 5-line documents (items by position in the same catalog), alternating between tenants.
        chosen = sorted(random.Random(9).sample(range(1, ITEMS + 1), 5))
        big_poster = Poster(big, [big_items[k] for k in chosen], big_places[0][0])
        empty_poster = Poster(empty, [empty_items[k] for k in chosen], empty_places[0][0])
        for _ in range(2):  # warm-up: the empty tenant's first posting creates its pool and balance rows
            big_poster.post()
            empty_poster.post()
        big_ms, empty_ms = [], []
        for _ in range(POSTING_SAMPLES):
            big_ms.append(big_poster.post())
            empty_ms.append(empty_poster.post())
        posting_ratio = statistics.median(big_ms) / statistics.median(empty_ms)

        # (b) The largest top-level category, every row evaluated, and its totals.
        connection.set_tenant(big)
        root = max(Category.objects.filter(parent=None), key=lambda c: c.children.aggregate(n=Count("items"))["n"])

        def by_category():
            rows = selectors.stock_on_hand(category_id=root.pk)
            return list(rows), selectors.stock_on_hand_totals(rows)

        def first_page():  # what the stock page shows: 50 rows, the count for the pager, the totals
            rows = selectors.stock_on_hand(category_id=root.pk)
            return list(rows[:50]), rows.count(), selectors.stock_on_hand_totals(rows)

        category_rows, category_totals = by_category()
        totals_agree = sum(row.value for row in category_rows) == category_totals["value"]
        category_ms, _ = medians(by_category, QUERY_SAMPLES)
        page_ms, _ = medians(first_page, QUERY_SAMPLES)

        # (c) The whole tenant's value a year back; and today's must equal the sum of the pools.
        year_ago = generator.end - timedelta(days=365)
        as_of_ms, _ = medians(lambda: selectors.stock_value_as_of(at=year_ago), QUERY_SAMPLES)
        value_then = selectors.stock_value_as_of(at=year_ago).value
        value_now = selectors.stock_value_as_of(at=timezone.now()).value
        value_now_agrees = value_now == ItemValuation.objects.aggregate(v=Sum("value"))["v"]

        # (d) A receipt of the hot item dated before its 10,000 later moves, at twice its cost.
        cost = Decimal(generator.base_cost[hot.pk] * 2) / 100
        backdated_ms, revalued = [], []
        for n in range(BACKDATED_SAMPLES + 1):
            at = generator.hot_from - timedelta(seconds=n + 1)
            later = StockMove.objects.filter(item=hot, posted_at__gt=at).count()
            began = time.perf_counter()
            result = stock_moves_post(
                lines=[MoveLine(hot, big_places[0][0], Decimal(50), cost)],
                posted_at=at,
                source_type="bench_backdated",
                source_id=n,
            )
            if n:  # the first is the warm-up
                backdated_ms.append((time.perf_counter() - began) * 1000)
                revalued.append((later, len(result.revalued)))
        hot_mismatches = ledger_mismatches([hot.pk])
        hot_replayed = costing_agrees(hot.pk)
        connection.set_schema_to_public()
        tenant_drop(big)
        tenant_drop(empty)

    backdated_p50 = statistics.median(backdated_ms)
    yes = {True: "yes", False: "NO"}
    say("")
    say(f"(a) posting a 5-line document, median of {POSTING_SAMPLES}, alternating between the tenants:")
    say(
        f"    {MOVES:,}-move ledger {statistics.median(big_ms):.2f} ms,"
        f" empty ledger {statistics.median(empty_ms):.2f} ms"
    )
    say(
        f"(b) stock by top-level category {root.name} ({len(category_rows)} balance rows,"
        f" value {category_totals['value']}):"
    )
    say(
        f"    {category_ms:.1f} ms, median of {QUERY_SAMPLES}"
        f" (the stock page's first 50 rows, count and totals: {page_ms:.1f} ms);"
    )
    say(f"    the rows' values add up to the totals: {yes[totals_agree]}")
    say(f"(c) the whole tenant's value as of {year_ago:%Y-%m-%d} ({value_then}): {as_of_ms:.1f} ms,")
    say(f"    median of {QUERY_SAMPLES}; as of now it equals the sum of the pools: {yes[value_now_agrees]}")
    say(f"(d) a receipt of the hot item backdated before its later moves: {backdated_p50:.0f} ms, median of")
    say(f"    {len(backdated_ms)}; (later moves, documents re-valued) per posting: {revalued}")
    say(
        f"    afterwards the hot item's pool, balance and running balances match its moves: {yes[hot_mismatches == 0]};"
    )
    say(f"    its history replayed through costing.apply gives the stored costs: {yes[hot_replayed]}\n")
    loaded_ok = mismatches == 0 and replayed and hot_later >= HOT_LATER and value_now_agrees
    after_ok = hot_mismatches == 0 and hot_replayed
    ok = [
        target("scale_posting_vs_empty", f"{posting_ratio:.2f}x", "1.2x", posting_ratio <= GOALS["posting"]),
        target(
            "scale_stock_by_category",
            f"{category_ms:.0f}ms",
            "100ms",
            category_ms <= GOALS["category_ms"] and totals_agree,
        ),
        target("scale_value_as_of", f"{as_of_ms:.0f}ms", "500ms", as_of_ms <= GOALS["as_of_ms"] and loaded_ok),
        target(
            "scale_backdated_10k",
            f"{backdated_p50:.0f}ms",
            "1000ms",
            backdated_p50 <= GOALS["backdated_ms"] and after_ok and loaded_ok,
        ),
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
