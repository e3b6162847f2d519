"""The stock query selectors against the worked ledger in tests/inventory/worked.py."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from modules.catalog.models import Item
from modules.inventory import selectors
from modules.inventory.selectors import ExpiryStatus
from tests.inventory.worked import build, day

TODAY = date(2026, 6, 1)


@pytest.fixture
def world(tenant_a, in_tenant_a):
    return build(tenant_a, today=TODAY)


def as_of(n, **filters):
    result = selectors.stock_value_as_of(at=day(n, 23), **filters)
    return {row.item_code: (row.quantity, row.value) for row in result.rows}, (result.quantity, result.value)


def test_as_of_all_places_reads_the_pool_of_each_day(world):
    assert as_of(3) == (
        {"COLA": (D("16"), D("40.00")), "MILK": (D("8"), D("48.00")), "TEA": (D("5"), D("20.00"))},
        (D("29"), D("108.00")),
    )
    assert as_of(5)[0]["COLA"] == (D("20"), D("60.00"))
    # Before anything moved there is nothing; the moves at exactly `at` count.
    assert selectors.stock_value_as_of(at=day(1) - timedelta(microseconds=1)).rows == []
    assert as_of(1, item_id=world.cola)[0] == {"COLA": (D("10"), D("20.00"))}
    assert selectors.stock_value_as_of(at=day(1), item_id=world.cola).rows[0].average_cost == D("2.000000")


def test_as_of_one_warehouse_values_its_quantity_at_the_pool_average(world):
    # Early dates sum the moves up to `at`, late ones subtract the later moves from the balance now:
    # both sides of the item's history are exercised here.
    main = {n: as_of(n, warehouse_id=world.main)[0]["COLA"] for n in (1, 2, 3, 4, 5)}
    assert main == {
        1: (D("10"), D("20.00")),
        2: (D("10"), D("25.00")),
        3: (D("6"), D("15.00")),
        4: (D("9"), D("22.50")),
        5: (D("13"), D("39.00")),
    }
    w2 = {n: as_of(n, warehouse_id=world.w2)[0].get("COLA") for n in (1, 2, 4, 5)}
    assert w2 == {1: None, 2: (D("10"), D("25.00")), 4: (D("7"), D("17.50")), 5: (D("7"), D("21.00"))}
    assert as_of(5, warehouse_id=world.w2)[1] == (D("7"), D("21.00"))


def test_as_of_by_category(world):
    rows, totals = as_of(5, category_id=world.dairy)
    assert rows == {"MILK": (D("8"), D("48.00"))}
    assert totals == (D("8"), D("48.00"))


def test_as_of_is_one_query(world, django_assert_num_queries):
    Item.objects.exists()  # the schema's search_path is set on the first query after a switch
    with django_assert_num_queries(1):
        selectors.stock_value_as_of(at=day(4))
    # One SELECT, after turning JIT off (SET LOCAL) inside a savepoint.
    with django_assert_num_queries(4):
        selectors.stock_value_as_of(at=day(4), warehouse_id=world.main)


def test_history_running_balances_of_the_pool_and_of_one_warehouse(world):
    cola = Item.objects.get(pk=world.cola)
    history = selectors.item_move_history(item=cola)
    assert [(m.reference, m.quantity, m.balance_quantity, m.balance_value) for m in history.moves] == [
        ("IN-1", D("10"), D("10"), D("20.00")),
        ("IN-2", D("10"), D("20"), D("50.00")),
        ("OUT-1", D("-4"), D("16"), D("40.00")),
        ("TR-1", D("-3"), D("16"), D("40.00")),
        ("TR-1", D("3"), D("16"), D("40.00")),
        ("IN-3", D("4"), D("20"), D("60.00")),
    ]
    assert (history.opening.quantity, history.opening.value, history.opening.warehouse_quantity) == (
        D("0"),
        D("0.00"),
        None,
    )
    main = selectors.item_move_history(item=cola, warehouse_id=world.main, start=day(3, 0), end=day(5, 23))
    assert (main.opening.quantity, main.opening.value, main.opening.warehouse_quantity) == (
        D("20"),
        D("50.00"),
        D("10"),
    )
    assert [(m.reference, m.warehouse_balance, m.value) for m in main.moves] == [
        ("OUT-1", D("6"), D("-10.00")),
        ("TR-1", D("9"), D("7.50")),
        ("IN-3", D("13"), D("20.00")),
    ]
    # A page of the history keeps the running figures of the whole range.
    assert [m.warehouse_balance for m in main.moves[1:]] == [D("9"), D("13")]
    only_day_4 = selectors.item_move_history(item=cola, start=day(4, 0), end=day(4, 23))
    assert [m.quantity for m in only_day_4.moves] == [D("-3"), D("3")]
    assert only_day_4.opening.quantity == D("16")


def test_by_supplier_sums_the_items_places(world):
    rows = selectors.stock_by_supplier(supplier_id=world.supplier)
    assert [(r.item.code, r.supplier_item_code, r.on_hand, r.available, r.value, r.average_cost) for r in rows] == [
        ("COLA", "K-01", D("20"), D("20"), D("60.00"), D("3.000000"))
    ]
    [w2] = selectors.stock_by_supplier(supplier_id=world.supplier, warehouse_id=world.w2)
    assert (w2.on_hand, w2.value) == (D("7"), D("21.00"))
    totals = selectors.stock_on_hand_totals(selectors.stock_by_supplier(supplier_id=world.supplier))
    assert (totals["on_hand"], totals["available"], totals["value"]) == (D("20"), D("20"), D("60.00"))
    # On hand filtered by supplier: only the supplier's items, one row per place.
    on_hand = selectors.stock_on_hand(supplier_id=world.supplier)
    assert [(b.item.code, b.warehouse_id, b.on_hand, b.value) for b in on_hand] == [
        ("COLA", world.main, D("13"), D("39.00")),
        ("COLA", world.w2, D("7"), D("21.00")),
    ]


def test_lots_soonest_expiry_first_with_flags(world):
    rows = selectors.stock_lots(today=TODAY)
    assert [(r.lot.code, r.days_to_expiry, r.expiry_status, r.value) for r in rows] == [
        ("GONE", -1, ExpiryStatus.EXPIRED, D("12.00")),
        ("SOON", 5, ExpiryStatus.EXPIRING, D("12.00")),
        ("LATE", 60, ExpiryStatus.OK, D("12.00")),
        ("NONE", None, ExpiryStatus.NONE, D("12.00")),
    ]
    within = selectors.stock_lots(today=TODAY, expiring_within_days=60)
    assert [(r.lot.code, r.expiry_status) for r in within] == [
        ("GONE", ExpiryStatus.EXPIRED),
        ("SOON", ExpiryStatus.EXPIRING),
        ("LATE", ExpiryStatus.EXPIRING),
    ]
    assert [r.lot.code for r in selectors.stock_lots(today=TODAY, expiring_within_days=0)] == ["GONE"]
    assert list(selectors.stock_lots(today=TODAY, warehouse_id=world.w2)) == []
    assert len(selectors.stock_lots(today=TODAY, category_id=world.dairy)) == 4
