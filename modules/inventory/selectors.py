"""Stock reads."""

from decimal import Decimal

from django.db import connection
from django.db.models import Case, DecimalField, F, QuerySet, Sum, Value, When
from django.db.models.functions import Round

from modules.catalog.selectors import category_descendant_ids
from modules.inventory.models import InventorySettings, Location, StockBalance, Warehouse


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


def stock_on_hand(
    *,
    warehouse_id: int | None = None,
    location_id: int | None = None,
    category_id: int | None = None,
    item_id: int | None = None,
) -> QuerySet[StockBalance]:
    """Balance rows with stock left, optionally by warehouse, location (and the locations below it),
    category (and its subcategories) or item; `available` = on hand - reserved, `value` = the row's
    share of its item's cost pool (on hand × the pool's average)."""
    qs = StockBalance.objects.select_related("item", "item__base_unit", "warehouse", "location", "lot").exclude(
        on_hand=0, reserved=0
    )
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    if location_id is not None:
        qs = qs.filter(location_id__in=_location_subtree_ids(location_id))
    if category_id is not None:
        qs = qs.filter(item__category_id__in=category_descendant_ids(category_id=category_id))
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return qs.annotate(available=F("on_hand") - F("reserved"), value=_pool_share("on_hand")).order_by(
        "item__code", "warehouse__code", "location__code", "lot__code"
    )


def _pool_share(quantity_field: str, item_path: str = "item__valuation") -> Case:
    """`quantity_field` units at the item pool's exact average, rounded to cents (0 when the pool is empty)."""
    return Case(
        When(
            **{f"{item_path}__quantity__gt": 0},
            then=Round(F(quantity_field) * F(f"{item_path}__value") / F(f"{item_path}__quantity"), 2),
        ),
        default=Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def stock_on_hand_totals(queryset: QuerySet[StockBalance]) -> dict:
    totals = queryset.aggregate(on_hand=Sum("on_hand"), value=Sum("value"))
    return {"on_hand": totals["on_hand"] or Decimal("0"), "value": totals["value"] or Decimal("0.00")}


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
