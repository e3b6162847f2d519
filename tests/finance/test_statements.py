"""A month of a small shop's trade with its statements computed by hand: trial balance (科目余额表),
balance sheet (资产负债表), income statement (利润表), general ledger and account detail."""

from datetime import date

import pytest

from modules.finance import selectors, services
from tests.finance.conftest import D, acct, post

JAN = [
    (date(2026, 1, 2), [("1002", "50000", ""), ("3001", "", "50000")]),  # capital paid in
    (date(2026, 1, 5), [("1405", "10000", ""), ("22210101", "1300", ""), ("2202", "", "11300")]),  # goods bought
    (date(2026, 1, 10), [("1122", "9040", ""), ("5001", "", "8000"), ("22210102", "", "1040")]),  # goods sold
    (date(2026, 1, 10), [("5401", "5000", ""), ("1405", "", "5000")]),  # their cost
    (date(2026, 1, 15), [("5602", "2000", ""), ("1002", "", "2000")]),  # rent
    (date(2026, 1, 18), [("1002", "5000", ""), ("1122", "", "5000")]),  # customer pays
    (date(2026, 1, 20), [("2202", "6000", ""), ("1002", "", "6000")]),  # supplier paid
    (date(2026, 1, 25), [("5603", "50", ""), ("1002", "", "50")]),  # bank charges
    (date(2026, 1, 28), [("1601", "3000", ""), ("1002", "", "3000")]),  # a till bought
    (date(2026, 1, 31), [("5602", "100", ""), ("1602", "", "100")]),  # its depreciation
]


@pytest.fixture
def january(books):
    for on, lines in JAN:
        post(on, *lines)


def rows_by_code(tb):
    return {row.account.code: row for row in tb.rows}


def test_trial_balance_of_the_month(january):
    tb = selectors.trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    assert tb.totals == {
        "opening_debit": D("0.00"), "opening_credit": D("0.00"),
        "debit": D("91490.00"), "credit": D("91490.00"),
        "closing_debit": D("63400.00"), "closing_credit": D("63400.00"),
    }  # fmt: skip
    rows = rows_by_code(tb)
    bank = rows["1002"]
    assert (bank.debit, bank.credit, bank.closing_debit) == (D("55000"), D("11050"), D("43950"))
    # Parents roll their sub-accounts up: 2221 ← 222101 ← 22210101 (Dr 1300) and 22210102 (Cr 1040).
    assert (rows["2221"].debit, rows["2221"].credit, rows["2221"].closing_debit) == (D("1300"), D("1040"), D("260"))
    assert rows["222101"].closing == rows["2221"].closing == D("260")
    assert rows["1602"].closing_credit == D("100")
    assert "1012" not in rows  # untouched accounts are left out unless asked for
    full = selectors.trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31), include_empty=True)
    assert len(full.rows) == selectors.account_list().count()


def test_trial_balance_of_cut_dates_reads_the_lines(january):
    tb = rows_by_code(selectors.trial_balance(date_from=date(2026, 1, 10), date_to=date(2026, 1, 18)))
    bank = tb["1002"]
    assert (bank.opening, bank.debit, bank.credit, bank.closing) == (D("50000"), D("5000"), D("2000"), D("53000"))
    post(date(2026, 2, 3), ("1001", "500", ""), ("1002", "", "500"))
    february = rows_by_code(selectors.trial_balance(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert (february["1002"].opening, february["1002"].closing) == (D("43950"), D("43450"))
    across = rows_by_code(selectors.trial_balance(date_from=date(2026, 1, 20), date_to=date(2026, 2, 3)))
    assert (across["1002"].opening, across["1002"].credit) == (D("53000"), D("9550"))


def test_balance_sheet_in_the_standard_layout(january):
    sheet = selectors.balance_sheet(as_of=date(2026, 1, 31))
    value = {row.line.number: row.amounts[0] for row in sheet if row.line.number}
    expected = {
        1: "43950", 4: "4040", 9: "5000", 12: "5000", 15: "52990", 18: "3000", 19: "100", 20: "2900",
        29: "2900", 30: "55890", 33: "5300", 36: "-260", 41: "5040", 47: "5040", 48: "50000", 51: "850",
        52: "50850", 53: "55890",
    }  # fmt: skip
    assert {n: value[n] for n in expected} == {n: D(v) for n, v in expected.items()}
    assert all(row.amounts[1] == 0 for row in sheet if row.line.number)  # the year began empty
    mid = selectors.balance_sheet(as_of=date(2026, 1, 15))
    assert (
        selectors.statement_value(mid, 30) == selectors.statement_value(mid, 53) == D("62040")
    )  # 48000 bank + 9040 owed + 5000 goods


def test_income_statement_month_and_year(january):
    post(date(2026, 2, 12), ("1001", "300", ""), ("5001", "", "300"))
    february = selectors.income_statement(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    value = {row.line.number: row.amounts for row in february}
    assert value[1] == (D("300"), D("8300"))
    assert value[2] == (D("0"), D("5000"))
    assert value[14] == (D("0"), D("2100"))
    assert value[18] == (D("0"), D("50"))
    assert value[21] == value[30] == value[32] == (D("300"), D("1150"))


def test_general_ledger_and_account_detail(january):
    ledger = selectors.general_ledger(account=acct("1002"), year=2026)
    [jan] = ledger.months
    assert (ledger.opening, jan.debit, jan.credit, jan.closing) == (D("0"), D("55000"), D("11050"), D("43950"))
    vat = selectors.general_ledger(account=acct("2221"), year=2026)
    assert (vat.months[0].debit, vat.months[0].credit) == (D("1300"), D("1040"))
    detail = selectors.account_detail(account=acct("1002"), date_from=date(2026, 1, 10), date_to=date(2026, 1, 31))
    assert detail.opening == D("50000")
    assert [(line.date.day, line.debit, line.credit, line.balance) for line in detail.lines] == [
        (15, D("0"), D("2000"), D("48000")),
        (18, D("5000"), D("0"), D("53000")),
        (20, D("0"), D("6000"), D("47000")),
        (25, D("0"), D("50"), D("46950")),
        (28, D("0"), D("3000"), D("43950")),
    ]
    assert (detail.debit, detail.credit, detail.closing) == (D("5000"), D("11050"), D("43950"))


def test_drafts_and_reversed_entries(january, owner_a, accountant_a):
    from modules.finance.services import LineInput

    services.voucher_create(
        date=date(2026, 1, 31), lines=[LineInput("5602", "999"), LineInput("1001", None, "999")], created_by=None
    )
    draft = services.voucher_create(
        date=date(2026, 1, 31), lines=[LineInput("5602", "1"), LineInput("1001", None, "1")], created_by=accountant_a
    )
    posted = services.voucher_post(entry=draft, acting_user=owner_a)
    services.journal_entry_reverse(entry=posted, date=date(2026, 1, 31), acting_user=owner_a)
    sheet = selectors.balance_sheet(as_of=date(2026, 1, 31))
    assert selectors.statement_value(sheet, 51) == D("850")  # the draft counts nowhere, the pair nets out
