"""The posting service: worked example, refusals that change nothing, settings, and a property test."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Unit
from modules.inventory import selectors, services
from modules.inventory.models import ItemValuation, Lot, StockBalance, StockMove
from modules.inventory.services import MoveLine, RevaluedDocument, stock_moves_post
from tests.inventory.oracle import recompute

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_item(code="COLA", name="可口可乐", **kwargs):
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    return catalog.item_create(code=code, name=name, base_unit=unit, max_items=None, **kwargs)


def post(lines, source_id=1, at=AT, reference=""):
    return stock_moves_post(
        lines=lines, posted_at=at, source_type="test", source_id=source_id, reference=reference
    ).moves


def state():
    return (
        sorted(StockMove.objects.values_list("id", "unit_cost", "value", "balance_quantity")),
        sorted(StockBalance.objects.values_list("item_id", "location_id", "on_hand")),
        sorted(ItemValuation.objects.values_list("item_id", "quantity", "value")),
    )


def pool(item):
    row = ItemValuation.objects.get(item=item)
    return (row.quantity, row.value)


def test_worked_example_moving_average(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))])
    post([MoveLine(item, wh, D("10"), D("6.00"))])
    [move] = post([MoveLine(item, wh, D("-5"))])
    assert (move.quantity, move.unit_cost, move.value) == (D("-5"), D("5.500000"), D("-27.50"))
    post([MoveLine(item, wh, D("5"), D("7.30"))])
    assert pool(item) == (D("20"), D("119.00"))
    [last] = post([MoveLine(item, wh, D("-20"))])
    assert (last.unit_cost, last.value) == (D("5.950000"), D("-119.00"))
    assert pool(item) == (D("0"), D("0.00"))
    assert StockBalance.objects.get(item=item, warehouse=wh, location=None, lot=None).on_hand == D("0")
    # The running balance on each move: the item's history with its balance after every move.
    assert list(StockMove.objects.filter(item=item).values_list("balance_quantity", "balance_value")) == [
        (D("10"), D("50.00")),
        (D("20"), D("110.00")),
        (D("15"), D("82.50")),
        (D("20"), D("119.00")),
        (D("0"), D("0.00")),
    ]


def test_worked_example_fifo(in_tenant_a):
    services.inventory_settings_update(costing_method="fifo")
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))])
    post([MoveLine(item, wh, D("10"), D("6.00"))])
    [move] = post([MoveLine(item, wh, D("-15"))])  # 10 × 5.00 + 5 × 6.00
    assert (move.unit_cost, move.value) == (D("5.333333"), D("-80.00"))
    post([MoveLine(item, wh, D("5"), D("7.30"))])
    assert ItemValuation.objects.get(item=item).fifo_layers == [["5.000000", "6.000000"], ["5.000000", "7.300000"]]
    [move] = post([MoveLine(item, wh, D("-6"))])  # 5 × 6.00 + 1 × 7.30
    assert (move.unit_cost, move.value) == (D("6.216667"), D("-37.30"))
    [last] = post([MoveLine(item, wh, D("-4"))])
    assert (last.unit_cost, last.value) == (D("7.300000"), D("-29.20"))
    assert pool(item) == (D("0"), D("0.00"))


def test_a_backdated_receipt_revalues_later_issues_and_names_them(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))], at=AT)
    later = post([MoveLine(item, wh, D("-5"))], source_id=2, at=AT + timedelta(days=9), reference="QTCK202600002")
    assert later[0].value == D("-25.00")
    result = stock_moves_post(
        lines=[MoveLine(item, wh, D("10"), D("8.00"))],
        posted_at=AT + timedelta(days=4),
        source_type="test",
        source_id=3,
    )
    # Mar 5: 20 at 6.50 on average, so the Mar 10 issue of 5 now cost 32.50.
    assert result.revalued == [RevaluedDocument("test", 2, "QTCK202600002", D("-25.00"), D("-32.50"))]
    later[0].refresh_from_db()
    assert (later[0].unit_cost, later[0].value, later[0].balance_quantity, later[0].balance_value) == (
        D("6.500000"),
        D("-32.50"),
        D("15"),
        D("97.50"),
    )
    assert pool(item) == (D("15"), D("97.50"))


def test_a_backdated_issue_that_would_leave_a_later_document_short_is_refused(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))], at=AT)
    post([MoveLine(item, wh, D("-8"))], source_id=2, at=AT + timedelta(days=9), reference="XS-8")
    before = state()
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, D("-3"))], source_id=3, at=AT + timedelta(days=4))
    assert (error.value.code, error.value.field, error.value.status_code) == (
        "insufficient_stock_later",
        "lines.0.quantity",
        409,
    )
    assert "XS-8" in str(error.value.message)
    assert state() == before


def test_reversal_mirrors_the_document_once(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))], source_id=1)
    post([MoveLine(item, wh, D("10"), D("7.00"))], source_id=2)
    post([MoveLine(item, wh, D("-4"))], source_id=3)  # at 6.00
    result = services.stock_moves_reverse(
        source_type="test", source_id=2, posted_at=AT, reversal_source_type="test_reversal", reversal_source_id=9
    )
    [mirror] = result.moves
    assert (mirror.quantity, mirror.value, mirror.role) == (D("-10"), D("-70.00"), "reversal")
    assert pool(item) == (D("6"), D("26.00"))
    result = services.stock_moves_reverse(
        source_type="test", source_id=3, posted_at=AT, reversal_source_type="test_reversal", reversal_source_id=10
    )
    assert (result.moves[0].quantity, result.moves[0].value) == (D("4"), D("24.00"))
    with pytest.raises(AppError) as error:
        services.stock_moves_reverse(
            source_type="test", source_id=3, posted_at=AT, reversal_source_type="test_reversal", reversal_source_id=11
        )
    assert error.value.code == "already_reversed"
    with pytest.raises(AppError) as error:
        services.stock_moves_reverse(
            source_type="test",
            source_id=1,
            posted_at=AT - timedelta(days=1),
            reversal_source_type="test_reversal",
            reversal_source_id=12,
        )
    assert (error.value.code, error.value.field) == ("reversal_before_original", "date")


def test_transfers_move_quantity_and_value_without_changing_the_cost(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    other = services.warehouse_create(code="W2", name="二号仓", max_warehouses=None)
    shelf = services.location_create(warehouse=other, code="S1")
    post([MoveLine(item, wh, D("3"), D("3.333333"))])
    out, back = MoveLine(item, wh, D("-1"), transfer=True), MoveLine(item, other, D("1"), None, shelf, transfer=True)
    moves = post([out, back])
    assert [(m.value, m.unit_cost) for m in moves] == [(D("-3.33"), D("3.333333")), (D("3.33"), D("3.333333"))]
    assert pool(item) == (D("3"), D("10.00"))
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, D("-1"), transfer=True)])
    assert (error.value.code, error.value.field) == ("unbalanced_transfer", "lines.0.quantity")
    rows = {(b.warehouse.code, b.location.code if b.location else None): (b.on_hand, b.value) for b in
            selectors.stock_on_hand(item_id=item.pk)}  # fmt: skip
    assert rows == {("MAIN", None): (D("2"), D("6.67")), ("W2", "S1"): (D("1"), D("3.33"))}


def test_moves_are_append_only_in_the_database(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    [move] = post([MoveLine(item, wh, D("1"), D("1.00"))])
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMove.objects.filter(pk=move.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMove.objects.filter(pk=move.pk).update(quantity=D("2"))
    assert StockMove.objects.get(pk=move.pk).quantity == D("1")


def test_costing_method_is_chosen_before_the_first_move(in_tenant_a):
    with pytest.raises(AppError) as error:
        services.inventory_settings_update(costing_method="lifo")
    assert error.value.field == "costing_method"
    with pytest.raises(AppError) as error:
        services.inventory_settings_update(costing_method="fifo", allow_negative_stock=True)
    assert error.value.code == "fifo_negative_stock"
    item = make_item()
    post([MoveLine(item, services.warehouse_default_ensure(), D("1"), D("1.00"))])
    with pytest.raises(AppError) as error:
        services.inventory_settings_update(costing_method="fifo")
    assert (error.value.code, error.value.field) == ("costing_method_locked", "costing_method")


def test_locations_and_lots_are_separate_balances(in_tenant_a):
    item = make_item(lot_tracked=True)
    wh = services.warehouse_default_ensure()
    a = services.location_create(warehouse=wh, code="A")
    b = services.location_create(warehouse=wh, code="B")
    lot = Lot.objects.create(item=item, code="L1")
    post([MoveLine(item, wh, D("3"), D("2"), a, lot), MoveLine(item, wh, D("4"), D("2"), b, lot)])
    post([MoveLine(item, wh, D("-3"), None, a, lot)])
    rows = dict(StockBalance.objects.values_list("location__code", "on_hand"))
    assert rows == {"A": D("0"), "B": D("4")}
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, D("1"), D("2"), a)])
    assert (error.value.code, error.value.field) == ("lot_required", "lines.0.lot")


def test_insufficient_stock_is_refused_and_names_the_line_and_item(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("2"), D("1.00"))])
    before = state()
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, D("1"), D("1.00")), MoveLine(item, wh, D("-4"))])
    assert error.value.code == "insufficient_stock"
    assert error.value.status_code == 409
    assert error.value.field == "lines.1.quantity"
    assert "2" in str(error.value.message) and "COLA" in str(error.value.message)
    assert state() == before


def test_negative_stock_when_the_tenant_allows_it(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    services.inventory_settings_update(allow_negative_stock=True)
    [move] = post([MoveLine(item, wh, D("-2"))])
    # Nothing has ever come in: no cost to take yet; a later backdated receipt would re-cost it.
    assert (move.unit_cost, move.value) == (D("0"), D("0.00"))
    assert StockBalance.objects.get(item=item).on_hand == D("-2")
    post([MoveLine(item, wh, D("5"), D("2.00"))], source_id=2, at=AT - timedelta(days=1))
    move.refresh_from_db()
    assert (move.unit_cost, move.value) == (D("2.000000"), D("-4.00"))


@pytest.mark.parametrize(
    ("line_kwargs", "field", "code"),
    [
        ({"quantity": D("0"), "unit_cost": D("1")}, "lines.0.quantity", "zero_quantity"),
        ({"quantity": D("1.0000001"), "unit_cost": D("1")}, "lines.0.quantity", "too_many_places"),
        ({"quantity": D("1"), "unit_cost": D("-1")}, "lines.0.unit_cost", "negative_cost"),
        ({"quantity": "abc", "unit_cost": D("1")}, "lines.0.quantity", "invalid_number"),
    ],
)
def test_bad_lines_name_the_field_and_write_nothing(in_tenant_a, line_kwargs, field, code):
    item = make_item()
    wh = services.warehouse_default_ensure()
    before = state()
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, **line_kwargs)])
    assert (error.value.code, error.value.field) == (code, field)
    assert state() == before


def test_bad_posting_header_and_foreign_location(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    other = services.warehouse_create(code="W2", name="二号仓", max_warehouses=None)
    elsewhere = services.location_create(warehouse=other, code="X")
    with pytest.raises(AppError) as error:
        stock_moves_post(lines=[MoveLine(item, wh, D("1"), D("1"))], posted_at=datetime(2026, 3, 1),
                         source_type="test", source_id=1)  # fmt: skip
    assert error.value.field == "posted_at"
    with pytest.raises(AppError) as error:
        post([])
    assert error.value.field == "lines"
    with pytest.raises(AppError) as error:
        post([MoveLine(item, wh, D("1"), D("1"), elsewhere)])
    assert error.value.field == "lines.0.location"
    assert StockMove.objects.count() == 0


# --- Property: random receipts, issues, count gains, transfers, reversals, backdated postings ---------

KEYS = 4  # two items × (no location, location Z)
day = st.integers(min_value=0, max_value=5)
# Receipts bigger than issues, so that most issues find stock and FIFO layers get consumed.
incoming = st.decimals(min_value=D("1"), max_value=D("20"), places=3)
outgoing = st.decimals(min_value=D("0.001"), max_value=D("6"), places=3)
receipt = st.tuples(st.just("in"), st.integers(0, KEYS - 1), incoming, st.decimals(D("0"), D("99.99"), places=2), day)
operation = st.one_of(
    receipt,
    st.tuples(st.just("in_avg"), st.integers(0, KEYS - 1), outgoing, day),
    st.tuples(st.just("out"), st.integers(0, KEYS - 1), outgoing, day),
    st.tuples(st.just("out"), st.integers(0, KEYS - 1), outgoing, day),
    st.tuples(st.just("transfer"), st.integers(0, KEYS - 1), outgoing, day),
    st.tuples(st.just("reverse"), st.integers(0, 30), day),
)
ALLOWED_REFUSALS = {"insufficient_stock", "insufficient_stock_later", "already_reversed", "reversal_before_original"}


def run_operations(operations, keys, wh):
    posted: list[tuple[int, int]] = []  # (source id, day) of documents that posted
    for n, (kind, *args) in enumerate(operations, start=1):
        try:
            if kind == "reverse":
                which, days = args
                if not posted:
                    continue
                source_id, at_day = posted[which % len(posted)]
                services.stock_moves_reverse(
                    source_type="test",
                    source_id=source_id,
                    posted_at=AT + timedelta(days=max(at_day, days)),
                    reversal_source_type="rev",
                    reversal_source_id=n,
                )
                continue
            which, qty, *rest, days = args
            item, location = keys[which]
            if kind == "in":
                lines = [MoveLine(item, wh, qty, rest[0], location)]
            elif kind == "in_avg":
                lines = [MoveLine(item, wh, qty, None, location)]
            elif kind == "out":
                lines = [MoveLine(item, wh, -qty, None, location)]
            else:
                target = keys[which ^ 1][1]  # the same item's other place
                lines = [
                    MoveLine(item, wh, -qty, None, location, transfer=True),
                    MoveLine(item, wh, qty, None, target, transfer=True),
                ]
            post(lines, source_id=n, at=AT + timedelta(days=days))
            posted.append((n, days))
        except AppError as error:
            assert error.code in ALLOWED_REFUSALS, error


def assert_ledger_consistent(allow_negative: bool, fifo: bool):
    moves = list(StockMove.objects.all())
    by_key: dict = {}
    for move in sorted(moves, key=lambda m: (m.posted_at, m.id)):
        key = (move.item_id, move.location_id)
        by_key[key] = by_key.get(key, D("0")) + move.quantity
        if not allow_negative:
            assert by_key[key] >= 0, f"{key} went negative at move {move.id}"
    for balance in StockBalance.objects.all():
        assert by_key.get((balance.item_id, balance.location_id), D("0")) == balance.on_hand
    sums = {
        row["item_id"]: (row["q"], row["v"])
        for row in StockMove.objects.values("item_id").annotate(q=Sum("quantity"), v=Sum("value"))
    }
    expected_moves, expected_pools = recompute(moves, fifo=fifo)
    for row in ItemValuation.objects.all():
        assert sums.get(row.item_id, (D("0"), D("0"))) == (row.quantity, row.value)
        assert expected_pools.get(row.item_id, (D("0"), D("0"))) == (row.quantity, row.value)
    for move in moves:
        assert expected_moves[move.id] == (
            move.unit_cost,
            move.value,
            move.balance_quantity,
            move.balance_value,
        ), move


@pytest.mark.parametrize(("method", "allow_negative"), [("average", False), ("average", True), ("fifo", False)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# A few receipts first, so that the random rest finds layers of different costs to take from.
@given(
    operations=st.tuples(st.lists(receipt, min_size=2, max_size=4), st.lists(operation, min_size=2, max_size=20)).map(
        lambda parts: parts[0] + parts[1]
    )
)
# 0.71 × 1.50 = 1.065: books round half up (四舍五入), not half to even.
@example(operations=[("in", 0, D("0.710"), D("1.50"), 0)])
def test_property_incremental_costing_equals_a_recomputation(in_tenant_a, method, allow_negative, operations):
    with transaction.atomic():
        services.inventory_settings_update(costing_method=method, allow_negative_stock=allow_negative)
        items = [make_item(code="P1", name="甲"), make_item(code="P2", name="乙")]
        wh = services.warehouse_default_ensure()
        loc = services.location_create(warehouse=wh, code="Z")
        keys = [(items[0], None), (items[0], loc), (items[1], None), (items[1], loc)]
        run_operations(operations, keys, wh)
        assert_ledger_consistent(allow_negative, fifo=method == "fifo")
        transaction.set_rollback(True)


def test_posting_time_today_past_and_future():
    from datetime import date
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    assert services.posting_time(on=date(2026, 11, 25), tz_name="Asia/Shanghai", now=now) == now
    past = services.posting_time(on=date(2026, 11, 20), tz_name="Asia/Shanghai", now=now)
    assert past == datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(AppError) as error:
        services.posting_time(on=date(2026, 11, 26), tz_name="Asia/Shanghai", now=now)
    assert error.value.field == "date"
