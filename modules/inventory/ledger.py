"""The stock ledger's write path: append moves, keep balances and cost pools, re-value after backdating.

A posting, in one transaction:
1. locks the cost pool of every item it touches (item id order), then every balance row
   (key order) — one global order, so concurrent postings queue instead of deadlocking;
2. refuses what would take a place below zero at any point from the posting time on
   (unless the tenant allows negative stock);
3. costs its moves against the pool as it stood at the posting time (`costing.apply`);
4. when that time is before the item's latest move, re-costs only that item's later moves
   (`_revalue_later`) and reports the documents whose value changed.

Moves are append-only (a database trigger refuses deletes and changes to what a move is); only the
costing columns of later moves are rewritten, by step 4.
"""

import json
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import decimal_parse
from modules.catalog.models import Item
from modules.inventory import costing
from modules.inventory.costing import Method, Pool, Role
from modules.inventory.models import (
    InventorySettings,
    ItemValuation,
    Location,
    Lot,
    StockBalance,
    StockMove,
    Warehouse,
)

Key = tuple[int, int, int, int]


@dataclass(frozen=True)
class MoveLine:
    """One line to post: a signed quantity in the item's base unit (> 0 in, < 0 out).

    An incoming line carries its unit cost, or None to come in at the item's current cost (a count
    gain). An outgoing line takes the costing method's cost. `transfer` marks the legs of a transfer
    (value-neutral); `reverses` (set by `stock_moves_reverse`) the move a line mirrors.
    """

    item: Item
    warehouse: Warehouse
    quantity: Decimal
    unit_cost: Decimal | None = None
    location: Location | None = None
    lot: Lot | None = None
    transfer: bool = False
    reverses: StockMove | None = None

    @property
    def key(self) -> Key:
        # 0 stands for "no location" / "no lot" so that keys sort (and lock) in one order.
        return (
            self.item.pk,
            self.warehouse.pk,
            self.location.pk if self.location else 0,
            self.lot.pk if self.lot else 0,
        )

    @property
    def role(self) -> Role:
        if self.transfer:  # a transfer's reversal is a transfer back: value-neutral as well
            return Role.TRANSFER
        if self.reverses is not None:
            return Role.REVERSAL
        if self.quantity > 0:
            return Role.IN if self.unit_cost is not None else Role.IN_AVG
        return Role.OUT


@dataclass(frozen=True)
class RevaluedDocument:
    """A later document whose stock value a backdated posting changed (value: the sum of its moves)."""

    source_type: str
    source_id: int
    reference: str
    value_before: Decimal
    value_after: Decimal


@dataclass(frozen=True)
class Release:
    """Reservations to let go under the posting's own locks (a delivery against an order): of each item in
    `quantities`, up to that many base units of every reservation `source_type`/`source_id` holds of it."""

    source_type: str
    source_id: int
    quantities: dict[int, Decimal]


@dataclass(frozen=True)
class PostingResult:
    moves: list[StockMove]
    revalued: list[RevaluedDocument]


def stock_moves_post(
    *,
    lines: list[MoveLine],
    posted_at: datetime,
    source_type: str,
    source_id: int,
    reference: str = "",
    release: Release | None = None,
) -> PostingResult:
    """Append one source document's moves, update balances and cost pools, in one transaction; with
    `release`, let go of those reservations too (as reservations.stock_release would, item by item),
    under the same locks taken once.

    Refuses (AppError "insufficient_stock", 409, naming the line) a posting that would leave a place
    short at its time or at any later move there, unless the tenant allows negative stock; nothing
    is written then.
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
    reference = (reference or "").strip()[:40]
    clean = [_clean_line(index, line) for index, line in enumerate(lines)]
    _check_transfers_balance(clean)
    with in_transaction():
        # What selectors.inventory_settings() reads (the defaults until the tenant saves settings), on the
        # plain path the rest of the posting takes.
        saved = _rows(InventorySettings, "inventory_inventorysettings t WHERE t.id = 1", [])
        settings = saved[0] if saved else InventorySettings(pk=1)
        method = Method(settings.costing_method)
        held = _held_places(release) if release else []
        pools = _lock_pools(sorted({line.item.pk for line in clean} | {item_id for item_id, _w in held}))
        balances = _lock_balances(sorted({line.key for line in clean} | {(i, w, 0, 0) for i, w in held}))
        # The reservations last (as stock_release locks them: after the pools and balance rows).
        released = _released(release, balances) if held else ([], [], [])
        # Read what reversed moves are worth now, under the pool locks: a backdated posting may have
        # re-valued them since the caller loaded them.
        reversed_ids = [line.reverses.pk for line in clean if line.reverses]
        mirrored = (
            dict(StockMove.objects.filter(pk__in=reversed_ids).values_list("pk", "value")) if reversed_ids else {}
        )
        if not settings.allow_negative_stock:
            _check_never_short(clean, balances, pools, posted_at)
        for line in clean:
            balances[line.key].on_hand += line.quantity

        costed: dict[int, costing.Costed] = {}
        revalued: dict[tuple[str, int], list] = {}
        by_item: dict[int, list[int]] = defaultdict(list)
        for index, line in enumerate(clean):
            by_item[line.item.pk].append(index)
        written = False
        for item_id, indexes in by_item.items():
            row = pools[item_id]
            backdated = row.last_posted_at is not None and posted_at < row.last_posted_at
            pool = _pool_before(item_id, posted_at, method) if backdated else _pool_of(row, method)
            for index in indexes:
                try:
                    costed[index] = _apply(pool, clean[index], index, mirrored)
                except AppError:
                    if written:
                        transaction.set_rollback(True)
                    raise
                pool = costed[index].after
            if backdated:
                try:
                    pool = _revalue_later(item_id, posted_at, pool, method, revalued)
                except BaseException:
                    transaction.set_rollback(True)
                    raise
                # Written now: a refusal from here on must not leave the caller's transaction half-written.
                written = True
            row.quantity, row.value, row.cost = pool.quantity, pool.value, pool.cost
            row.fifo_layers = pool.layers_json()
            row.last_posted_at = max(row.last_posted_at or posted_at, posted_at)

        moves = [
            _move(line, costed[index], posted_at, source_type, source_id, reference) for index, line in enumerate(clean)
        ]
        now = timezone.now()
        for balance in balances.values():
            balance.updated_at = now
        try:
            created = _write(
                balances=list(balances.values()),
                pools=list(pools.values()),
                moves=moves,
                posted_at=posted_at,
                source_type=source_type,
                source_id=source_id,
                reference=reference,
                now=now,
                released=released,
            )
        except IntegrityError:
            transaction.set_rollback(True)  # the statement failed: the transaction can only roll back
            raise AppError(
                "already_reversed", _("This document has been reversed already."), field="source_id", status=409
            ) from None
        return PostingResult(created, _revalued_list(revalued))


def stock_moves_reverse(
    *,
    source_type: str,
    source_id: int,
    posted_at: datetime,
    reversal_source_type: str,
    reversal_source_id: int,
    reference: str = "",
) -> PostingResult:
    """Post the mirror image of a document's moves (红冲): same places, opposite quantities and values.

    The reversal cannot be dated before the document it reverses, and a document is reversed once.
    """
    originals = list(
        StockMove.objects.filter(source_type=source_type, source_id=source_id)
        .exclude(role=Role.REVERSAL)
        .select_related("item", "warehouse", "location", "lot")
        .order_by("id")
    )
    if not originals:
        raise AppError("nothing_to_reverse", _("This document has no stock moves to reverse."), field="source_id")
    if StockMove.objects.filter(reverses__in=originals).exists():
        raise AppError("already_reversed", _("This document has been reversed already."), field="source_id", status=409)
    if posted_at is not None and posted_at < max(m.posted_at for m in originals):
        raise AppError(
            "reversal_before_original",
            _("A reversal cannot be dated before the document it reverses."),
            field="date",
        )
    lines = [
        MoveLine(m.item, m.warehouse, -m.quantity, None, m.location, m.lot, m.role == Role.TRANSFER, m)
        for m in originals
    ]
    return stock_moves_post(
        lines=lines,
        posted_at=posted_at,
        source_type=reversal_source_type,
        source_id=reversal_source_id,
        reference=reference,
    )


def in_transaction():
    """The caller's transaction when there is one, else a transaction of its own.

    No savepoint inside a caller's transaction (a SAVEPOINT and a RELEASE, two round trips a call, a good
    part of a short document's time: bench/order_to_cash.py): a refusal (AppError) comes before anything
    is written, so the caller may carry on after one as before; once a write is under way, a failure marks
    the caller's transaction for rollback (transaction.set_rollback), as atomic(savepoint=False) would.
    """
    return nullcontext() if connection.in_atomic_block else transaction.atomic()


# --- Validation -------------------------------------------------------------------------------------


def _clean_line(index: int, line: MoveLine) -> MoveLine:
    prefix = f"lines.{index}"
    n = index + 1
    quantity = decimal_parse(line.quantity, field=f"{prefix}.quantity", places=costing.QTY)
    if quantity == 0:
        raise AppError(
            "zero_quantity", _("Line %(n)s: the quantity cannot be zero.") % {"n": n}, field=f"{prefix}.quantity"
        )
    cost = None
    if line.unit_cost is not None and quantity > 0 and line.reverses is None and not line.transfer:
        cost = decimal_parse(line.unit_cost, field=f"{prefix}.unit_cost", places=costing.COST)
        if cost < 0:
            raise AppError(
                "negative_cost",
                _("Line %(n)s: the unit cost cannot be negative.") % {"n": n},
                field=f"{prefix}.unit_cost",
            )
    if line.location is not None and line.location.warehouse_id != line.warehouse.pk:
        raise AppError(
            "wrong_warehouse",
            _("Line %(n)s: the location is in another warehouse.") % {"n": n},
            field=f"{prefix}.location",
        )
    if line.lot is not None and line.lot.item_id != line.item.pk:
        raise AppError("wrong_lot", _("Line %(n)s: the lot belongs to another item.") % {"n": n}, field=f"{prefix}.lot")
    if line.item.lot_tracked and line.lot is None:
        raise AppError(
            "lot_required",
            _("Line %(n)s: %(item)s is lot-tracked; choose a lot.") % {"n": n, "item": line.item},
            field=f"{prefix}.lot",
        )
    if not line.warehouse.is_active and line.reverses is None:
        raise AppError(
            "inactive_warehouse", _("Line %(n)s: the warehouse is inactive.") % {"n": n}, field=f"{prefix}.warehouse"
        )
    return MoveLine(line.item, line.warehouse, quantity, cost, line.location, line.lot, line.transfer, line.reverses)


def _check_transfers_balance(lines: list[MoveLine]) -> None:
    net: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.transfer:
            net[(line.item.pk, line.lot.pk if line.lot else 0)] += line.quantity
    for (item_id, _lot), total in net.items():
        if total != 0:
            index = next(i for i, line in enumerate(lines) if line.transfer and line.item.pk == item_id)
            raise AppError(
                "unbalanced_transfer",
                _("Line %(n)s: a transfer must move out exactly what it moves in.") % {"n": index + 1},
                field=f"lines.{index}.quantity",
            )


def _check_never_short(
    lines: list[MoveLine], balances: dict[Key, StockBalance], pools: dict[int, ItemValuation], posted_at: datetime
) -> None:
    """No place may be short at the posting time or after any later move there.

    The place's quantity just before `posted_at` is its balance now minus its later moves; from there
    the document's lines and then the later moves run in order and must never go below zero.
    """
    lines_by_key: dict[Key, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        lines_by_key[line.key].append(index)
    for key, indexes in lines_by_key.items():
        if all(lines[i].quantity > 0 for i in indexes):
            continue
        row = pools[key[0]]
        later = _later_at_key(key, posted_at) if row.last_posted_at and posted_at < row.last_posted_at else []
        running = balances[key].on_hand - sum((q for q, _r, _t in later), Decimal(0))
        for index in indexes:
            running += lines[index].quantity
            if running < 0:
                line = lines[index]
                raise AppError(
                    "insufficient_stock",
                    _("Line %(n)s: not enough %(item)s in stock: %(available)s on hand, %(wanted)s wanted.")
                    % {
                        "n": index + 1,
                        "item": line.item,
                        "available": (running - line.quantity).normalize(),
                        "wanted": (-line.quantity).normalize(),
                    },
                    field=f"lines.{index}.quantity",
                    status=409,
                )
        last_out = max(i for i in indexes if lines[i].quantity < 0)
        for quantity, reference, at in later:
            running += quantity
            if running < 0:
                raise AppError(
                    "insufficient_stock_later",
                    _(
                        "Line %(n)s: posting this here would leave too little %(item)s for the later document"
                        " %(reference)s of %(date)s."
                    )
                    % {
                        "n": last_out + 1,
                        "item": lines[last_out].item,
                        "reference": reference or "—",
                        "date": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
                    },
                    field=f"lines.{last_out}.quantity",
                    status=409,
                )


# --- Locks and reads ---------------------------------------------------------------------------------


def _lock_pools(item_ids: list[int]) -> dict[int, ItemValuation]:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inventory_itemvaluation (item_id, quantity, value, cost)"
            " SELECT unnest(%s::bigint[]), 0, 0, 0 ON CONFLICT DO NOTHING",
            [item_ids],
        )
    rows = _rows(
        ItemValuation, "inventory_itemvaluation t WHERE t.item_id = ANY(%s) ORDER BY t.item_id FOR UPDATE", [item_ids]
    )
    return {row.item_id: row for row in rows}


def _lock_balances(keys: list[Key]) -> dict[Key, StockBalance]:
    """Create the missing balance rows, then lock all of them, both in sorted key order (a row that does
    not exist yet cannot be locked)."""
    columns = [list(column) for column in zip(*keys, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inventory_stockbalance (item_id, warehouse_id, location_id, lot_id, on_hand, reserved,"
            " updated_at) SELECT k.i, k.w, NULLIF(k.l, 0), NULLIF(k.t, 0), 0, 0, now()"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS k(i, w, l, t)"
            " ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING",
            columns,
        )
    locked = _rows(
        StockBalance,
        "inventory_stockbalance t"
        " JOIN unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS k(i, w, l, lot)"
        " ON t.item_id = k.i AND t.warehouse_id = k.w"
        " AND COALESCE(t.location_id, 0) = k.l AND COALESCE(t.lot_id, 0) = k.lot"
        " ORDER BY t.item_id, t.warehouse_id, COALESCE(t.location_id, 0), COALESCE(t.lot_id, 0) FOR UPDATE OF t",
        columns,
    )
    return {(b.item_id, b.warehouse_id, b.location_id or 0, b.lot_id or 0): b for b in locked}


def _held_places(release: Release) -> list[tuple[int, int]]:
    """(item, warehouse) of the reservations `release` names (read before the locks, to lock their holder rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT item_id, warehouse_id FROM inventory_stockreservation"
            " WHERE source_type = %s AND source_id = %s AND item_id = ANY(%s::bigint[])",
            [release.source_type, release.source_id, list(release.quantities)],
        )
        return sorted(cursor.fetchall())


def _released(release: Release, balances: dict[Key, StockBalance]) -> tuple[list, list, list]:
    """Lock the reservations (item, warehouse order) and take what is released off their holder rows'
    `reserved`: (ids to delete, ids to lower, their new quantities)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, item_id, warehouse_id, quantity FROM inventory_stockreservation"
            " WHERE source_type = %s AND source_id = %s AND item_id = ANY(%s::bigint[])"
            " ORDER BY item_id, warehouse_id FOR UPDATE",
            [release.source_type, release.source_id, list(release.quantities)],
        )
        rows = cursor.fetchall()
    gone, kept, kept_quantities = [], [], []
    for reservation_id, item_id, warehouse_id, held in rows:
        if (item_id, warehouse_id, 0, 0) not in balances:  # held since the places were read: not locked, kept
            continue
        quantity = release.quantities[item_id]
        let_go = held if quantity is None else min(quantity, held)
        balances[(item_id, warehouse_id, 0, 0)].reserved -= let_go
        if let_go == held:
            gone.append(reservation_id)
        else:
            kept.append(reservation_id)
            kept_quantities.append(held - let_go)
    return gone, kept, kept_quantities


def _rows(model, source: str, params: list) -> list:
    """Instances of `model` from `SELECT <its columns> FROM <source>` (the table aliased t), on a plain
    cursor: the ORM's and RawQuerySet's per-query work cost more than these queries do."""
    fields = model._meta.concrete_fields
    converters = [(i, field.from_db_value) for i, field in enumerate(fields) if hasattr(field, "from_db_value")]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join('t.' + field.column for field in fields)} FROM {source}", params)
        rows = cursor.fetchall()
    instances = []
    for row in rows:
        values = list(row)
        for i, convert in converters:
            values[i] = convert(values[i], None, connection)
        instances.append(model.from_db(connection.alias, [field.attname for field in fields], values))
    return instances


def _later_at_key(key: Key, posted_at: datetime) -> list[tuple[Decimal, str, datetime]]:
    item_id, warehouse_id, location_id, lot_id = key
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quantity, reference, posted_at FROM inventory_stockmove"
            " WHERE item_id = %s AND posted_at > %s AND warehouse_id = %s"
            " AND COALESCE(location_id, 0) = %s AND COALESCE(lot_id, 0) = %s ORDER BY posted_at, id",
            [item_id, posted_at, warehouse_id, location_id, lot_id],
        )
        return cursor.fetchall()


def _pool_of(row: ItemValuation, method: Method) -> Pool:
    return Pool.restore(row.quantity, row.value, row.cost, row.fifo_layers, method)


def _pool_before(item_id: int, posted_at: datetime, method: Method) -> Pool:
    """The item's pool as the moves up to `posted_at` left it (what the latest of them recorded)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT balance_quantity, balance_value, balance_cost, fifo_layers FROM inventory_stockmove"
            " WHERE item_id = %s AND posted_at <= %s ORDER BY posted_at DESC, id DESC LIMIT 1",
            [item_id, posted_at],
        )
        row = cursor.fetchone()
    if row is None:
        return Pool(layers=() if method == Method.FIFO else None)
    quantity, value, cost, layers = row
    return Pool.restore(quantity, value, cost, json.loads(layers) if isinstance(layers, str) else layers, method)


def _apply(pool: Pool, line: MoveLine, index: int, mirrored: dict[int, Decimal]) -> costing.Costed:
    reversed_move = line.reverses
    move = costing.Move(
        line.role,
        line.quantity,
        line.unit_cost,
        mirrored[reversed_move.pk] if reversed_move else None,
        reversed_move.unit_cost if reversed_move else None,
    )
    try:
        return costing.apply(pool, move)
    except costing.CostingError as exc:
        raise AppError("costing", str(exc), field=f"lines.{index}.quantity", status=409) from None


def _move(line: MoveLine, costed: costing.Costed, posted_at, source_type, source_id, reference) -> StockMove:
    after = costed.after
    return StockMove(
        item=line.item,
        warehouse=line.warehouse,
        location=line.location,
        lot=line.lot,
        quantity=line.quantity,
        role=line.role,
        reverses=line.reverses,
        unit_cost=costed.unit_cost,
        value=costed.value,
        balance_quantity=after.quantity,
        balance_value=after.value,
        balance_cost=after.cost,
        fifo_layers=after.layers_json(),
        posted_at=posted_at,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
    )


# --- The write ---------------------------------------------------------------------------------------


def _write(
    *,
    balances: list[StockBalance],
    pools: list[ItemValuation],
    moves: list[StockMove],
    posted_at: datetime,
    source_type: str,
    source_id: int,
    reference: str,
    now: datetime,
    released: tuple[list, list, list] = ([], [], []),
) -> list[StockMove]:
    """UPDATE the locked balance and pool rows and INSERT the moves, in one statement; give the moves their
    ids as bulk_create would.

    One statement, not three, and no ORM: Django's bulk_update (a CASE per row and column) took more than
    half of a posting's time to compile, bulk_create a fifth of the rest, and each statement is a round
    trip (bench/stock_posting.py). The rows are locked already, so the order the parts run in does not
    matter.
    """
    layers = [json.dumps(m.fifo_layers) if m.fifo_layers is not None else None for m in moves]
    gone, kept, kept_quantities = released
    reservations = (
        "), gone AS (DELETE FROM inventory_stockreservation r WHERE r.id = ANY(%s::bigint[])"
        "), kept AS ("
        "   UPDATE inventory_stockreservation r SET quantity = u.q"
        "   FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, q) WHERE r.id = u.id"
        if gone or kept
        else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH balances AS ("
            "   UPDATE inventory_stockbalance b SET on_hand = u.q, reserved = u.r, updated_at = %s"
            "   FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS u(id, q, r) WHERE b.id = u.id"
            + reservations
            + "), pools AS ("
            "   UPDATE inventory_itemvaluation p SET quantity = u.q, value = u.v, cost = u.c,"
            "   fifo_layers = u.f::jsonb, last_posted_at = u.t"
            "   FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::text[], %s::timestamptz[])"
            "   AS u(id, q, v, c, f, t) WHERE p.item_id = u.id"
            ") INSERT INTO inventory_stockmove (item_id, warehouse_id, location_id, lot_id, quantity, role,"
            " reverses_id, unit_cost, value, balance_quantity, balance_value, balance_cost, fifo_layers, posted_at,"
            " source_type, source_id, reference, created_at)"
            " SELECT i, w, l, t, q, r, rv, c, v, bq, bv, bc, f::jsonb, %s, %s, %s, %s, %s"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::numeric[], %s::text[],"
            " %s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::text[])"
            " WITH ORDINALITY AS u(i, w, l, t, q, r, rv, c, v, bq, bv, bc, f, n) ORDER BY n RETURNING id",
            [
                now,
                [b.pk for b in balances],
                [b.on_hand for b in balances],
                [b.reserved for b in balances],
                *([gone, kept, kept_quantities] if reservations else []),
                [p.item_id for p in pools],
                [p.quantity for p in pools],
                [p.value for p in pools],
                [p.cost for p in pools],
                [json.dumps(p.fifo_layers) if p.fifo_layers is not None else None for p in pools],
                [p.last_posted_at for p in pools],
                posted_at,
                source_type,
                source_id,
                reference,
                now,
                [m.item_id for m in moves],
                [m.warehouse_id for m in moves],
                [m.location_id for m in moves],
                [m.lot_id for m in moves],
                [m.quantity for m in moves],
                [m.role for m in moves],
                [m.reverses_id for m in moves],
                [m.unit_cost for m in moves],
                [m.value for m in moves],
                [m.balance_quantity for m in moves],
                [m.balance_value for m in moves],
                [m.balance_cost for m in moves],
                layers,
            ],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for move, move_id in zip(moves, ids, strict=True):
        move.pk = move_id
        move.created_at = now
        move._state.adding = False
        move._state.db = connection.alias
    return moves


# --- Re-valuation after a backdated posting -----------------------------------------------------------

_LATER_COLUMNS = (
    "id, role, quantity, unit_cost, value, reverses_id, source_type, source_id, reference,"
    " balance_quantity, balance_value, balance_cost, fifo_layers"
)


def _revalue_later(item_id: int, posted_at: datetime, pool: Pool, method: Method, revalued: dict) -> Pool:
    """Re-cost the item's moves after `posted_at`, starting from `pool`; write back those that changed.

    Only this item's later moves are read and written: the cost of other items cannot depend on it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_LATER_COLUMNS} FROM inventory_stockmove WHERE item_id = %s AND posted_at > %s"
            " ORDER BY posted_at, id",
            [item_id, posted_at],
        )
        later = cursor.fetchall()
        # Reversals in the window may mirror moves from before it, whose cost did not change.
        outside = {row[5] for row in later if row[5] is not None} - {row[0] for row in later}
        mirrored: dict[int, tuple[Decimal, Decimal]] = {}
        if outside:
            cursor.execute("SELECT id, value, unit_cost FROM inventory_stockmove WHERE id = ANY(%s)", [list(outside)])
            mirrored = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    updates = []
    for move_id, role, quantity, cost, value, reverses_id, source_type, source_id, reference, *old_balance in later:
        mirror = mirrored.get(reverses_id) if reverses_id else None
        costed = costing.apply(
            pool,
            costing.Move(
                Role(role),
                quantity,
                cost if role == Role.IN else None,
                mirror[0] if mirror else None,
                mirror[1] if mirror else None,
            ),
        )
        pool = costed.after
        mirrored[move_id] = (costed.value, costed.unit_cost)
        layers = pool.layers_json()
        old_layers = old_balance[3]
        if isinstance(old_layers, str):
            old_layers = json.loads(old_layers)
        new_row = (costed.unit_cost, costed.value, pool.quantity, pool.value, pool.cost, layers)
        if new_row != (cost, value, *old_balance[:3], old_layers):
            updates.append((move_id, *new_row))
        entry = revalued.setdefault((source_type, source_id), [reference, Decimal("0.00"), Decimal("0.00"), False])
        entry[1] += value
        entry[2] += costed.value
        entry[3] = entry[3] or costed.value != value
    if updates:
        ids, costs, values, quantities, balance_values, balance_costs, layer_lists = zip(*updates, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE inventory_stockmove m SET unit_cost = u.c, value = u.v, balance_quantity = u.bq,"
                " balance_value = u.bv, balance_cost = u.bc, fifo_layers = u.fl::jsonb"
                " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[],"
                " %s::numeric[], %s::text[]) AS u(id, c, v, bq, bv, bc, fl) WHERE m.id = u.id",
                [
                    list(ids),
                    list(costs),
                    list(values),
                    list(quantities),
                    list(balance_values),
                    list(balance_costs),
                    [json.dumps(x) if x is not None else None for x in layer_lists],
                ],
            )
    return pool


def _revalued_list(revalued: dict) -> list[RevaluedDocument]:
    """Later documents any of whose moves changed value (a transfer's legs may change and still net out);
    the values are the sums of their moves of the re-valued items."""
    return [
        RevaluedDocument(source_type, source_id, reference, before, after)
        for (source_type, source_id), (reference, before, after, changed) in sorted(revalued.items())
        if changed
    ]
