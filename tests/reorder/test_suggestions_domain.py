"""The replenishment formula on its own (no database): see modules/reorder/domain.py."""

from decimal import Decimal as D

import pytest

from modules.reorder.domain import replenishment_plan


def plan(**overrides):
    values = {
        "on_hand": D("10"),
        "on_order": D("0"),
        "reserved": D("0"),
        "sold": D("0"),
        "window_days": 30,
        "lead_days": 0,
        "review_days": 7,
        "minimum": D("5"),
        "reorder_point": D("20"),
        "maximum": D("50"),
        "pack_factor": None,
    }
    return replenishment_plan(**{**values, **overrides})


def test_without_sales_it_is_the_rule_alone_order_up_to_the_maximum():
    result = plan()

    assert (result.daily_sales, result.trigger, result.target, result.quantity) == (0, 20, 50, 40)


def test_sales_raise_the_target_above_the_maximum_when_they_need_more():
    # 90 sold in 30 days = 3 a day; lead 10 + review 7 = 17 days = 51; minimum 5 + 51 = 56 > maximum 50.
    result = plan(sold=D("90"), lead_days=10)

    assert (result.daily_sales, result.demand, result.target) == (D("3"), D("51"), D("56"))
    # Trigger: minimum 5 + 3 × 10 = 35 > reorder point 20, so 10 on hand is due: 56 − 10 = 46.
    assert (result.trigger, result.quantity) == (D("35"), D("46"))


def test_position_counts_what_is_on_order_and_subtracts_what_is_reserved():
    result = plan(on_hand=D("10"), on_order=D("12"), reserved=D("4"))

    assert (result.position, result.quantity) == (D("18"), D("32"))


def test_above_the_trigger_nothing_is_due():
    result = plan(on_hand=D("21"))

    assert (result.quantity, result.due) == (D("0"), False)


def test_net_returns_do_not_make_negative_sales():
    assert plan(sold=D("-8")).daily_sales == 0


@pytest.mark.parametrize(("factor", "packs", "quantity"), [(D("24"), D("2"), D("48")), (D("40"), D("1"), D("40"))])
def test_rounds_up_to_whole_purchase_units(factor, packs, quantity):
    result = plan(pack_factor=factor)  # 40 needed

    assert (result.needed, result.packs, result.quantity) == (D("40"), packs, quantity)
