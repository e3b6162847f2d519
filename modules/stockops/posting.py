"""How a stock document posts to the stock ledger: its lots, its ledger lines, and ledger errors named
by the document's own line numbers (a transfer line posts two legs)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.inventory.models import Lot
from modules.inventory.services import MoveLine, PostingResult, stock_moves_post, stock_moves_reverse
from modules.stockops import domain
from modules.stockops.enums import DocumentKind, ErrorCode
from modules.stockops.models import StockDocument, StockDocumentLine


@dataclass(frozen=True)
class Leg:
    """One ledger line of a document line: the line itself, or for a transfer its source or target side."""

    line: StockDocumentLine
    target: bool = False


def check_lot_expiry(lot: Lot | None, expiry: date | None, *, field: str, n: int) -> None:
    """A lot keeps the expiry date it was created with: a receipt naming another one is refused."""
    if lot is not None and expiry is not None and lot.expiry_date is not None and lot.expiry_date != expiry:
        raise AppError(
            ErrorCode.LOT_EXPIRY_MISMATCH,
            _("Line %(n)s: lot %(lot)s expires on %(date)s.") % {"n": n, "lot": lot.code, "date": lot.expiry_date},
            field=field,
        )


def _lots_resolve(document: StockDocument, lines: list[StockDocumentLine]) -> None:
    """Find each line's lot, creating it on first receipt (same code, same item: the same lot)."""
    for line in lines:
        if not line.lot_code:
            continue
        n = line.position + 1
        if domain.is_incoming(document.kind, line.quantity):
            lot, created = Lot.objects.get_or_create(
                item=line.item, code=line.lot_code, defaults={"expiry_date": line.expiry_date}
            )
            if not created:
                check_lot_expiry(lot, line.expiry_date, field=f"lines.{line.position}.expiry_date", n=n)
        else:
            lot = Lot.objects.filter(item=line.item, code=line.lot_code).first()
            if lot is None:
                raise AppError(
                    ErrorCode.UNKNOWN_LOT,
                    _("Line %(n)s: %(item)s has no lot %(lot)s.") % {"n": n, "item": line.item, "lot": line.lot_code},
                    field=f"lines.{line.position}.lot_code",
                )
        line.lot = lot
    StockDocumentLine.objects.bulk_update([line for line in lines if line.lot_code], ["lot"])


def _legs(document: StockDocument, lines: list[StockDocumentLine]) -> list[Leg]:
    if document.kind == DocumentKind.TRANSFER:
        return [leg for line in lines for leg in (Leg(line), Leg(line, target=True))]
    return [Leg(line) for line in lines]


def _move_line(document: StockDocument, leg: Leg) -> MoveLine:
    line = leg.line
    if leg.target:
        return MoveLine(
            line.item, document.target_warehouse, line.base_quantity, None, line.target_location, line.lot, True
        )
    cost = None
    if line.unit_cost is not None and domain.is_incoming(document.kind, line.quantity):
        cost = domain.base_unit_cost(unit_cost=line.unit_cost, quantity=line.quantity, base_quantity=line.base_quantity)
    return MoveLine(
        line.item,
        document.warehouse,
        domain.signed(document.kind, line.base_quantity),
        cost,
        line.location,
        line.lot,
        document.kind == DocumentKind.TRANSFER,
    )


def _lines(document: StockDocument) -> list[StockDocumentLine]:
    return list(document.lines.select_related("item", "unit", "location", "target_location", "lot"))


def document_post(document: StockDocument, *, posted_at: datetime) -> PostingResult:
    lines = _lines(document)
    _lots_resolve(document, lines)
    legs = _legs(document, lines)
    try:
        return stock_moves_post(
            lines=[_move_line(document, leg) for leg in legs],
            posted_at=posted_at,
            source_type=document.kind,
            source_id=document.pk,
            reference=document.number,
        )
    except AppError as error:
        raise _named_by_line(error, document, legs) from None


def document_reverse(original: StockDocument, reversal: StockDocument, *, posted_at: datetime) -> PostingResult:
    # The ledger mirrors the original's moves in their order, which is the order of these legs.
    legs = _legs(original, _lines(original))
    try:
        return stock_moves_reverse(
            source_type=original.kind,
            source_id=original.pk,
            posted_at=posted_at,
            reversal_source_type=reversal.kind,
            reversal_source_id=reversal.pk,
            reference=reversal.number,
        )
    except AppError as error:
        raise _named_by_line(error, original, legs) from None


LEDGER_FIELD = re.compile(r"lines\.(\d+)\.(\w+)")
# The ledger's refusals for want of stock: now, or at a later move of the place (a backdated posting).
SHORT_CODES = {ErrorCode.INSUFFICIENT_STOCK, ErrorCode.INSUFFICIENT_STOCK_LATER}


def _named_by_line(error: AppError, document: StockDocument, legs: list[Leg]) -> AppError:
    """The ledger names its own line ("lines.3.quantity"); name the document's line and field instead."""
    match = LEDGER_FIELD.fullmatch(error.field or "")
    if match is None or int(match[1]) >= len(legs):
        return error
    leg = legs[int(match[1])]
    attribute = match[2]
    if attribute == "warehouse":
        field = "target_warehouse" if leg.target else "warehouse"
    elif attribute == "location" and leg.target:
        field = f"lines.{leg.line.position}.target_location"
    else:
        attribute = {"lot": "lot_code"}.get(attribute, attribute)
        field = f"lines.{leg.line.position}.{attribute}"
    message = error.message
    if document.kind == DocumentKind.TRANSFER and error.code in SHORT_CODES:
        # The ledger counted legs, not lines: its message would name the wrong line.
        place = document.target_warehouse if leg.target else document.warehouse
        location = leg.line.target_location if leg.target else leg.line.location
        values = {
            "n": leg.line.position + 1,
            "item": leg.line.item,
            "place": f"{place.code} {location.code}" if location else place.code,
        }
        if error.code == ErrorCode.INSUFFICIENT_STOCK:
            message = _("Line %(n)s: not enough %(item)s in stock at %(place)s.") % values
        else:
            message = _("Line %(n)s: this would leave too little %(item)s at %(place)s for a later document.") % values
    return AppError(error.code, message, field=field, status=error.status_code)
