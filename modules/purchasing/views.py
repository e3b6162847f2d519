"""Purchase order pages: the list, the order form (lines picked by scan or search, as on stock documents),
the order with what has arrived and the receive form. Thin over the services."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.catalog.selectors import item_by_barcode, item_list
from modules.identity.access import merchant_access
from modules.inventory.services import warehouse_default_ensure
from modules.partners.models import Partner
from modules.purchasing import selectors, services
from modules.purchasing.enums import OrderStatus
from modules.purchasing.forms import LINES_PREFIX, LineForm, LineFormSet, OrderForm, ReceiveForm, error_apply
from modules.purchasing.models import PurchaseOrder, PurchaseReceipt
from modules.purchasing.services import ReceiveLineInput

ADD = "purchasing.add_purchaseorder"
CHANGE = "purchasing.change_purchaseorder"
RECEIVE = "purchasing.receive_purchaseorder"
PAGE_SIZE = 50
LINE_FIELDS = ("unit", "quantity", "unit_price", "discount_percent", "vat_rate")
MAX_CANDIDATES = 10


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@merchant_access()
def order_list(request):
    params = request.GET
    supplier = params.get("supplier", "")
    state = params.get("status", "")
    filters = {
        "supplier_id": int(supplier) if supplier.isdigit() else None,
        "status": state if state in OrderStatus.values else None,
        "date_from": _date(params.get("date_from")),
        "date_to": _date(params.get("date_to")),
    }
    page = Paginator(selectors.purchase_order_list(**filters), PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "purchasing/order_list.html",
        {
            "page": page,
            "rows": [(order, selectors.order_glance(order)) for order in page],
            "filters": filters,
            "statuses": OrderStatus.choices,
            "suppliers": Partner.objects.filter(is_supplier=True).order_by("code"),
            "can_add": request.user.has_perm(ADD),
        },
    )


def _items(ids) -> dict[int, Item]:
    ids = {int(pk) for pk in ids if str(pk).isdigit()}
    items = Item.objects.filter(pk__in=ids).select_related("base_unit").prefetch_related("units__unit")
    return {item.pk: item for item in items}


def _row(form: LineForm, index: int, item: Item | None) -> dict:
    values = {name: "" if form[name].value() is None else str(form[name].value()) for name in LINE_FIELDS}
    units = []
    if item is not None:
        units = [(item.base_unit, None), *((iu.unit, iu.factor.normalize()) for iu in item.units.all())]
    return {"index": index, "form": form, "item": item, "units": units, "values": values}


def _rows(lines) -> list[dict]:
    items = _items(form["item"].value() for form in lines.forms)
    rows = []
    for index, form in enumerate(lines.forms):
        item_id = form["item"].value()
        rows.append(_row(form, index, items.get(int(item_id)) if str(item_id or "").isdigit() else None))
    return rows


@merchant_access(ADD)
def order_new(request):
    if request.method == "POST":
        head = OrderForm(request.POST)
        lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
        if head.is_valid() and lines.is_valid():
            indexes = [i for i, form in enumerate(lines.forms) if not form.is_blank()]
            try:
                order = services.purchase_order_create(
                    created_by=request.user, lines=[lines.forms[i].line_input() for i in indexes], **head.cleaned_data
                )
            except AppError as error:
                error_apply(error, head=head, lines=lines, indexes=indexes)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": order.number})
                return redirect("purchasing:detail", pk=order.pk)
        status = 400
    else:
        head = OrderForm(
            initial={"date": services.today_in(request.tenant.timezone), "warehouse": warehouse_default_ensure()}
        )
        lines = LineFormSet(prefix=LINES_PREFIX, initial=[{}])
        status = 200
    return render(
        request, "purchasing/order_form.html", {"form": head, "lines": lines, "rows": _rows(lines)}, status=status
    )


def _row_response(request, *, index: int, item: Item | None):
    initial = {"item": item.pk if item else None, "unit": item.base_unit_id if item else None}
    for name in LINE_FIELDS[1:]:
        initial[name] = request.GET.get(f"{LINES_PREFIX}-{index}-{name}") or None
    if item is not None:
        item = _items([item.pk])[item.pk]
    form = LineForm(prefix=f"{LINES_PREFIX}-{index}", initial=initial)
    return render(request, "purchasing/_line.html", {"row": _row(form, index, item), "focus": item is not None})


@merchant_access(ADD)
def order_line_row(request):
    """A blank row (`new`), the row with a picked item (`pick`), or a search of the row's text: an exact
    barcode or code fills the row at once (a scan), else candidates to tap."""
    index = request.GET.get("index") or request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS") or "0"
    if not index.isdigit() or int(index) >= 1000:
        raise Http404
    index = int(index)
    if "new" in request.GET:
        response = _row_response(request, index=index, item=None)
        response.content += render(request, "purchasing/_line_count.html", {"total": index + 1}).content
        return response
    if request.GET.get("pick", "").isdigit():
        return _row_response(request, index=index, item=get_object_or_404(Item, pk=int(request.GET["pick"])))
    q = request.GET.get(f"{LINES_PREFIX}-{index}-search", "").strip()
    if not q:
        return HttpResponse("")
    exact = item_by_barcode(code=q) or Item.objects.filter(code=q).first()
    if exact is not None:
        return reswap(retarget(_row_response(request, index=index, item=exact), f"#line-{index}"), "outerHTML")
    candidates = item_list(q=q, active=True)[:MAX_CANDIDATES]
    return render(request, "purchasing/_picks.html", {"candidates": candidates, "index": index, "q": q})


def _detail_page(request, order: PurchaseOrder, receive_form: ReceiveForm | None = None, entered=None, status=200):
    order = selectors.purchase_order_detail(order_id=order.pk)
    for line in order.lines.all():
        # What was typed into the receive form, shown again when it is refused.
        line.entered = (entered or {}).get(line.pk, {})
    receivable = order.status in services.RECEIVABLE
    can_receive = receivable and request.user.has_perm(RECEIVE)
    if can_receive and receive_form is None:
        receive_form = ReceiveForm(
            warehouse=order.warehouse, initial={"date": services.today_in(request.tenant.timezone)}
        )
    can_change = request.user.has_perm(CHANGE)
    return render(
        request,
        "purchasing/order_detail.html",
        {
            "order": order,
            "progress": selectors.order_progress(order),
            "glance": selectors.order_glance(order),
            "receive_form": receive_form if can_receive else None,
            "can": {
                "confirm": can_change and order.status == OrderStatus.DRAFT,
                "cancel": can_change and order.status in (OrderStatus.DRAFT, OrderStatus.CONFIRMED),
                "close": can_change and order.status in (OrderStatus.PARTIALLY_RECEIVED, OrderStatus.RECEIVED),
            },
        },
        status=status,
    )


@merchant_access()
def order_detail(request, pk: int):
    return _detail_page(request, get_object_or_404(PurchaseOrder, pk=pk))


def _receive(request, order: PurchaseOrder):
    form = ReceiveForm(request.POST, warehouse=order.warehouse)
    entered = {}
    entries = []
    for line in order.lines.all():
        values = {
            name: request.POST.get(f"receive-{line.pk}-{name}", "").strip()
            for name in ("quantity", "lot_code", "expiry_date")
        }
        entered[line.pk] = values
        if values["quantity"]:
            entries.append(
                ReceiveLineInput(line.pk, values["quantity"], values["lot_code"], _date(values["expiry_date"]))
            )
    if form.is_valid():
        try:
            receipt = services.purchase_receive(
                order=order,
                lines=entries,
                tz_name=request.tenant.timezone,
                on=form.cleaned_data["date"],
                location=form.cleaned_data["location"],
                created_by=request.user,
            )
        except AppError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Received: %(number)s.") % {"number": receipt.number})
            return redirect("purchasing:detail", pk=order.pk)
    return _detail_page(request, order, receive_form=form, entered=entered, status=400)


ACTIONS = {
    "confirm": (CHANGE, services.purchase_order_confirm, gettext_lazy("Confirmed.")),
    "cancel": (CHANGE, services.purchase_order_cancel, gettext_lazy("Cancelled.")),
    "close": (CHANGE, services.purchase_order_close, gettext_lazy("Closed.")),
}


@require_POST
@merchant_access()
def order_action(request, pk: int, action: str):
    order = get_object_or_404(PurchaseOrder, pk=pk)
    if action == "receive":
        if not request.user.has_perm(RECEIVE):
            raise PermissionDenied
        return _receive(request, order)
    if action not in ACTIONS:
        raise Http404
    permission, run, done = ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    try:
        run(order=order)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("purchasing:detail", pk=order.pk)


@merchant_access()
def receipt_detail(request, pk: int):
    """The ledger links a receipt's moves here: its order shows its receipts."""
    return redirect("purchasing:detail", pk=get_object_or_404(PurchaseReceipt, pk=pk).order_id)
