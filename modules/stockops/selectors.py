"""Stock document reads: the filtered list, one document with its lines, the moves it posted."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from modules.catalog.selectors import item_search
from modules.inventory.models import StockMove
from modules.stockops.models import StockDocument, StockDocumentLine


def document_list(
    *,
    kind: str | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    warehouse_id: int | None = None,
    item_id: int | None = None,
    item_query: str = "",
    search: str = "",
) -> QuerySet[StockDocument]:
    """Newest first. `warehouse_id` matches the source or the target warehouse; `item_id` a line's item,
    `item_query` a line's item by code, name, pinyin initials or barcode; `search` a part of the number."""
    qs = StockDocument.objects.select_related("warehouse", "target_warehouse", "partner", "reversal")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if warehouse_id:
        qs = qs.filter(Q(warehouse_id=warehouse_id) | Q(target_warehouse_id=warehouse_id))
    if item_id:
        qs = qs.filter(pk__in=StockDocumentLine.objects.filter(item_id=item_id).values("document_id"))
    if (item_query or "").strip():
        items = item_search(q=item_query).values("pk")
        qs = qs.filter(pk__in=StockDocumentLine.objects.filter(item__in=items).values("document_id"))
    search = (search or "").strip()
    if search:
        qs = qs.filter(number__icontains=search)
    return qs.order_by("-date", "-id")


def document_detail(*, document_id: int) -> StockDocument | None:
    """One document with its lines (and what they refer to), its reversal and what it reverses."""
    lines = StockDocumentLine.objects.select_related(
        "item", "item__base_unit", "unit", "location", "target_location", "lot"
    ).order_by("position")
    return (
        StockDocument.objects.select_related(
            "warehouse", "target_warehouse", "partner", "created_by", "reverses", "reversal"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=document_id)
        .first()
    )


def document_moves(*, document: StockDocument) -> QuerySet[StockMove]:
    """The stock moves the document posted, in ledger order."""
    return (
        StockMove.objects.filter(source_type=document.kind, source_id=document.pk)
        .select_related("item", "warehouse", "location", "lot")
        .order_by("posted_at", "id")
    )
