"""The pure rules: when a receivable is overdue, a statement's period, the list's sort (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.crm.domain import overdue_amount, overdue_cutoff, period_check, sort_parse


def test_cutoff_is_the_last_day_already_past_its_terms():
    on = date(2026, 3, 31)
    # Dated 1 March with 30 days: due 31 March, overdue from 1 April.
    assert overdue_cutoff(on=on, terms_days=30) == date(2026, 2, 28)
    assert overdue_cutoff(on=on, terms_days=0) == date(2026, 3, 30)


def test_money_received_since_pays_the_past_due_part_first():
    assert overdue_amount(balance_at_cutoff=D("500.00"), credits_since=[D("200.00")]) == D("300.00")
    assert overdue_amount(balance_at_cutoff=D("500.00"), credits_since=[D("200.00"), D("300.00")]) == D("0.00")
    assert overdue_amount(balance_at_cutoff=D("500.00"), credits_since=[D("800.00")]) == D("0.00")
    assert overdue_amount(balance_at_cutoff=D("-50.00"), credits_since=[]) == D("0.00")


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        (None, date(2026, 1, 1), "date_from"),
        (date(2026, 1, 1), None, "date_to"),
        (date(2026, 2, 1), date(2026, 1, 31), "date_to"),
        (date(2020, 1, 1), date(2026, 1, 1), "date_to"),
    ],
)
def test_a_bad_period_names_the_field(date_from, date_to, field):
    with pytest.raises(AppError) as refused:
        period_check(date_from=date_from, date_to=date_to)
    assert refused.value.field == field


def test_a_one_day_period_is_fine():
    assert period_check(date_from=date(2026, 1, 1), date_to=date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 1, 1))


def test_sort():
    assert sort_parse(None) == ("code", False)
    assert sort_parse("-balance") == ("balance", True)
    assert sort_parse("overdue") == ("overdue", False)
    with pytest.raises(AppError) as refused:
        sort_parse("-password")
    assert refused.value.field == "sort"
