"""Stock writes: warehouses, locations, settings and the stock ledger. One transaction per service."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.inventory import domain
from modules.inventory.models import (
    CHILD_KIND,
    InventorySettings,
    Location,
    LocationKind,
    Lot,
    StockBalance,
    StockMove,
    Warehouse,
)

DEFAULT_WAREHOUSE_CODE = "MAIN"


def _text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise AppError("required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise AppError("too_long", _("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


def _code(value, *, field: str = "code") -> str:
    code = _text(value, field=field, max_length=32)
    if any(ch.isspace() for ch in code):
        raise AppError("invalid_code", _("A code has at most 32 characters and no spaces."), field=field)
    return code


def _lock(name: str) -> None:
    with connection.cursor() as cursor:
        # A transaction-scoped advisory lock; the key is per schema since each tenant has its own search_path.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || %s))", [":inventory:" + name])


def warehouse_create(
    *, code: str, name: str, max_warehouses: int | None, address: str = "", is_active: bool = True
) -> Warehouse:
    """Create a warehouse. `max_warehouses` is the tenant plan's limit (None: none)."""
    code = _code(code)
    name = _text(name, field="name", max_length=100)
    address = _text(address, field="address", max_length=200, required=False)
    # The default warehouse first, in its own transaction: it must exist even when this creation fails.
    warehouse_default_ensure()
    with transaction.atomic():
        # Serialise creations so two concurrent ones cannot both pass the plan limit.
        _lock("warehouse_create")
        if max_warehouses is not None and Warehouse.objects.count() >= max_warehouses:
            raise AppError(
                "plan_limit_warehouses",
                _("Your plan allows %(n)s warehouses. Upgrade the plan to add more.") % {"n": max_warehouses},
                field="code",
            )
        if Warehouse.objects.filter(code=code).exists():
            raise AppError("duplicate_code", _("A warehouse with this code exists already."), field="code")
        return Warehouse.objects.create(code=code, name=name, address=address, is_active=bool(is_active))


def warehouse_update(*, warehouse: Warehouse, **changes) -> Warehouse:
    """Change name, address, code or active flag. The default warehouse cannot be deactivated."""
    allowed = {"code", "name", "address", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise AppError("unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    if "code" in changes:
        changes["code"] = _code(changes["code"])
    if "name" in changes:
        changes["name"] = _text(changes["name"], field="name", max_length=100)
    if "address" in changes:
        changes["address"] = _text(changes["address"], field="address", max_length=200, required=False)
    if "is_active" in changes:
        changes["is_active"] = bool(changes["is_active"])
        if warehouse.is_default and not changes["is_active"]:
            raise AppError("default_warehouse", _("The default warehouse cannot be deactivated."), field="is_active")
    with transaction.atomic():
        if "code" in changes and Warehouse.objects.filter(code=changes["code"]).exclude(pk=warehouse.pk).exists():
            raise AppError("duplicate_code", _("A warehouse with this code exists already."), field="code")
        for key, value in changes.items():
            setattr(warehouse, key, value)
        warehouse.save()
        return warehouse


def warehouse_default_ensure() -> Warehouse:
    """The tenant's default warehouse, created on first need (called lazily by pages, API and postings).

    It ignores the plan limit: every plan must at least allow the one warehouse a shop needs.
    """
    existing = Warehouse.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        _lock("warehouse_default")
        existing = Warehouse.objects.filter(is_default=True).first()
        if existing is not None:
            return existing
        code = DEFAULT_WAREHOUSE_CODE
        n = 1
        while Warehouse.objects.filter(code=code).exists():
            n += 1
            code = f"{DEFAULT_WAREHOUSE_CODE}{n}"
        return Warehouse.objects.create(code=code, name=_("Main warehouse"), is_default=True)


def location_create(
    *, warehouse: Warehouse, code: str, kind: str | None = None, parent: Location | None = None, name: str = ""
) -> Location:
    """Add a location: a zone at the top, a shelf under a zone, a bin under a shelf."""
    code = _code(code)
    name = _text(name, field="name", max_length=100, required=False)
    if parent is not None and parent.warehouse_id != warehouse.pk:
        raise AppError("wrong_warehouse", _("The parent location is in another warehouse."), field="parent")
    expected = CHILD_KIND.get(parent.kind if parent is not None else None)
    if expected is None:
        raise AppError("too_deep", _("A bin cannot hold further locations."), field="parent")
    if kind is None:
        kind = expected
    if kind not in LocationKind.values:
        raise AppError("invalid_kind", _("Choose zone, shelf or bin."), field="kind")
    if kind != expected:
        raise AppError(
            "wrong_kind",
            _("A location of this kind must be a %(kind)s here.") % {"kind": LocationKind(expected).label},
            field="kind",
        )
    try:
        with transaction.atomic():
            return Location.objects.create(warehouse=warehouse, parent=parent, code=code, name=name, kind=kind)
    except IntegrityError:
        raise AppError(
            "duplicate_code", _("A location with this code exists already in this warehouse."), field="code"
        ) from None


def location_update(*, location: Location, code: str | None = None, name: str | None = None) -> Location:
    if code is not None:
        location.code = _code(code)
    if name is not None:
        location.name = _text(name, field="name", max_length=100, required=False)
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        raise AppError(
            "duplicate_code", _("A location with this code exists already in this warehouse."), field="code"
        ) from None
    return location


def inventory_settings_update(*, allow_negative_stock: bool) -> InventorySettings:
    settings, _created = InventorySettings.objects.update_or_create(
        pk=1, defaults={"allow_negative_stock": bool(allow_negative_stock)}
    )
    return settings


def posting_time(*, on: date, tz_name: str, now: datetime | None = None) -> datetime:
    """When a document dated `on` (a date in the tenant's time zone) takes effect in the ledger.

    Today: now. A past date: the last moment of that day, so it follows what was posted on it before.
    A future date is refused: stock cannot move before it is there.
    """
    tz = ZoneInfo(tz_name)
    now = (now or timezone.now()).astimezone(tz)
    if on > now.date():
        raise AppError("future_date", _("The date cannot be in the future."), field="date")
    if on == now.date():
        return now
    return datetime.combine(on, time(23, 59, 59, 999999), tzinfo=tz)


# --- The stock ledger -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveLine:
    """One line to post: a signed quantity in the item's base unit (> 0 receives, < 0 issues).

    `unit_cost` is required for a receipt; an issue takes the current moving average instead
    (its `unit_cost`, if given, is only used when nothing is on hand and negative stock is allowed).
    """

    item: Item
    warehouse: Warehouse
    quantity: Decimal
    unit_cost: Decimal | None = None
    location: Location | None = None
    lot: Lot | None = None
    transfer: bool = False

    @property
    def key(self) -> tuple[int, int, int, int]:
        # The balance key; 0 stands for "no location" / "no lot" so keys sort (and lock) in one order.
        return (
            self.item.pk,
            self.warehouse.pk,
            self.location.pk if self.location else 0,
            self.lot.pk if self.lot else 0,
        )


def _decimal(value, *, field: str, places: Decimal) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise AppError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise AppError("invalid_number", _("Enter a number."), field=field)
    if number != number.quantize(places):
        raise AppError(
            "too_many_places", _("At most %(n)s decimal places.") % {"n": -places.as_tuple().exponent}, field=field
        )
    return number.quantize(places)


def _clean_line(index: int, line: MoveLine) -> MoveLine:
    prefix = f"lines.{index}"
    quantity = _decimal(line.quantity, field=f"{prefix}.quantity", places=domain.QTY)
    if quantity == 0:
        raise AppError(
            "zero_quantity",
            _("Line %(n)s: the quantity cannot be zero.") % {"n": index + 1},
            field=f"{prefix}.quantity",
        )
    cost = None
    if line.unit_cost is not None:
        cost = _decimal(line.unit_cost, field=f"{prefix}.unit_cost", places=domain.COST)
        if cost < 0:
            raise AppError(
                "negative_cost",
                _("Line %(n)s: the unit cost cannot be negative.") % {"n": index + 1},
                field=f"{prefix}.unit_cost",
            )
    if line.location is not None and line.location.warehouse_id != line.warehouse.pk:
        raise AppError(
            "wrong_warehouse",
            _("Line %(n)s: the location is in another warehouse.") % {"n": index + 1},
            field=f"{prefix}.location",
        )
    if line.lot is not None and line.lot.item_id != line.item.pk:
        raise AppError(
            "wrong_lot", _("Line %(n)s: the lot belongs to another item.") % {"n": index + 1}, field=f"{prefix}.lot"
        )
    if line.item.lot_tracked and line.lot is None:
        raise AppError(
            "lot_required",
            _("Line %(n)s: %(item)s is lot-tracked; choose a lot.") % {"n": index + 1, "item": line.item},
            field=f"{prefix}.lot",
        )
    if not line.warehouse.is_active:
        raise AppError(
            "inactive_warehouse",
            _("Line %(n)s: the warehouse is inactive.") % {"n": index + 1},
            field=f"{prefix}.warehouse",
        )
    return MoveLine(line.item, line.warehouse, quantity, cost, line.location, line.lot, line.transfer)


def _lock_balances(keys: list[tuple[int, int, int, int]]) -> dict[tuple[int, int, int, int], StockBalance]:
    """Create the missing balance rows, then lock all of them, both in sorted key order.

    Every posting takes its row locks in the same order, so two postings touching the same
    items wait for each other instead of deadlocking; the insert goes first because a row
    that does not exist yet cannot be locked.
    """
    now = timezone.now()
    rows = [(i, w, loc or None, lot or None, now) for (i, w, loc, lot) in keys]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO inventory_stockbalance (item_id, warehouse_id, location_id, lot_id, on_hand, reserved, value,"
            " updated_at) VALUES (%s, %s, %s, %s, 0, 0, 0, %s) ON CONFLICT DO NOTHING",
            rows,
        )
    columns = [list(column) for column in zip(*keys, strict=True)]
    locked = StockBalance.objects.raw(
        "SELECT b.* FROM inventory_stockbalance b"
        " JOIN unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS k(i, w, l, t)"
        " ON b.item_id = k.i AND b.warehouse_id = k.w"
        " AND COALESCE(b.location_id, 0) = k.l AND COALESCE(b.lot_id, 0) = k.t"
        " ORDER BY b.item_id, b.warehouse_id, COALESCE(b.location_id, 0), COALESCE(b.lot_id, 0) FOR UPDATE OF b",
        columns,
    )
    return {(b.item_id, b.warehouse_id, b.location_id or 0, b.lot_id or 0): b for b in locked}


@dataclass(frozen=True)
class RevaluedDocument:
    """A later document whose stock value a backdated posting changed (value: the sum of its moves)."""

    source_type: str
    source_id: int
    reference: str
    value_before: Decimal
    value_after: Decimal


@dataclass(frozen=True)
class PostingResult:
    moves: list[StockMove]
    revalued: list[RevaluedDocument]


def stock_moves_post(
    *, lines: list[MoveLine], posted_at: datetime, source_type: str, source_id: int, reference: str = ""
) -> PostingResult:
    """Append the moves of one source document and update their balances, in one transaction.

    Receipts add their value at their cost; issues take the key's current moving average and
    record it on the move. Without the tenant's allow_negative_stock setting, an issue of more
    than is on hand is refused (AppError "insufficient_stock", HTTP 409) and nothing is written.
    """
    if not lines:
        raise AppError("no_lines", _("Add at least one line."), field="lines")
    if posted_at is None or timezone.is_naive(posted_at):
        raise AppError("naive_datetime", _("The posting time needs a time zone."), field="posted_at")
    source_type = (source_type or "").strip()
    if not source_type or len(source_type) > 40:
        raise AppError(
            "invalid_source", _("A source document type of 1 to 40 characters is required."), field="source_type"
        )
    clean = [_clean_line(index, line) for index, line in enumerate(lines)]
    keys = sorted({line.key for line in clean})
    from modules.inventory.selectors import inventory_settings

    with transaction.atomic():
        allow_negative = inventory_settings().allow_negative_stock
        balances = _lock_balances(keys)
        moves = []
        for index, line in enumerate(clean):
            balance = balances[line.key]
            before = domain.Position(balance.on_hand, balance.value)
            if line.quantity < 0 and not allow_negative and before.on_hand + line.quantity < 0:
                raise AppError(
                    "insufficient_stock",
                    _("Line %(n)s: not enough %(item)s in stock: %(available)s on hand, %(wanted)s wanted.")
                    % {
                        "n": index + 1,
                        "item": line.item,
                        "available": before.on_hand.normalize(),
                        "wanted": (-line.quantity).normalize(),
                    },
                    field=f"lines.{index}.quantity",
                    status=409,
                )
            cost = line.unit_cost
            if line.quantity > 0 and cost is None:
                cost = before.average()
            costed = domain.apply(before, quantity=line.quantity, cost=cost)
            balance.on_hand, balance.value = costed.after.on_hand, costed.after.value
            moves.append(
                StockMove(
                    item=line.item,
                    warehouse=line.warehouse,
                    location=line.location,
                    lot=line.lot,
                    quantity=line.quantity,
                    unit_cost=costed.unit_cost,
                    value=costed.value,
                    posted_at=posted_at,
                    source_type=source_type,
                    source_id=source_id,
                )
            )
        now = timezone.now()
        for balance in balances.values():
            balance.updated_at = now
        StockBalance.objects.bulk_update(list(balances.values()), ["on_hand", "value", "updated_at"])
        return PostingResult(StockMove.objects.bulk_create(moves), [])


def stock_moves_reverse(
    *,
    source_type: str,
    source_id: int,
    posted_at: datetime,
    reversal_source_type: str,
    reversal_source_id: int,
    reference: str = "",
) -> PostingResult:
    """Post the mirror image of a document's moves (红冲): same keys, opposite quantities, same costs."""
    originals = list(
        StockMove.objects.filter(source_type=source_type, source_id=source_id).select_related(
            "item", "warehouse", "location", "lot"
        )
    )
    if not originals:
        raise AppError("nothing_to_reverse", _("This document has no stock moves to reverse."), field="source_id")
    lines = [
        MoveLine(m.item, m.warehouse, -m.quantity, m.unit_cost, m.location, m.lot, m.source_type == "transfer")
        for m in originals
    ]
    return stock_moves_post(
        lines=lines,
        posted_at=posted_at,
        source_type=reversal_source_type,
        source_id=reversal_source_id,
        reference=reference,
    )
