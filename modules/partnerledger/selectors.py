"""Partner ledger reads: balances (now or as of a day) and statements (对账单) for a period.

A statement's columns follow the books: a receivable rises on the debit side (借, an invoice) and falls
on the credit side (贷, money received); a payable, a liability, rises on the credit side (a bill) and
falls on the debit side (a payment). `balance` is always what is owed, positive when the partner owes
the shop (receivable) or the shop owes the partner (payable).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from modules.inventory.sources import source_label, source_url
from modules.partnerledger.models import EntryKind, PartnerEntry

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementLine:
    date: date
    number: str
    source_type: str
    source_id: int
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal

    @property
    def label(self) -> str:
        return source_label(self.source_type)

    @property
    def url(self) -> str | None:
        return source_url(self.source_type, self.source_id)


@dataclass(frozen=True)
class Statement:
    partner_id: int
    kind: str
    date_from: date
    date_to: date
    opening: Decimal
    lines: list[StatementLine]
    closing: Decimal

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def partner_balance(*, partner_id: int, kind: str, as_of: date | None = None) -> Decimal:
    """What is owed at the end of `as_of` (or now)."""
    # A plain query: the credit check of every order confirmation asks it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM partnerledger_partnerentry"
            " WHERE partner_id = %s AND kind = %s AND (%s::date IS NULL OR date <= %s::date)",
            [partner_id, kind, as_of, as_of],
        )
        total = cursor.fetchone()[0]
    return total if total else ZERO


def partner_balances(*, kind: str, as_of: date | None = None) -> dict[int, Decimal]:
    """Every partner's non-zero balance of `kind`."""
    entries = PartnerEntry.objects.filter(kind=kind)
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    rows = entries.values("partner_id").annotate(total=Sum("amount")).exclude(total=0)
    return {row["partner_id"]: row["total"] for row in rows}


def partner_statement(*, partner_id: int, kind: str, date_from: date, date_to: date) -> Statement:
    """Opening balance, each entry from `date_from` to `date_to` (inclusive) with the running balance, closing."""
    opening = partner_balance(partner_id=partner_id, kind=kind, as_of=date.fromordinal(date_from.toordinal() - 1))
    balance = opening
    lines = []
    entries = PartnerEntry.objects.filter(
        partner_id=partner_id, kind=kind, date__gte=date_from, date__lte=date_to
    ).order_by("date", "id")
    for entry in entries:
        balance += entry.amount
        raises_side = entry.amount if entry.amount > 0 else ZERO
        lowers_side = -entry.amount if entry.amount < 0 else ZERO
        debit, credit = (raises_side, lowers_side) if kind == EntryKind.RECEIVABLE else (lowers_side, raises_side)
        lines.append(
            StatementLine(
                date=entry.date,
                number=entry.number,
                source_type=entry.source_type,
                source_id=entry.source_id,
                memo=entry.memo,
                debit=debit,
                credit=credit,
                balance=balance,
            )
        )
    return Statement(
        partner_id=partner_id, kind=kind, date_from=date_from, date_to=date_to, opening=opening, lines=lines,
        closing=balance,
    )  # fmt: skip
