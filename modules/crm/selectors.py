"""Customer reads: follow-ups (one customer's, and those due), the due card, the customer overview, open
balances with the overdue part, statements (对账单). Balances and statements come from the partner ledger."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from modules.crm.domain import ZERO, overdue_amount, overdue_cutoff, period_check, sort_parse
from modules.crm.enums import RECEIVABLE, BalanceSort
from modules.crm.models import FollowUp
from modules.partnerledger.selectors import Statement, StatementLine, partner_balances, partner_statement
from modules.partners.models import Contact, Partner
from modules.partners.selectors import Kind, partner_contacts, partner_list
from modules.sales.models import RetailSale
from modules.sales.selectors import retail_sale_list

DUE_CARD_TOP = 5
RECENT_SALES = 10
RECENT_ENTRIES = 10
# The overview's ledger entries: those of the last quarter.
RECENT_DAYS = 90


def follow_up_list(*, partner_id: int) -> QuerySet[FollowUp]:
    """One customer's follow-ups, newest first."""
    return FollowUp.objects.filter(partner_id=partner_id).select_related("author").order_by("-created_at", "-id")


def follow_up_get(*, follow_up_id: int, partner_id: int | None = None) -> FollowUp | None:
    rows = FollowUp.objects.select_related("partner", "author").filter(pk=follow_up_id)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    return rows.first()


def follow_ups_due(*, on: date, author_id: int | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups planned for `on` or earlier (overdue first), of one author or (None) everyone's."""
    rows = FollowUp.objects.filter(done=False, next_date__lte=on)
    if author_id is not None:
        rows = rows.filter(author_id=author_id)
    return rows.select_related("partner", "author").order_by("next_date", "id")


@dataclass(frozen=True)
class DueCard:
    on: date
    today_count: int
    overdue_count: int
    top: list[FollowUp]

    @property
    def count(self) -> int:
        return self.today_count + self.overdue_count


def due_card(*, on: date, author_id: int | None) -> DueCard:
    """The dashboard card: how many follow-ups are due today and overdue, and the first few."""
    rows = follow_ups_due(on=on, author_id=author_id)
    counts = rows.aggregate(today=Count("id", filter=Q(next_date=on)), overdue=Count("id", filter=Q(next_date__lt=on)))
    return DueCard(on=on, today_count=counts["today"], overdue_count=counts["overdue"], top=list(rows[:DUE_CARD_TOP]))


def customer_get(*, partner_id: int) -> Partner | None:
    """A partner that is a customer (active or not), else None."""
    return Partner.objects.filter(pk=partner_id, is_customer=True).first()


def _overdue(*, partner_id: int, terms_days: int, on: date) -> Decimal:
    cutoff = overdue_cutoff(on=on, terms_days=terms_days)
    since = partner_statement(partner_id=partner_id, kind=RECEIVABLE, date_from=cutoff + timedelta(days=1), date_to=on)
    return overdue_amount(balance_at_cutoff=since.opening, credits_since=(line.credit for line in since.lines))


def customer_overdue(*, partner: Partner, on: date) -> Decimal:
    """The part of the customer's open balance on `on` that is past its payment terms (see domain)."""
    return _overdue(partner_id=partner.pk, terms_days=partner.payment_terms_days, on=on)


@dataclass(frozen=True)
class CustomerBalance:
    partner: Partner
    balance: Decimal
    overdue: Decimal


def customer_balances(
    *, on: date, search: str = "", sort: str | None = None, active: bool | None = True
) -> list[CustomerBalance]:
    """Customers with their open balance on `on` and its overdue part, sorted by `sort` (see BalanceSort;
    "-" first: descending). A bad sort is an AppError naming `sort`.

    Queries: the customers, one for every balance, one per distinct payment terms (the balances due at
    each cutoff), and a statement only for a customer who still owed something at their cutoff."""
    key, descending = sort_parse(sort)
    customers = list(partner_list(search=search, kind=Kind.CUSTOMER, active=active))
    balances = partner_balances(kind=RECEIVABLE, as_of=on)
    at_cutoff = {
        terms: partner_balances(kind=RECEIVABLE, as_of=overdue_cutoff(on=on, terms_days=terms))
        for terms in {customer.payment_terms_days for customer in customers}
    }
    rows = []
    for customer in customers:
        overdue = ZERO
        if at_cutoff[customer.payment_terms_days].get(customer.pk, ZERO) > 0:
            overdue = _overdue(partner_id=customer.pk, terms_days=customer.payment_terms_days, on=on)
        rows.append(CustomerBalance(partner=customer, balance=balances.get(customer.pk, ZERO), overdue=overdue))
    sort_keys = {
        BalanceSort.CODE: lambda row: row.partner.code,
        BalanceSort.NAME: lambda row: (row.partner.name, row.partner.code),
        BalanceSort.BALANCE: lambda row: (row.balance, row.partner.code),
        BalanceSort.OVERDUE: lambda row: (row.overdue, row.balance, row.partner.code),
    }
    return sorted(rows, key=sort_keys[key], reverse=descending)


@dataclass(frozen=True)
class CustomerOverview:
    partner: Partner
    contacts: list[Contact]
    balance: Decimal
    overdue: Decimal
    # None: no credit limit set (0).
    credit_left: Decimal | None
    recent_sales: list[RetailSale]
    sales_count: int
    sales_total: Decimal
    # The ledger's entries of the last RECENT_DAYS, newest first (invoices, receipts of money, returns…).
    recent_entries: list[StatementLine]

    @property
    def over_limit(self) -> bool:
        return self.credit_left is not None and self.credit_left < 0


def customer_overview(*, partner: Partner, on: date) -> CustomerOverview:
    """One customer at a glance on `on`: contacts, open balance against the credit limit, what they bought."""
    recent = partner_statement(
        partner_id=partner.pk, kind=RECEIVABLE, date_from=on - timedelta(days=RECENT_DAYS), date_to=on
    )
    sales = retail_sale_list().filter(customer_id=partner.pk)
    totals = sales.aggregate(count=Count("id"), total=Sum("total"))
    limit = partner.credit_limit
    return CustomerOverview(
        partner=partner,
        contacts=list(partner_contacts(partner_id=partner.pk)),
        balance=recent.closing,
        overdue=customer_overdue(partner=partner, on=on),
        credit_left=limit - recent.closing if limit > 0 else None,
        recent_sales=list(sales[:RECENT_SALES]),
        sales_count=totals["count"],
        sales_total=totals["total"] or ZERO,
        recent_entries=list(reversed(recent.lines))[:RECENT_ENTRIES],
    )


def customer_statement(*, partner_id: int, date_from: date | None, date_to: date | None) -> Statement:
    """The customer's statement (对账单) for a period: checked (an AppError naming the field), then the ledger's."""
    date_from, date_to = period_check(date_from=date_from, date_to=date_to)
    return partner_statement(partner_id=partner_id, kind=RECEIVABLE, date_from=date_from, date_to=date_to)
