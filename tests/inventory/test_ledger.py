"""The posting service: worked example, refusals that change nothing, settings, and a property test."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Unit
from modules.inventory import services
from modules.inventory.models import Lot, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_item(code="COLA", name="可口可乐", **kwargs):
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    return catalog.item_create(code=code, name=name, base_unit=unit, max_items=None, **kwargs)


def post(lines, source_id=1):
    return stock_moves_post(lines=lines, posted_at=AT, source_type="test", source_id=source_id).moves


def state():
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("item_id", "on_hand", "value")),
    )


def test_worked_example_through_the_service(in_tenant_a):
    item = make_item()
    wh = services.warehouse_default_ensure()
    post([MoveLine(item, wh, D("10"), D("5.00"))])
    post([MoveLine(item, wh, D("10"), D("6.00"))])
    [move] = post([MoveLine(item, wh, D("-5"))])
    assert (move.quantity, move.unit_cost, move.value) == (D("-5"), D("5.500000"), D("-27.50"))
    post([MoveLine(item, wh, D("5"), D("7.30"))])
    balance = StockBalance.objects.get(item=item, warehouse=wh, location=None, lot=None)
    assert (balance.on_hand, balance.value) == (D("20"), D("119.00"))
    [last] = post([MoveLine(item, wh, D("-20"))])
    assert (last.unit_cost, last.value) == (D("5.950000"), D("-119.00"))
    balance.refresh_from_db()
    assert (balance.on_hand, balance.value, balance.reserved) == (D("0"), D("0.00"), D("0"))
    assert StockMove.objects.filter(item=item).count() == 5


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
    [move] = post([MoveLine(item, wh, D("-2"), D("1.50"))])
    assert (move.unit_cost, move.value) == (D("1.500000"), D("-3.00"))
    balance = StockBalance.objects.get(item=item)
    assert (balance.on_hand, balance.value) == (D("-2"), D("-3.00"))


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


# --- Property: random receipts and issues ---------------------------------------------------------

operation = st.tuples(
    st.integers(min_value=0, max_value=3),  # which key
    st.decimals(min_value=D("-20"), max_value=D("20"), places=3).filter(lambda q: q != 0),
    st.decimals(min_value=D("0"), max_value=D("99.99"), places=2),
)


def expected_from_history(moves):
    """Recompute every move's value and each key's balance straight from the history, in posting order."""
    balances: dict = {}
    for move in moves:
        key = (move.item_id, move.location_id)
        qty, value = balances.get(key, (D("0"), D("0")))
        if move.quantity > 0:
            delta = (move.quantity * move.unit_cost).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        elif -move.quantity == qty:
            delta = -value
        else:
            delta = -((-move.quantity) * value / qty).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert move.value == delta, move
        balances[key] = (qty + move.quantity, value + delta)
    return balances


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=25))
# 0.71 × 1.50 = 1.065: books round half up (四舍五入), not half to even.
@example(operations=[(0, D("0.710"), D("1.50"))])
def test_property_moves_sum_to_balances_and_never_go_negative(in_tenant_a, operations):
    with transaction.atomic():
        items = [make_item(code="P1", name="甲"), make_item(code="P2", name="乙")]
        wh = services.warehouse_default_ensure()
        loc = services.location_create(warehouse=wh, code="Z")
        keys = [(items[0], None), (items[0], loc), (items[1], None), (items[1], loc)]
        for n, (which, quantity, cost) in enumerate(operations):
            item, location = keys[which]
            line = MoveLine(item, wh, quantity, cost if quantity > 0 else None, location)
            try:
                post([line], source_id=n)
            except AppError as error:
                assert error.code == "insufficient_stock"
                assert quantity < 0
            assert not StockBalance.objects.filter(on_hand__lt=0).exists()
        moves = list(StockMove.objects.order_by("id"))
        expected = expected_from_history(moves)
        sums = {
            (row["item_id"], row["location_id"]): (row["q"], row["v"])
            for row in StockMove.objects.values("item_id", "location_id").annotate(q=Sum("quantity"), v=Sum("value"))
        }
        for balance in StockBalance.objects.all():
            key = (balance.item_id, balance.location_id)
            assert sums.get(key, (D("0"), D("0"))) == (balance.on_hand, balance.value)
            assert expected.get(key, (D("0"), D("0"))) == (balance.on_hand, balance.value)
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
