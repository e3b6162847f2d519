"""Stock count pages: thin views over the services and selectors; scanning and counting answer htmx
requests with the changed line (and the summary) only, and fall back to a redirect without JavaScript."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.catalog.selectors import barcode_scan
from modules.identity.access import merchant_access
from modules.inventory.models import Location, Lot
from modules.inventory.selectors import location_tree
from modules.inventory.templatetags.stock_format import qty
from modules.stockcount import selectors, services
from modules.stockcount.forms import CountForm
from modules.stockcount.models import CountScope, CountStatus, StockCount, StockCountLine
from modules.stockcount.services import UNCOUNTED_CHOICES, CountedEntry

PAGE_SIZE = 50
CHANGE = "stockcount.change_stockcount"


def _tz(request) -> str:
    return request.tenant.timezone


def _count_or_404(pk: int) -> StockCount:
    try:
        return selectors.stock_count_detail(pk=pk)
    except StockCount.DoesNotExist:
        raise Http404 from None


def _apply_error(form, error: AppError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _scan_locations(count: StockCount) -> list[tuple[Location, int]]:
    """The locations a counter may stand at: the counted location's subtree, or the whole warehouse."""
    tree = location_tree(warehouse=count.warehouse)
    if count.scope != CountScope.LOCATION:
        return tree
    inside = selectors.location_subtree_ids(location=count.location)
    return [(location, depth) for location, depth in tree if location.pk in inside]


def _location_param(count: StockCount, value: str | None, *, field: str = "location") -> Location | None:
    if not value:
        return None
    location = Location.objects.filter(pk=value).first() if str(value).isdigit() else None
    if location is None or location.warehouse_id != count.warehouse_id:
        raise AppError("unknown_location", _("Choose a location of this count's warehouse."), field=field)
    return location


@merchant_access()
def index(request):
    status = request.GET.get("status")
    status = status if status in CountStatus.values else None
    counts = selectors.stock_count_list(status=status)
    page = Paginator(counts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stockcount/count_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CountStatus.choices,
            "can_add": request.user.has_perm("stockcount.add_stockcount"),
        },
    )


@merchant_access("stockcount.add_stockcount")
def count_create(request):
    form = CountForm(request.POST or None, initial={"date": services.tenant_today(_tz(request)), "start": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.stock_count_create(
                warehouse=data["warehouse"],
                **form.scope_values(),
                note=data["note"],
                on=data["date"],
                tz_name=_tz(request),
                created_by=request.user,
            )
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Stock count %(number)s created.") % {"number": count.number})
            if data["start"]:
                services.stock_count_freeze(count=count)
            return redirect("stockcount:detail", pk=count.pk)
    return render(request, "stockcount/count_form.html", {"form": form}, status=400 if form.errors else 200)


@merchant_access()
def count_detail(request, pk: int):
    count = _count_or_404(pk)
    only = request.GET.get("only")
    only = only if only in selectors.LINE_FILTERS else None
    context = {
        "count": count,
        "lines": selectors.stock_count_lines(count=count, only=only),
        "only": only,
        "summary": selectors.stock_count_summary(count=count),
        "can_change": request.user.has_perm(CHANGE),
    }
    if request.htmx and request.htmx.target == "count-lines":
        return render(request, "stockcount/_lines.html", context)
    if count.status == CountStatus.COUNTING:
        context["scan_locations"] = _scan_locations(count)
        context["uncounted_choices"] = UNCOUNTED_CHOICES
    if count.status == CountStatus.POSTED:
        context["moves"] = selectors.stock_count_moves(count=count)
        context["reversal"] = selectors.reversal_of(count)
    return render(request, "stockcount/count_detail.html", context)


def _done(request, count: StockCount):
    return redirect("stockcount:detail", pk=count.pk)


@require_POST
@merchant_access(CHANGE)
def count_freeze(request, pk: int):
    count = get_object_or_404(StockCount, pk=pk)
    try:
        services.stock_count_freeze(count=count)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Expected figures frozen: start counting."))
    return _done(request, count)


@require_POST
@merchant_access(CHANGE)
def count_cancel(request, pk: int):
    count = get_object_or_404(StockCount, pk=pk)
    try:
        services.stock_count_cancel(count=count)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stock count %(number)s cancelled.") % {"number": count.number})
    return _done(request, count)


def _revalued_message(request, revalued) -> None:
    if revalued:
        messages.warning(
            request,
            _("This backdated posting changed the cost of later documents: %(documents)s")
            % {"documents": ", ".join(doc.reference or f"{doc.source_type}#{doc.source_id}" for doc in revalued)},
        )


@require_POST
@merchant_access(CHANGE)
def count_post(request, pk: int):
    count = get_object_or_404(StockCount, pk=pk)
    try:
        posting = services.stock_count_post(
            count=count, tz_name=_tz(request), uncounted=request.POST.get("uncounted") or "refuse"
        )
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stock count %(number)s posted.") % {"number": count.number})
        _revalued_message(request, posting.revalued)
    return _done(request, count)


@require_POST
@merchant_access(CHANGE)
def count_reverse(request, pk: int):
    count = get_object_or_404(StockCount, pk=pk)
    try:
        posting = services.stock_count_reverse(count=count, tz_name=_tz(request), created_by=request.user)
    except AppError as error:
        messages.error(request, error.message)
        return _done(request, count)
    messages.success(
        request,
        _("Stock count %(number)s reversed by %(reversal)s.")
        % {"number": count.number, "reversal": posting.count.number},
    )
    _revalued_message(request, posting.revalued)
    return _done(request, posting.count)


def _line_row(count: StockCount, line_id: int) -> StockCountLine:
    return selectors.stock_count_lines(count=count).get(pk=line_id)


@require_POST
@merchant_access(CHANGE)
def count_scan(request, pk: int):
    """One scan. htmx gets the result message, the changed (or new) line and the summary."""
    count = get_object_or_404(StockCount, pk=pk)
    try:
        location = _location_param(count, request.POST.get("location"))
        result = services.stock_count_scan(count=count, barcode=request.POST.get("barcode", ""), location=location)
    except AppError as error:
        if request.htmx:
            return render(request, "stockcount/_scan_result.html", {"error": error.message, "count": count})
        messages.error(request, error.message)
        return _done(request, count)
    line = _line_row(count, result.line.pk)
    if not request.htmx:
        counted = {"item": line.item, "counted": qty(line.counted)}
        messages.success(request, _("%(item)s: %(counted)s counted.") % counted)
        return _done(request, count)
    return render(
        request,
        "stockcount/_scan_result.html",
        {
            "count": count,
            "result": result,
            "line": line,
            "summary": selectors.stock_count_summary(count=count),
            "can_change": True,
        },
    )


@require_POST
@merchant_access(CHANGE)
def line_counted(request, pk: int, line_id: int):
    """Typing a quantity sets the line's count (empty: not counted). htmx gets the line row back."""
    count = get_object_or_404(StockCount, pk=pk)
    line = get_object_or_404(StockCountLine, pk=line_id, count=count)
    error = None
    try:
        services.stock_count_counted_set(count=count, entries=[CountedEntry(line.pk, request.POST.get("counted"))])
    except AppError as exc:
        error = exc.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _done(request, count)
    context = {
        "count": count,
        "line": _line_row(count, line.pk),
        "error": error,
        "summary": selectors.stock_count_summary(count=count),
        "can_change": True,
        "oob_summary": True,
    }
    return render(request, "stockcount/_line_row.html", context)


def _item_param(value: str) -> Item:
    code = (value or "").strip()
    scanned = barcode_scan(code=code) if code else None
    item = scanned.item if scanned else Item.objects.filter(code=code).first() if code else None
    if item is None:
        raise AppError("unknown_item", _("No item has this code or barcode."), field="item")
    return item


@require_POST
@merchant_access(CHANGE)
def line_add(request, pk: int):
    """Stock found that the count did not expect: item by code or barcode, location, lot code, quantity."""
    count = get_object_or_404(StockCount, pk=pk)
    try:
        item = _item_param(request.POST.get("item", ""))
        location = _location_param(count, request.POST.get("location"))
        lot_code = (request.POST.get("lot") or "").strip()
        lot = Lot.objects.filter(item=item, code=lot_code).first() if lot_code else None
        if lot_code and lot is None:
            message = _("%(item)s has no lot %(lot)s.") % {"item": item, "lot": lot_code}
            raise AppError("unknown_lot", message, field="lot")
        line = services.stock_count_line_add(
            count=count, item=item, location=location, lot=lot, counted=request.POST.get("counted", "")
        )
    except AppError as error:
        messages.error(request, error.message)
    else:
        counted = {"item": line.item, "counted": qty(line.counted)}
        messages.success(request, _("%(item)s added: %(counted)s counted.") % counted)
    return _done(request, count)
