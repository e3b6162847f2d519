"""Monthly periods: created when needed, closed (月结) after checks, in order; closed months refuse postings
naming the date; the owner reopens with a reason (audited); December's close carries the year's profit."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from jxc.kernel.errors import AppError
from modules.finance import selectors, services
from modules.finance.models import JournalEntry, Period, PeriodEvent
from modules.finance.services import LineInput
from modules.finance.statements import NET_PROFIT, RETAINED_EARNINGS_LINE
from tests.finance.conftest import D, acct, post

TODAY = date(2026, 2, 15)


def period(year: int, month: int) -> Period:
    return services.period_get(date(year, month, 1))


def test_periods_are_created_monthly(books):
    post(date(2025, 10, 31), ("1001", "1", ""), ("3001", "", "1"))
    months = services.periods_ensure(until=date(2026, 1, 5))
    assert [(p.year, p.month, p.start, p.end) for p in months] == [
        (2025, 10, date(2025, 10, 1), date(2025, 10, 31)),
        (2025, 11, date(2025, 11, 1), date(2025, 11, 30)),
        (2025, 12, date(2025, 12, 1), date(2025, 12, 31)),
        (2026, 1, date(2026, 1, 1), date(2026, 1, 31)),
    ]
    assert services.period_get(date(2024, 2, 10)).end == date(2024, 2, 29)


def test_close_locks_the_month_and_postings_are_refused_naming_the_date(books, owner_a):
    post(date(2025, 11, 3), ("1001", "100", ""), ("3001", "", "100"))
    closed = services.period_close(period=period(2025, 11), acting_user=owner_a, today=TODAY)
    assert (closed.status, closed.closed_by_id) == ("closed", owner_a.pk)
    assert list(PeriodEvent.objects.values_list("action", "user_id")) == [("close", owner_a.pk)]
    count = JournalEntry.objects.count()
    with pytest.raises(AppError) as error:
        post(date(2025, 11, 30), ("1001", "1", ""), ("3001", "", "1"))
    assert (error.value.code, error.value.field, error.value.status_code) == ("period_closed", "date", 409)
    assert "2025-11-30" in error.value.message and "2025-11" in error.value.message
    # An earlier month (never opened) is behind the closed one: refused too.
    with pytest.raises(AppError) as error:
        post(date(2025, 8, 1), ("1001", "1", ""), ("3001", "", "1"))
    assert error.value.code == "period_closed" and "2025-08-01" in error.value.message
    with pytest.raises(AppError):
        services.voucher_create(
            date=date(2025, 11, 5), lines=[LineInput("1001", "1"), LineInput("3001", None, "1")], created_by=None
        )
    assert JournalEntry.objects.count() == count
    post(date(2025, 12, 1), ("1001", "1", ""), ("3001", "", "1"))  # the next month is open


def test_the_database_refuses_posting_into_a_closed_period(books, owner_a):
    services.period_close(period=period(2025, 11), acting_user=owner_a, today=TODAY)
    draft = JournalEntry.objects.create(period=period(2025, 11), date=date(2025, 11, 2), source_type="manual")
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
        JournalEntry.objects.filter(pk=draft.pk).update(status="posted", number="X")


def test_close_checks_drafts_order_and_month_end(books, owner_a, accountant_a):
    services.voucher_create(
        date=date(2025, 11, 5), lines=[LineInput("1001", "1"), LineInput("3001", None, "1")], created_by=accountant_a
    )
    with pytest.raises(AppError) as error:
        services.period_close(period=period(2025, 11), acting_user=owner_a, today=TODAY)
    assert error.value.code == "close_checks_failed"
    assert period(2025, 11).status == "open"
    with pytest.raises(AppError) as error:
        services.period_close(period=period(2025, 12), acting_user=owner_a, today=TODAY)
    assert error.value.code == "period_order" and "2025-11" in error.value.message
    with pytest.raises(AppError) as error:
        services.period_close(period=period(2026, 2), acting_user=owner_a, today=TODAY)
    assert error.value.code == "period_order"


def test_registered_checks_can_stop_a_close(books, owner_a):
    services.close_check_register(key="test.stock", check=lambda p: [f"stock value differs in {p}"])
    try:
        with pytest.raises(AppError) as error:
            services.period_close(period=period(2025, 11), acting_user=owner_a, today=TODAY)
        assert "stock value differs in 2025-11" in error.value.message
    finally:
        services.close_check_unregister(key="test.stock")
    services.period_close(period=period(2025, 11), acting_user=owner_a, today=TODAY)


def test_only_the_owner_reopens_with_a_reason_latest_first(books, owner_a, accountant_a):
    services.period_close(period=period(2025, 10), acting_user=accountant_a, today=TODAY)
    services.period_close(period=period(2025, 11), acting_user=accountant_a, today=TODAY)
    with pytest.raises(AppError) as error:
        services.period_reopen(period=period(2025, 11), reason="补录发票", acting_user=accountant_a)
    assert (error.value.code, error.value.status_code) == ("not_allowed", 403)
    with pytest.raises(AppError) as error:
        services.period_reopen(period=period(2025, 11), reason="  ", acting_user=owner_a)
    assert (error.value.code, error.value.field) == ("reason_required", "reason")
    with pytest.raises(AppError) as error:
        services.period_reopen(period=period(2025, 10), reason="补录", acting_user=owner_a)
    assert error.value.code == "period_order"
    reopened = services.period_reopen(period=period(2025, 11), reason="补录发票", acting_user=owner_a)
    assert reopened.status == "open"
    event = PeriodEvent.objects.filter(action="reopen").get()
    assert (event.period_id, event.reason, event.user_id) == (reopened.pk, "补录发票", owner_a.pk)
    post(date(2025, 11, 20), ("1001", "5", ""), ("3001", "", "5"))


def test_year_end_carries_profit_into_retained_earnings(books, owner_a):
    post(date(2025, 12, 1), ("1002", "10000", ""), ("3001", "", "10000"))
    post(date(2025, 12, 5), ("1122", "1130", ""), ("5001", "", "1000"), ("22210102", "", "130"))
    post(date(2025, 12, 6), ("5401", "600", ""), ("1403", "", "600"))
    post(date(2025, 12, 7), ("1403", "900", ""), ("2202", "", "900"))
    post(date(2025, 12, 9), ("5602", "150", ""), ("1002", "", "150"))
    post(date(2025, 12, 9), ("1002", "20", ""), ("5301", "", "20"))
    before = selectors.income_statement(date_from=date(2025, 12, 1), date_to=date(2025, 12, 31))
    assert selectors.statement_value(before, NET_PROFIT) == D("270.00")
    services.period_close(period=period(2025, 12), acting_user=owner_a, today=TODAY)
    closing = JournalEntry.objects.filter(source_type="closing").order_by("id")
    assert [entry.date for entry in closing] == [date(2025, 12, 31)] * 2
    balances = selectors.account_net_balances(date_to=date(2025, 12, 31))
    for code in ("5001", "5301", "5401", "5602", "3103"):
        assert balances.get(acct(code).pk, 0) == 0, code
    assert balances[acct("310401").pk] == D("-270.00")  # a credit balance: profit kept
    # The income statement still shows the year's figures: closing entries are no income or expense.
    after = selectors.income_statement(date_from=date(2025, 12, 1), date_to=date(2025, 12, 31))
    assert [row.amounts for row in after] == [row.amounts for row in before]
    sheet = selectors.balance_sheet(as_of=date(2025, 12, 31))
    assert selectors.statement_value(sheet, RETAINED_EARNINGS_LINE) == D("270.00")
    # Next year starts from the carried profit.
    january = selectors.balance_sheet(as_of=date(2026, 1, 31))
    assert selectors.statement_value(january, RETAINED_EARNINGS_LINE, column=1) == D("270.00")
