"""Opening balances (期初余额): bringing a shop onto the books that already had stock, customers' and suppliers'
balances and money before its journal began — it ran before automatic posting existed, or starts its books
mid-year. As 用友/金蝶/畅捷通 do when a set of books is opened (建账), the figures are entered once as of a
day, but here they are posted as ONE ordinary voucher (source_type `opening`, memo 期初余额) through
`services.journal_entry_post`, so the balance rules, the database triggers and the closed-month refusal all
apply and the entry shows in every statement, export and audit trail like any other.

- `opening_balances_proposal(as_of=…)`: what the entry must carry at the end of `as_of` — 1405 库存商品 = the
  stock ledger's value less what 1405 holds; 1122 per customer and 2202 per supplier = the partner ledger's
  balance less what the books hold for that partner — and every other account's balance for the user to
  fill in (cash, bank, fixed assets, loans, 实收资本 …).
- `opening_entry_post(as_of=…, lines=…, counter_account=…)`: posts the entry. The ledger-driven lines must be
  the proposal's figures (recomputed under the period's lock), so the books equal the ledgers once it is
  posted; a difference between debits and credits goes to the counter account if one is given.
- `opening_entry_reverse(as_of=…, date=…)`: its 红冲, after which the date takes a new opening entry.

Amounts are balances on the account's normal side (借 for assets, 贷 for liabilities and equity — the way
期初余额 screens take them); a negative amount is a balance on the other side (a customer who paid in advance).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, Conflict, PermissionDenied
from jxc.kernel.numbers import CENTS, decimal_parse, today_in
from modules.finance import chart, selectors, services
from modules.finance.enums import OPENING, EntryStatus, ErrorCode, PeriodStatus, Side
from modules.finance.models import Account, JournalEntry, JournalLine, Period
from modules.finance.services import LineInput, line_account
from modules.inventory.selectors import stock_value_as_of
from modules.partnerledger.models import EntryKind
from modules.partnerledger.selectors import partner_balances
from modules.partners.models import Partner

MEMO = "期初余额"
COUNTER_MEMO = "期初余额差额"
# Where a difference between the entered debits and credits goes, if the user chooses. Under the 小企业会计准则
# 实收资本 (3001) is the capital the owners put in as the articles and the capital verification record it
# (第五十四条: recorded at the amount contributed); it is entered as such, never as a plug. What the shop's net
# assets hold beyond the contributed capital is the profit (or loss) of its earlier years that has not been
# distributed — 利润分配—未分配利润 — so that is where 建账 practice puts the balancing figure. 3104 itself
# has the sub-account 310401 in the template and takes no lines.
DEFAULT_COUNTER_ACCOUNT = chart.RETAINED_EARNINGS
PAID_IN_CAPITAL = "3001"
COUNTER_ACCOUNTS = (DEFAULT_COUNTER_ACCOUNT, PAID_IN_CAPITAL)
# The accounts whose opening figures the stock and partner ledgers dictate.
LEDGER_ACCOUNTS = (chart.INVENTORY, chart.RECEIVABLE, chart.PAYABLE)
STOCK, RECEIVABLE, PAYABLE = "stock", "receivable", "payable"
DEFAULT_TZ = "Asia/Shanghai"
ZERO = Decimal("0.00")
POST_PERMISSION = services.POST_PERMISSION


@dataclass(frozen=True)
class LedgerLine:
    """A figure a sub-ledger dictates: `ledger` is what the stock or partner ledger says at the end of the day,
    `books` what the account holds then (for that partner), both on the account's normal side."""

    source: str  # STOCK, RECEIVABLE or PAYABLE
    account: Account
    partner: Partner | None
    ledger: Decimal
    books: Decimal

    @property
    def amount(self) -> Decimal:
        return self.ledger - self.books

    @property
    def key(self) -> tuple[str, int | None]:
        return self.account.code, self.partner.pk if self.partner is not None else None

    @property
    def debit(self) -> Decimal:
        return sides(self.account, self.amount)[0]

    @property
    def credit(self) -> Decimal:
        return sides(self.account, self.amount)[1]


@dataclass(frozen=True)
class OtherAccount:
    """An account the user fills in; `books` is what it holds at the end of the day (normal side)."""

    account: Account
    books: Decimal


@dataclass(frozen=True)
class OpeningProposal:
    as_of: date
    stock: LedgerLine
    receivables: list[LedgerLine]
    payables: list[LedgerLine]
    others: list[OtherAccount]
    posted: JournalEntry | None  # the open opening entry of this date, if there is one
    closed: Period | None  # the closed period that refuses postings on `as_of`, if any

    @property
    def ledger_lines(self) -> list[LedgerLine]:
        return [self.stock, *self.receivables, *self.payables]

    @property
    def lines(self) -> list[LedgerLine]:
        """The lines the entry must carry (the ledgers' differences that are not zero)."""
        return [line for line in self.ledger_lines if line.amount]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.debit - self.credit

    @property
    def reconciles(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class OpeningLine:
    """One balance to post: an account (object or code), an amount on its normal side, the partner for 1122 and
    2202 (2202 without a partner is the estimate of goods received and not billed, 暂估)."""

    account: Account | str | None
    amount: Decimal | str | None
    partner: Partner | None = None


def sides(account: Account, amount: Decimal) -> tuple[Decimal, Decimal]:
    """(debit, credit) of a balance on the account's normal side; a negative one sits on the other side."""
    debit_side = (account.side == Side.DEBIT) == (amount >= 0)
    return (abs(amount), ZERO) if debit_side else (ZERO, abs(amount))


def opening_key(as_of: date) -> int:
    """The entry's source_id: its balance date as YYYYMMDD, one open opening entry per date."""
    return as_of.year * 10000 + as_of.month * 100 + as_of.day


def _tz() -> ZoneInfo:
    return ZoneInfo(getattr(connection.tenant, "timezone", None) or DEFAULT_TZ)


def _today() -> date:
    return today_in(str(_tz()))


def opening_date_default(*, today: date) -> date:
    """The day before the first open period — the month the books begin (or go on) in — so the entry sits just
    before everything posted there. When that day's month is closed already, the first open month's first day;
    with no period yet, the last day of last month. Never after today. Once an opening entry is posted (and not
    reversed), its day — its month is then the first one, and the day before would no longer be it."""
    posted = (
        JournalEntry.objects.filter(
            source_type=OPENING, status=EntryStatus.POSTED, reverses__isnull=True, reversal__isnull=True
        )
        .order_by("-date", "-id")
        .first()
    )
    if posted is not None:
        return posted.date
    first_open = Period.objects.filter(status=PeriodStatus.OPEN).order_by("year", "month").first()
    if first_open is not None:
        start = first_open.start
    else:
        last_closed = Period.objects.filter(status=PeriodStatus.CLOSED).order_by("-year", "-month").first()
        start = date.fromordinal(last_closed.end.toordinal() + 1) if last_closed else today.replace(day=1)
    day_before = date.fromordinal(start.toordinal() - 1)
    chosen = start if services.closed_through(day_before) is not None else day_before
    return min(chosen, today)


def opening_entry_get(as_of: date) -> JournalEntry | None:
    """The posted opening entry of `as_of` that has not been reversed, if any."""
    return (
        JournalEntry.objects.filter(
            source_type=OPENING,
            source_id=opening_key(as_of),
            status=EntryStatus.POSTED,
            reverses__isnull=True,
            reversal__isnull=True,
        )
        .order_by("id")
        .first()
    )


def _as_of_check(as_of, today: date) -> None:
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="as_of")
    if as_of > today:
        raise AppError(
            ErrorCode.FUTURE_DATE,
            _("Opening balances are taken at the end of a day that has passed; %(date)s is in the future.")
            % {"date": as_of.isoformat()},
            field="as_of",
        )


def _books_by_partner(as_of: date) -> dict[tuple[str, int | None], Decimal]:
    """Debit minus credit of 1405, 1122 and 2202 at the end of `as_of`, per (code, partner)."""
    rows = (
        JournalLine.objects.filter(
            entry__status=EntryStatus.POSTED, entry__date__lte=as_of, account__code__in=LEDGER_ACCOUNTS
        )
        .values("account__code", "partner_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    return {(row["account__code"], row["partner_id"]): row["d"] - row["c"] for row in rows}


def opening_balances_proposal(*, as_of: date | None = None, today: date | None = None) -> OpeningProposal:
    """What the opening entry of `as_of` (default: `opening_date_default`) must carry, and every other postable
    account's balance then. Reads only."""
    today = today or _today()
    as_of = as_of or opening_date_default(today=today)
    _as_of_check(as_of, today)
    accounts = {account.code: account for account in Account.objects.filter(code__in=LEDGER_ACCOUNTS)}
    books = _books_by_partner(as_of)
    at = datetime.combine(as_of, time.max, tzinfo=_tz())  # the moment close_checks reads a month's end at
    stock = LedgerLine(
        source=STOCK,
        account=accounts[chart.INVENTORY],
        partner=None,
        ledger=stock_value_as_of(at=at).value.quantize(CENTS),
        books=sum((amount for (code, _p), amount in books.items() if code == chart.INVENTORY), ZERO),
    )
    per_kind: dict[str, dict[int, tuple[Decimal, Decimal]]] = {}
    for source, code, kind, sign in (
        (RECEIVABLE, chart.RECEIVABLE, EntryKind.RECEIVABLE, 1),
        (PAYABLE, chart.PAYABLE, EntryKind.PAYABLE, -1),  # a liability: its balance is credit minus debit
    ):
        held = {partner: sign * amount for (c, partner), amount in books.items() if c == code and partner}
        owed = partner_balances(kind=kind, as_of=as_of)
        per_kind[source] = {pk: (owed.get(pk, ZERO), held.get(pk, ZERO)) for pk in {*held, *owed}}
    partners = Partner.objects.in_bulk([pk for figures in per_kind.values() for pk in figures])
    by_code = sorted(partners.values(), key=lambda partner: partner.code)

    def partner_lines(source: str, code: str) -> list[LedgerLine]:
        figures = per_kind[source]
        return [
            LedgerLine(source, accounts[code], partner, figures[partner.pk][0], figures[partner.pk][1])
            for partner in by_code
            if partner.pk in figures and any(figures[partner.pk])
        ]

    balances = selectors.account_net_balances(date_to=as_of)
    others = [
        OtherAccount(account, _normal(account, balances.get(account.pk, ZERO)))
        for account in Account.objects.filter(is_leaf=True, is_active=True)
        .exclude(code__in=LEDGER_ACCOUNTS)
        .order_by("code")
    ]
    return OpeningProposal(
        as_of=as_of,
        stock=stock,
        receivables=partner_lines(RECEIVABLE, chart.RECEIVABLE),
        payables=partner_lines(PAYABLE, chart.PAYABLE),
        others=others,
        posted=opening_entry_get(as_of),
        closed=services.closed_through(as_of),
    )


def _normal(account: Account, net: Decimal) -> Decimal:
    """A debit-minus-credit figure on the account's normal side."""
    return net if account.side == Side.DEBIT else -net


# ------------------------------------------------------------------------------------------------- posting


@dataclass(frozen=True)
class _Clean:
    index: int
    account: Account
    partner: Partner | None
    amount: Decimal

    @property
    def key(self) -> tuple[str, int | None]:
        return self.account.code, self.partner.pk if self.partner is not None else None

    @property
    def from_ledger(self) -> bool:
        # 2202 without a partner (暂估) is the user's figure; with one, the partner ledger's.
        return self.account.code in (chart.INVENTORY, chart.RECEIVABLE) or (
            self.account.code == chart.PAYABLE and self.partner is not None
        )


def _label(account: Account, partner: Partner | None) -> str:
    return f"{account.code} {account.name}" + (f" · {partner.code} {partner.name}" if partner is not None else "")


def _partner_check(account: Account, partner: Partner | None, field: str, n: int) -> None:
    code = account.code
    if code == chart.RECEIVABLE and partner is None:
        raise AppError(
            ErrorCode.PARTNER_REQUIRED,
            _("Line %(n)s: a balance on %(code)s belongs to a customer; choose one.") % {"n": n, "code": code},
            field=field,
        )
    if partner is None:
        return
    if code == chart.INVENTORY:
        raise AppError(
            ErrorCode.WRONG_PARTNER,
            _("Line %(n)s: account %(code)s takes no partner.") % {"n": n, "code": code},
            field=field,
        )
    if code == chart.RECEIVABLE and not partner.is_customer:
        raise AppError(
            ErrorCode.WRONG_PARTNER,
            _("Line %(n)s: %(name)s is not a customer.") % {"n": n, "name": partner.name},
            field=field,
        )
    if code == chart.PAYABLE and not partner.is_supplier:
        raise AppError(
            ErrorCode.WRONG_PARTNER,
            _("Line %(n)s: %(name)s is not a supplier.") % {"n": n, "name": partner.name},
            field=field,
        )


def _amount(line: OpeningLine, field: str, n: int) -> Decimal:
    if line.amount is None or str(line.amount).strip() == "":
        return ZERO
    try:
        return decimal_parse(line.amount, field=field, places=CENTS, limit=services.MONEY_LIMIT)
    except AppError as error:
        account = line.account.code if isinstance(line.account, Account) else (line.account or "")
        raise AppError(
            error.code,
            _("Line %(n)s (%(account)s): %(message)s") % {"n": n, "account": account, "message": error.message},
            field=field,
        ) from None


def _lines_clean(lines: list[OpeningLine]) -> list[_Clean]:
    """The non-zero lines, each checked; errors name the line (1-based, as on the page) and the field."""
    clean: list[_Clean] = []
    seen: set[tuple[str, int | None]] = set()
    for index, line in enumerate(lines or []):
        prefix, n = f"lines.{index}", index + 1
        amount = _amount(line, f"{prefix}.amount", n)
        if amount == 0:
            continue
        account = line_account(line.account, f"{prefix}.account", n)
        _partner_check(account, line.partner, f"{prefix}.partner", n)
        item = _Clean(index, account, line.partner, amount)
        if item.from_ledger:
            if item.key in seen:
                raise AppError(
                    ErrorCode.DUPLICATE_LINE,
                    _("Line %(n)s repeats %(label)s: enter each balance once.")
                    % {"n": n, "label": _label(account, line.partner)},
                    field=f"{prefix}.account",
                )
            seen.add(item.key)
        clean.append(item)
    return clean


def _counter(value: Account | str | None) -> Account | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    account = value if isinstance(value, Account) else Account.objects.filter(code=str(value).strip()).first()
    if account is None:
        raise AppError(
            ErrorCode.UNKNOWN_ACCOUNT,
            _("There is no account %(code)s.") % {"code": value},
            field="counter_account",
        )
    if not account.is_leaf or not account.is_active:
        raise AppError(
            ErrorCode.NOT_POSTABLE,
            _("Account %(code)s cannot take the difference: choose an active account without sub-accounts.")
            % {"code": account.code},
            field="counter_account",
        )
    if account.code in LEDGER_ACCOUNTS:
        raise AppError(
            ErrorCode.NOT_POSTABLE,
            _("The difference cannot go to %(code)s: its balance comes from the stock or partner ledger.")
            % {"code": account.code},
            field="counter_account",
        )
    return account


def _ledger_check(clean: list[_Clean], proposal: OpeningProposal) -> None:
    """The lines the ledgers dictate must be the proposal's, recomputed now: a figure typed differently, or a
    document posted since the proposal was read, would leave the books off the ledgers again."""
    expected = {line.key: line for line in proposal.lines}
    on = proposal.as_of.isoformat()
    for item in clean:
        if not item.from_ledger:
            continue
        wanted = expected.pop(item.key, None)
        amount = wanted.amount if wanted is not None else ZERO
        if item.amount != amount:
            raise Conflict(
                ErrorCode.LEDGER_MISMATCH,
                _("Line %(n)s (%(label)s): the ledgers call for %(expected)s at the end of %(date)s, not "
                  "%(given)s. Reload the proposal.")
                % {"n": item.index + 1, "label": _label(item.account, item.partner), "expected": amount,
                   "date": on, "given": item.amount},
                field=f"lines.{item.index}.amount",
            )  # fmt: skip
    if expected:
        missing = next(iter(expected.values()))
        raise Conflict(
            ErrorCode.LEDGER_MISMATCH,
            _("%(label)s is missing: the ledgers call for %(expected)s at the end of %(date)s. Reload the proposal.")
            % {"label": _label(missing.account, missing.partner), "expected": missing.amount, "date": on},
            field="lines",
        )


def opening_entry_post(
    *,
    as_of: date,
    lines: list[OpeningLine],
    counter_account: Account | str | None = None,
    acting_user=None,
    today: date | None = None,
) -> JournalEntry:
    """Post the opening entry of `as_of` (dated `as_of`, memo 期初余额, source `opening`): the lines as given,
    plus, when debits and credits differ and `counter_account` is given, the difference on it. Refused with
    nothing written when a line is bad (naming it), the entry does not balance and there is no counter account
    (400 unbalanced, naming the difference), a ledger-driven line is not the proposal's (409 ledger_mismatch),
    the date's month is closed (409 period_closed), or the date has an opening entry already (409
    opening_exists; reverse it first). `acting_user` None: an API key."""
    if acting_user is not None and not acting_user.has_perm(POST_PERMISSION):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Your role may not post opening balances."))
    today = today or _today()
    _as_of_check(as_of, today)
    clean = _lines_clean(lines)
    counter = _counter(counter_account)
    inputs = [
        LineInput(item.account, *(side or None for side in sides(item.account, item.amount)), partner=item.partner)
        for item in clean
    ]
    debits = sum((sides(item.account, item.amount)[0] for item in clean), ZERO)
    credits = sum((sides(item.account, item.amount)[1] for item in clean), ZERO)
    difference = debits - credits
    if difference and counter is None:
        raise AppError(
            ErrorCode.UNBALANCED,
            _("Debits (%(debits)s) and credits (%(credits)s) differ by %(difference)s: enter the missing balances "
              "or put the difference on a counter account such as %(account)s.")
            % {"debits": debits, "credits": credits, "difference": difference, "account": DEFAULT_COUNTER_ACCOUNT},
            field="lines",
        )  # fmt: skip
    if difference:
        side = {"credit": difference} if difference > 0 else {"debit": -difference}
        inputs.append(LineInput(counter, memo=COUNTER_MEMO, **side))
    if not inputs:
        raise AppError(ErrorCode.NO_LINES, _("Nothing to post: every amount is zero."), field="lines")
    with transaction.atomic():
        # The month's row lock queues a second click (or a retried request) behind the first, which then finds
        # the entry this one posted.
        period = Period.objects.select_for_update().get(pk=services.period_get(as_of).pk)
        closed = period if period.is_closed else services.closed_through(as_of)
        if closed is not None:
            raise AppError(
                ErrorCode.PERIOD_CLOSED,
                _("The books for %(date)s are closed (period %(period)s): choose a day in an open period, or ask "
                  "the owner to reopen it.") % {"date": as_of.isoformat(), "period": str(closed)},
                field="as_of",
                status=409,
            )  # fmt: skip
        existing = opening_entry_get(as_of)
        if existing is not None:
            raise Conflict(
                ErrorCode.OPENING_EXISTS,
                _("The opening balances of %(date)s are posted already as voucher %(number)s; reverse it first "
                  "to post them again.") % {"date": as_of.isoformat(), "number": existing.number},
                field="as_of",
            )  # fmt: skip
        _ledger_check(clean, opening_balances_proposal(as_of=as_of, today=today))
        return services.journal_entry_post(
            date=as_of,
            lines=inputs,
            memo=MEMO,
            source_type=OPENING,
            source_id=opening_key(as_of),
            created_by=acting_user,
        )


def opening_entry_reverse(*, as_of: date, on: date, acting_user=None) -> JournalEntry:
    """Reverse (红冲) the opening entry of `as_of` on the day `on` (not before it); `as_of` may then take a new
    opening entry."""
    if acting_user is not None and not acting_user.has_perm(POST_PERMISSION):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Your role may not reverse vouchers."))
    if not isinstance(on, date) or isinstance(on, datetime):
        raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="date")
    if on < as_of:
        raise AppError(
            ErrorCode.INVALID_DATE,
            _("The reversal cannot be dated before the opening entry (%(date)s).") % {"date": as_of.isoformat()},
            field="date",
        )
    with transaction.atomic():
        if opening_entry_get(as_of) is None:
            raise Conflict(
                ErrorCode.NOTHING_TO_REVERSE,
                _("There is no opening entry of %(date)s to reverse.") % {"date": as_of.isoformat()},
            )
        return services.journal_entries_reverse(
            source_type=OPENING, source_id=opening_key(as_of), date=on, created_by=acting_user
        )[0]
