"""Stock reads: on hand, by supplier, by lot and expiry, as of a past time, an item's movement history.

Quantities come from the balance rows (now) or the moves (in the past); values from the item's cost
pool: the pool after the latest move at a time is in that move's balance_* columns, and a place's
share of a pool is its quantity × the pool's exact average (as `_pool_share` computes it).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Round

from modules.catalog.models import Item, Unit
from modules.catalog.selectors import category_descendant_ids
from modules.identity.access import user_role
from modules.identity.roles import Role
from modules.inventory.costing import money
from modules.inventory.models import InventorySettings, ItemValuation, Location, StockBalance, StockMove, Warehouse
from modules.partners.models import SupplierItem

QUANTITY = DecimalField(max_digits=20, decimal_places=6)
MONEY = DecimalField(max_digits=20, decimal_places=2)


def warehouse_list(*, active: bool | None = None) -> QuerySet[Warehouse]:
    qs = Warehouse.objects.order_by("-is_default", "code")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def location_tree(*, warehouse: Warehouse) -> list[tuple[Location, int]]:
    """The warehouse's locations in depth-first order, each with its depth (0 for a zone). One query."""
    locations = list(Location.objects.filter(warehouse=warehouse).order_by("code"))
    children: dict[int | None, list[Location]] = {}
    for location in locations:
        children.setdefault(location.parent_id, []).append(location)
    result: list[tuple[Location, int]] = []

    def walk(parent_id, depth):
        for child in children.get(parent_id, []):
            result.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return result


def inventory_settings() -> InventorySettings:
    """The tenant's settings; the defaults (unsaved) until someone changes them, so reads never insert."""
    return InventorySettings.objects.filter(pk=1).first() or InventorySettings(pk=1)


def settings_manager(user) -> bool:
    """Whether `user` may change the stock settings: the owner and the manager only."""
    return user_role(user) in (Role.OWNER, Role.MANAGER)


def stock_has_moved() -> bool:
    """Whether any stock has moved yet (the costing method is fixed from then on)."""
    return StockMove.objects.exists()


def stock_on_hand(
    *,
    warehouse_id: int | None = None,
    location_id: int | None = None,
    category_id: int | None = None,
    item_id: int | None = None,
    supplier_id: int | None = None,
) -> QuerySet[StockBalance]:
    """Balance rows with stock left, optionally by warehouse, location (and the locations below it),
    category (and its subcategories), item or supplier (the items it supplies); `available` = on hand
    - reserved, `value` = the row's share of its item's cost pool (on hand × the pool's average),
    `average_cost` = the pool's unit cost.

    The columns no stock list shows (timestamps, the item's attributes and pinyin, the warehouse's
    address) are not loaded: building the objects of a large category's rows took most of its time,
    parsing those columns a quarter of it (bench/stock_scale.py)."""
    qs = (
        StockBalance.objects.select_related("item", "item__base_unit", "warehouse", "location", "lot")
        .defer(*_UNSHOWN)
        .exclude(on_hand=0, reserved=0)
    )
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    if location_id is not None:
        qs = qs.filter(location_id__in=_location_subtree_ids(location_id))
    if category_id is not None:
        qs = qs.filter(item__category_id__in=category_descendant_ids(category_id=category_id))
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if supplier_id is not None:
        qs = qs.filter(item_id__in=SupplierItem.objects.filter(supplier_id=supplier_id).values("item_id"))
    return qs.annotate(
        available=F("on_hand") - F("reserved"),
        value=_pool_share("on_hand"),
        average_cost=F("item__valuation__cost"),
    ).order_by("item__code", "warehouse__code", "location__code", "lot__code")


_UNSHOWN = (
    "updated_at",
    "item__attributes",
    "item__pinyin_initials",
    "item__created_at",
    "item__updated_at",
    "warehouse__address",
    "warehouse__created_at",
    "lot__created_at",
)


def _pool_share(quantity_field: str, item_path: str = "item__valuation") -> Case:
    """`quantity_field` units at the item pool's exact average, rounded to cents (0 when the pool is empty)."""
    return Case(
        When(
            **{f"{item_path}__quantity__gt": 0},
            then=Round(F(quantity_field) * F(f"{item_path}__value") / F(f"{item_path}__quantity"), 2),
        ),
        default=Value(Decimal("0.00")),
        output_field=MONEY,
    )


def stock_on_hand_totals(queryset: QuerySet) -> dict[str, Decimal]:
    """On hand, reserved, available and value summed over all the rows of `queryset` (of any of the
    selectors here that annotate them)."""
    # Aliases other than the annotations' names: Django mixes the two up when they are the same.
    totals = queryset.aggregate(
        total_on_hand=Sum("on_hand"),
        total_reserved=Sum("reserved"),
        total_available=Sum("available"),
        total_value=Sum("value"),
    )
    return {
        "on_hand": totals["total_on_hand"] or Decimal("0"),
        "reserved": totals["total_reserved"] or Decimal("0"),
        "available": totals["total_available"] or Decimal("0"),
        "value": totals["total_value"] or Decimal("0.00"),
    }


def _location_subtree_ids(location_id: int) -> list[int]:
    table = Location._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE tree(id) AS (
                    SELECT id FROM {table} WHERE id = %s
                    UNION SELECT l.id FROM {table} l JOIN tree t ON l.parent_id = t.id)
                SELECT id FROM tree""",
            [location_id],
        )
        return [row[0] for row in cursor.fetchall()]


# --- By supplier --------------------------------------------------------------------------------------


def stock_by_supplier(*, supplier_id: int, warehouse_id: int | None = None) -> QuerySet[SupplierItem]:
    """The items a supplier supplies (its SupplierItem links, out-of-stock ones too) with their stock
    summed over all places (or one warehouse's): on_hand, reserved, available, value (on hand × the
    pool's average) and the pool's average_cost. One query; totals with `stock_on_hand_totals`."""
    balances = StockBalance.objects.filter(item_id=OuterRef("item_id"))
    if warehouse_id is not None:
        balances = balances.filter(warehouse_id=warehouse_id)

    def total(field: str) -> Coalesce:
        summed = balances.order_by().values("item_id").annotate(total=Sum(field)).values("total")
        return Coalesce(Subquery(summed, output_field=QUANTITY), Value(Decimal("0")), output_field=QUANTITY)

    return (
        SupplierItem.objects.filter(supplier_id=supplier_id)
        .select_related("item", "item__base_unit")
        .annotate(on_hand=total("on_hand"), reserved=total("reserved"))
        .annotate(
            available=F("on_hand") - F("reserved"),
            value=_pool_share("on_hand"),
            average_cost=Coalesce(F("item__valuation__cost"), Value(Decimal("0")), output_field=QUANTITY),
        )
        .order_by("item__code")
    )


# --- By lot and expiry -----------------------------------------------------------------------------------

# The "expiring" flag's window when the caller gives none.
EXPIRY_WARNING_DAYS = 30


class ExpiryStatus:
    EXPIRED = "expired"  # the expiry date has passed
    EXPIRING = "expiring"  # it falls within the warning window (today included)
    OK = "ok"
    NONE = ""  # the lot has no expiry date


def stock_lots(
    *,
    today: date,
    warehouse_id: int | None = None,
    category_id: int | None = None,
    expiring_within_days: int | None = None,
) -> QuerySet[StockBalance]:
    """Balance rows of stock in lots, the soonest expiry first (lots without one last).

    `today` is the date in the tenant's time zone. Each row has `days_to_expiry` (negative once
    expired), `expiry_status` (ExpiryStatus; "expiring" = within `expiring_within_days`, or
    EXPIRY_WARNING_DAYS when not given), `available` and `value`. With `expiring_within_days` only
    lots expiring by today + that many days (expired ones included) are listed.
    """
    window = EXPIRY_WARNING_DAYS if expiring_within_days is None else expiring_within_days
    qs = (
        StockBalance.objects.filter(lot__isnull=False)
        .exclude(on_hand=0)
        .select_related("item", "item__base_unit", "warehouse", "location", "lot")
    )
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    if category_id is not None:
        qs = qs.filter(item__category_id__in=category_descendant_ids(category_id=category_id))
    if expiring_within_days is not None:
        qs = qs.filter(lot__expiry_date__lte=today + timedelta(days=expiring_within_days))
    return qs.annotate(
        available=F("on_hand") - F("reserved"),
        value=_pool_share("on_hand"),
        # date - date is a whole number of days in PostgreSQL.
        days_to_expiry=Func(
            F("lot__expiry_date"),
            Value(today),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        ),
        expiry_status=Case(
            When(lot__expiry_date__lt=today, then=Value(ExpiryStatus.EXPIRED)),
            When(lot__expiry_date__lte=today + timedelta(days=window), then=Value(ExpiryStatus.EXPIRING)),
            When(lot__expiry_date__isnull=False, then=Value(ExpiryStatus.OK)),
            default=Value(ExpiryStatus.NONE),
            output_field=CharField(),
        ),
    ).order_by(
        F("lot__expiry_date").asc(nulls_last=True), "item__code", "warehouse__code", "location__code", "lot__code"
    )


# --- As of a past time -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AsOfRow:
    item_id: int
    item_code: str
    item_name: str
    unit: str
    quantity: Decimal
    value: Decimal
    # The pool's unit cost at that time (its average, or the last cost when it was empty).
    average_cost: Decimal


@dataclass(frozen=True)
class StockAsOf:
    at: datetime
    rows: list[AsOfRow]
    quantity: Decimal
    value: Decimal


def stock_value_as_of(
    *, at: datetime, warehouse_id: int | None = None, category_id: int | None = None, item_id: int | None = None
) -> StockAsOf:
    """Each item's quantity and value at `at` (moves posted at or before it count), with totals;
    items with neither are left out. One query.

    All places: the item's latest move at or before `at` recorded the pool after it, so each item
    costs one probe of the index (item_id, posted_at, id) — never a sum over its moves.

    One warehouse: the pool spans all places, so its columns give the warehouse's value but not its
    quantity. The quantity is summed from the warehouse's moves over the index (warehouse, item,
    posted_at), from whichever end of the item's history `at` is nearer to: the moves up to `at`, or
    the balance now minus the moves after `at`; its value is that quantity × the pool's exact
    average at `at` (0 when the pool was empty), as for stock on hand.
    """
    categories = category_descendant_ids(category_id=category_id) if category_id is not None else None
    params = {"at": at, "warehouse": warehouse_id, "item": item_id, "categories": categories}
    if warehouse_id is None:
        with connection.cursor() as cursor:
            cursor.execute(_AS_OF_SQL, params)
            fetched = cursor.fetchall()
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            # The per-item sums make the plan look costly enough for PostgreSQL to JIT-compile it,
            # which takes longer (0.3-0.7 s on 10 million moves) than the query itself saves.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_AS_OF_WAREHOUSE_SQL, params)
            fetched = cursor.fetchall()
    rows = []
    for item_pk, code, name, unit, quantity, value, pool_quantity, pool_value, cost in fetched:
        if warehouse_id is not None:
            value = (
                money(quantity * pool_value / pool_quantity) if pool_quantity and pool_quantity > 0 else Decimal("0.00")
            )
        if quantity == 0 and value == 0:
            continue
        rows.append(AsOfRow(item_pk, code, name, unit, quantity, value, cost if cost is not None else Decimal("0")))
    return StockAsOf(
        at=at,
        rows=rows,
        quantity=sum((row.quantity for row in rows), Decimal("0")),
        value=sum((row.value for row in rows), Decimal("0.00")),
    )


_MOVES = StockMove._meta.db_table
_ITEM_FILTERS = """
    (%(item)s::bigint IS NULL OR i.id = %(item)s)
    AND (%(categories)s::bigint[] IS NULL OR i.category_id = ANY(%(categories)s::bigint[]))"""

# The pool after the item's latest move at or before `at` (none: the item had not moved yet).
_POOL_AT = f"""
    SELECT m.balance_quantity, m.balance_value, m.balance_cost FROM {_MOVES} m
    WHERE m.item_id = v.item_id AND m.posted_at <= %(at)s
    ORDER BY m.posted_at DESC, m.id DESC LIMIT 1"""

# Items that never moved have no pool row, so starting from the pools skips them for free.
_AS_OF_SQL = f"""
SELECT i.id, i.code, i.name, u.name, p.balance_quantity, p.balance_value, p.balance_quantity,
       p.balance_value, p.balance_cost
FROM {ItemValuation._meta.db_table} v
JOIN {Item._meta.db_table} i ON i.id = v.item_id
JOIN {Unit._meta.db_table} u ON u.id = i.base_unit_id
CROSS JOIN LATERAL ({_POOL_AT}) p
WHERE {_ITEM_FILTERS}
ORDER BY i.code"""

# Per item: the quantity now in the warehouse (its balance rows), the time of its first and last
# move, then ONE of the two sums runs — the other's WHERE is false before it reads a row.
_AS_OF_WAREHOUSE_SQL = f"""
WITH here AS (
    SELECT item_id, SUM(on_hand) AS on_hand FROM {StockBalance._meta.db_table}
    WHERE warehouse_id = %(warehouse)s GROUP BY item_id
)
SELECT i.id, i.code, i.name, u.name,
       CASE WHEN side.nearer THEN COALESCE(early.quantity, 0) ELSE h.on_hand - COALESCE(late.quantity, 0) END,
       NULL, p.balance_quantity, p.balance_value, p.balance_cost
FROM here h
JOIN {ItemValuation._meta.db_table} v ON v.item_id = h.item_id
JOIN {Item._meta.db_table} i ON i.id = h.item_id
JOIN {Unit._meta.db_table} u ON u.id = i.base_unit_id
CROSS JOIN LATERAL (
    SELECT f.posted_at AS first_at FROM {_MOVES} f WHERE f.item_id = v.item_id ORDER BY f.posted_at, f.id LIMIT 1
) first
CROSS JOIN LATERAL (SELECT %(at)s - first.first_at <= v.last_posted_at - %(at)s AS nearer) side
CROSS JOIN LATERAL (
    SELECT SUM(m.quantity) AS quantity FROM {_MOVES} m
    WHERE side.nearer AND m.warehouse_id = %(warehouse)s AND m.item_id = v.item_id AND m.posted_at <= %(at)s
) early
CROSS JOIN LATERAL (
    SELECT SUM(m.quantity) AS quantity FROM {_MOVES} m
    WHERE NOT side.nearer AND m.warehouse_id = %(warehouse)s AND m.item_id = v.item_id AND m.posted_at > %(at)s
) late
LEFT JOIN LATERAL ({_POOL_AT}) p ON true
WHERE {_ITEM_FILTERS}
ORDER BY i.code"""


# --- An item's movement history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    """Where a history starts: the pool's quantity and value, and the warehouse's quantity (when the
    history is of one warehouse)."""

    quantity: Decimal
    value: Decimal
    warehouse_quantity: Decimal | None


@dataclass(frozen=True)
class ItemHistory:
    item: Item
    opening: Opening
    moves: QuerySet[StockMove]


def item_move_history(
    *, item: Item, warehouse_id: int | None = None, start: datetime | None = None, end: datetime | None = None
) -> ItemHistory:
    """The item's moves in ledger order (posted_at, id), posted in [start, end], and the balances before
    `start`.

    Each move carries the pool's running balance (balance_quantity, balance_value: the item across
    all places). With `warehouse_id` only that warehouse's moves are listed and each also carries
    `warehouse_balance`, its running quantity there (a window sum over the listed moves on top of the
    opening quantity). Paginate `moves` as a queryset: the window runs before LIMIT/OFFSET.
    """
    opening = Opening(Decimal("0"), Decimal("0.00"), None if warehouse_id is None else Decimal("0"))
    if start is not None:
        before = start - timedelta(microseconds=1)  # posted_at has microsecond precision
        pool = _single(stock_value_as_of(at=before, item_id=item.pk))
        here = (
            _single(stock_value_as_of(at=before, item_id=item.pk, warehouse_id=warehouse_id)) if warehouse_id else None
        )
        opening = Opening(
            pool.quantity if pool else Decimal("0"),
            pool.value if pool else Decimal("0.00"),
            None if warehouse_id is None else (here.quantity if here else Decimal("0")),
        )
    moves = StockMove.objects.filter(item=item).select_related("warehouse", "location", "lot")
    if start is not None:
        moves = moves.filter(posted_at__gte=start)
    if end is not None:
        moves = moves.filter(posted_at__lte=end)
    if warehouse_id is not None:
        moves = moves.filter(warehouse_id=warehouse_id).annotate(
            warehouse_balance=Window(
                Sum("quantity"), order_by=[F("posted_at").asc(), F("id").asc()], frame=RowRange(start=None, end=0)
            )
            + Value(opening.warehouse_quantity, output_field=QUANTITY)
        )
    return ItemHistory(item=item, opening=opening, moves=moves.order_by("posted_at", "id"))


def _single(result: StockAsOf) -> AsOfRow | None:
    return result.rows[0] if result.rows else None
