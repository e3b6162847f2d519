"""The pure rules of stock documents: the lifecycle table, signs, cost per base unit. No database."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.stockops import domain


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("draft", {"edit", "confirm", "cancel"}),
        ("confirmed", {"post", "cancel"}),
        ("posted", {"reverse"}),
        ("cancelled", set()),
    ],
)
def test_what_each_status_allows(status, allowed):
    assert domain.actions_allowed(status) == allowed
    for action in domain.ALLOWED_FROM.keys() - allowed:
        with pytest.raises(AppError) as error:
            domain.check_transition(status, action)
        closed = status in ("posted", "cancelled")
        assert (error.value.code, error.value.field, error.value.status_code) == (
            "document_closed" if closed else "wrong_status",
            "status",
            409,
        )


def test_signs_by_kind():
    assert [domain.signed(kind, D("3")) for kind in ("stock_in", "stock_out", "transfer")] == [D("3"), D("-3"), D("-3")]
    assert domain.signed("adjustment", D("-2")) == D("-2")
    assert [domain.is_incoming(k, q) for k, q in (("stock_in", 1), ("adjustment", 1), ("adjustment", -1))] == [
        True,
        True,
        False,
    ]
    assert domain.is_incoming("transfer", D("1")) is False


def test_a_cost_per_case_becomes_a_cost_per_bottle():
    assert domain.base_unit_cost(unit_cost=D("48"), quantity=D("2"), base_quantity=D("48")) == D("2.000000")
    # 10.00 for a pack of 3: 3.333333 a piece, rounded half up.
    assert domain.base_unit_cost(unit_cost=D("10"), quantity=D("1"), base_quantity=D("3")) == D("3.333333")
    assert domain.base_unit_cost(unit_cost=D("20"), quantity=D("1"), base_quantity=D("3")) == D("6.666667")
