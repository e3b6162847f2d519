"""Reads of the books: accounts, entries, and the statements — trial balance (科目余额表), balance sheet
(资产负债表), income statement (利润表), general ledger (总账) and account detail (明细账) — for any dates.

Only posted entries count. Whole months are read from the per-period totals the posting service keeps,
so a statement costs the same over a million lines as over ten; only the days of a month cut by the
chosen dates are summed from the lines themselves.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from modules.finance import chart
from modules.finance.enums import CLOSING, VAT_RATES, AccountType, EntryStatus, TaxpayerKind
from modules.finance.models import Account, AccountPeriodTotal, JournalEntry, JournalLine, Period, VatSettings
from modules.finance.statements import BALANCE_SHEET, INCOME_STATEMENT, UNCLOSED_PROFIT, StatementLine

ZERO = Decimal("0.00")


def _month_end(on: date) -> date:
    following = (on.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# ---------------------------------------------------------------------------------------------- accounts


def account_list(*, active: bool | None = None, q: str = "") -> QuerySet[Account]:
    accounts = Account.objects.all()
    if active is not None:
        accounts = accounts.filter(is_active=active)
    if q:
        accounts = accounts.filter(Q(code__startswith=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    return accounts.order_by("code")


def postable_accounts() -> QuerySet[Account]:
    return Account.objects.filter(is_leaf=True, is_active=True).order_by("code")


# ----------------------------------------------------------------------------------------------- entries


def entry_list(
    *, period: Period | None = None, date_from: date | None = None, date_to: date | None = None,
    status: str | None = None, source_type: str | None = None,
) -> QuerySet[JournalEntry]:  # fmt: skip
    entries = JournalEntry.objects.all()
    if period is not None:
        entries = entries.filter(date__gte=period.start, date__lte=period.end)
    if date_from:
        entries = entries.filter(date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lte=date_to)
    if status:
        entries = entries.filter(status=status)
    if source_type:
        entries = entries.filter(source_type=source_type)
    return entries.order_by("date", "id")


def entry_detail(*, entry_id: int) -> JournalEntry:
    return (
        JournalEntry.objects.select_related("created_by", "posted_by", "reverses", "period")
        .prefetch_related("lines__account", "lines__partner", "attachments")
        .get(pk=entry_id)
    )


def unbalanced_entries(*, period: Period) -> list[str]:
    """Numbers of posted entries of the month whose lines do not balance (the database forbids them; this
    is the month-end's own look)."""
    rows = (
        JournalLine.objects.filter(
            entry__status=EntryStatus.POSTED, entry__date__gte=period.start, entry__date__lte=period.end
        )
        .values("entry__number")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return sorted(row["entry__number"] for row in rows if row["debit"] != row["credit"])


def period_totals_consistent(*, period: Period) -> bool:
    """The kept totals of `period` equal the sums of its posted lines, account by account."""
    kept = {
        row.account_id: (row.debit, row.credit)
        for row in AccountPeriodTotal.objects.filter(period=period)
        if row.debit or row.credit
    }
    summed = {
        row["account_id"]: (row["debit"], row["credit"])
        for row in JournalLine.objects.filter(entry__status=EntryStatus.POSTED, entry__period=period)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        if row["debit"] or row["credit"]
    }
    return kept == summed


# ------------------------------------------------------------------------------------------------ activity


def _line_sums(start: date, end: date, *, closing_only: bool = False) -> dict[int, list[Decimal]]:
    sql = (
        "SELECT l.account_id, SUM(l.debit), SUM(l.credit)"
        f" FROM {JournalLine._meta.db_table} l JOIN {JournalEntry._meta.db_table} e ON e.id = l.entry_id"
        " WHERE e.status = %s AND e.date >= %s AND e.date <= %s"
    )
    params: list = [EntryStatus.POSTED, start, end]
    if closing_only:
        sql += " AND e.source_type = %s"
        params.append(CLOSING)
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY l.account_id", params)
        return {account_id: [debit, credit] for account_id, debit, credit in cursor.fetchall()}


def activity(*, date_from: date | None, date_to: date) -> dict[int, list[Decimal]]:
    """Posted debits and credits per (leaf) account between the dates, inclusive; `date_from` None: since the
    beginning. Whole months come from the kept totals, cut months from the lines."""
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    if date_from is not None and date_from > date_to:
        return sums
    first_full = date_from if date_from is None or date_from.day == 1 else _month_end(date_from) + timedelta(days=1)
    last_full = date_to if date_to == _month_end(date_to) else date_to.replace(day=1) - timedelta(days=1)
    partial: list[tuple[date, date]] = []
    if first_full is not None and first_full > last_full:
        partial.append((date_from, date_to))
    else:
        if date_from is not None and date_from < first_full:
            partial.append((date_from, first_full - timedelta(days=1)))
        if last_full < date_to:
            partial.append((last_full + timedelta(days=1), date_to))
        totals = AccountPeriodTotal.objects.filter(period__end__lte=last_full)
        if first_full is not None:
            totals = totals.filter(period__start__gte=first_full)
        for row in totals.values("account_id").annotate(debit=Sum("debit"), credit=Sum("credit")):
            sums[row["account_id"]][0] += row["debit"]
            sums[row["account_id"]][1] += row["credit"]
    for start, end in partial:
        for account_id, (debit, credit) in _line_sums(start, end).items():
            sums[account_id][0] += debit
            sums[account_id][1] += credit
    return sums


def account_net_balances(*, date_to: date) -> dict[int, Decimal]:
    """Debit minus credit of every leaf account at the end of `date_to`."""
    return {
        account_id: debit - credit for account_id, (debit, credit) in activity(date_from=None, date_to=date_to).items()
    }


# --------------------------------------------------------------------------------------------- trial balance


@dataclass
class TrialRow:
    account: Account
    opening: Decimal = ZERO  # debit − credit
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def level(self) -> int:
        return self.account.level

    @staticmethod
    def _split(net: Decimal) -> tuple[Decimal, Decimal]:
        return (net, ZERO) if net >= 0 else (ZERO, -net)

    @property
    def opening_debit(self) -> Decimal:
        return self._split(self.opening)[0]

    @property
    def opening_credit(self) -> Decimal:
        return self._split(self.opening)[1]

    @property
    def closing_debit(self) -> Decimal:
        return self._split(self.closing)[0]

    @property
    def closing_credit(self) -> Decimal:
        return self._split(self.closing)[1]

    @property
    def is_empty(self) -> bool:
        return not (self.opening or self.debit or self.credit)


@dataclass
class TrialBalance:
    date_from: date
    date_to: date
    rows: list[TrialRow]
    totals: dict = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        t = self.totals
        return (
            t["opening_debit"] == t["opening_credit"]
            and t["debit"] == t["credit"]
            and t["closing_debit"] == t["closing_credit"]
        )


def _rolled_up(opening: dict[int, Decimal], moves: dict[int, list[Decimal]]) -> list[TrialRow]:
    accounts = list(Account.objects.order_by("code"))
    rows = {account.code: TrialRow(account) for account in accounts}
    by_id = {account.pk: account for account in accounts}
    for account_id in set(opening) | set(moves):
        account = by_id[account_id]
        debit, credit = moves.get(account_id, (ZERO, ZERO))
        net = opening.get(account_id, ZERO)
        code = account.code
        # The leaf and every account above it (codes are prefixes of their sub-accounts').
        while code:
            row = rows[code]
            row.opening += net
            row.debit += debit
            row.credit += credit
            code = code[:-2] if len(code) > 4 else ""
    return [rows[account.code] for account in accounts]


def trial_balance(*, date_from: date, date_to: date, include_empty: bool = False) -> TrialBalance:
    """Opening balance, debits, credits and closing balance of every account over the dates; parents are
    the sums of their sub-accounts; the totals add up the first-level accounts."""
    opening = {
        account_id: debit - credit
        for account_id, (debit, credit) in activity(date_from=None, date_to=date_from - timedelta(days=1)).items()
    }
    rows = _rolled_up(opening, activity(date_from=date_from, date_to=date_to))
    top = [row for row in rows if row.level == 1]
    totals = {
        name: sum((getattr(row, name) for row in top), ZERO)
        for name in ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")
    }
    if not include_empty:
        rows = [row for row in rows if not row.is_empty]
    return TrialBalance(date_from=date_from, date_to=date_to, rows=rows, totals=totals)


# ----------------------------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class StatementRow:
    line: StatementLine
    amounts: tuple[Decimal, ...]


def _evaluate(lines: tuple[StatementLine, ...], value_of_account) -> dict[int, Decimal]:
    """The amount of every numbered line: from accounts (signed), then totals of other lines, in order."""
    values: dict[int, Decimal] = {}
    for line in lines:
        if line.number is None:
            continue
        amount = ZERO
        for code, sign in line.accounts:
            amount += sign * value_of_account(code)
        for number, sign in line.sums:
            amount += sign * values[number]
        values[line.number] = amount
    return values


def _code_sums(nets: dict[int, Decimal]) -> dict[str, Decimal]:
    """Debit − credit by account code, parents included."""
    codes = dict(Account.objects.values_list("pk", "code"))
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account_id, net in nets.items():
        code = codes[account_id]
        while code:
            sums[code] += net
            code = code[:-2] if len(code) > 4 else ""
    return sums


def _balance_sheet_values(as_of: date) -> dict[int, Decimal]:
    nets = _code_sums(account_net_balances(date_to=as_of))
    # Profit and loss not yet carried to 本年利润 (before the year-end close) is 未分配利润 all the same.
    profit_codes = Account.objects.filter(parent__isnull=True, type=AccountType.PROFIT_LOSS).values_list(
        "code", flat=True
    )
    unclosed = sum((nets.get(code, ZERO) for code in profit_codes), ZERO)

    def value(code: str) -> Decimal:
        return unclosed if code == UNCLOSED_PROFIT else nets.get(code, ZERO)

    return _evaluate(BALANCE_SHEET, value)


def balance_sheet(*, as_of: date) -> list[StatementRow]:
    """资产负债表 (会小企01表) at the end of `as_of`, beside the figures at the start of its year."""
    year_start = date(as_of.year, 1, 1) - timedelta(days=1)
    closing, opening = _balance_sheet_values(as_of), _balance_sheet_values(year_start)
    return [
        StatementRow(line, (closing.get(line.number, ZERO), opening.get(line.number, ZERO)))
        if line.number is not None
        else StatementRow(line, ())
        for line in BALANCE_SHEET
    ]


def _income_values(date_from: date, date_to: date) -> dict[int, Decimal]:
    moves = activity(date_from=date_from, date_to=date_to)
    closing = _line_sums(date_from, date_to, closing_only=True)
    nets = {
        account_id: (debit - closing.get(account_id, [ZERO, ZERO])[0])
        - (credit - closing.get(account_id, [ZERO, ZERO])[1])
        for account_id, (debit, credit) in moves.items()
    }
    sums = _code_sums(nets)
    return _evaluate(INCOME_STATEMENT, lambda code: sums.get(code, ZERO))


def income_statement(*, date_from: date, date_to: date) -> list[StatementRow]:
    """利润表 (会小企02表): the amounts of the dates (本月金额) and of the year up to `date_to` (本年累计金额).
    The year-end entries carrying profit forward are left out: they are no income or expense."""
    current = _income_values(date_from, date_to)
    year = _income_values(date(date_to.year, 1, 1), date_to)
    return [
        StatementRow(line, (current.get(line.number, ZERO), year.get(line.number, ZERO)))
        if line.number is not None
        else StatementRow(line, ())
        for line in INCOME_STATEMENT
    ]


def statement_value(rows: list[StatementRow], number: int, column: int = 0) -> Decimal:
    return next(row.amounts[column] for row in rows if row.line.number == number)


# --------------------------------------------------------------------------------------------- ledgers


@dataclass
class LedgerMonth:
    period: Period
    debit: Decimal
    credit: Decimal
    closing: Decimal  # debit − credit


@dataclass
class GeneralLedger:
    account: Account
    opening: Decimal
    months: list[LedgerMonth]

    @property
    def debit(self) -> Decimal:
        return sum((month.debit for month in self.months), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((month.credit for month in self.months), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def general_ledger(*, account: Account, year: int) -> GeneralLedger:
    """总账: an account's (with its sub-accounts') opening balance of the year and each month's debits,
    credits and closing balance."""
    leaf_ids = list(Account.objects.filter(code__startswith=account.code, is_leaf=True).values_list("pk", flat=True))
    start = date(year, 1, 1)
    before = activity(date_from=None, date_to=start - timedelta(days=1))
    opening = sum((before[i][0] - before[i][1] for i in leaf_ids if i in before), ZERO)
    totals = (
        AccountPeriodTotal.objects.filter(account_id__in=leaf_ids, period__year=year)
        .values("period_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    by_period = {row["period_id"]: (row["debit"], row["credit"]) for row in totals}
    months, balance = [], opening
    for period in Period.objects.filter(year=year).order_by("month"):
        debit, credit = by_period.get(period.pk, (ZERO, ZERO))
        balance += debit - credit
        months.append(LedgerMonth(period=period, debit=debit, credit=credit, closing=balance))
    return GeneralLedger(account=account, opening=opening, months=months)


@dataclass
class DetailLine:
    date: date
    number: str
    entry_id: int
    memo: str
    account_code: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # debit − credit after this line


@dataclass
class AccountDetail:
    account: Account
    date_from: date
    date_to: date
    opening: Decimal
    lines: list[DetailLine]
    debit: Decimal
    credit: Decimal
    closing: Decimal


def account_detail(*, account: Account, date_from: date, date_to: date) -> AccountDetail:
    """明细账: every posted line of the account (and its sub-accounts) between the dates, with the running
    balance from the opening balance."""
    leaf_ids = list(Account.objects.filter(code__startswith=account.code, is_leaf=True).values_list("pk", flat=True))
    before = activity(date_from=None, date_to=date_from - timedelta(days=1))
    opening = sum((before[i][0] - before[i][1] for i in leaf_ids if i in before), ZERO)
    lines = (
        JournalLine.objects.filter(
            account_id__in=leaf_ids,
            entry__status=EntryStatus.POSTED,
            entry__date__gte=date_from,
            entry__date__lte=date_to,
        )
        .select_related("entry", "account")
        .order_by("entry__date", "entry__number", "position", "id")
    )
    rows, balance, debits, credits = [], opening, ZERO, ZERO
    for line in lines:
        balance += line.debit - line.credit
        debits += line.debit
        credits += line.credit
        rows.append(
            DetailLine(
                date=line.entry.date,
                number=line.entry.number,
                entry_id=line.entry_id,
                memo=line.memo or line.entry.memo,
                account_code=line.account.code,
                debit=line.debit,
                credit=line.credit,
                balance=balance,
            )
        )
    return AccountDetail(
        account=account, date_from=date_from, date_to=date_to, opening=opening, lines=rows,
        debit=debits, credit=credits, closing=balance,
    )  # fmt: skip


def period_list() -> QuerySet[Period]:
    return Period.objects.order_by("-year", "-month")


# ------------------------------------------------------------------------------------------------------ VAT


def vat_settings_get() -> VatSettings:
    """The shop's VAT settings; the defaults (unsaved) until someone changes them, so reads never insert."""
    return VatSettings.objects.filter(pk=1).first() or VatSettings(pk=1)


def vat_rates(kind: str | None = None) -> list[Decimal]:
    """The rates (percent) the shop's kind of taxpayer (or `kind`) charges, highest first."""
    return [Decimal(rate) for rate in VAT_RATES[kind or vat_settings_get().taxpayer_kind]]


@dataclass(frozen=True)
class VatMonth:
    year: int
    month: int
    output: Decimal  # 销项税额: credits − debits of 22210102 (and any sub-accounts)
    input: Decimal  # 进项税额: debits − credits of 22210101
    transferred_out: Decimal  # 进项税额转出: credits − debits of 22210103
    deductible: bool  # a general taxpayer deducts input VAT; a small-scale one does not

    @property
    def payable(self) -> Decimal:
        """What the month owes (negative: input carried forward, 留抵)."""
        if not self.deductible:
            return self.output
        return self.output - self.input + self.transferred_out

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


def vat_summary(*, year: int) -> list[VatMonth]:
    """Each month of `year`: output and input VAT from the posted journal (the per-period account totals, so
    documents that post their VAT lines show up here as they post), with what is payable for the month."""
    deductible = vat_settings_get().taxpayer_kind == TaxpayerKind.GENERAL
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    codes = (chart.OUTPUT_VAT, chart.INPUT_VAT, chart.INPUT_VAT_OUT)
    totals = (
        AccountPeriodTotal.objects.filter(period__year=year)
        .filter(
            Q(account__code__startswith=codes[0])
            | Q(account__code__startswith=codes[1])
            | Q(account__code__startswith=codes[2])
        )  # fmt: skip
        .values_list("period__month", "account__code", "debit", "credit")
    )
    for month, code, debit, credit in totals:
        for root in codes:
            if code.startswith(root):
                sums[(month, root)] += debit - credit
    return [
        VatMonth(
            year=year,
            month=month,
            output=-sums[(month, chart.OUTPUT_VAT)] + ZERO,
            input=sums[(month, chart.INPUT_VAT)] + ZERO,
            transferred_out=-sums[(month, chart.INPUT_VAT_OUT)] + ZERO,
            deductible=deductible,
        )  # fmt: skip
        for month in range(1, 13)
    ]
