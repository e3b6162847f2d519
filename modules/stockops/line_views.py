"""The line rows of the document form, served to htmx: a new row, and the item picker of a row.

The picker takes what a scanner types (a barcode, then Enter) or a code, name or pinyin initials:
an exact barcode or code fills the row at once, anything else lists candidates to tap. It looks
items up the way the catalog's own lookup does (catalog.selectors), but answers with HTML rows.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django_htmx.http import reswap, retarget

from modules.catalog.models import Item
from modules.catalog.selectors import item_by_barcode, item_list
from modules.identity.access import merchant_access
from modules.inventory.models import Location
from modules.stockops.enums import DocumentKind
from modules.stockops.forms import LINES_PREFIX, LineForm

LINE_FIELDS = ("unit", "quantity", "unit_cost", "location", "target_location", "lot_code", "expiry_date")
MAX_CANDIDATES = 10


def _locations() -> list[Location]:
    return list(
        Location.objects.filter(warehouse__is_active=True)
        .select_related("warehouse")
        .order_by("warehouse__code", "code")
    )


def _row(form: LineForm, index: int, item: Item | None, *, kind: str, locations: list[Location]) -> dict:
    values = {name: "" if form[name].value() is None else str(form[name].value()) for name in LINE_FIELDS}
    units = []
    if item is not None:
        units = [(item.base_unit, None), *((iu.unit, iu.factor.normalize()) for iu in item.units.all())]
    return {
        "index": index,
        "form": form,
        "item": item,
        "units": units,
        "values": values,
        "kind": kind,
        "has_cost": kind in (DocumentKind.STOCK_IN, DocumentKind.ADJUSTMENT),
        "is_transfer": kind == DocumentKind.TRANSFER,
        "locations": locations,
    }


def _items(ids) -> dict[int, Item]:
    ids = {int(pk) for pk in ids if str(pk).isdigit()}
    items = Item.objects.filter(pk__in=ids).select_related("base_unit").prefetch_related("units__unit")
    return {item.pk: item for item in items}


def line_rows(lines, *, kind: str) -> list[dict]:
    """The formset's rows with what the template needs (the item and its units), in three queries."""
    items = _items(form["item"].value() for form in lines.forms)
    locations = _locations()
    rows = []
    for index, form in enumerate(lines.forms):
        item_id = form["item"].value()
        item = items.get(int(item_id)) if str(item_id or "").isdigit() else None
        rows.append(_row(form, index, item, kind=kind, locations=locations))
    return rows


def _kind_and_index(request) -> tuple[str, int]:
    kind = request.GET.get("kind", "")
    index = request.GET.get("index") or request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS") or "0"
    if kind not in DocumentKind.values or not index.isdigit() or int(index) >= 1000:
        raise Http404
    return kind, int(index)


def _row_response(request, *, kind: str, index: int, item: Item | None, keep: bool):
    """One row. `keep`: carry over what the user entered in the row's other fields (not its unit,
    which belongs to the previous item)."""
    initial = {"item": item.pk if item else None, "unit": item.base_unit_id if item else None}
    if keep:
        for name in LINE_FIELDS[1:]:
            initial[name] = request.GET.get(f"{LINES_PREFIX}-{index}-{name}") or None
    form = LineForm(prefix=f"{LINES_PREFIX}-{index}", initial=initial)
    if item is not None:
        item = _items([item.pk])[item.pk]
    context = {"row": _row(form, index, item, kind=kind, locations=_locations()), "focus": item is not None}
    return render(request, "stockops/_line.html", context)


@merchant_access("stockops.add_stockdocument")
def line_new(request):
    """A blank row at the next index, and the formset's form count raised (out of band)."""
    kind, index = _kind_and_index(request)
    response = _row_response(request, kind=kind, index=index, item=None, keep=False)
    response.content += render(request, "stockops/_line_count.html", {"total": index + 1}).content
    return response


@merchant_access("stockops.add_stockdocument")
def item_pick(request):
    """`pick=<item id>`: the row with that item. Otherwise search the row's text: an exact barcode or
    code fills the row (a scan), else a list of candidates replaces the row's suggestions."""
    kind, index = _kind_and_index(request)
    if request.GET.get("pick", "").isdigit():
        item = get_object_or_404(Item, pk=int(request.GET["pick"]))
        return _row_response(request, kind=kind, index=index, item=item, keep=True)
    q = request.GET.get(f"{LINES_PREFIX}-{index}-search", "").strip()
    if not q:
        return HttpResponse("")
    exact = item_by_barcode(code=q) or Item.objects.filter(code=q).first()
    if exact is not None:
        response = _row_response(request, kind=kind, index=index, item=exact, keep=True)
        return reswap(retarget(response, f"#line-{index}"), "outerHTML")
    candidates = item_list(q=q, active=True)[:MAX_CANDIDATES]
    return render(request, "stockops/_picks.html", {"candidates": candidates, "index": index, "kind": kind, "q": q})
