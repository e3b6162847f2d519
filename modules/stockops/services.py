"""Stock document writes: create and edit drafts, confirm, post, cancel, reverse. One transaction each.

Every write locks the document row first (SELECT ... FOR UPDATE), so two people posting the same
document at once post it once: the second waits, then finds it posted and is refused.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import decimal_parse, today_in
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import quantity_to_base
from modules.finance import posting as books
from modules.inventory.models import Location, Lot, Warehouse
from modules.inventory.services import RevaluedDocument, posting_time
from modules.numbering.services import document_number_next
from modules.partners.models import Partner
from modules.stockops import domain, posting
from modules.stockops.enums import KIND_PREFIX, AdjustmentReason, DocumentKind, DocumentStatus, ErrorCode
from modules.stockops.models import StockDocument, StockDocumentLine

NOTE_MAX = 500
LOT_MAX = 64


@dataclass(frozen=True)
class LineInput:
    """A line as the user entered it: `quantity` of any of the item's units, > 0 (signed on adjustments)."""

    item: Item
    unit: Unit
    quantity: Decimal | str
    unit_cost: Decimal | str | None = None
    location: Location | None = None
    target_location: Location | None = None
    lot_code: str = ""
    expiry_date: date | None = None


@dataclass(frozen=True)
class PostingOutcome:
    document: StockDocument
    # Later documents whose cost this (backdated) posting changed: shown to the user.
    revalued: list[RevaluedDocument]


# --- Checks of the document's head ------------------------------------------------------------------


@dataclass
class _Head:
    kind: str
    date: date
    warehouse: Warehouse
    target_warehouse: Warehouse | None
    partner: Partner | None
    reason: str
    note: str


def _clean_head(head: _Head, *, tz_name: str) -> _Head:
    if head.kind not in DocumentKind.values:
        raise AppError(ErrorCode.INVALID_KIND, _("Choose a kind of document."), field="kind")
    if head.date is None:
        raise AppError(ErrorCode.REQUIRED, _("This field is required."), field="date")
    posting_time(on=head.date, tz_name=tz_name)  # refuses a future date, on field "date"
    if head.warehouse is None:
        raise AppError(ErrorCode.REQUIRED, _("This field is required."), field="warehouse")
    if not head.warehouse.is_active:
        raise AppError("inactive_warehouse", _("The warehouse is inactive."), field="warehouse")
    if head.kind == DocumentKind.TRANSFER:
        if head.target_warehouse is None:
            raise AppError(ErrorCode.REQUIRED, _("Choose the warehouse to transfer to."), field="target_warehouse")
        if not head.target_warehouse.is_active:
            raise AppError("inactive_warehouse", _("The warehouse is inactive."), field="target_warehouse")
    elif head.target_warehouse is not None:
        raise AppError(ErrorCode.NOT_ALLOWED, _("Only a transfer has a target warehouse."), field="target_warehouse")
    _check_partner(head)
    if head.kind == DocumentKind.ADJUSTMENT:
        if not head.reason:
            raise AppError(ErrorCode.REASON_REQUIRED, _("Choose the reason for the adjustment."), field="reason")
        if head.reason not in AdjustmentReason.values:
            raise AppError(ErrorCode.INVALID_REASON, _("Choose one of the listed reasons."), field="reason")
    elif head.reason:
        raise AppError(ErrorCode.NOT_ALLOWED, _("Only an adjustment has a reason."), field="reason")
    head.note = (head.note or "").strip()
    if len(head.note) > NOTE_MAX:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    return head


def _check_partner(head: _Head) -> None:
    if head.partner is None:
        return
    if head.kind == DocumentKind.STOCK_IN and not head.partner.is_supplier:
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose a supplier."), field="partner")
    if head.kind == DocumentKind.STOCK_OUT and not head.partner.is_customer:
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose a customer."), field="partner")
    if head.kind not in (DocumentKind.STOCK_IN, DocumentKind.STOCK_OUT):
        raise AppError(ErrorCode.NOT_ALLOWED, _("Only other receipts and issues name a partner."), field="partner")


# --- Checks of the lines ------------------------------------------------------------------------------


def _clean_lines(head: _Head, lines: list[LineInput]) -> list[StockDocumentLine]:
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Add at least one line."), field="lines")
    return [_clean_line(head, index, line) for index, line in enumerate(lines)]


def _clean_line(head: _Head, index: int, line: LineInput) -> StockDocumentLine:
    prefix = f"lines.{index}"
    n = index + 1
    if line.item is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose an item.") % {"n": n}, field=f"{prefix}.item")
    if line.unit is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose a unit.") % {"n": n}, field=f"{prefix}.unit")
    quantity = decimal_parse(line.quantity, field=f"{prefix}.quantity")
    if head.kind == DocumentKind.ADJUSTMENT and quantity == 0:
        raise AppError(
            ErrorCode.ZERO_QUANTITY,
            _("Line %(n)s: the quantity cannot be zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    if head.kind != DocumentKind.ADJUSTMENT and quantity <= 0:
        raise AppError(
            ErrorCode.NON_POSITIVE_QUANTITY,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    try:
        base = quantity_to_base(line.item, line.unit, abs(quantity))
    except AppError as error:
        raise AppError(error.code, error.message, field=f"{prefix}.{error.field}") from None
    incoming = domain.is_incoming(head.kind, quantity)
    unit_cost = _clean_cost(line, incoming=incoming, kind=head.kind, prefix=prefix, n=n)
    _check_locations(head, line, prefix=prefix, n=n)
    lot_code, expiry = _clean_lot(line, incoming=incoming, prefix=prefix, n=n)
    return StockDocumentLine(
        position=index,
        item=line.item,
        unit=line.unit,
        quantity=quantity,
        base_quantity=base if quantity > 0 else -base,
        unit_cost=unit_cost,
        location=line.location,
        target_location=line.target_location if head.kind == DocumentKind.TRANSFER else None,
        lot_code=lot_code,
        expiry_date=expiry,
    )


def _clean_cost(line: LineInput, *, incoming: bool, kind: str, prefix: str, n: int) -> Decimal | None:
    field = f"{prefix}.unit_cost"
    if line.unit_cost in (None, ""):
        if kind == DocumentKind.STOCK_IN:
            raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: enter the unit cost.") % {"n": n}, field=field)
        return None
    if not incoming:
        raise AppError(
            ErrorCode.NOT_ALLOWED,
            _("Line %(n)s: only receipts and positive adjustments carry a unit cost.") % {"n": n},
            field=field,
        )
    cost = decimal_parse(line.unit_cost, field=field)
    if cost < 0:
        raise AppError(
            ErrorCode.INVALID_COST, _("Line %(n)s: the unit cost cannot be negative.") % {"n": n}, field=field
        )
    return cost


def _check_locations(head: _Head, line: LineInput, *, prefix: str, n: int) -> None:
    if line.location is not None and line.location.warehouse_id != head.warehouse.pk:
        raise AppError(
            ErrorCode.WRONG_WAREHOUSE,
            _("Line %(n)s: location %(location)s is not in warehouse %(warehouse)s.")
            % {"n": n, "location": line.location.code, "warehouse": head.warehouse.code},
            field=f"{prefix}.location",
        )
    if head.kind != DocumentKind.TRANSFER:
        if line.target_location is not None:
            raise AppError(
                ErrorCode.NOT_ALLOWED,
                _("Line %(n)s: only a transfer has a target location.") % {"n": n},
                field=f"{prefix}.target_location",
            )
        return
    target = line.target_location
    if target is not None and target.warehouse_id != head.target_warehouse.pk:
        raise AppError(
            ErrorCode.WRONG_WAREHOUSE,
            _("Line %(n)s: location %(location)s is not in warehouse %(warehouse)s.")
            % {"n": n, "location": target.code, "warehouse": head.target_warehouse.code},
            field=f"{prefix}.target_location",
        )
    same_location = (line.location.pk if line.location else None) == (target.pk if target else None)
    if head.warehouse.pk == head.target_warehouse.pk and same_location:
        raise AppError(
            ErrorCode.SAME_PLACE,
            _("Line %(n)s: the source and the target are the same place.") % {"n": n},
            field=f"{prefix}.target_location",
        )


def _clean_lot(line: LineInput, *, incoming: bool, prefix: str, n: int) -> tuple[str, date | None]:
    code = (line.lot_code or "").strip()
    if len(code) > LOT_MAX:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": LOT_MAX}, field=f"{prefix}.lot_code")
    if not line.item.lot_tracked:
        if code or line.expiry_date:
            raise AppError(
                ErrorCode.NOT_ALLOWED,
                _("Line %(n)s: %(item)s is not lot-tracked.") % {"n": n, "item": line.item},
                field=f"{prefix}.lot_code",
            )
        return "", None
    if not code:
        raise AppError(
            ErrorCode.LOT_REQUIRED,
            _("Line %(n)s: %(item)s is lot-tracked; enter the lot.") % {"n": n, "item": line.item},
            field=f"{prefix}.lot_code",
        )
    existing = Lot.objects.filter(item=line.item, code=code).first()
    if not incoming:
        if existing is None:
            raise AppError(
                ErrorCode.UNKNOWN_LOT,
                _("Line %(n)s: %(item)s has no lot %(lot)s.") % {"n": n, "item": line.item, "lot": code},
                field=f"{prefix}.lot_code",
            )
        return code, None  # the lot's own expiry date applies
    posting.check_lot_expiry(existing, line.expiry_date, field=f"{prefix}.expiry_date", n=n)
    return code, line.expiry_date


# --- The lifecycle -------------------------------------------------------------------------------------


def _locked(document: StockDocument) -> StockDocument:
    return (
        StockDocument.objects.select_for_update(of=("self",))
        .select_related("warehouse", "target_warehouse")
        .get(pk=document.pk)
    )


def stock_document_create(
    *,
    kind: str,
    date: date,
    warehouse: Warehouse,
    lines: list[LineInput],
    tz_name: str,
    target_warehouse: Warehouse | None = None,
    partner: Partner | None = None,
    reason: str = "",
    note: str = "",
    created_by=None,
) -> StockDocument:
    """A draft with its lines and its number (gap-free per kind and year)."""
    head = _clean_head(_Head(kind, date, warehouse, target_warehouse, partner, reason or "", note), tz_name=tz_name)
    clean = _clean_lines(head, lines)
    with transaction.atomic():
        number = document_number_next(doc_type=head.kind, prefix=KIND_PREFIX[head.kind], on=head.date)
        document = StockDocument.objects.create(
            kind=head.kind,
            number=number,
            date=head.date,
            warehouse=head.warehouse,
            target_warehouse=head.target_warehouse,
            partner=head.partner,
            reason=head.reason,
            note=head.note,
            created_by=created_by,
        )
        _lines_save(document, clean)
    return document


HEAD_FIELDS = ("date", "warehouse", "target_warehouse", "partner", "reason", "note")


def stock_document_update(*, document: StockDocument, tz_name: str, **changes) -> StockDocument:
    """Change a draft's head fields and/or replace its lines (`lines`: a list of LineInput)."""
    unknown = set(changes) - {*HEAD_FIELDS, "lines"}
    if unknown:
        raise AppError("unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    with transaction.atomic():
        document = _locked(document)
        domain.check_transition(document.status, "edit")
        values = {name: changes.get(name, getattr(document, name)) for name in HEAD_FIELDS}
        head = _clean_head(_Head(kind=document.kind, **values), tz_name=tz_name)
        lines = changes["lines"] if "lines" in changes else _as_inputs(document)
        # Existing lines are checked again too: a new warehouse must still hold their locations.
        clean = _clean_lines(head, lines)
        for name in HEAD_FIELDS:
            setattr(document, name, getattr(head, name))
        document.save()
        document.lines.all().delete()
        _lines_save(document, clean)
    return document


def _as_inputs(document: StockDocument) -> list[LineInput]:
    return [
        LineInput(
            line.item, line.unit, line.quantity, line.unit_cost, line.location, line.target_location,
            line.lot_code, line.expiry_date,
        )
        for line in document.lines.select_related("item", "unit", "location", "target_location")
    ]  # fmt: skip


def _lines_save(document: StockDocument, lines: list[StockDocumentLine]) -> None:
    for line in lines:
        line.document = document
    StockDocumentLine.objects.bulk_create(lines)


def stock_document_confirm(*, document: StockDocument) -> StockDocument:
    with transaction.atomic():
        document = _locked(document)
        domain.check_transition(document.status, "confirm")
        document.status = DocumentStatus.CONFIRMED
        document.confirmed_at = timezone.now()
        document.save(update_fields=["status", "confirmed_at", "updated_at"])
    return document


def stock_document_cancel(*, document: StockDocument) -> StockDocument:
    with transaction.atomic():
        document = _locked(document)
        domain.check_transition(document.status, "cancel")
        document.status = DocumentStatus.CANCELLED
        document.cancelled_at = timezone.now()
        document.save(update_fields=["status", "cancelled_at", "updated_at"])
    return document


def stock_document_post(*, document: StockDocument, tz_name: str) -> PostingOutcome:
    """Post a confirmed document's moves to the stock ledger; refused as a whole (the document stays
    confirmed) when stock would run short."""
    with transaction.atomic():
        document = _locked(document)
        domain.check_transition(document.status, "post")
        posted_at = posting_time(on=document.date, tz_name=tz_name)
        result = posting.document_post(document, posted_at=posted_at)
        document.status = DocumentStatus.POSTED
        document.posted_at = posted_at
        document.save(update_fields=["status", "posted_at", "updated_at"])
        books.stock_document_posted(source_type=document.kind, document=document, revalued=result.revalued)
    return PostingOutcome(document, result.revalued)


def stock_document_reverse(
    *, document: StockDocument, tz_name: str, on: date | None = None, created_by=None
) -> PostingOutcome:
    """Reverse a posted document (红冲): a new posted document of the same kind whose moves mirror the
    original's, dated `on` (default today). The original stays posted and points to it as `reversal`."""
    with transaction.atomic():
        original = _locked(document)
        domain.check_transition(original.status, "reverse")
        if original.reverses_id is not None:
            raise AppError(
                ErrorCode.REVERSAL_OF_REVERSAL, _("A reversal cannot itself be reversed."), field="status", status=409
            )
        if StockDocument.objects.filter(reverses=original).exists():
            raise AppError(
                ErrorCode.ALREADY_REVERSED, _("This document has been reversed already."), field="status", status=409
            )
        on = on or today_in(tz_name)
        if on < original.date:
            raise AppError(
                ErrorCode.REVERSAL_BEFORE_ORIGINAL,
                _("A reversal cannot be dated before the document it reverses (%(date)s).") % {"date": original.date},
                field="date",
            )
        posted_at = posting_time(on=on, tz_name=tz_name)
        now = timezone.now()
        reversal = StockDocument.objects.create(
            kind=original.kind,
            number=document_number_next(doc_type=original.kind, prefix=KIND_PREFIX[original.kind], on=on),
            status=DocumentStatus.POSTED,
            date=on,
            warehouse=original.warehouse,
            target_warehouse=original.target_warehouse,
            partner_id=original.partner_id,
            reason=original.reason,
            note=_("Reversal of %(number)s") % {"number": original.number},
            reverses=original,
            created_by=created_by,
            confirmed_at=now,
            posted_at=posted_at,
        )
        copies = list(original.lines.all())
        for line in copies:
            line.pk = None
        _lines_save(reversal, copies)
        result = posting.document_reverse(original, reversal, posted_at=posted_at)
        books.document_reversed(
            source_type=original.kind, original=original, reversal=reversal, revalued=result.revalued
        )
    return PostingOutcome(reversal, result.revalued)
