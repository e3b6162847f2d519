"""Partner ledger writes. Each is called from a document's posting service, inside its transaction, so
the document and its ledger entries commit or roll back together."""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, Conflict
from jxc.kernel.numbers import cents
from modules.partnerledger.models import EntryKind, PartnerEntry
from modules.partners.models import Partner

MONEY_LIMIT = Decimal("1e12")
MEMO_MAX = 200


def partner_lock(partner_id: int) -> None:
    """Lock the partner's row until the transaction ends: a credit check and the posting it guards
    (two orders confirmed at once for one customer) then see each other's entries."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("partner_lock must run inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM partners_partner WHERE id = %s FOR UPDATE", [partner_id])


def partner_entry_post(
    *,
    partner: Partner,
    kind: str,
    date: date,
    source_type: str,
    source_id: int,
    number: str,
    amount: Decimal,
    memo: str = "",
) -> PartnerEntry:
    """Record that `partner` owes (receivable) or is owed (payable) `amount` more, or less when negative."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("partner_entry_post must run inside the posting document's transaction")
    if kind not in EntryKind.values:
        raise ValueError(f"unknown partner ledger kind {kind!r}")
    if kind == EntryKind.RECEIVABLE and not partner.is_customer:
        raise AppError("wrong_partner", _("%(name)s is not a customer.") % {"name": partner.name}, field="partner")
    if kind == EntryKind.PAYABLE and not partner.is_supplier:
        raise AppError("wrong_partner", _("%(name)s is not a supplier.") % {"name": partner.name}, field="partner")
    amount = cents(Decimal(amount))
    if amount == 0 or abs(amount) >= MONEY_LIMIT:
        raise AppError("invalid_amount", _("The amount must be non-zero and below 10¹²."), field="amount")
    entry = PartnerEntry(
        partner=partner,
        kind=kind,
        date=date,
        source_type=source_type,
        source_id=source_id,
        number=number,
        amount=amount,
        memo=memo[:MEMO_MAX],
    )
    # One plain INSERT: every sales and purchasing document posts here, and the ORM's save costs more than it.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO partnerledger_partnerentry (partner_id, kind, date, source_type, source_id, number, memo,"
            " amount, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now()) RETURNING id, created_at",
            [partner.pk, kind, date, source_type, source_id, number, entry.memo, amount],
        )
        entry.pk, entry.created_at = cursor.fetchone()
    entry._state.adding = False
    return entry


def partner_entries_reverse(*, source_type: str, source_id: int, date: date, number: str) -> list[PartnerEntry]:
    """Negate every entry the document wrote (红冲), dated `date` under the reversing document's `number`.

    Refused (409) when the document wrote nothing or was reversed already."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("partner_entries_reverse must run inside the reversing document's transaction")
    # Locked first, so two reversals of one document queue up and the second finds nothing open.
    originals = list(
        PartnerEntry.objects.select_for_update()
        .filter(source_type=source_type, source_id=source_id, reverses__isnull=True)
        .order_by("id")
    )
    reversed_ids = set(PartnerEntry.objects.filter(reverses__in=originals).values_list("reverses_id", flat=True))
    entries = [entry for entry in originals if entry.pk not in reversed_ids]
    if not entries:
        raise Conflict("nothing_to_reverse", _("This document has no open entries in the partner ledger."))
    return [
        PartnerEntry.objects.create(
            partner_id=entry.partner_id,
            kind=entry.kind,
            date=date,
            source_type=entry.source_type,
            source_id=entry.source_id,
            number=number,
            amount=-entry.amount,
            memo=_("Reversal of %(number)s") % {"number": entry.number},
            reverses=entry,
        )
        for entry in entries
    ]
