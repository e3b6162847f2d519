"""Catalog reads: search, category subtrees, barcode lookup."""

from django.db.models import Q, QuerySet

from modules.catalog.models import Barcode, Category, Item


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
