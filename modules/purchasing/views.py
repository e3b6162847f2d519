"""Purchasing pages: the order list, the order form (new or a draft's; lines picked by scan or search, as on
stock documents), the order with what has arrived, the receive form and its receipts; bills from a receipt,
payments over a supplier's open bills, returns from a receipt, their lists and pages, reversal (红冲) of
each; the settings. Thin over the services."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.catalog.selectors import item_by_barcode, item_list
from modules.identity.access import merchant_access
from modules.inventory.services import warehouse_default_ensure
from modules.partnerledger.selectors import partner_balance
from modules.partners.models import Partner
from modules.purchasing import selectors, services
from modules.purchasing.enums import PAYABLE, OrderStatus
from modules.purchasing.forms import (
    LINES_PREFIX,
    BillForm,
    FreeReturnForm,
    LineForm,
    LineFormSet,
    OrderForm,
    PaymentForm,
    ReceiveForm,
    ReturnForm,
    SettingsForm,
    error_apply,
)
from modules.purchasing.models import PurchaseBill, PurchaseOrder, PurchasePayment, PurchaseReceipt, PurchaseReturn
from modules.purchasing.services import (
    AllocationInput,
    BillLineInput,
    ReceiptReturnLineInput,
    ReceiveLineInput,
    ReturnLineInput,
)

ADD = "purchasing.add_purchaseorder"
CHANGE = "purchasing.change_purchaseorder"
RECEIVE = "purchasing.receive_purchaseorder"
REVERSE_RECEIPT = "purchasing.reverse_purchasereceipt"
ADD_BILL = "purchasing.add_purchasebill"
CHANGE_BILL = "purchasing.change_purchasebill"
ADD_PAYMENT = "purchasing.add_purchasepayment"
CHANGE_PAYMENT = "purchasing.change_purchasepayment"
ADD_RETURN = "purchasing.add_purchasereturn"
CHANGE_RETURN = "purchasing.change_purchasereturn"
SETTINGS = "purchasing.change_purchasingsettings"
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
                "edit": can_change and order.status == OrderStatus.DRAFT,
                "bill": request.user.has_perm(ADD_BILL),
                "return": request.user.has_perm(ADD_RETURN),
                "reverse_receipt": request.user.has_perm(REVERSE_RECEIPT),
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
            messages.success(request, pgettext("purchasing", "Received: %(number)s.") % {"number": receipt.number})
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


# --- Draft editing and settings ----------------------------------------------------------------------------


@merchant_access(CHANGE)
def order_edit(request, pk: int):
    """Change a draft order: the same form as a new one, filled with the order."""
    order = get_object_or_404(PurchaseOrder, pk=pk)
    if order.status != OrderStatus.DRAFT:
        messages.error(request, _("Only a draft order can be changed."))
        return redirect("purchasing:detail", pk=order.pk)
    if request.method == "POST":
        head = OrderForm(request.POST)
        lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
        if head.is_valid() and lines.is_valid():
            indexes = [i for i, form in enumerate(lines.forms) if not form.is_blank()]
            try:
                services.purchase_order_update(
                    order=order, lines=[lines.forms[i].line_input() for i in indexes], **head.cleaned_data
                )
            except AppError as error:
                error_apply(error, head=head, lines=lines, indexes=indexes)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": order.number})
                return redirect("purchasing:detail", pk=order.pk)
        status = 400
    else:
        head = OrderForm(
            initial={name: getattr(order, name) for name in ("supplier", "warehouse", "date", "expected_date", "note")}
        )
        initial = [
            {name: getattr(line, name) for name in ("item", "unit", *LINE_FIELDS[1:])}
            for line in order.lines.order_by("position")
        ]
        for row in initial:
            row["item"], row["unit"] = row["item"].pk, row["unit"].pk
            row["quantity"] = row["quantity"].normalize()
            row["unit_price"] = row["unit_price"].normalize()
        lines = LineFormSet(prefix=LINES_PREFIX, initial=initial)
        status = 200
    return render(
        request,
        "purchasing/order_form.html",
        {"form": head, "lines": lines, "rows": _rows(lines), "order": order},
        status=status,
    )


@merchant_access()
def purchasing_settings(request):
    can_change = request.user.has_perm(SETTINGS)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = SettingsForm(request.POST)
        if form.is_valid():
            services.settings_update(prices_include_vat=form.cleaned_data["prices_include_vat"])
            messages.success(request, _("Settings saved."))
            return redirect("purchasing:settings")
    else:
        form = SettingsForm(initial={"prices_include_vat": services.settings_get().prices_include_vat})
    return render(request, "purchasing/settings.html", {"form": form, "can_change": can_change})


# --- Bills, payments, returns ----------------------------------------------------------------------------


def _standing_receipt(pk: int) -> PurchaseReceipt:
    receipt = selectors.purchase_receipt_detail(receipt_id=pk)
    if receipt is None:
        raise Http404
    return receipt


def _entered(request, prefix: str, ids, names) -> dict[int, dict[str, str]]:
    return {pk: {name: request.POST.get(f"{prefix}-{pk}-{name}", "").strip() for name in names} for pk in ids}


@merchant_access(ADD_BILL)
def bill_new(request, pk: int):
    """Bill a receipt (采购发票): each of its lines prefilled with what is not yet billed at the order's price."""
    receipt = _standing_receipt(pk)
    lines = list(receipt.lines.all())
    for line in lines:
        line.open = line.quantity - line.billed_quantity
        line.order_price = services.order_price(line.order_line)
    status = 200
    if request.method == "POST":
        form = BillForm(request.POST)
        entered = _entered(request, "bill", [line.pk for line in lines], ("quantity", "unit_price", "vat_rate"))
        if form.is_valid():
            entries = [
                BillLineInput(pk, values["quantity"], values["unit_price"] or None, values["vat_rate"] or None)
                for pk, values in entered.items()
                if values["quantity"]
            ]
            try:
                bill = services.purchase_bill_create(
                    order=receipt.order,
                    lines=entries,
                    tz_name=request.tenant.timezone,
                    on=form.cleaned_data["date"],
                    invoice_number=form.cleaned_data["invoice_number"],
                    note=form.cleaned_data["note"],
                    created_by=request.user,
                )
            except AppError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": bill.number})
                return redirect("purchasing:bill", pk=bill.pk)
        status = 400
    else:
        form = BillForm(initial={"date": services.today_in(request.tenant.timezone)})
        entered = {
            line.pk: {"quantity": line.open.normalize() if line.open > 0 else "", "unit_price": "", "vat_rate": ""}
            for line in lines
        }
    for line in lines:
        line.entered = entered.get(line.pk, {})
    return render(
        request, "purchasing/bill_form.html", {"receipt": receipt, "lines": lines, "form": form}, status=status
    )


@merchant_access()
def bill_detail(request, pk: int):
    bill = selectors.purchase_bill_detail(bill_id=pk)
    if bill is None:
        raise Http404
    return render(
        request,
        "purchasing/bill_detail.html",
        {
            "bill": bill,
            "can_reverse": bill.standing and not bill.paid_amount and request.user.has_perm(CHANGE_BILL),
            "can_pay": bill.standing and bill.open_amount > 0 and request.user.has_perm(ADD_PAYMENT),
        },
    )


def _supplier_filter(request) -> dict:
    supplier = request.GET.get("supplier", "")
    return {
        "supplier_id": int(supplier) if supplier.isdigit() else None,
        "date_from": _date(request.GET.get("date_from")),
        "date_to": _date(request.GET.get("date_to")),
    }


def _document_list(request, template: str, queryset, filters: dict, **extra):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "suppliers": Partner.objects.filter(is_supplier=True).order_by("code"),
            **extra,
        },
    )


@merchant_access()
def bill_list(request):
    filters = _supplier_filter(request)
    open_only = request.GET.get("open") == "1"
    return _document_list(
        request,
        "purchasing/bill_list.html",
        selectors.purchase_bill_list(open_only=open_only, **filters),
        filters,
        open_only=open_only,
    )


@merchant_access(ADD_PAYMENT)
def payment_new(request):
    """Pay a supplier: choose the supplier, then how much of each of their open bills this payment settles."""
    source = request.POST if request.method == "POST" else request.GET
    supplier_id = source.get("supplier", "")
    supplier = Partner.objects.filter(pk=int(supplier_id), is_supplier=True).first() if supplier_id.isdigit() else None
    bills = list(selectors.purchase_bill_list(supplier_id=supplier.pk, open_only=True)) if supplier else []
    bills.reverse()  # oldest first: usually paid first
    status = 200
    if request.method == "POST":
        form = PaymentForm(request.POST)
        entered = {bill.pk: request.POST.get(f"pay-{bill.pk}", "").strip() for bill in bills}
        if form.is_valid():
            try:
                payment = services.purchase_payment_create(
                    supplier=form.cleaned_data["supplier"],
                    allocations=[AllocationInput(pk, amount) for pk, amount in entered.items() if amount],
                    method=form.cleaned_data["method"],
                    tz_name=request.tenant.timezone,
                    on=form.cleaned_data["date"],
                    account=form.cleaned_data["account"],
                    note=form.cleaned_data["note"],
                    created_by=request.user,
                )
            except AppError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": payment.number})
                return redirect("purchasing:payment", pk=payment.pk)
        status = 400
    else:
        form = PaymentForm(
            initial={"supplier": supplier, "date": services.today_in(request.tenant.timezone), "method": "bank"}
        )
        entered = {}
        chosen = request.GET.get("bill", "")
        for bill in bills:
            entered[bill.pk] = str(bill.open_amount) if str(bill.pk) == chosen else ""
    for bill in bills:
        bill.entered = entered.get(bill.pk, "")
    return render(
        request,
        "purchasing/payment_form.html",
        {
            "form": form,
            "supplier": supplier,
            "payable": partner_balance(partner_id=supplier.pk, kind=PAYABLE) if supplier else None,
            "bills": bills,
            "suppliers": Partner.objects.filter(is_supplier=True).order_by("code"),
        },
        status=status,
    )


@merchant_access()
def payment_detail(request, pk: int):
    payment = selectors.purchase_payment_detail(payment_id=pk)
    if payment is None:
        raise Http404
    return render(
        request,
        "purchasing/payment_detail.html",
        {"payment": payment, "can_reverse": payment.standing and request.user.has_perm(CHANGE_PAYMENT)},
    )


@merchant_access()
def payment_list(request):
    filters = _supplier_filter(request)
    return _document_list(request, "purchasing/payment_list.html", selectors.purchase_payment_list(**filters), filters)


@merchant_access(ADD_RETURN)
def return_new(request, pk: int):
    """Send goods of a receipt back (采购退货): how much of each line, at most what is left of it."""
    receipt = _standing_receipt(pk)
    lines = list(receipt.lines.all())
    for line in lines:
        line.left = line.quantity - line.returned_quantity
    status = 200
    if request.method == "POST":
        form = ReturnForm(request.POST)
        entered = _entered(request, "return", [line.pk for line in lines], ("quantity",))
        if form.is_valid():
            entries = [
                ReceiptReturnLineInput(pk, values["quantity"]) for pk, values in entered.items() if values["quantity"]
            ]
            try:
                purchase_return = services.purchase_return_from_receipt(
                    receipt=receipt,
                    lines=entries,
                    tz_name=request.tenant.timezone,
                    on=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                    created_by=request.user,
                )
            except AppError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": purchase_return.number})
                return redirect("purchasing:return", pk=purchase_return.pk)
        status = 400
    else:
        form = ReturnForm(initial={"date": services.today_in(request.tenant.timezone)})
        entered = {}
    for line in lines:
        line.entered = entered.get(line.pk, {})
    return render(
        request, "purchasing/return_form.html", {"receipt": receipt, "lines": lines, "form": form}, status=status
    )


@merchant_access()
def return_detail(request, pk: int):
    purchase_return = selectors.purchase_return_detail(return_id=pk)
    if purchase_return is None:
        raise Http404
    return render(
        request,
        "purchasing/return_detail.html",
        {
            "purchase_return": purchase_return,
            "can_reverse": purchase_return.standing and request.user.has_perm(CHANGE_RETURN),
        },
    )


@merchant_access()
def return_list(request):
    filters = _supplier_filter(request)
    return _document_list(request, "purchasing/return_list.html", selectors.purchase_return_list(**filters), filters)


# kind in the URL: (model, permission, service, its keyword, the page to go back to)
REVERSALS = {
    "receipts": (PurchaseReceipt, REVERSE_RECEIPT, services.purchase_receipt_reverse, "receipt", None),
    "bills": (PurchaseBill, CHANGE_BILL, services.purchase_bill_reverse, "bill", "purchasing:bill"),
    "payments": (PurchasePayment, CHANGE_PAYMENT, services.purchase_payment_reverse, "payment", "purchasing:payment"),
    "returns": (
        PurchaseReturn,
        CHANGE_RETURN,
        services.purchase_return_reverse,
        "purchase_return",
        "purchasing:return",
    ),
}


@require_POST
@merchant_access()
def document_reverse(request, kind: str, pk: int):
    """Reverse (红冲) a receipt, bill, payment or return; back to its page (a receipt: its order's)."""
    if kind not in REVERSALS:
        raise Http404
    model, permission, run, keyword, page = REVERSALS[kind]
    document = get_object_or_404(model, pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    try:
        reversal = run(**{keyword: document, "tz_name": request.tenant.timezone, "created_by": request.user})
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.number})
    if page is None:
        return redirect("purchasing:detail", pk=document.order_id)
    return redirect(page, pk=document.pk)


RETURN_ROWS = 6
RETURN_ROW_FIELDS = ("code", "quantity", "unit_price", "lot_code")


@merchant_access(ADD_RETURN)
def return_free_new(request):
    """A free-standing return (采购退货 without a receipt): rows of item code (scan or type), quantity, price
    and lot; an unknown code or a refused row is named on its row."""
    status = 200
    rows = [{"index": i, "values": dict.fromkeys(RETURN_ROW_FIELDS, ""), "error": ""} for i in range(RETURN_ROWS)]
    if request.method == "POST":
        form = FreeReturnForm(request.POST)
        for row in rows:
            row["values"] = {
                name: request.POST.get(f"row-{row['index']}-{name}", "").strip() for name in RETURN_ROW_FIELDS
            }
        filled = [row for row in rows if row["values"]["code"] or row["values"]["quantity"]]
        # Filled rows first, so that the row numbers shown are the line numbers the service's messages name.
        rows = filled + [row for row in rows if row not in filled]
        for index, row in enumerate(rows):
            row["index"] = index
        entries = []
        for row in filled:
            code = row["values"]["code"]
            item = (item_by_barcode(code=code) or Item.objects.filter(code=code).first()) if code else None
            if item is None:
                row["error"] = _("No item has the code or barcode %(code)s.") % {"code": code or "—"}
            values = row["values"]
            entries.append(
                ReturnLineInput(item, None, values["quantity"], values["unit_price"], None, values["lot_code"])
            )
        if not any(row["error"] for row in rows) and form.is_valid():
            try:
                head = form.cleaned_data
                purchase_return = services.purchase_return_create(
                    supplier=head["supplier"],
                    warehouse=head["warehouse"],
                    location=head["location"],
                    on=head["date"],
                    note=head["note"],
                    lines=entries,
                    tz_name=request.tenant.timezone,
                    created_by=request.user,
                )
            except AppError as error:
                parts = (error.field or "").split(".")
                if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(filled):
                    filled[int(parts[1])]["error"] = error.message
                elif parts[0] in form.fields:
                    form.add_error(parts[0], error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": purchase_return.number})
                return redirect("purchasing:return", pk=purchase_return.pk)
        status = 400
    else:
        form = FreeReturnForm(
            initial={"date": services.today_in(request.tenant.timezone), "warehouse": warehouse_default_ensure()}
        )
    return render(request, "purchasing/return_free_form.html", {"form": form, "rows": rows}, status=status)
