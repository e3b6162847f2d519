"""The reports aggregate in SQL: over a ledger of 100,000 moves (50,000 of them from 10,000 retail sales
of 5 lines) each report's figures are those the data was built with. (How fast they answer is a
benchmark's question, not a test's: timings on shared cores only make tests flaky.)"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from modules.catalog.models import Item
from modules.inventory.models import ItemValuation, StockMove
from modules.reports.selectors import sales_report, stock_movement_summary
from modules.sales.models import RetailSale, RetailSaleLine
from tests.reports.conftest import TZ

ITEMS = 200
SALES = 10_000
LINES = 5
RECEIPTS_PER_ITEM = 250  # 50,000 receipts, each of 10 at 5.00
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _ledger(shop) -> None:
    """200 items; each gets 250 receipts of 10 at 5.00 spread over 2025, and its sale lines (1 bottle at
    11.30 with VAT, net 10.00) issue 1 at 5.00 each. Running balances as the ledger would keep them."""
    items = Item.objects.bulk_create(
        [Item(code=f"P{n:04d}", name=f"商品{n}", base_unit=shop.bottle) for n in range(ITEMS)]
    )
    ItemValuation.objects.bulk_create([ItemValuation(item=item) for item in items])
    first = items[0].pk
    moves = StockMove._meta.db_table
    sales, lines = RetailSale._meta.db_table, RetailSaleLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {sales} (number, date, posted_at, warehouse_id, payment_method, total, change,
                                     created_at)
                SELECT 'PERF' || s, DATE '2025-01-01' + (s %% 365), TIMESTAMPTZ '2025-01-01 20:00+08' + (s %% 365)
                       * INTERVAL '1 day', %s, 'wechat', 56.50, 0, now()
                FROM generate_series(1, %s) s""",
            [shop.main.pk, SALES],
        )
        cursor.execute(
            f"""INSERT INTO {lines} (sale_id, position, item_id, unit_id, quantity, base_quantity, unit_price,
                                     discount, amount)
                SELECT s.id, p, %s + ((s.id * {LINES} + p) %% {ITEMS}), %s, 1, 1, 11.30, 0, 11.30
                FROM {sales} s CROSS JOIN generate_series(0, {LINES - 1}) p WHERE s.number LIKE 'PERF%%'""",
            [first, shop.bottle.pk],
        )
        cursor.execute(
            f"""INSERT INTO {moves} (item_id, warehouse_id, quantity, role, unit_cost, value, balance_quantity,
                                     balance_value, balance_cost, posted_at, source_type, source_id, reference,
                                     created_at)
                SELECT item_id, %s, quantity, role, 5, quantity * 5,
                       SUM(quantity) OVER w, SUM(quantity * 5) OVER w, 5, posted_at, source_type, source_id, '',
                       now()
                FROM (
                    SELECT %s + i AS item_id, 10 AS quantity, 'in' AS role,
                           TIMESTAMPTZ '2025-01-01 08:00+08' + (r * 365 / {RECEIPTS_PER_ITEM}) * INTERVAL '1 day'
                               AS posted_at, 'perf_receipt' AS source_type, i * 1000 + r AS source_id
                    FROM generate_series(0, {ITEMS - 1}) i CROSS JOIN generate_series(0, {RECEIPTS_PER_ITEM - 1}) r
                    UNION ALL
                    SELECT l.item_id, -1, 'out', s.posted_at, 'retail_sale', s.id
                    FROM {lines} l JOIN {sales} s ON s.id = l.sale_id WHERE s.number LIKE 'PERF%%'
                ) m
                WINDOW w AS (PARTITION BY item_id ORDER BY posted_at, source_type ROWS UNBOUNDED PRECEDING)""",
            [shop.main.pk, first],
        )
        cursor.execute(f"ANALYZE {moves}; ANALYZE {sales}; ANALYZE {lines}")


@pytest.mark.django_db
def test_reports_over_100k_moves_add_up(shop):
    _ledger(shop)
    assert StockMove.objects.filter(source_type__in=["perf_receipt", "retail_sale"]).count() == 100_000

    stock = stock_movement_summary(date_from=date(2025, 3, 1), date_to=date(2025, 9, 30), tz_name=TZ)
    assert len(stock.rows) == ITEMS
    totals = stock.totals
    assert totals["opening_quantity"] + totals["in_quantity"] - totals["out_quantity"] == totals["closing_quantity"]
    assert totals["opening_value"] + totals["in_value"] - totals["out_value"] == totals["closing_value"]
    assert totals["closing_value"] == totals["closing_quantity"] * 5

    one = stock_movement_summary(
        date_from=date(2025, 3, 1), date_to=date(2025, 9, 30), tz_name=TZ, warehouse_id=shop.main.pk
    )
    assert one.totals["closing_quantity"] == totals["closing_quantity"]

    for group in ("item", "customer", "day", "month", "category"):
        report = sales_report(date_from=YEAR[0], date_to=YEAR[1], group=group)
        assert report.totals["quantity"] == SALES * LINES
        assert report.totals["net_amount"] == D("10.00") * SALES * LINES
        assert report.totals["cost"] == D("5.00") * SALES * LINES
