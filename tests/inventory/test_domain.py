"""The moving-average arithmetic, without a database."""

from decimal import Decimal as D

import pytest

from modules.inventory.domain import Position, apply, issue, receive


def test_worked_example_moving_average():
    p = Position(D("0"), D("0"))
    step = receive(p, quantity=D("10"), cost=D("5.00"))
    assert (step.value, step.after) == (D("50.00"), Position(D("10"), D("50.00")))
    step = receive(step.after, quantity=D("10"), cost=D("6.00"))
    assert step.after == Position(D("20"), D("110.00"))
    assert step.after.average() == D("5.500000")
    step = issue(step.after, quantity=D("5"))
    assert (step.unit_cost, step.value, step.after) == (D("5.500000"), D("-27.50"), Position(D("15"), D("82.50")))
    step = receive(step.after, quantity=D("5"), cost=D("7.30"))
    assert step.after == Position(D("20"), D("119.00"))
    assert step.after.average() == D("5.950000")
    step = issue(step.after, quantity=D("20"))
    assert (step.unit_cost, step.value, step.after) == (D("5.950000"), D("-119.00"), Position(D("0"), D("0.00")))


def test_rounding_leaves_no_residue_when_emptied():
    step = receive(Position(D("0"), D("0")), quantity=D("3"), cost=D("3.333333"))
    assert step.after == Position(D("3"), D("10.00"))
    step = issue(step.after, quantity=D("1"))
    assert (step.unit_cost, step.value) == (D("3.333333"), D("-3.33"))
    step = issue(step.after, quantity=D("2"))
    assert (step.value, step.after) == (D("-6.67"), Position(D("0"), D("0.00")))


def test_issue_from_nothing_uses_the_fallback_cost():
    step = issue(Position(D("0"), D("0")), quantity=D("2"), fallback_cost=D("1.50"))
    assert (step.unit_cost, step.value, step.after) == (D("1.50"), D("-3.00"), Position(D("-2"), D("3.00") * -1))


def test_apply_dispatches_on_sign_and_needs_a_receipt_cost():
    assert apply(Position(D("0"), D("0")), quantity=D("2"), cost=D("4")).value == D("8.00")
    assert apply(Position(D("2"), D("8.00")), quantity=D("-1"), cost=None).value == D("-4.00")
    with pytest.raises(ValueError):
        apply(Position(D("0"), D("0")), quantity=D("1"), cost=None)
