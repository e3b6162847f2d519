"""Property test: random sequences of postings, document reversals, month closes (across a year end) and
reopenings keep every invariant of the books, checked against sums computed here from the lines alone."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from modules.finance import selectors, services
from modules.finance.enums import CLOSING, EntryStatus
from modules.finance.models import Account, JournalLine, Period
from modules.finance.services import LineInput
from modules.finance.statements import NET_PROFIT, TOTAL_ASSETS, TOTAL_LIABILITIES_AND_EQUITY

MONTHS = [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
CODES = ["1001", "1002", "1122", "1403", "22210101", "22210102", "2202", "3001", "5001", "5401", "5602", "5301"]
TODAY = date(2026, 6, 1)

amounts = st.integers(min_value=1, max_value=1_000_000).map(lambda cents: Decimal(cents) / 100)
a_line = st.tuples(st.sampled_from(CODES), amounts, st.booleans())
post_op = st.tuples(
    st.just("post"), st.integers(0, len(MONTHS) - 1), st.integers(1, 28), st.lists(a_line, min_size=1, max_size=4)
)
operations = st.lists(
    st.one_of(
        post_op,
        st.tuples(st.just("reverse"), st.integers(0, 50), st.integers(0, len(MONTHS) - 1)),
        st.tuples(st.just("close")),
        st.tuples(st.just("reopen")),
    ),
    min_size=1,
    max_size=14,
)


def _run(op, state, owner) -> None:
    kind = op[0]
    if kind == "post":
        _kind, month, day, lines = op
        on = date(*MONTHS[month], day)
        inputs = [
            LineInput(code, amount if debit else None, None if debit else amount) for code, amount, debit in lines
        ]
        net = sum((amount if debit else -amount for _code, amount, debit in lines), Decimal(0))
        if net == 0:
            inputs.append(LineInput("1001", "0.01"))
            inputs.append(LineInput("3001", None, "0.01"))
        else:
            inputs.append(LineInput("3001", None, net) if net > 0 else LineInput("3001", -net))
        state["source"] += 1
        with transaction.atomic():
            services.journal_entry_post(date=on, lines=inputs, source_type="doc", source_id=state["source"])
    elif kind == "reverse":
        _kind, index, month = op
        if state["source"]:
            with transaction.atomic():
                services.journal_entries_reverse(
                    source_type="doc", source_id=1 + index % state["source"], date=date(*MONTHS[month], 28)
                )
    elif kind == "close":
        for year, month in MONTHS:
            period = services.period_get(date(year, month, 1))
            if not period.is_closed:
                services.period_close(period=period, acting_user=owner, today=TODAY)
                break
    elif kind == "reopen":
        closed = Period.objects.filter(status="closed").order_by("-year", "-month").first()
        if closed is not None:
            services.period_reopen(period=closed, reason="property test", acting_user=owner)


def _check() -> None:
    posted = JournalLine.objects.filter(entry__status=EntryStatus.POSTED).select_related("entry", "account")
    nets: dict[str, Decimal] = defaultdict(Decimal)
    profit_by_year: dict[int, Decimal] = defaultdict(Decimal)
    per_entry: dict[int, Decimal] = defaultdict(Decimal)
    for line in posted:
        nets[line.account.code] += line.debit - line.credit
        per_entry[line.entry_id] += line.debit - line.credit
        if line.account.code.startswith("5") and line.entry.source_type != CLOSING:
            profit_by_year[line.entry.date.year] -= line.debit - line.credit
    assert all(value == 0 for value in per_entry.values())
    for period in Period.objects.all():
        assert selectors.period_totals_consistent(period=period), str(period)
    end = date(2025, 2, 28)
    tb = selectors.trial_balance(date_from=date(2024, 1, 1), date_to=end)
    assert tb.balanced, tb.totals
    by_code = {row.account.code: row.closing for row in tb.rows}
    leaves = Account.objects.filter(is_leaf=True).values_list("code", flat=True)
    assert {code: by_code.get(code, 0) for code in leaves} == {code: nets.get(code, 0) for code in leaves}
    for as_of in (date(2024, 11, 30), date(2024, 12, 15), date(2024, 12, 31), date(2025, 1, 20), end):
        sheet = selectors.balance_sheet(as_of=as_of)
        assert selectors.statement_value(sheet, TOTAL_ASSETS) == selectors.statement_value(
            sheet, TOTAL_LIABILITIES_AND_EQUITY
        ), as_of
    for year, to in ((2024, date(2024, 12, 31)), (2025, end)):
        income = selectors.income_statement(date_from=date(year, 1, 1), date_to=to)
        assert selectors.statement_value(income, NET_PROFIT) == profit_by_year.get(year, 0)
    # A closed December leaves no profit-and-loss balance behind at its end.
    december = Period.objects.filter(year=2024, month=12, status="closed").first()
    if december is not None:
        balances = selectors.account_net_balances(date_to=date(2024, 12, 31))
        for account in Account.objects.filter(code__startswith="5", is_leaf=True):
            assert balances.get(account.pk, 0) == 0, account.code


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_books_keep_their_invariants(books, owner_a, ops):
    savepoint = transaction.savepoint()
    try:
        state = {"source": 0}
        for op in ops:
            try:
                _run(op, state, owner_a)
            except AppError as error:
                # The refusals the rules allow; anything else is a failure.
                assert error.code in {"period_closed", "nothing_to_reverse", "period_order"}, error.as_dict()
            _check()
    finally:
        transaction.savepoint_rollback(savepoint)
