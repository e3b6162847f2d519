"""Hot-item concurrency: 32 connections selling the last 100 units of one item at once.

Run after `make test` has installed things: `.venv/bin/python bench/stock_hot_item.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its own,
created and migrated first and dropped at the end.

Each round receives 100 units of a fresh hot item (and plenty of a companion item), then starts
BENCH_HOT_WORKERS threads, each with its own database connection, released together by a barrier.
Every worker sells one unit of the hot item and one of the companion per document through
modules.inventory.services.stock_moves_post — half of them listing the lines in the opposite order,
so the locking order is the ledger's, not the caller's — until the ledger refuses with
"insufficient_stock". Any other exception (a deadlock, a serialization failure, a lock timeout,
another AppError) is an error that would have reached a user.

Afterwards the ledger must say exactly 100 sold and nothing oversold: the hot item's balance row and
cost pool are at zero and equal the sums of its moves. The baseline is the same sales, one document
after the other on a single connection; the ratio is the parallel sales rate over the serial one.
"""

import os
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.db import connection
from django.db.models import Sum

from bench.harness import (
    catalog_create,
    say,
    target,
    tenant_create,
    tenant_drop,
    throwaway_database,
)
from jxc.kernel.errors import AppError
from modules.inventory.models import ItemValuation, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post, warehouse_default_ensure

WORKERS = int(os.environ.get("BENCH_HOT_WORKERS", "32"))
ROUNDS = int(os.environ.get("BENCH_HOT_ROUNDS", "3"))
UNITS = 100
ONE = Decimal("1")
AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class Shop:
    def __init__(self, tenant):
        self.tenant = tenant
        connection.set_tenant(tenant)
        # One hot item per parallel round and one for the serial baseline; one companion for all.
        self.items = catalog_create(items=ROUNDS + 2, categories=1, prefix="HOT")
        self.companion = self.items[-1]
        self.warehouse = warehouse_default_ensure()
        self.next_source = 0
        self.receive(self.companion, Decimal(10 * UNITS * WORKERS * (ROUNDS + 1)))

    def source_id(self) -> int:
        self.next_source += 1  # only the main thread calls this
        return self.next_source

    def receive(self, item, quantity: Decimal) -> None:
        stock_moves_post(
            lines=[MoveLine(item, self.warehouse, quantity, Decimal("3.20"))],
            posted_at=AT,
            source_type="bench_receipt",
            source_id=self.source_id(),
        )

    def sell(self, item, n: int, source_id: int) -> None:
        lines = [MoveLine(item, self.warehouse, -ONE), MoveLine(self.companion, self.warehouse, -ONE)]
        if n % 2:
            lines.reverse()
        stock_moves_post(lines=lines, posted_at=AT, source_type="bench_sale", source_id=source_id)


def worker(shop: Shop, item, n: int, barrier: threading.Barrier, outcomes: list[Counter], errors: list[str]) -> None:
    tally = outcomes[n]
    try:
        connection.set_tenant(shop.tenant)
        connection.ensure_connection()  # connect before the barrier: the round times selling, not connecting
        barrier.wait(timeout=60)
        attempt = 0
        while True:
            attempt += 1
            try:
                shop.sell(item, n, source_id=1_000_000 * (n + 1) + attempt)
            except AppError as exc:
                if exc.code == "insufficient_stock":
                    tally["refused"] += 1
                    return
                tally["error"] += 1
                errors.append(f"AppError {exc.code}: {exc}")
                return
            except Exception as exc:  # a deadlock or anything else a user would see
                tally["error"] += 1
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            tally["sold"] += 1
    finally:
        connection.close()


def parallel_round(shop: Shop, item) -> tuple[Counter, list[str], float]:
    shop.receive(item, Decimal(UNITS))
    outcomes = [Counter() for _ in range(WORKERS)]
    errors: list[str] = []
    started: list[float] = []
    barrier = threading.Barrier(WORKERS, action=lambda: started.append(time.perf_counter()))
    threads = [threading.Thread(target=worker, args=(shop, item, n, barrier, outcomes, errors)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - started[0]
    return sum(outcomes, Counter()), errors, elapsed


def serial_round(shop: Shop, item) -> tuple[int, float]:
    shop.receive(item, Decimal(UNITS))
    sold = 0
    began = time.perf_counter()
    while True:
        try:
            shop.sell(item, sold, source_id=shop.source_id())
        except AppError as exc:
            if exc.code != "insufficient_stock":
                raise
            break
        sold += 1
    return sold, time.perf_counter() - began


def ledger_check(item) -> tuple[Decimal, bool]:
    """Units sold by the ledger's account, and whether the item's balance and pool agree with its moves."""
    moves = StockMove.objects.filter(item=item)
    sold = -(moves.filter(quantity__lt=0).aggregate(q=Sum("quantity"))["q"] or 0)
    sums = moves.aggregate(q=Sum("quantity"), v=Sum("value"))
    balance = StockBalance.objects.get(item=item, warehouse__is_default=True, location=None, lot=None)
    pool = ItemValuation.objects.get(item=item)
    consistent = balance.on_hand == sums["q"] == pool.quantity and pool.value == sums["v"] and balance.on_hand >= 0
    return sold, consistent


def main() -> int:
    with throwaway_database():
        tenant = tenant_create("bhi")
        shop = Shop(tenant)
        say(f"{ROUNDS} rounds: {WORKERS} connections selling the last {UNITS} units of one item, 1 unit a document")
        rounds = []
        for r in range(ROUNDS):
            connection.set_tenant(tenant)
            item = shop.items[r]
            tally, errors, elapsed = parallel_round(shop, item)
            connection.set_tenant(tenant)
            ledger_sold, consistent = ledger_check(item)
            rounds.append((tally, errors, elapsed, ledger_sold, consistent))
            say(
                f"  round {r + 1}: {tally['sold']} sold, {tally['refused']} refused, {tally['error']} errors"
                f" in {elapsed * 1000:.0f} ms; the ledger says {ledger_sold:.0f} sold,"
                f" balance = pool = sum of moves >= 0: {'yes' if consistent else 'NO'}"
            )
            for error in errors[:5]:
                say(f"    error: {error}")
        connection.set_tenant(tenant)
        serial_item = shop.items[ROUNDS]
        serial_sold, serial_elapsed = serial_round(shop, serial_item)
        serial_consistent = ledger_check(serial_item)[1]
        connection.set_schema_to_public()
        tenant_drop(tenant)

    parallel_rate = sum(r[0]["sold"] for r in rounds) / sum(r[2] for r in rounds)
    serial_rate = serial_sold / serial_elapsed
    # The figures a user would see go wrong: the round furthest from 100 sold, the most oversold, all errors.
    sold = max((r[0]["sold"] for r in rounds), key=lambda s: abs(s - UNITS))
    oversold = max(max(0, r[0]["sold"] - UNITS, int(r[3]) - UNITS) for r in rounds)
    errors = sum(r[0]["error"] for r in rounds)
    consistent = all(r[4] for r in rounds) and serial_consistent
    say("")
    say("path        connections   sold   sales/s")
    say(f"parallel    {WORKERS:>11} {sum(r[0]['sold'] for r in rounds):>6} {parallel_rate:>9.1f}")
    say(f"serial      {1:>11} {serial_sold:>6} {serial_rate:>9.1f}")
    say(f"\nparallel selling runs at {parallel_rate / serial_rate:.2f}x the single-connection rate")
    say(f"every hot item's balance and pool equal the sums of its moves: {'yes' if consistent else 'NO'}\n")
    ok = [
        target("hot_item_sold", str(sold), str(UNITS), sold == UNITS and consistent),
        target("hot_item_oversold", str(oversold), "0", oversold == 0),
        target("hot_item_deadlock_errors", str(errors), "0", errors == 0),
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
