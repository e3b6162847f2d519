"""Stock count (盘点) writes: create, freeze, count, post, cancel, reverse. One transaction per service.

Lifecycle: draft (scope chosen) → counting (expected figures frozen) → posted; cancelled from draft
or counting. Every service locks the count row first (SELECT … FOR UPDATE) and checks the status
under that lock, so a double-submitted post posts once and nothing is counted into a closed count.

Posting adjusts the ledger by counted − frozen expected per line: gains come in at the item's
average cost, losses go out at the costing method's cost. Moves made between freezing and posting
stay: the count says what was on the shelf when it was frozen, not what is there at posting.

Reversal (红冲): an auditor expects a correction to be a document of its own, never an edit of the
posted one. So a posted count is reversed by a new StockCount with its own gap-free PD number and
date, posted at once, `reverses` pointing at the original (one reversal per count, enforced by the
database). It has no lines: its stock moves are the ledger's mirror of the original's, at the
original's costs. The original stays "posted" (its moves stay in the ledger) and shows "reversed by".
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Category, Item, Unit
from modules.catalog.selectors import barcode_scan, category_descendant_ids, quantity_to_base
from modules.finance import posting as books
from modules.inventory.models import Location, Lot, Warehouse
from modules.inventory.selectors import stock_on_hand
from modules.inventory.services import (
    MoveLine,
    RevaluedDocument,
    posting_time,
    stock_moves_post,
    stock_moves_reverse,
)
from modules.numbering.services import document_number_next
from modules.stockcount.models import (
    SOURCE_TYPE,
    CountScope,
    CountStatus,
    StockCount,
    StockCountLine,
    UncountedPolicy,
)
from modules.stockcount.selectors import location_subtree_ids

DOC_TYPE = "stock_count"
NUMBER_PREFIX = "PD"
QTY = Decimal("0.000001")
# The line columns hold 20 digits, 6 of them decimals.
MAX_QUANTITY = Decimal("1e14")
NOTE_MAX = 500
# What posting does with lines nobody counted: refuse (the default), count them as zero, or leave them out.
UNCOUNTED_CHOICES = ("refuse", UncountedPolicy.ZERO.value, UncountedPolicy.IGNORE.value)
# How many uncounted lines a refusal names before it says "and N more".
NAMED_LINES_MAX = 10


@dataclass(frozen=True)
class CountedEntry:
    """One counted quantity to set: `counted` in `unit` (None: the base unit); counted None un-counts the line."""

    line_id: int
    counted: Decimal | str | int | None
    unit: Unit | None = None


@dataclass(frozen=True)
class ScanResult:
    line: StockCountLine
    added: Decimal
    created: bool


@dataclass(frozen=True)
class CountPosting:
    count: StockCount
    revalued: list[RevaluedDocument]


def tenant_today(tz_name: str) -> date:
    """Today in the tenant's time zone: the default date of a count."""
    return timezone.now().astimezone(ZoneInfo(tz_name)).date()


def _lock(count: StockCount) -> StockCount:
    """The count's row, locked for the rest of the transaction, with the fields a service checks."""
    return StockCount.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=count.pk)


def _require_status(count: StockCount, *statuses: str) -> None:
    if count.status in statuses:
        return
    messages = {
        CountStatus.DRAFT: _("This count has not started yet: freeze the expected figures first."),
        CountStatus.COUNTING: _("This count is being counted; it cannot be changed this way."),
        CountStatus.POSTED: _("This count is posted and cannot be changed."),
        CountStatus.CANCELLED: _("This count is cancelled and cannot be changed."),
    }
    raise AppError("invalid_status", messages[count.status], field="status", status=409)


def _quantity(value, *, field: str, item: Item | None = None, unit: Unit | None = None) -> Decimal:
    """A non-negative counted quantity in base units (converted from `unit` when given), to 6 places."""
    if isinstance(value, bool):
        raise AppError("invalid_number", _("Enter a number."), field=field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise AppError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise AppError("invalid_number", _("Enter a number."), field=field)
    if number < 0:
        raise AppError("negative_quantity", _("A counted quantity cannot be negative."), field=field)
    # Checked before any arithmetic too: quantizing a huge number raises instead of answering.
    if number >= MAX_QUANTITY:
        raise AppError("too_large", _("This quantity is too large."), field=field)
    if unit is not None and item is not None and unit.pk != item.base_unit_id:
        try:
            number = quantity_to_base(item, unit, number)
        except AppError as error:
            unit_field = field.rsplit(".", 1)[0] + ".unit" if "." in field else "unit"
            raise AppError(error.code, error.message, field=unit_field if error.field == "unit" else field) from None
        if number >= MAX_QUANTITY:
            raise AppError("too_large", _("This quantity is too large."), field=field)
    if number != number.quantize(QTY):
        raise AppError("too_many_places", _("At most 6 decimal places."), field=field)
    return number.quantize(QTY)


def _where(location: Location | None, lot: Lot | None) -> str:
    parts = [location.code if location else _("no location")]
    if lot is not None:
        parts.append(_("lot %(lot)s") % {"lot": lot.code})
    return " / ".join(parts)


def _check_lot_rule(line: StockCountLine, counted: Decimal | None, *, field: str) -> None:
    # The ledger needs a lot on every move of a lot-tracked item: a lot-less line may only confirm what it expects.
    if line.item.lot_tracked and line.lot_id is None and counted is not None and counted != line.expected:
        raise AppError(
            "lot_required",
            _("%(item)s is lot-tracked: add a line with its lot instead.") % {"item": line.item},
            field=field,
        )


# --- Create and freeze ------------------------------------------------------------------------------


def stock_count_create(
    *,
    warehouse: Warehouse,
    scope: str,
    tz_name: str,
    location: Location | None = None,
    category: Category | None = None,
    include_zero_stock: bool = False,
    note: str = "",
    on: date | None = None,
    created_by=None,
) -> StockCount:
    """A draft count of a whole warehouse, a location (and the locations below it) or a category (and its
    subcategories), numbered PD<year><n> gap-free. `on` is a date in the tenant's time zone (default today)."""
    if scope not in CountScope.values:
        raise AppError("invalid_scope", _("Choose whole warehouse, location or category."), field="scope")
    if not isinstance(warehouse, Warehouse):
        raise AppError("required", _("Choose a warehouse."), field="warehouse")
    if not warehouse.is_active:
        raise AppError("inactive_warehouse", _("The warehouse is inactive."), field="warehouse")
    if scope == CountScope.LOCATION:
        if location is None:
            raise AppError("required", _("Choose the location to count."), field="location")
        if location.warehouse_id != warehouse.pk:
            raise AppError("wrong_warehouse", _("The location is in another warehouse."), field="location")
    elif location is not None:
        raise AppError(
            "location_not_in_scope", _("A location is chosen only for a count of a location."), field="location"
        )
    if scope == CountScope.CATEGORY:
        if category is None:
            raise AppError("required", _("Choose the category to count."), field="category")
    elif category is not None:
        raise AppError(
            "category_not_in_scope", _("A category is chosen only for a count of a category."), field="category"
        )
    if include_zero_stock and scope != CountScope.CATEGORY:
        raise AppError(
            "zero_stock_needs_category",
            _("Items with zero stock can be included only in a count of a category."),
            field="include_zero_stock",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AppError("too_long", _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    today = tenant_today(tz_name)
    on = on or today
    if on > today:
        raise AppError("future_date", _("The date cannot be in the future."), field="date")
    with transaction.atomic():
        return StockCount.objects.create(
            number=document_number_next(doc_type=DOC_TYPE, prefix=NUMBER_PREFIX, on=on),
            date=on,
            warehouse=warehouse,
            scope=scope,
            location=location,
            category=category,
            include_zero_stock=bool(include_zero_stock),
            note=note,
            created_by=created_by if getattr(created_by, "pk", None) else None,
        )


def _location_sort_key(line: StockCountLine) -> tuple[str, str, str]:
    # Shelf by shelf, then item code: the order a counter walks the warehouse in.
    return (line.location.code if line.location else "", line.item.code, line.lot.code if line.lot else "")


def stock_count_freeze(*, count: StockCount) -> StockCount:
    """Start counting: one line per item × location × lot in scope with stock, its on-hand frozen as expected.

    With "include items with zero stock" (category scope) every active item of the category that has
    no stock in the warehouse gets a line without location, expecting 0."""
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.DRAFT)
        balances = stock_on_hand(
            warehouse_id=count.warehouse_id, location_id=count.location_id, category_id=count.category_id
        ).exclude(on_hand=0)
        lines = [
            StockCountLine(count=count, item=b.item, location=b.location, lot=b.lot, expected=b.on_hand)
            for b in balances
        ]
        if count.include_zero_stock:
            stocked = {line.item.pk for line in lines}
            zero_items = (
                Item.objects.filter(
                    is_active=True, category_id__in=category_descendant_ids(category_id=count.category_id)
                )
                .exclude(pk__in=stocked)
                .order_by("code")
            )
            lines += [StockCountLine(count=count, item=item, expected=Decimal(0)) for item in zero_items]
        lines.sort(key=_location_sort_key)
        StockCountLine.objects.bulk_create(lines)
        count.status = CountStatus.COUNTING
        count.frozen_at = timezone.now()
        count.save(update_fields=["status", "frozen_at"])
        return count


# --- Counting ---------------------------------------------------------------------------------------


def stock_count_counted_set(*, count: StockCount, entries: list[CountedEntry]) -> list[StockCountLine]:
    """Set the counted quantity of lines (typing a quantity replaces what was there; None un-counts a line).

    Errors name the entry: "lines.N.counted", "lines.N.line". All entries are checked before anything is written."""
    if not entries:
        raise AppError("no_lines", _("Enter at least one counted quantity."), field="lines")
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.COUNTING)
        ids = [entry.line_id for entry in entries]
        lines = {
            line.pk: line
            for line in StockCountLine.objects.select_related("item", "location", "lot").filter(count=count, pk__in=ids)
        }
        now = timezone.now()
        changed: dict[int, StockCountLine] = {}
        for index, entry in enumerate(entries):
            line = lines.get(entry.line_id)
            if line is None:
                raise AppError("unknown_line", _("This count has no such line."), field=f"lines.{index}.line")
            field = f"lines.{index}.counted"
            counted = None
            if entry.counted is not None and str(entry.counted).strip() != "":
                counted = _quantity(entry.counted, field=field, item=line.item, unit=entry.unit)
            _check_lot_rule(line, counted, field=field)
            line.counted = counted
            line.counted_at = now if counted is not None else None
            changed[line.pk] = line
        StockCountLine.objects.bulk_update(list(changed.values()), ["counted", "counted_at"])
        return list(changed.values())


def _check_in_scope(count: StockCount, *, item: Item, location: Location | None, location_field: str) -> None:
    if location is not None and location.warehouse_id != count.warehouse_id:
        raise AppError("wrong_warehouse", _("The location is in another warehouse."), field=location_field)
    if count.scope == CountScope.LOCATION and (
        location is None or location.pk not in location_subtree_ids(location=count.location)
    ):
        raise AppError(
            "location_not_in_scope",
            _("This count covers %(location)s and the locations below it only.") % {"location": count.location.code},
            field=location_field,
        )
    if count.scope == CountScope.CATEGORY and item.category_id not in category_descendant_ids(
        category_id=count.category_id
    ):
        raise AppError(
            "item_not_in_scope",
            _("%(item)s is not in the category %(category)s this count covers.")
            % {"item": item, "category": count.category.name},
            field="item",
        )


def _found_line_create(
    count: StockCount, *, item: Item, location: Location | None, lot: Lot | None, counted: Decimal, field: str
) -> StockCountLine:
    """A line for stock found that was not expected (expected 0); the caller holds the count's lock."""
    existing = StockCountLine.objects.filter(count=count, item=item, location=location, lot=lot).first()
    if existing is not None:
        raise AppError(
            "duplicate_line",
            _("%(item)s at %(where)s has a line already: count it there.")
            % {"item": item, "where": _where(location, lot)},
            field=field,
        )
    return StockCountLine.objects.create(
        count=count,
        item=item,
        location=location,
        lot=lot,
        expected=Decimal(0),
        counted=counted,
        found=True,
        counted_at=timezone.now(),
    )


def stock_count_line_add(
    *,
    count: StockCount,
    item: Item,
    counted,
    location: Location | None = None,
    lot: Lot | None = None,
    unit: Unit | None = None,
) -> StockCountLine:
    """Add stock found that the count did not expect (expected 0), counted as `counted` (in `unit`)."""
    if not isinstance(item, Item):
        raise AppError("required", _("Choose an item."), field="item")
    quantity = _quantity(counted, field="counted", item=item, unit=unit)
    if lot is not None and lot.item_id != item.pk:
        raise AppError("wrong_lot", _("The lot belongs to another item."), field="lot")
    if item.lot_tracked and lot is None:
        raise AppError("lot_required", _("%(item)s is lot-tracked; choose a lot.") % {"item": item}, field="lot")
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.COUNTING)
        if location is None and count.scope == CountScope.LOCATION:
            location = count.location
        _check_in_scope(count, item=item, location=location, location_field="location")
        return _found_line_create(count, item=item, location=location, lot=lot, counted=quantity, field="item")


def stock_count_scan(*, count: StockCount, barcode: str, location: Location | None = None) -> ScanResult:
    """One scan: add 1 base unit (or the scanned package's factor) to the item's line at `location`.

    An item the count did not expect gets a new line (expected 0) at `location` (a location count:
    its location when none is given). When several lines hold the item, the scan is refused and the
    error names them: choose the location, or type the quantity on the line."""
    code = (barcode or "").strip()
    if not code:
        raise AppError("required", _("Scan or type a barcode."), field="barcode")
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.COUNTING)
        scanned = barcode_scan(code=code)
        if scanned is None:
            raise AppError("unknown_barcode", _("No item has the barcode %(code)s.") % {"code": code}, field="barcode")
        item = scanned.item
        candidates = StockCountLine.objects.select_related("item", "location", "lot").filter(count=count, item=item)
        if location is not None:
            if location.warehouse_id != count.warehouse_id:
                raise AppError("wrong_warehouse", _("The location is in another warehouse."), field="location")
            candidates = candidates.filter(location=location)
        # No line locks needed: every write to a count's lines holds the count's row lock.
        candidates = list(candidates)
        if len(candidates) > 1:
            raise AppError(
                "ambiguous_barcode",
                _("%(item)s is on several lines (%(where)s): choose the location, or type the quantity on its line.")
                % {"item": item, "where": ", ".join(_where(line.location, line.lot) for line in candidates)},
                field="barcode",
            )
        if candidates:
            line = candidates[0]
            counted = (line.counted or Decimal(0)) + scanned.quantity
            _check_lot_rule(line, counted, field="barcode")
            line.counted = counted
            line.counted_at = timezone.now()
            line.save(update_fields=["counted", "counted_at"])
            return ScanResult(line=line, added=scanned.quantity, created=False)
        if item.lot_tracked:
            raise AppError(
                "lot_required",
                _("%(item)s is lot-tracked and not expected here: add it with its lot.") % {"item": item},
                field="barcode",
            )
        if location is None and count.scope == CountScope.LOCATION:
            location = count.location
        _check_in_scope(count, item=item, location=location, location_field="location")
        line = _found_line_create(
            count, item=item, location=location, lot=None, counted=scanned.quantity, field="barcode"
        )
        return ScanResult(line=line, added=scanned.quantity, created=True)


# --- Post, cancel, reverse --------------------------------------------------------------------------


def _line_label(line: StockCountLine) -> str:
    return f"{line.item.code} {line.item.name} @ {_where(line.location, line.lot)}"


def _uncounted_refusal(uncounted: list[StockCountLine]) -> AppError:
    names = ", ".join(_line_label(line) for line in uncounted[:NAMED_LINES_MAX])
    if len(uncounted) > NAMED_LINES_MAX:
        names += " " + _("and %(n)s more") % {"n": len(uncounted) - NAMED_LINES_MAX}
    return AppError(
        "uncounted_lines",
        _("%(n)s lines are not counted yet: %(names)s. Count them, or choose to count them as zero or to ignore them.")
        % {"n": len(uncounted), "names": names},
        field="uncounted",
        status=409,
    )


def stock_count_post(*, count: StockCount, tz_name: str, uncounted: str = "refuse") -> CountPosting:
    """Post the differences (counted − frozen expected) as adjustments, dated the count's date.

    Uncounted lines are refused unless `uncounted` is "zero" (they are recorded as counted 0) or
    "ignore" (they post nothing). Lines without a difference post nothing."""
    if uncounted not in UNCOUNTED_CHOICES:
        raise AppError("invalid_choice", _("Choose refuse, zero or ignore."), field="uncounted")
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.COUNTING)
        lines = list(StockCountLine.objects.select_related("item", "location", "lot").filter(count=count))
        missing = [line for line in lines if line.counted is None]
        policy = UncountedPolicy.NONE
        if missing:
            if uncounted == "refuse":
                raise _uncounted_refusal(missing)
            policy = UncountedPolicy(uncounted)
        if policy == UncountedPolicy.ZERO:
            now = timezone.now()
            for line in missing:
                line.counted, line.counted_at = Decimal(0), now
            StockCountLine.objects.bulk_update(missing, ["counted", "counted_at"])
        posted_at = posting_time(on=count.date, tz_name=tz_name)
        moves, posted_lines = [], []
        for index, line in enumerate(lines):
            if line.difference:
                # unit_cost None: a gain comes in at the item's current average cost.
                moves.append(MoveLine(line.item, count.warehouse, line.difference, None, line.location, line.lot))
                posted_lines.append((index, line))
        revalued: list[RevaluedDocument] = []
        if moves:
            try:
                result = stock_moves_post(
                    lines=moves,
                    posted_at=posted_at,
                    source_type=SOURCE_TYPE,
                    source_id=count.pk,
                    reference=count.number,
                )
            except AppError as error:
                raise _line_error(error, posted_lines) from None
            revalued = result.revalued
        count.status = CountStatus.POSTED
        count.posted_at = posted_at
        count.uncounted_policy = policy
        count.save(update_fields=["status", "posted_at", "uncounted_policy"])
        books.stock_document_posted(source_type=SOURCE_TYPE, document=count, revalued=revalued)
        return CountPosting(count=count, revalued=revalued)


def _line_error(error: AppError, posted_lines: list[tuple[int, StockCountLine]]) -> AppError:
    """A ledger refusal of move N, re-pointed at the count line it came from."""
    field = error.field or ""
    if not field.startswith("lines."):
        return error
    index, line = posted_lines[int(field.split(".")[1])]
    if error.code == "insufficient_stock":
        message = _(
            "%(line)s: not enough left to post a loss of %(loss)s; stock moved since the count began."
            " Recount this line."
        ) % {"line": _line_label(line), "loss": (-line.difference).normalize()}
    else:
        message = f"{_line_label(line)}: {error.message}"
    return AppError(error.code, message, field=f"lines.{index}.counted", status=error.status_code)


def stock_count_cancel(*, count: StockCount) -> StockCount:
    """Cancel a count that is not posted; it keeps its number and lines (numbered documents are never deleted)."""
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.DRAFT, CountStatus.COUNTING)
        count.status = CountStatus.CANCELLED
        count.cancelled_at = timezone.now()
        count.save(update_fields=["status", "cancelled_at"])
        return count


def stock_count_reverse(*, count: StockCount, tz_name: str, on: date | None = None, created_by=None) -> CountPosting:
    """Reverse (红冲) a posted count: a new count, dated `on` (default today), posting the mirror of its moves."""
    today = tenant_today(tz_name)
    on = on or today
    with transaction.atomic():
        count = _lock(count)
        _require_status(count, CountStatus.POSTED)
        if count.is_reversal:
            raise AppError("reversal_of_reversal", _("A reversal cannot be reversed."), field="status", status=409)
        existing = StockCount.objects.filter(reverses=count).first()
        if existing is not None:
            raise AppError(
                "already_reversed",
                _("This count is reversed already by %(number)s.") % {"number": existing.number},
                field="status",
                status=409,
            )
        if not any(line.difference for line in count.lines.all()):
            raise AppError(
                "nothing_to_reverse",
                _("This count posted no differences: there is nothing to reverse."),
                field="status",
                status=409,
            )
        if on < count.date:
            raise AppError(
                "before_original", _("A reversal cannot be dated before the count it reverses."), field="date"
            )
        posted_at: datetime = posting_time(on=on, tz_name=tz_name)
        reversal = StockCount.objects.create(
            number=document_number_next(doc_type=DOC_TYPE, prefix=NUMBER_PREFIX, on=on),
            date=on,
            warehouse=count.warehouse,
            scope=count.scope,
            location_id=count.location_id,
            category_id=count.category_id,
            include_zero_stock=count.include_zero_stock,
            status=CountStatus.POSTED,
            reverses=count,
            created_by=created_by if getattr(created_by, "pk", None) else None,
            posted_at=posted_at,
        )
        try:
            result = stock_moves_reverse(
                source_type=SOURCE_TYPE,
                source_id=count.pk,
                posted_at=posted_at,
                reversal_source_type=SOURCE_TYPE,
                reversal_source_id=reversal.pk,
                reference=reversal.number,
            )
        except AppError as error:
            raise AppError(
                error.code,
                _("The reversal cannot be posted: %(reason)s") % {"reason": error.message},
                field="date" if error.field == "date" else "status",
                status=error.status_code,
            ) from None
        books.document_reversed(source_type=SOURCE_TYPE, original=count, reversal=reversal, revalued=result.revalued)
        return CountPosting(count=reversal, revalued=result.revalued)
