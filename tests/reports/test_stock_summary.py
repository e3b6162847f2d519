"""进销存汇总 over the stock ledger: exact figures of a worked month, the reconciliation opening + in − out
= closing (quantities and values, per row and in total), agreement with the stock pages' as-of values,
reversals, transfers, one warehouse's revaluation, filters, and a randomized ledger."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.inventory.selectors import stock_value_as_of
from modules.inventory.services import MoveLine, inventory_settings_update, stock_moves_reverse
from modules.reports.selectors import STOCK_FIGURES, stock_movement_summary
from tests.reports.conftest import TZ, at, category, post, post_lines

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def summary(**kwargs):
    return stock_movement_summary(date_from=MARCH[0], date_to=MARCH[1], tz_name=TZ, **kwargs)


def figures(row) -> tuple:
    return tuple(getattr(row, name) for name in STOCK_FIGURES)


def assert_reconciles(report):
    for row in report.rows:
        assert row.opening_quantity + row.in_quantity - row.out_quantity == row.closing_quantity, row
        assert row.opening_value + row.in_value - row.out_value + row.revaluation == row.closing_value, row
    totals = report.totals
    assert totals["opening_quantity"] + totals["in_quantity"] - totals["out_quantity"] == totals["closing_quantity"]
    assert (
        totals["opening_value"] + totals["in_value"] - totals["out_value"] + totals["revaluation"]
        == totals["closing_value"]
    )
    for name in STOCK_FIGURES:
        assert totals[name] == sum((getattr(row, name) for row in report.rows), D(0))


@pytest.fixture
def march(shop):
    """Cola, moving average: 10 @ 5.00 in February; in March 10 @ 6.00 in, 5 out (5.50), 4 moved to the
    second warehouse, 5 @ 7.30 in there, and the 6.00 receipt reversed (红冲); 1 out in April."""
    post(shop.cola, shop.main, "10", "5.00", on=date(2026, 2, 10))
    receipt = post(shop.cola, shop.main, "10", "6.00", on=date(2026, 3, 5))
    post(shop.cola, shop.main, "-5", on=date(2026, 3, 10))
    post_lines(
        [
            MoveLine(shop.cola, shop.main, D("-4"), transfer=True),
            MoveLine(shop.cola, shop.second, D("4"), transfer=True),
        ],
        on=date(2026, 3, 12),
    )
    post(shop.cola, shop.second, "5", "7.30", on=date(2026, 3, 15))
    stock_moves_reverse(
        source_type=receipt[0], source_id=receipt[1], posted_at=at(date(2026, 3, 20)),
        reversal_source_type="test_reversal", reversal_source_id=receipt[1],
    )  # fmt: skip
    post(shop.cola, shop.main, "-1", on=date(2026, 4, 2))
    return shop


def test_all_warehouses_worked_month(march):
    report = summary()
    assert [row.code for row in report.rows] == ["COLA"]
    (row,) = report.rows
    # The reversal of a receipt is a negative "in"; the transfer is neither in nor out.
    assert figures(row) == (
        D("10"), D("50.00"), D("5"), D("36.50"), D("5"), D("27.50"), D("0"), D("10"), D("59.00")
    )  # fmt: skip
    assert row.unit == "瓶"
    assert_reconciles(report)


def test_one_warehouse_quantities_reconcile_and_revaluation_takes_the_average_change(march):
    main = summary(warehouse_id=march.main.pk)
    second = summary(warehouse_id=march.second.pk)
    # Main: out 5 sold and 4 moved at 5.50; its one bottle left is worth the average of the end, 5.90.
    assert figures(main.rows[0]) == (
        D("10"), D("50.00"), D("0"), D("0.00"), D("9"), D("49.50"), D("5.40"), D("1"), D("5.90")
    )  # fmt: skip
    assert figures(second.rows[0]) == (
        D("0"), D("0"), D("9"), D("58.50"), D("0"), D("0"), D("-5.40"), D("9"), D("53.10")
    )  # fmt: skip
    assert_reconciles(main)
    assert_reconciles(second)
    # The warehouses add up to the whole: their revaluations cancel out.
    whole = summary().rows[0]
    assert main.rows[0].closing_value + second.rows[0].closing_value == whole.closing_value
    assert main.rows[0].revaluation + second.rows[0].revaluation == 0


def test_a_warehouse_holding_all_the_stock_has_no_revaluation(shop):
    post(shop.cola, shop.main, "10", "5.00", on=date(2026, 2, 10))
    post(shop.cola, shop.main, "10", "6.00", on=date(2026, 3, 5))
    post(shop.cola, shop.main, "-5", on=date(2026, 3, 10))
    (row,) = summary(warehouse_id=shop.main.pk).rows
    assert row.revaluation == 0
    assert (row.closing_quantity, row.closing_value) == (D("15"), D("82.50"))


def _as_of(when: datetime, warehouse_id=None) -> dict:
    return {r.item_id: (r.quantity, r.value) for r in stock_value_as_of(at=when, warehouse_id=warehouse_id).rows}


def assert_agrees_with_as_of(report, date_from: date, date_to: date, warehouse_id=None):
    """Opening and closing are what the stock pages show for the end of the day before and of the last day."""
    tz = ZoneInfo(TZ)
    before = _as_of(datetime.combine(date_from - timedelta(days=1), time.max, tzinfo=tz), warehouse_id)
    after = _as_of(datetime.combine(date_to, time.max, tzinfo=tz), warehouse_id)
    for row in report.rows:
        assert (row.opening_quantity, row.opening_value) == before.get(row.item_id, (0, 0)), row
        assert (row.closing_quantity, row.closing_value) == after.get(row.item_id, (0, 0)), row
    listed = {row.item_id for row in report.rows}
    assert set(before) | set(after) <= listed


def test_opening_and_closing_agree_with_stock_as_of(march):
    assert_agrees_with_as_of(summary(), *MARCH)
    for warehouse in (march.main, march.second):
        assert_agrees_with_as_of(summary(warehouse_id=warehouse.pk), *MARCH, warehouse_id=warehouse.pk)


def test_items_without_stock_or_moves_are_left_out_and_the_period_bounds_are_the_shops_days(shop, tea):
    # 23:59 on 31 March in Shanghai is in March; 00:00 on 1 April is not.
    post(shop.cola, shop.main, "3", "2.00", on=date(2026, 3, 31), hour=23)
    post(tea, shop.main, "2", "4.00", on=date(2026, 4, 1), hour=0)
    report = summary()
    assert [(row.code, row.in_quantity) for row in report.rows] == [("COLA", D("3"))]
    assert summary(item_id=tea.pk).rows == []


def test_category_filter_takes_subcategories(shop, tea):
    drinks = category("饮料")
    soda = category("汽水", parent=drinks)
    catalog.item_update(item=shop.cola, category=soda)
    post(shop.cola, shop.main, "3", "2.00", on=date(2026, 3, 3))
    post(tea, shop.main, "2", "4.00", on=date(2026, 3, 3))
    assert [row.code for row in summary(category_id=drinks.pk).rows] == ["COLA"]
    assert [row.category for row in summary(category_id=drinks.pk).rows] == ["汽水"]
    assert [row.code for row in summary().rows] == ["COLA", "TEA"]


def test_sorting_and_a_bad_sort_names_the_parameter(shop, tea):
    post(shop.cola, shop.main, "3", "2.00", on=date(2026, 3, 3))
    post(tea, shop.main, "2", "9.00", on=date(2026, 3, 3))
    assert [row.code for row in summary(sort="-closing_value").rows] == ["TEA", "COLA"]
    assert [row.code for row in summary(sort="closing_quantity").rows] == ["TEA", "COLA"]
    with pytest.raises(AppError) as refused:
        summary(sort="-item__cost")
    assert refused.value.field == "sort"


@pytest.mark.parametrize(("method", "seed"), [("average", 4), ("fifo", 4), ("average", 11)])
def test_randomized_ledger_reconciles_and_agrees_with_as_of(shop, method, seed):
    """Random receipts, issues, transfers and reversals, some backdated, over two months, costed by moving
    average or FIFO: every period reconciles and agrees with the as-of values, for all warehouses and
    for each."""
    inventory_settings_update(costing_method=method)
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    on_hand = {shop.main.pk: D(0), shop.second.pk: D(0)}
    places = [shop.main, shop.second]
    reversals, minute = 0, 0
    for _ in range(70):
        warehouse = rng.choice(places)
        roll = rng.random()
        if roll < 0.45 or on_hand[warehouse.pk] < 3:
            # Receipts land on any of the first 50 days, in any order: most of them backdated.
            quantity = rng.randrange(1, 20)
            cost = f"{rng.randrange(300, 900) / 100:.2f}"
            day = start + timedelta(days=rng.randrange(50))
            hour = rng.randrange(24)
            source_type, source_id = post(shop.cola, warehouse, str(quantity), cost, on=day, hour=hour)
            reversals += 1
            if reversals % 5 == 0:
                # Every fifth receipt is reversed (红冲) half an hour later: both count, as in and minus in.
                stock_moves_reverse(
                    source_type=source_type, source_id=source_id, posted_at=at(day, hour).replace(minute=30),
                    reversal_source_type="test_reversal", reversal_source_id=source_id,
                )  # fmt: skip
            else:
                on_hand[warehouse.pk] += quantity
            continue
        # Issues and transfers go after every receipt, in order, so none finds the shelf short.
        day, minute = start + timedelta(days=50 + minute // 600), minute + 7
        quantity = rng.randrange(1, int(on_hand[warehouse.pk]) + 1)
        if roll < 0.8:
            post(shop.cola, warehouse, str(-quantity), on=day, hour=(minute // 60) % 10, minute=minute % 60)
        else:
            other = places[1] if warehouse == places[0] else places[0]
            post_lines(
                [MoveLine(shop.cola, warehouse, D(-quantity), transfer=True),
                 MoveLine(shop.cola, other, D(quantity), transfer=True)],
                on=day, hour=(minute // 60) % 10, minute=minute % 60,
            )  # fmt: skip
            on_hand[other.pk] += quantity
        on_hand[warehouse.pk] -= quantity
    periods = [
        (start, start + timedelta(days=59)),
        (date(2026, 1, 10), date(2026, 2, 3)),
        (date(2026, 2, 15), date(2026, 3, 31)),
        (date(2025, 12, 1), date(2025, 12, 31)),
    ]
    for date_from, date_to in periods:
        for warehouse_id in (None, shop.main.pk, shop.second.pk):
            report = stock_movement_summary(date_from=date_from, date_to=date_to, tz_name=TZ, warehouse_id=warehouse_id)
            assert_reconciles(report)
            assert_agrees_with_as_of(report, date_from, date_to, warehouse_id)
            if warehouse_id is None:
                assert all(row.revaluation == 0 for row in report.rows)
