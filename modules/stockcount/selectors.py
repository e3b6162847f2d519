"""Stock count reads: lists, lines with review filters, summaries, the ledger moves a count posted."""

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.inventory.models import Location, StockMove
from modules.inventory.selectors import location_tree
from modules.stockcount.models import SOURCE_TYPE, StockCount, StockCountLine

LINE_FILTERS = ("differences", "uncounted")


def stock_count_list(*, status: str | None = None, warehouse_id: int | None = None) -> QuerySet[StockCount]:
    qs = StockCount.objects.select_related("warehouse", "location", "category", "reverses", "reversed_by")
    if status:
        qs = qs.filter(status=status)
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs.order_by("-date", "-id")


def stock_count_detail(*, pk: int) -> StockCount:
    """The count with what its pages show; StockCount.DoesNotExist when there is none."""
    return StockCount.objects.select_related(
        "warehouse", "location", "category", "reverses", "reversed_by", "created_by"
    ).get(pk=pk)


def reversal_of(count: StockCount) -> StockCount | None:
    """The count that reverses `count`, if any (a reverse one-to-one raises when missing)."""
    try:
        return count.reversed_by
    except StockCount.DoesNotExist:
        return None


def stock_count_lines(*, count: StockCount, only: str | None = None) -> QuerySet[StockCountLine]:
    """The count's lines in counting order; `only`: "differences" (counted ≠ expected) or "uncounted"."""
    if only and only not in LINE_FILTERS:
        raise AppError("invalid_filter", _("Choose differences or uncounted."), field="only")
    qs = StockCountLine.objects.select_related("item", "item__base_unit", "location", "lot").filter(count=count)
    if only == "differences":
        qs = qs.filter(counted__isnull=False).exclude(counted=F("expected"))
    elif only == "uncounted":
        qs = qs.filter(counted__isnull=True)
    return qs.order_by("id")


def stock_count_summary(*, count: StockCount) -> dict[str, int]:
    """How many lines there are, are counted, are not, and differ from what was expected."""
    # Aliases differ from the field names: an aggregate may not shadow the "counted" column it filters on.
    totals = StockCountLine.objects.filter(count=count).aggregate(
        n_lines=Count("id"),
        n_counted=Count("id", filter=Q(counted__isnull=False)),
        n_uncounted=Count("id", filter=Q(counted__isnull=True)),
        n_differences=Count("id", filter=Q(counted__isnull=False) & ~Q(counted=F("expected"))),
    )
    return {key.removeprefix("n_"): value for key, value in totals.items()}


def stock_count_moves(*, count: StockCount) -> QuerySet[StockMove]:
    """The stock moves the count (or the reversal) posted, with their costs."""
    return (
        StockMove.objects.select_related("item", "location", "lot")
        .filter(source_type=SOURCE_TYPE, source_id=count.pk)
        .order_by("id")
    )


def location_subtree_ids(*, location: Location) -> set[int]:
    """The location and every location below it (from the warehouse's tree, one query)."""
    ids: set[int] = set()
    depth_of_root = None
    for node, depth in location_tree(warehouse=location.warehouse):
        if depth_of_root is not None:
            if depth <= depth_of_root:
                break
            ids.add(node.pk)
        elif node.pk == location.pk:
            depth_of_root = depth
            ids.add(node.pk)
    return ids
