"""Receivables and payables (应收/应付): each partner's open items and their aging, read from the partner
ledger (`modules.partnerledger`), whatever document posted the entries.

An entry that raises what is owed (an invoice, a bill: amount > 0) is an *item*; one that lowers it (money
received or paid, a return: amount < 0) is a *credit* settling items. A document undone by a reversal (红冲)
counts neither with its reversal (when the reversal is dated by the day asked about). A credit settles first
the items its document explicitly allocates it to (a payment's allocations to bills, see `ALLOCATIONS`), and
whatever of it is left settles the oldest open items first (FIFO). A credit larger than all items stays
unapplied (money on account, a prepayment). So Σ open − unapplied is always the partner's balance.

An item is due `payment_terms_days` after its date; aging puts its open amount in the bucket of the days
past due on the day asked about: current (not yet due), 1–30, 31–60, 61–90, over 90.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Q

from modules.inventory.sources import source_label, source_url
from modules.partnerledger.models import EntryKind, PartnerEntry
from modules.partners.models import Partner

ZERO = Decimal("0.00")
BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")
KINDS = (EntryKind.RECEIVABLE, EntryKind.PAYABLE)


@dataclass(frozen=True)
class Allocations:
    """Where a document type's explicit allocations live: rows of `model` (app_label.Model) tie a credit
    (`credit_field`, a document of `credit_source_type`) to an item (`item_field`, of `item_source_type`)."""

    credit_source_type: str
    model: str
    credit_field: str
    item_field: str
    item_source_type: str


# Documents that say which items they settle. A module not installed (or a model not there yet) is skipped:
# its credits settle FIFO.
ALLOCATIONS = (
    Allocations("purchase_payment", "purchasing.PurchasePaymentAllocation", "payment", "bill", "purchase_bill"),
    Allocations("sales_receipt", "sales.SalesReceiptAllocation", "receipt", "invoice", "sales_invoice"),
)


def _bucket(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "d1_30"
    if days_overdue <= 60:
        return "d31_60"
    if days_overdue <= 90:
        return "d61_90"
    return "d90_plus"


@dataclass
class OpenItem:
    entry_id: int
    date: date
    due: date
    source_type: str
    source_id: int
    number: str
    memo: str
    amount: Decimal
    open: Decimal
    days_overdue: int = 0

    @property
    def settled(self) -> Decimal:
        return self.amount - self.open

    @property
    def bucket(self) -> str:
        return _bucket(self.days_overdue)

    @property
    def label(self) -> str:
        return source_label(self.source_type)

    @property
    def url(self) -> str | None:
        return source_url(self.source_type, self.source_id)


@dataclass
class PartnerAging:
    partner: Partner
    items: list[OpenItem]
    unapplied: Decimal
    buckets: dict[str, Decimal] = field(default_factory=dict)

    @property
    def open_total(self) -> Decimal:
        return sum((item.open for item in self.items), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.open_total - self.unapplied


@dataclass
class Aging:
    kind: str
    as_of: date
    partners: list[PartnerAging]

    @property
    def totals(self) -> dict[str, Decimal]:
        totals = dict.fromkeys((*BUCKETS, "unapplied", "balance"), ZERO)
        for row in self.partners:
            for name in BUCKETS:
                totals[name] += row.buckets[name]
            totals["unapplied"] += row.unapplied
            totals["balance"] += row.balance
        return totals


# (credit source type, id) -> [((item source type, id), amount)]
Explicit = dict[tuple[str, int], list[tuple[tuple[str, int], Decimal]]]


def _explicit_allocations(credits: Iterable[PartnerEntry]) -> Explicit:
    """(credit source type, id) -> [((item source type, id), amount)] from the documents' own allocations."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in credits:
        if entry.amount < 0:
            wanted[entry.source_type].add(entry.source_id)
    found: dict[tuple[str, int], list[tuple[tuple[str, int], Decimal]]] = defaultdict(list)
    for spec in ALLOCATIONS:
        ids = wanted.get(spec.credit_source_type)
        if not ids:
            continue
        try:
            model = apps.get_model(spec.model)
        except LookupError:
            continue
        rows = model.objects.filter(**{f"{spec.credit_field}_id__in": ids}).values_list(
            f"{spec.credit_field}_id", f"{spec.item_field}_id", "amount"
        )
        for credit_id, item_id, amount in rows:
            found[(spec.credit_source_type, credit_id)].append(((spec.item_source_type, item_id), amount))
    return found


def _settle(
    entries: list[PartnerEntry], *, terms_days: int, as_of: date, explicit: Explicit
) -> tuple[list[OpenItem], Decimal]:
    """The open items of one partner's entries (oldest first) and the credit left unapplied."""
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    standing = [entry for entry in entries if entry.pk not in reversed_ids and entry.reverses_id is None]
    items = [
        OpenItem(
            entry_id=entry.pk, date=entry.date, due=entry.date + timedelta(days=terms_days),
            source_type=entry.source_type, source_id=entry.source_id, number=entry.number, memo=entry.memo,
            amount=entry.amount, open=entry.amount,
        )
        for entry in standing
        if entry.amount > 0
    ]  # fmt: skip
    credits = [entry for entry in standing if entry.amount < 0]
    by_source: dict[tuple[str, int], list[OpenItem]] = defaultdict(list)
    for item in items:
        by_source[(item.source_type, item.source_id)].append(item)
    remaining: list[Decimal] = []
    for credit in credits:
        left = -credit.amount
        for target, amount in explicit.get((credit.source_type, credit.source_id), ()):
            for item in by_source.get(target, ()):
                applied = min(amount, item.open, left)
                if applied > 0:
                    item.open -= applied
                    left -= applied
                    amount -= applied
        remaining.append(left)
    unapplied = ZERO
    queue = iter(items)
    item = next(queue, None)
    for left in remaining:
        while left > 0 and item is not None:
            applied = min(left, item.open)
            item.open -= applied
            left -= applied
            if item.open == 0:
                item = next(queue, None)
        unapplied += left
    open_items = [item for item in items if item.open > 0]
    for item in open_items:
        item.days_overdue = (as_of - item.due).days
    return open_items, unapplied


def _entries(kind: str, as_of: date, partner_ids: Iterable[int] | None = None):
    entries = PartnerEntry.objects.filter(kind=kind, date__lte=as_of)
    if partner_ids is not None:
        entries = entries.filter(partner_id__in=list(partner_ids))
    return entries.order_by("partner_id", "date", "id").only(
        "id", "partner_id", "date", "source_type", "source_id", "number", "memo", "amount", "reverses_id"
    )


def aging(*, kind: str, as_of: date, q: str = "") -> Aging:
    """Every partner of `kind` with something open or unapplied on `as_of`, by code, with their items."""
    per_partner: dict[int, list[PartnerEntry]] = defaultdict(list)
    partners = Partner.objects.all()
    if q:
        partners = partners.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_initials__icontains=q))
        entries = _entries(kind, as_of, partners.values_list("pk", flat=True))
    else:
        entries = _entries(kind, as_of)
    for entry in entries:
        per_partner[entry.partner_id].append(entry)
    explicit = _explicit_allocations(entry for group in per_partner.values() for entry in group)
    rows = []
    for partner in partners.filter(pk__in=per_partner.keys()).order_by("code"):
        items, unapplied = _settle(
            per_partner[partner.pk], terms_days=partner.payment_terms_days, as_of=as_of, explicit=explicit
        )
        if not items and not unapplied:
            continue
        buckets = dict.fromkeys(BUCKETS, ZERO)
        for item in items:
            buckets[item.bucket] += item.open
        rows.append(PartnerAging(partner=partner, items=items, unapplied=unapplied, buckets=buckets))
    return Aging(kind=kind, as_of=as_of, partners=rows)


def partner_open_items(*, partner: Partner, kind: str, as_of: date) -> PartnerAging:
    """One partner's open items (possibly none) on `as_of`."""
    entries = list(_entries(kind, as_of, [partner.pk]))
    items, unapplied = _settle(
        entries, terms_days=partner.payment_terms_days, as_of=as_of, explicit=_explicit_allocations(entries)
    )
    buckets = dict.fromkeys(BUCKETS, ZERO)
    for item in items:
        buckets[item.bucket] += item.open
    return PartnerAging(partner=partner, items=items, unapplied=unapplied, buckets=buckets)
