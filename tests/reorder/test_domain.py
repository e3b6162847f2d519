"""The reorder arithmetic, without a database."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.reorder import domain

ALL = frozenset(domain.LEVELS)


@pytest.mark.parametrize(
    "available,maximum,factor,quantity,packs",
    [
        (D("10"), D("40"), None, D("30"), None),  # no purchase unit: exactly up to the maximum
        (D("10"), D("40"), D("24"), D("48"), D("2")),  # 30 missing → 2 箱 of 24
        (D("16"), D("40"), D("24"), D("24"), D("1")),  # exactly one 箱
        (D("-5"), D("10"), None, D("15"), None),  # negative stock (when allowed) is made up too
        (D("0.5"), D("2"), None, D("1.5"), None),  # fractional base units (kg) stay exact
        (D("10"), D("10"), D("6"), D("0"), D("0")),
        (D("0"), D("1"), D("12.5"), D("12.5"), D("1")),
    ],
)
def test_suggestion_orders_up_to_the_maximum_in_whole_purchase_units(available, maximum, factor, quantity, packs):
    assert domain.suggestion(available=available, maximum=maximum, pack_factor=factor) == domain.Suggestion(
        quantity=quantity, purchase_units=packs
    )


def test_low_at_or_below_the_reorder_point_and_severity_below_the_minimum():
    assert domain.is_low(available=D("10"), reorder_point=D("10")) is True
    assert domain.is_low(available=D("10.000001"), reorder_point=D("10")) is False
    assert domain.severity(available=D("4.999999"), minimum=D("5")) == domain.Severity.BELOW_MINIMUM
    assert domain.severity(available=D("5"), minimum=D("5")) == domain.Severity.REORDER


@pytest.mark.parametrize(
    "value,code",
    [
        ("-1", "must_not_be_negative"),
        ("1.0000001", "too_many_places"),
        ("abc", "invalid_number"),
        ("NaN", "invalid_number"),
        ("Infinity", "invalid_number"),
        ("1e14", "too_large"),
        ("1e40", "too_large"),
        ("", "required"),
        (None, "required"),
    ],
)
def test_quantity_clean_refuses_bad_numbers_naming_the_field(value, code):
    with pytest.raises(AppError) as caught:
        domain.quantity_clean(value, field="maximum")
    assert (caught.value.field, caught.value.code) == ("maximum", code)


def test_quantity_clean_accepts_six_places():
    assert domain.quantity_clean(" 2.500000 ", field="minimum") == D("2.5")
    assert domain.quantity_clean(0, field="minimum") == D("0")


def test_levels_must_be_minimum_le_reorder_point_lt_maximum():
    domain.levels_check(minimum=D("0"), reorder_point=D("0"), maximum=D("1"), changed=ALL)
    domain.levels_check(minimum=D("5"), reorder_point=D("5"), maximum=D("6"), changed=ALL)
    cases = [
        # (minimum, reorder point, maximum, changed) → field blamed
        ((D("6"), D("5"), D("9"), ALL), "minimum"),
        ((D("1"), D("5"), D("5"), ALL), "maximum"),
        ((D("1"), D("5"), D("4"), ALL), "maximum"),
        # Only the reorder point changed: it is the one at fault, on either side.
        ((D("6"), D("5"), D("9"), frozenset({"reorder_point"})), "reorder_point"),
        ((D("1"), D("9"), D("9"), frozenset({"reorder_point"})), "reorder_point"),
        ((D("1"), D("9"), D("9"), frozenset({"reorder_point", "maximum"})), "maximum"),
    ]
    for (minimum, reorder_point, maximum, changed), field in cases:
        with pytest.raises(AppError) as caught:
            domain.levels_check(minimum=minimum, reorder_point=reorder_point, maximum=maximum, changed=changed)
        assert caught.value.field == field, (minimum, reorder_point, maximum, changed)


def test_urgency_puts_below_minimum_first_then_the_emptiest():
    keys = {
        "reorder, nearly full": domain.urgency_key(
            severity_value="reorder", available=D("9"), maximum=D("10"), item_code="A", warehouse_code="W"
        ),
        "reorder, empty-ish": domain.urgency_key(
            severity_value="reorder", available=D("1"), maximum=D("10"), item_code="B", warehouse_code="W"
        ),
        "below minimum": domain.urgency_key(
            severity_value="below_minimum", available=D("5"), maximum=D("10"), item_code="C", warehouse_code="W"
        ),
    }
    assert sorted(keys, key=keys.get) == ["below minimum", "reorder, empty-ish", "reorder, nearly full"]


def test_estimated_amount():
    assert domain.estimated_amount(quantity=D("48"), unit_price=D("2.345")) == D("112.56")
    assert domain.estimated_amount(quantity=D("48"), unit_price=None) is None
