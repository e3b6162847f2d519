"""Reservations: stock held in a warehouse for a document (a sales order) until it ships or is let go.

A reservation is checked against what the warehouse has available (on hand − reserved, over all its
locations and lots) under the same row locks as postings, taken in the same order (item pools, then
balance rows by key), so two orders cannot both reserve the last units and nothing deadlocks.
Issues are not blocked by others' reservations (a shop may sell the last unit over the counter);
availability then shows below zero and the low-stock list picks it up.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import decimal_parse
from modules.catalog.models import Item
from modules.inventory.ledger import _lock_balances, _lock_pools, in_transaction
from modules.inventory.models import InventorySettings, StockBalance, StockReservation, Warehouse

QTY = Decimal("0.000001")


@dataclass(frozen=True)
class ReserveLine:
    item: Item
    warehouse: Warehouse
    quantity: Decimal


def stock_reserve(
    *, lines: list[ReserveLine], source_type: str, source_id: int, reference: str = ""
) -> list[StockReservation]:
    """Hold the lines' quantities (base units) for the source document, on top of what it holds already.

    Refused as a whole (AppError "insufficient_available", 409, naming the line) when a warehouse has
    less available than asked, unless the tenant allows negative stock.
    """
    if not lines:
        raise AppError("no_lines", _("Add at least one line."), field="lines")
    wanted: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[int, int], int] = {}
    for index, line in enumerate(lines):
        quantity = decimal_parse(line.quantity, field=f"lines.{index}.quantity", places=QTY)
        if quantity <= 0:
            raise AppError(
                "non_positive_quantity",
                _("Line %(n)s: the quantity must be more than zero.") % {"n": index + 1},
                field=f"lines.{index}.quantity",
            )
        place = (line.item.pk, line.warehouse.pk)
        wanted[place] += quantity
        first_line.setdefault(place, index)
    # The caller's transaction when there is one (no savepoint): a refusal comes before anything is written.
    with in_transaction():
        allow_negative = _allow_negative_stock()
        places = sorted(wanted)
        _lock_pool_rows(sorted({item_id for item_id, _w in places}))
        # The holder rows must exist before the one locking pass over all the places' rows (key order).
        _ensure_holders(places)
        available = _available_locked(places)
        for place in places:
            if not allow_negative and available[place] < wanted[place]:
                index = first_line[place]
                raise AppError(
                    "insufficient_available",
                    _("Line %(n)s: only %(available)s of %(item)s available to reserve, %(wanted)s wanted.")
                    % {
                        "n": index + 1,
                        "item": lines[index].item,
                        "available": available[place].normalize(),
                        "wanted": wanted[place].normalize(),
                    },
                    field=f"lines.{index}.quantity",
                    status=409,
                )
        return _hold(places, [wanted[place] for place in places], source_type, source_id, reference)


def stock_release(
    *, source_type: str, source_id: int, item: Item | None = None, quantity: Decimal | None = None
) -> None:
    """Let go of what the source document holds: everything, or `quantity` of one `item` (a partial
    delivery). Releasing more than is held releases what is held."""
    if quantity is not None:
        if item is None:
            raise AppError("item_required", _("Name the item whose quantity to release."), field="item")
        quantity = decimal_parse(quantity, field="quantity", places=QTY)
        if quantity <= 0:
            raise AppError("non_positive_quantity", _("The quantity must be more than zero."), field="quantity")
    with transaction.atomic():
        held = StockReservation.objects.filter(source_type=source_type, source_id=source_id)
        if item is not None:
            held = held.filter(item=item)
        places = sorted(set(held.values_list("item_id", "warehouse_id")))
        if not places:
            return
        _lock_pools(sorted({item_id for item_id, _w in places}))
        _lock_balances([(item_id, warehouse_id, 0, 0) for item_id, warehouse_id in places])
        for reservation in held.select_for_update().order_by("item_id", "warehouse_id"):
            released = reservation.quantity if quantity is None else min(quantity, reservation.quantity)
            _holder(reservation.item_id, reservation.warehouse_id).update(reserved=F("reserved") - released)
            if released == reservation.quantity:
                reservation.delete()
            else:
                StockReservation.objects.filter(pk=reservation.pk).update(quantity=F("quantity") - released)


def _lock_pool_rows(item_ids: list[int]) -> None:
    """ledger._lock_pools without reading the pools into instances (a reservation only needs their locks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inventory_itemvaluation (item_id, quantity, value, cost)"
            " SELECT unnest(%s::bigint[]), 0, 0, 0 ON CONFLICT DO NOTHING",
            [item_ids],
        )
        cursor.execute(
            "SELECT item_id FROM inventory_itemvaluation WHERE item_id = ANY(%s) ORDER BY item_id FOR UPDATE",
            [item_ids],
        )


def _allow_negative_stock() -> bool:
    """What selectors.inventory_settings() says (the default until the tenant saves settings), on a plain cursor."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT allow_negative_stock FROM inventory_inventorysettings WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else InventorySettings(pk=1).allow_negative_stock


_RESERVATION_COLUMNS = [field.column for field in StockReservation._meta.concrete_fields]


def _hold(
    places: list[tuple[int, int]], quantities: list[Decimal], source_type: str, source_id: int, reference: str
) -> list[StockReservation]:
    """Add `quantities` to the holder rows' `reserved` and to the source's reservations (created when new), in
    one statement: the rows are locked already (places in key order)."""
    items, warehouses = (list(column) for column in zip(*places, strict=True))
    table = StockReservation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH holders AS ("
            "   UPDATE inventory_stockbalance b SET reserved = b.reserved + u.q"
            "   FROM unnest(%s::bigint[], %s::bigint[], %s::numeric[]) AS u(i, w, q)"
            "   WHERE b.item_id = u.i AND b.warehouse_id = u.w AND b.location_id IS NULL AND b.lot_id IS NULL"
            f") INSERT INTO {table} AS r (item_id, warehouse_id, quantity, source_type, source_id, reference,"
            " created_at, updated_at)"
            " SELECT u.i, u.w, u.q, %s, %s, %s, now(), now()"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::numeric[]) WITH ORDINALITY AS u(i, w, q, n) ORDER BY u.n"
            " ON CONFLICT (source_type, source_id, item_id, warehouse_id)"
            " DO UPDATE SET quantity = r.quantity + EXCLUDED.quantity, updated_at = EXCLUDED.updated_at"
            f" RETURNING {', '.join('r.' + column for column in _RESERVATION_COLUMNS)}",
            [items, warehouses, quantities, source_type, source_id, reference, items, warehouses, quantities],
        )
        rows = cursor.fetchall()
    names = [field.attname for field in StockReservation._meta.concrete_fields]
    found = {(row.item_id, row.warehouse_id): row for row in (StockReservation.from_db(connection.alias, names, r)
                                                               for r in rows)}  # fmt: skip
    return [found[place] for place in places]


def _holder(item_id: int, warehouse_id: int):
    return StockBalance.objects.filter(item_id=item_id, warehouse_id=warehouse_id, location=None, lot=None)


def _ensure_holders(places: list[tuple[int, int]]) -> None:
    items, warehouses = (list(column) for column in zip(*places, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inventory_stockbalance (item_id, warehouse_id, on_hand, reserved, updated_at)"
            " SELECT p.i, p.w, 0, 0, now() FROM unnest(%s::bigint[], %s::bigint[]) AS p(i, w) ORDER BY 1, 2"
            " ON CONFLICT DO NOTHING",
            [items, warehouses],
        )


def _available_locked(places: list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """On hand − reserved per item × warehouse, over all locations and lots, with those rows locked (key order)."""
    items, warehouses = (list(column) for column in zip(*places, strict=True))
    table = StockBalance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.item_id, b.warehouse_id, b.on_hand, b.reserved FROM {table} b"
            " JOIN unnest(%s::bigint[], %s::bigint[]) AS p(i, w) ON b.item_id = p.i AND b.warehouse_id = p.w"
            " ORDER BY b.item_id, b.warehouse_id, COALESCE(b.location_id, 0), COALESCE(b.lot_id, 0) FOR UPDATE OF b",
            [items, warehouses],
        )
        available: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for item_id, warehouse_id, on_hand, reserved in cursor.fetchall():
            available[(item_id, warehouse_id)] += on_hand - reserved
    return available
