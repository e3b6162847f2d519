"""现金日记账 / 银行日记账 (issue 5, item 7): every posted line of 1001 库存现金, 1002 银行存款 or 1012 其他货币资金
(and their sub-accounts) between two dates, in date and voucher order, with the opening balance, the running
balance after each line and the closing balance; each line names its partner and the counter accounts.

`cash_journal_params` reads the page's and the API's query (`account`, `from`, `to`) and refuses bad input
naming the parameter; `cash_journal` is the read.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.finance import chart, services
from modules.finance.enums import EntryStatus, ErrorCode
from modules.finance.models import Account, JournalLine
from modules.finance.selectors import ZERO, activity

OTHER_MONETARY_FUNDS = "1012"
CASH_ACCOUNTS = (chart.CASH, chart.BANK, OTHER_MONETARY_FUNDS)


@dataclass
class CashLine:
    date: date
    number: str
    entry_id: int
    memo: str
    partner: str  # the line's partner, else the one partner of the entry's other lines; "" when none
    counter_accounts: list[str]  # the codes on the other side of the entry (对方科目)
    debit: Decimal
    credit: Decimal
    balance: Decimal  # debit − credit after this line


@dataclass
class CashJournal:
    account: Account
    date_from: date
    date_to: date
    opening: Decimal
    lines: list[CashLine]
    debit: Decimal
    credit: Decimal
    closing: Decimal


def cash_journal_params(params, *, today: date) -> tuple[str, date, date]:
    """`account` (1001, 1002 or 1012; default 1001), `from` and `to` (YYYY-MM-DD; default this month)."""
    code = (params.get("account") or chart.CASH).strip()
    if code not in CASH_ACCOUNTS:
        raise AppError(
            ErrorCode.INVALID_CODE,
            _("Choose one of: %(values)s.") % {"values": ", ".join(CASH_ACCOUNTS)},
            field="account",
        )
    dates = {}
    for name, default in (("from", today.replace(day=1)), ("to", services.month_end(today))):
        value = (params.get(name) or "").strip()
        try:
            dates[name] = date.fromisoformat(value) if value else default
        except ValueError:
            raise AppError(ErrorCode.INVALID_DATE, _("Enter a date as YYYY-MM-DD."), field=name) from None
    if dates["from"] > dates["to"]:
        raise AppError(ErrorCode.INVALID_DATE, _("The end date cannot be before the start date."), field="to")
    return code, dates["from"], dates["to"]


def cash_journal(*, code: str, date_from: date, date_to: date) -> CashJournal:
    account = Account.objects.get(code=code)
    leaf_ids = list(Account.objects.filter(code__startswith=code, is_leaf=True).values_list("pk", flat=True))
    before = activity(date_from=None, date_to=date_from - timedelta(days=1))
    opening = sum((before[i][0] - before[i][1] for i in leaf_ids if i in before), ZERO)
    lines = list(
        JournalLine.objects.filter(
            account_id__in=leaf_ids,
            entry__status=EntryStatus.POSTED,
            entry__date__gte=date_from,
            entry__date__lte=date_to,
        )
        .select_related("entry", "partner")
        .order_by("entry__date", "entry__number", "position", "id")
    )
    # The other lines of the same entries: their accounts and partners.
    others: dict[int, list[tuple[str, bool, str]]] = defaultdict(list)
    own = {line.pk for line in lines}
    rows = (
        JournalLine.objects.filter(entry_id__in={line.entry_id for line in lines})
        .exclude(account_id__in=leaf_ids)
        .select_related("account", "partner")
        .order_by("position", "id")
    )
    for other in rows:
        if other.pk not in own:
            others[other.entry_id].append(
                (other.account.code, other.debit != 0, other.partner.name if other.partner else "")
            )
    result, balance, debits, credits = [], opening, ZERO, ZERO
    for line in lines:
        balance += line.debit - line.credit
        debits += line.debit
        credits += line.credit
        is_debit = line.debit != 0
        counter = others[line.entry_id]
        partners = {name for _code, _side, name in counter if name}
        partner = line.partner.name if line.partner else (partners.pop() if len(partners) == 1 else "")
        codes = list(dict.fromkeys(code for code, side, _name in counter if side != is_debit))
        result.append(
            CashLine(
                date=line.entry.date,
                number=line.entry.number,
                entry_id=line.entry_id,
                memo=line.memo or line.entry.memo,
                partner=partner,
                counter_accounts=codes,
                debit=line.debit,
                credit=line.credit,
                balance=balance,
            )  # fmt: skip
        )
    return CashJournal(
        account=account, date_from=date_from, date_to=date_to, opening=opening, lines=result,
        debit=debits, credit=credits, closing=balance,
    )  # fmt: skip
