"""Catalog reads: search, category subtrees, barcode lookup."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.domain import convert_to_base
from modules.catalog.models import Barcode, Category, Item, ItemUnit, Unit


def category_descendant_ids(*, category_id: int) -> list[int]:
    """The category and everything below it, in one recursive query."""
    table = Category._meta.db_table
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE tree(id) AS (
                    SELECT id FROM {table} WHERE id = %s
                    UNION SELECT c.id FROM {table} c JOIN tree t ON c.parent_id = t.id)
                SELECT id FROM tree""",
            [category_id],
        )
        return [row[0] for row in cursor.fetchall()]


def category_tree() -> list[tuple[Category, int]]:
    """Every category with its depth, depth-first and ordered by name within a parent."""
    categories = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    result: list[tuple[Category, int]] = []

    def walk(parent_id, depth):
        for category in sorted(children.get(parent_id, []), key=lambda c: (c.name, c.pk)):
            result.append((category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return result


def item_search(*, queryset: QuerySet | None = None, q: str = "") -> QuerySet:
    """Items whose code, name, pinyin initials or a barcode match `q` (case-insensitive, contains)."""
    qs = Item.objects.all() if queryset is None else queryset
    q = (q or "").strip()
    if not q:
        return qs
    barcode_items = Barcode.objects.filter(code=q).values("item_id")
    return qs.filter(
        Q(code__icontains=q) | Q(name__icontains=q) | Q(pinyin_initials__icontains=q.lower()) | Q(pk__in=barcode_items)
    )


def item_list(*, q: str = "", category_id: int | None = None, brand_id: int | None = None, active: bool | None = None):
    qs = Item.objects.select_related("category", "brand", "base_unit")
    qs = item_search(queryset=qs, q=q)
    if category_id:
        qs = qs.filter(category_id__in=category_descendant_ids(category_id=category_id))
    if brand_id:
        qs = qs.filter(brand_id=brand_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("code")


def item_by_barcode(*, code: str) -> Item | None:
    barcode = Barcode.objects.select_related("item").filter(code=(code or "").strip()).first()
    return barcode.item if barcode else None


@dataclass(frozen=True)
class ScannedBarcode:
    """What one scan of a barcode means: `quantity` base units of `item` (the factor of a package's unit)."""

    item: Item
    unit: Unit
    quantity: Decimal


def barcode_scan(*, code: str) -> ScannedBarcode | None:
    """The item and quantity one scan of `code` stands for, or None for an unknown barcode."""
    barcode = Barcode.objects.select_related("item__base_unit", "unit").filter(code=(code or "").strip()).first()
    if barcode is None:
        return None
    item = barcode.item
    if barcode.unit is None:
        return ScannedBarcode(item=item, unit=item.base_unit, quantity=Decimal(1))
    item_unit = ItemUnit.objects.filter(item=item, unit=barcode.unit).first()
    # item_unit_remove refuses to drop a unit a barcode uses, so the ItemUnit is there.
    return ScannedBarcode(item=item, unit=barcode.unit, quantity=item_unit.factor)


def quantity_to_base(item: Item, unit: Unit, qty) -> Decimal:
    """`qty` of `unit` in base units of `item`, exact to 6 places or an AppError on field "quantity"/"unit"."""
    if not isinstance(qty, Decimal):
        try:
            qty = Decimal(str(qty))
        except (InvalidOperation, ValueError):
            raise AppError("invalid_number", _("Enter a number."), field="quantity") from None
    if not qty.is_finite():
        raise AppError("invalid_number", _("Enter a number."), field="quantity")
    if unit.pk == item.base_unit_id:
        factor = Decimal(1)
    else:
        item_unit = ItemUnit.objects.filter(item=item, unit=unit).first()
        if item_unit is None:
            raise AppError(
                "unknown_unit", _("%(unit)s is not a unit of this item.") % {"unit": unit.name}, field="unit"
            )
        factor = item_unit.factor
    return convert_to_base(quantity=qty, factor=factor, field="quantity")
