"""Retail counter pages: the day's sales, the counter (scan, pay) and the receipt; and the sales document
pages: orders (with the scanner line picker, deliver and invoice forms), deliveries (with the return form),
invoices, receipts of payment and returns, each with its reversal. Thin over the services.

The counter's cart lives in the page: every scan or quantity edit posts the cart's lines with it and
gets the recomputed cart back (htmx), so nothing is kept on the server until the sale is paid.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import barcode_scan, item_by_barcode, item_list, quantity_to_base
from modules.identity.access import merchant_access
from modules.inventory.models import Lot, Warehouse
from modules.inventory.selectors import warehouse_list
from modules.inventory.services import warehouse_default_ensure
from modules.partners.models import Partner
from modules.pricing.selectors import sale_line_review
from modules.sales import selectors, services
from modules.sales.enums import OrderStatus, PaymentMethod
from modules.sales.forms import (
    LINES_PREFIX,
    DeliverForm,
    InvoiceForm,
    LineForm,
    LineFormSet,
    OrderForm,
    ReceiptForm,
    ReturnForm,
    error_apply,
)
from modules.sales.models import (
    RetailSale,
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesOrder,
    SalesReceipt,
    SalesReturn,
)

SELL = "sales.add_retailsale"
VIEW = "sales.view_retailsale"
REVERSE = "sales.reverse_retailsale"


@dataclass
class CartLine:
    item: Item
    unit: Unit
    quantity: str  # as typed, so a half-typed number is not lost
    unit_price: Decimal
    amount: Decimal | None  # None while the quantity is not a positive number
    reason: str = ""  # why this price (the pricing engine's words)
    warnings: list = field(default_factory=list)  # below cost, beyond stock (modules.pricing LineWarning)


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _cart_line(
    item: Item, unit: Unit, quantity: str, *, customer: Partner | None, warehouse: Warehouse, on: date
) -> CartLine:
    """A cart line priced as paying will price it (the customer's price, a walk-in the retail list's), with
    the selling checks' warnings."""
    number = _decimal(quantity)
    positive = number is not None and number > 0
    try:
        price, _source, reason = services.retail_price(
            item=item, unit=unit, customer=customer, quantity=number if positive else Decimal(1), on=on
        )
    except AppError:
        price, reason = item.sale_price, ""
    amount = services.line_amount(quantity=number, unit_price=price) if positive else None
    warnings = []
    if positive:
        try:
            base = quantity_to_base(item, unit, number)
            warnings = sale_line_review(
                item=item, warehouse=warehouse, unit_price=price, base_quantity=base, unit=unit
            ).warnings
        except AppError:
            pass
    return CartLine(item, unit, quantity, price, amount, reason, warnings)


def _cart_pricer(request):
    """What a cart line's price depends on: the sale's customer (a member; else a walk-in), its warehouse
    and today."""
    post = request.POST
    customer_id, warehouse_id = _int(post.get("customer")), _int(post.get("warehouse"))
    customer = Partner.objects.filter(pk=customer_id, is_customer=True).first() if customer_id else None
    warehouse = (Warehouse.objects.filter(pk=warehouse_id).first() if warehouse_id else None) or (
        warehouse_default_ensure()
    )
    return partial(_cart_line, customer=customer, warehouse=warehouse, on=services.today_in(request.tenant.timezone))


def _cart(post, make) -> list[CartLine]:
    """The cart's lines as posted (item, unit and quantity lists); a line edited to 0 is dropped."""
    rows = list(zip(post.getlist("item"), post.getlist("unit"), post.getlist("quantity"), strict=False))
    items = Item.objects.in_bulk([int(i) for i, _u, _q in rows if i.isdigit()])
    units = Unit.objects.in_bulk([int(u) for _i, u, _q in rows if u.isdigit()])
    lines = []
    for item_id, unit_id, quantity in rows:
        item = items.get(int(item_id)) if item_id.isdigit() else None
        unit = units.get(int(unit_id)) if unit_id.isdigit() else None
        if item is None or unit is None or _decimal(quantity.strip()) == 0:
            continue
        lines.append(make(item, unit, quantity.strip()))
    return lines


def _scan(lines: list[CartLine], code: str, make) -> tuple[int | None, str]:
    """Add one of what `code` (a barcode or an item code) names, or one more of its line: (line index, error)."""
    scanned = barcode_scan(code=code)
    if scanned is not None:
        item, unit = scanned.item, scanned.unit  # one scan of a case's barcode sells one case
    else:
        item = Item.objects.select_related("base_unit").filter(code=code).first()
        unit = item.base_unit if item else None
    if item is None:
        return None, _("Nothing has the code %(code)s.") % {"code": code}
    if not item.is_active:
        return None, _("%(item)s is inactive.") % {"item": item}
    for index, line in enumerate(lines):
        if line.item.pk == item.pk and line.unit.pk == unit.pk:
            number = _decimal(line.quantity)
            if number is None or number < 0:
                return index, _("Line %(n)s: enter a quantity first.") % {"n": index + 1}
            lines[index] = make(item, unit, f"{(number + 1).normalize():f}")
            return index, ""
    lines.append(make(item, unit, "1"))
    return len(lines) - 1, ""


def _int(value) -> int | None:
    return int(value) if (value or "").isdigit() else None


def _total(lines: list[CartLine]) -> Decimal:
    return sum((line.amount or Decimal(0) for line in lines), Decimal(0))


def _counter(request, *, lines: list[CartLine], error: AppError | None = None, status: int = 200):
    post = request.POST
    context = {
        "lines": lines,
        "total": _total(lines),
        "methods": PaymentMethod.choices,
        "method": post.get("payment_method") or PaymentMethod.CASH,
        "tendered": post.get("tendered", ""),
        "warehouses": warehouse_list(),
        "warehouse_id": _int(post.get("warehouse")) or warehouse_default_ensure().pk,
        "customers": Partner.objects.filter(is_customer=True, is_active=True).order_by("code"),
        "customer_id": _int(post.get("customer")),
        "error": error,
    }
    return render(request, "sales/counter.html", context, status=status)


@merchant_access()
def index(request):
    """Sales orders for whoever may see them, else the retail counter's day."""
    return redirect("sales:order_list" if request.user.has_perm("sales.view_salesorder") else "sales:retail_list")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@merchant_access(VIEW)
def retail_list(request):
    """One day's retail sales (default today) and the takings by payment method."""
    on = _date(request.GET.get("date")) or services.today_in(request.tenant.timezone)
    sales = selectors.retail_sale_list(date_from=on, date_to=on)
    context = {
        "on": on,
        "sales": sales,
        "takings": selectors.retail_takings(on=on),
        "total": sum((sale.total for sale in sales), Decimal(0)),
        "can_sell": request.user.has_perm(SELL),
    }
    return render(request, "sales/retail_list.html", context)


@merchant_access(SELL)
def retail_new(request):
    """The counter. POST pays: the sale is posted and the receipt shown, or the cart comes back with the error."""
    if request.method != "POST":
        return _counter(request, lines=[])
    lines = _cart(request.POST, _cart_pricer(request))
    method = request.POST.get("payment_method", "")
    warehouse_id, customer_id = _int(request.POST.get("warehouse")), _int(request.POST.get("customer"))
    try:
        sale = services.retail_sale_post(
            lines=[services.SaleLineInput(line.item, line.unit, line.quantity) for line in lines],
            payment_method=method,
            # The tendered box stays filled when the cashier switches from cash: only cash has one.
            tendered=request.POST.get("tendered", "").strip() if method == PaymentMethod.CASH else None,
            warehouse=get_object_or_404(Warehouse, pk=warehouse_id) if warehouse_id else None,
            customer=get_object_or_404(Partner, pk=customer_id) if customer_id else None,
            tz_name=request.tenant.timezone,
            created_by=request.user,
        )
    except AppError as error:
        return _counter(request, lines=lines, error=error, status=400)
    return redirect("sales:receipt", pk=sale.pk)


@require_POST
@merchant_access(SELL)
def retail_cart(request):
    """The recomputed cart (htmx): after a scan (`barcode`) or a quantity edit."""
    make = _cart_pricer(request)
    lines = _cart(request.POST, make)
    code = request.POST.get("barcode", "").strip()
    current, error = _scan(lines, code, make) if code else (None, "")
    context = {"lines": lines, "total": _total(lines), "current": current, "scan_error": error}
    return render(request, "sales/_cart.html", context)


@merchant_access(VIEW)
def retail_receipt(request, pk: int):
    sale = selectors.retail_sale_detail(sale_id=pk)
    if sale is None:
        raise Http404
    refundable = not sale.reverses_id and not hasattr(sale, "reversal") and request.user.has_perm(REVERSE)
    return render(request, "sales/receipt.html", {"sale": sale, "refundable": refundable})


@require_POST
@merchant_access(REVERSE)
def retail_reverse(request, pk: int):
    """Refund the whole sale (红冲) and show the refund's receipt."""
    sale = get_object_or_404(RetailSale, pk=pk)
    try:
        refund = services.retail_sale_reverse(sale=sale, tz_name=request.tenant.timezone, created_by=request.user)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("sales:receipt", pk=sale.pk)
    messages.success(
        request, _("%(number)s refunded as %(refund)s.") % {"number": sale.number, "refund": refund.number}
    )
    return redirect("sales:receipt", pk=refund.pk)


# --- Sales documents ----------------------------------------------------------------------------------

ORDER_ADD = "sales.add_salesorder"
ORDER_CHANGE = "sales.change_salesorder"
ORDER_VIEW = "sales.view_salesorder"
DELIVER = "sales.deliver_salesorder"
OVERRIDE = "sales.override_credit_limit"
INVOICE_ADD = "sales.add_salesinvoice"
RECEIPT_ADD = "sales.add_salesreceipt"
RETURN_ADD = "sales.add_salesreturn"
REVERSE_PERMISSIONS = {
    "delivery": "sales.reverse_salesdelivery",
    "invoice": "sales.reverse_salesinvoice",
    "receipt": "sales.reverse_salesreceipt",
    "return": "sales.reverse_salesreturn",
}
PAGE_SIZE = 50
LINE_FIELDS = ("unit", "quantity", "unit_price", "price_source", "discount_percent", "vat_rate")
MAX_CANDIDATES = 10


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@merchant_access(ORDER_VIEW)
def order_list(request):
    """Orders and quotations with their status at a glance: delivered, invoiced, received."""
    params = request.GET
    customer, state = params.get("customer", ""), params.get("status", "")
    filters = {
        "customer_id": int(customer) if customer.isdigit() else None,
        "status": state if state in OrderStatus.values else None,
        "date_from": _date(params.get("date_from")),
        "date_to": _date(params.get("date_to")),
        "search": params.get("q", "").strip()[:64],
    }
    page = _page(request, selectors.sales_order_list(**filters))
    for order in page:
        order.glance = selectors.order_glance(order)
    return render(
        request,
        "sales/order_list.html",
        {
            "page": page, "filters": filters, "statuses": OrderStatus.choices,
            "customers": Partner.objects.filter(is_customer=True).order_by("code"),
            "can_add": request.user.has_perm(ORDER_ADD),
        },
    )  # fmt: skip


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
    return [
        _row(form, index, items.get(int(form["item"].value())) if str(form["item"].value() or "").isdigit() else None)
        for index, form in enumerate(lines.forms)
    ]


@merchant_access(ORDER_ADD)
def order_new(request):
    """The order (or quotation) form: lines picked by scanning a barcode or typing a code, name or initials."""
    if request.method == "POST":
        head = OrderForm(request.POST)
        lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
        if head.is_valid() and lines.is_valid():
            indexes = [i for i, form in enumerate(lines.forms) if not form.is_blank()]
            data = head.cleaned_data
            try:
                priced = services.order_lines_priced(
                    [lines.forms[i].line_input() for i in indexes], customer=data["customer"], on=data["date"],
                    prices_include_vat=data["prices_include_vat"],
                )  # fmt: skip
                order = services.sales_order_create(created_by=request.user, lines=priced, **data)
            except AppError as error:
                error_apply(error, head=head, lines=lines, indexes=indexes)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": order.number})
                return redirect("sales:order_detail", pk=order.pk)
        status = 400
    else:
        head = OrderForm(
            initial={
                "date": services.today_in(request.tenant.timezone), "warehouse": warehouse_default_ensure(),
                "salesperson": request.user, "prices_include_vat": True,
                "customer": _int(request.GET.get("customer")),
            }
        )  # fmt: skip
        lines = LineFormSet(prefix=LINES_PREFIX, initial=[{}])
        status = 200
    context = {"form": head, "lines": lines, "rows": _rows(lines)}
    return render(request, "sales/order_form.html", context, status=status)


@merchant_access(ORDER_CHANGE)
def order_edit(request, pk: int):
    """Change a quotation or a draft: the same form, its lines replaced as a whole."""
    order = get_object_or_404(SalesOrder, pk=pk)
    if order.status not in (OrderStatus.QUOTATION, OrderStatus.DRAFT):
        messages.error(request, _("Only a quotation or a draft can be changed."))
        return redirect("sales:order_detail", pk=order.pk)
    if request.method == "POST":
        head = OrderForm(request.POST)
        head.fields.pop("quotation")
        lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
        if head.is_valid() and lines.is_valid():
            indexes = [i for i, form in enumerate(lines.forms) if not form.is_blank()]
            try:
                services.sales_order_update(
                    order=order, lines=[lines.forms[i].line_input() for i in indexes], **head.cleaned_data
                )
            except AppError as error:
                error_apply(error, head=head, lines=lines, indexes=indexes)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": order.number})
                return redirect("sales:order_detail", pk=order.pk)
        status = 400
    else:
        head = OrderForm(
            initial={
                name: getattr(order, name)
                for name in ("customer", "warehouse", "salesperson", "date", "delivery_date", "valid_until",
                             "prices_include_vat", "note")
            }
        )  # fmt: skip
        head.fields.pop("quotation")
        initial = [
            {
                "item": line.item_id, "unit": line.unit_id, "quantity": f"{line.quantity.normalize():f}",
                "unit_price": f"{line.unit_price.normalize():f}", "price_source": line.price_source,
                "discount_percent": f"{line.discount_percent.normalize():f}" if line.discount_percent else "",
                "vat_rate": str(line.vat_rate),
            }
            for line in order.lines.order_by("position")
        ]  # fmt: skip
        lines = LineFormSet(prefix=LINES_PREFIX, initial=initial)
        status = 200
    context = {"form": head, "lines": lines, "rows": _rows(lines), "order": order}
    return render(request, "sales/order_form.html", context, status=status)


def _row_response(request, *, index: int, item: Item | None):
    initial = {"item": item.pk if item else None, "unit": item.base_unit_id if item else None}
    for name in LINE_FIELDS[1:]:
        initial[name] = request.GET.get(f"{LINES_PREFIX}-{index}-{name}") or None
    if item is not None:
        item = _items([item.pk])[item.pk]
    form = LineForm(prefix=f"{LINES_PREFIX}-{index}", initial=initial)
    return render(request, "sales/_order_line.html", {"row": _row(form, index, item), "focus": item is not None})


@merchant_access(ORDER_ADD)
def order_line_row(request):
    """A blank row (`new`), the row with a picked item (`pick`), or a search of the row's text: an exact
    barcode or code fills the row at once (a scan), else candidates to pick."""
    index = request.GET.get("index") or request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS") or "0"
    if not index.isdigit() or int(index) >= 1000:
        raise Http404
    index = int(index)
    if "new" in request.GET:
        response = _row_response(request, index=index, item=None)
        response.content += render(request, "sales/_line_count.html", {"total": index + 1}).content
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
    return render(request, "sales/_picks.html", {"candidates": candidates, "index": index, "q": q})


def _order_page(request, order: SalesOrder, *, forms: dict | None = None, entered: dict | None = None, status=200):
    order = selectors.sales_order_detail(order_id=order.pk)
    forms, entered = forms or {}, entered or {}
    today = services.today_in(request.tenant.timezone)
    user = request.user
    open_for_delivery = order.status in services.OPEN_FOR_DELIVERY
    lines = list(order.lines.all())
    lots = {}
    if open_for_delivery:
        for line in lines:
            line.entered = entered.get(f"deliver-{line.pk}", "")
            line.entered_lot = entered.get(f"deliver-{line.pk}-lot", "")
            if line.item.lot_tracked and line.item_id not in lots:
                lots[line.item_id] = list(
                    Lot.objects.filter(item=line.item).order_by(F("expiry_date").asc(nulls_last=True), "code")
                )
            line.lots = lots.get(line.item_id, [])
    delivery_lines = [
        line
        for delivery in order.deliveries.all()
        if delivery.reverses_id is None
        for line in delivery.lines.select_related("order_line__item", "order_line__unit", "lot")
    ]
    for line in delivery_lines:
        line.entered = entered.get(f"invoice-{line.pk}", "")
    invoiceable = [line for line in delivery_lines if line.invoiceable > 0]
    can_change = user.has_perm(ORDER_CHANGE)
    can_deliver = open_for_delivery and user.has_perm(DELIVER)
    can_invoice = bool(invoiceable) and user.has_perm(INVOICE_ADD)
    return render(
        request,
        "sales/order_detail.html",
        {
            "order": order, "lines": lines, "glance": selectors.order_glance(order),
            "deliver_form": forms.get("deliver") or (DeliverForm(warehouse=order.warehouse, initial={"date": today})
                                                     if can_deliver else None),
            "invoice_form": forms.get("invoice") or (InvoiceForm(initial={"date": today}) if can_invoice else None),
            "invoiceable": invoiceable,
            "can": {
                "edit": can_change and order.status in (OrderStatus.QUOTATION, OrderStatus.DRAFT),
                "convert": can_change and order.status == OrderStatus.QUOTATION,
                "confirm": can_change and order.status == OrderStatus.DRAFT,
                "override": user.has_perm(OVERRIDE),
                "cancel": can_change and order.status in (OrderStatus.QUOTATION, OrderStatus.DRAFT,
                                                          OrderStatus.CONFIRMED),
                "close": can_change and order.status in (*services.OPEN_FOR_DELIVERY, OrderStatus.DELIVERED),
                "deliver": can_deliver,
                "invoice": can_invoice,
            },
        },
        status=status,
    )  # fmt: skip


@merchant_access(ORDER_VIEW)
def order_detail(request, pk: int):
    return _order_page(request, get_object_or_404(SalesOrder, pk=pk))


def _deliver(request, order: SalesOrder):
    form = DeliverForm(request.POST, warehouse=order.warehouse)
    entered, entries = {}, []
    for line in order.lines.all():
        quantity = request.POST.get(f"deliver-{line.pk}", "").strip()
        lot_id = request.POST.get(f"deliver-{line.pk}-lot", "")
        entered[f"deliver-{line.pk}"], entered[f"deliver-{line.pk}-lot"] = quantity, lot_id
        if quantity:
            lot = Lot.objects.filter(pk=int(lot_id), item_id=line.item_id).first() if lot_id.isdigit() else None
            entries.append(services.DeliverLineInput(line.pk, quantity, lot))
    if form.is_valid():
        try:
            delivery = services.sales_deliver(
                order=order, lines=entries, tz_name=request.tenant.timezone, on=form.cleaned_data["date"],
                location=form.cleaned_data["location"], created_by=request.user,
            )  # fmt: skip
        except AppError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Delivered: %(number)s.") % {"number": delivery.number})
            return redirect("sales:order_detail", pk=order.pk)
    return _order_page(request, order, forms={"deliver": form}, entered=entered, status=400)


def _invoice(request, order: SalesOrder):
    form = InvoiceForm(request.POST)
    entered, entries = {}, []
    for line in SalesDeliveryLine.objects.filter(delivery__order=order, quantity__gt=0):
        quantity = request.POST.get(f"invoice-{line.pk}", "").strip()
        entered[f"invoice-{line.pk}"] = quantity
        if quantity:
            entries.append(services.DocumentLineInput(line.pk, quantity))
    if form.is_valid():
        try:
            invoice = services.sales_invoice_create(
                order=order, lines=entries, tz_name=request.tenant.timezone, on=form.cleaned_data["date"],
                due_date=form.cleaned_data["due_date"], created_by=request.user,
            )  # fmt: skip
        except AppError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Invoiced: %(number)s.") % {"number": invoice.number})
            return redirect("sales:invoice_detail", pk=invoice.pk)
    return _order_page(request, order, forms={"invoice": form}, entered=entered, status=400)


ORDER_ACTIONS = {
    "convert": (ORDER_CHANGE, services.sales_quotation_convert, gettext_lazy("Converted into an order.")),
    "cancel": (ORDER_CHANGE, services.sales_order_cancel, gettext_lazy("Cancelled.")),
    "close": (ORDER_CHANGE, services.sales_order_close, gettext_lazy("Closed.")),
}


@require_POST
@merchant_access(ORDER_VIEW)
def order_action(request, pk: int, action: str):
    order = get_object_or_404(SalesOrder, pk=pk)
    if action == "deliver":
        if not request.user.has_perm(DELIVER):
            raise PermissionDenied
        return _deliver(request, order)
    if action == "invoice":
        if not request.user.has_perm(INVOICE_ADD):
            raise PermissionDenied
        return _invoice(request, order)
    if action == "confirm":
        if not request.user.has_perm(ORDER_CHANGE):
            raise PermissionDenied

        def run(order):
            # The selling checks before confirming (it reserves the stock they compare with): shown if it goes.
            warnings = services.sales_order_checks(order)
            services.sales_order_confirm(
                order=order, user=request.user, override_credit_limit=bool(request.POST.get("override_credit_limit"))
            )
            for warning in warnings:
                messages.warning(request, warning.message)

        permission, done = ORDER_CHANGE, _("Confirmed: the stock is reserved.")
    elif action in ORDER_ACTIONS:
        permission, run, done = ORDER_ACTIONS[action]
    else:
        raise Http404
    if not request.user.has_perm(permission):
        raise PermissionDenied
    try:
        run(order=order)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("sales:order_detail", pk=order.pk)


def _reverse(request, kind: str, document, run, page: str):
    if not request.user.has_perm(REVERSE_PERMISSIONS[kind]):
        raise PermissionDenied
    try:
        reversal = run()
    except AppError as error:
        messages.error(request, error.message)
        return redirect(page, pk=document.pk)
    messages.success(
        request, _("%(number)s reversed by %(reversal)s.") % {"number": document.number, "reversal": reversal.number}
    )
    return redirect(page, pk=reversal.pk)


@merchant_access(ORDER_VIEW)
def delivery_detail(request, pk: int, *, form: ReturnForm | None = None, entered: dict | None = None, status=200):
    delivery = selectors.sales_delivery_detail(delivery_id=pk)
    if delivery is None:
        raise Http404
    standing = delivery.reverses_id is None and not hasattr(delivery, "reversal")
    lines = list(delivery.lines.all())
    for line in lines:
        line.entered = (entered or {}).get(f"return-{line.pk}", "")
    can_return = standing and request.user.has_perm(RETURN_ADD) and any(line.returnable > 0 for line in lines)
    if can_return and form is None:
        form = ReturnForm(initial={"date": services.today_in(request.tenant.timezone)})
    context = {
        "delivery": delivery, "lines": lines, "return_form": form if can_return else None,
        "returns": delivery.returns.select_related("reverses").order_by("date", "id"),
        "can_reverse": standing and request.user.has_perm(REVERSE_PERMISSIONS["delivery"]),
    }  # fmt: skip
    return render(request, "sales/delivery_detail.html", context, status=status)


@require_POST
@merchant_access(ORDER_VIEW)
def delivery_action(request, pk: int, action: str):
    delivery = get_object_or_404(SalesDelivery, pk=pk)
    tz = request.tenant.timezone
    if action == "reverse":
        run = lambda: services.sales_delivery_reverse(delivery=delivery, tz_name=tz, created_by=request.user)  # noqa: E731
        return _reverse(request, "delivery", delivery, run, "sales:delivery_detail")
    if action != "return":
        raise Http404
    if not request.user.has_perm(RETURN_ADD):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    entered, entries = {}, []
    for line in delivery.lines.all():
        quantity = request.POST.get(f"return-{line.pk}", "").strip()
        entered[f"return-{line.pk}"] = quantity
        if quantity:
            entries.append(services.DocumentLineInput(line.pk, quantity))
    if form.is_valid():
        try:
            sales_return = services.sales_return_create(
                delivery=delivery, lines=entries, tz_name=tz, on=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"], created_by=request.user,
            )  # fmt: skip
        except AppError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Returned: %(number)s.") % {"number": sales_return.number})
            return redirect("sales:return_detail", pk=sales_return.pk)
    return delivery_detail(request, pk, form=form, entered=entered, status=400)


@merchant_access(ORDER_VIEW)
def invoice_list(request):
    customer = request.GET.get("customer", "")
    open_only = request.GET.get("open") == "1"
    qs = selectors.sales_invoice_list(customer_id=int(customer) if customer.isdigit() else None, open_only=open_only)
    context = {
        "page": _page(request, qs), "open_only": open_only, "customer_id": _int(customer),
        "customers": Partner.objects.filter(is_customer=True).order_by("code"),
    }  # fmt: skip
    return render(request, "sales/invoice_list.html", context)


@merchant_access(ORDER_VIEW)
def invoice_detail(request, pk: int):
    invoice = selectors.sales_invoice_detail(invoice_id=pk)
    if invoice is None:
        raise Http404
    standing = invoice.reverses_id is None and not hasattr(invoice, "reversal")
    context = {
        "invoice": invoice,
        "can_reverse": standing and request.user.has_perm(REVERSE_PERMISSIONS["invoice"]),
        "can_receive": standing and invoice.open_amount > 0 and request.user.has_perm(RECEIPT_ADD),
    }
    return render(request, "sales/invoice_detail.html", context)


@require_POST
@merchant_access(ORDER_VIEW)
def invoice_reverse(request, pk: int):
    invoice = get_object_or_404(SalesInvoice, pk=pk)
    tz = request.tenant.timezone
    run = lambda: services.sales_invoice_reverse(invoice=invoice, tz_name=tz, created_by=request.user)  # noqa: E731
    return _reverse(request, "invoice", invoice, run, "sales:invoice_detail")


@merchant_access(ORDER_VIEW)
def receipt_list(request):
    customer = request.GET.get("customer", "")
    qs = selectors.sales_receipt_list(customer_id=int(customer) if customer.isdigit() else None)
    context = {
        "page": _page(request, qs), "customer_id": _int(customer),
        "customers": Partner.objects.filter(is_customer=True).order_by("code"),
        "can_add": request.user.has_perm(RECEIPT_ADD),
    }  # fmt: skip
    return render(request, "sales/receipt_list.html", context)


def _receipt_form_page(request, form: ReceiptForm, entered: dict, status=200):
    customer = form["customer"].value()
    invoices = (
        list(selectors.sales_invoice_list(customer_id=int(customer), open_only=True).order_by("date", "id"))
        if str(customer or "").isdigit()
        else []
    )
    for invoice in invoices:
        invoice.entered = entered.get(f"allocate-{invoice.pk}", "")
    template = "sales/_receipt_invoices.html" if request.htmx and status == 200 else "sales/receipt_form.html"
    return render(request, template, {"form": form, "invoices": invoices}, status=status)


@merchant_access(RECEIPT_ADD)
def receipt_new(request):
    """Money received: the customer's open invoices are listed to settle (an amount per invoice)."""
    if request.method != "POST":
        initial = {
            "date": services.today_in(request.tenant.timezone), "customer": _int(request.GET.get("customer")),
            "amount": request.GET.get("allocate", "")[:20],
        }  # fmt: skip
        form = ReceiptForm(initial=initial)
        entered = {f"allocate-{pk}": request.GET.get("allocate", "") for pk in [_int(request.GET.get("invoice"))] if pk}
        return _receipt_form_page(request, form, entered)
    form = ReceiptForm(request.POST)
    entered = {key: value.strip() for key, value in request.POST.items() if key.startswith("allocate-")}
    if form.is_valid():
        allocations = []
        invoices = SalesInvoice.objects.in_bulk([int(key[9:]) for key, value in entered.items() if value and
                                                 key[9:].isdigit()])  # fmt: skip
        for key, value in entered.items():
            if value and key[9:].isdigit() and int(key[9:]) in invoices:
                allocations.append(services.AllocationInput(invoices[int(key[9:])], value))
        data = form.cleaned_data
        try:
            receipt = services.sales_receipt_create(
                customer=data["customer"], amount=data["amount"], method=data["method"], on=data["date"],
                reference=data["reference"], note=data["note"], allocations=allocations,
                tz_name=request.tenant.timezone, created_by=request.user,
            )  # fmt: skip
        except AppError as error:
            field = (error.field or "").split(".")[0]
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("Received: %(number)s.") % {"number": receipt.number})
            return redirect("sales:receipt_detail", pk=receipt.pk)
    return _receipt_form_page(request, form, entered, status=400)


@merchant_access(RECEIPT_ADD)
def receipt_invoices(request):
    """The open invoices of the chosen customer (htmx, when the customer changes)."""
    return _receipt_form_page(request, ReceiptForm(request.GET), {})


@merchant_access(ORDER_VIEW)
def receipt_detail(request, pk: int):
    receipt = selectors.sales_receipt_detail(receipt_id=pk)
    if receipt is None:
        raise Http404
    standing = receipt.reverses_id is None and not hasattr(receipt, "reversal")
    context = {"receipt": receipt, "can_reverse": standing and request.user.has_perm(REVERSE_PERMISSIONS["receipt"])}
    return render(request, "sales/receipt_detail.html", context)


@require_POST
@merchant_access(ORDER_VIEW)
def receipt_reverse(request, pk: int):
    receipt = get_object_or_404(SalesReceipt, pk=pk)
    tz = request.tenant.timezone
    run = lambda: services.sales_receipt_reverse(receipt=receipt, tz_name=tz, created_by=request.user)  # noqa: E731
    return _reverse(request, "receipt", receipt, run, "sales:receipt_detail")


@merchant_access(ORDER_VIEW)
def return_list(request):
    customer = request.GET.get("customer", "")
    qs = selectors.sales_return_list(customer_id=int(customer) if customer.isdigit() else None)
    context = {
        "page": _page(request, qs), "customer_id": _int(customer),
        "customers": Partner.objects.filter(is_customer=True).order_by("code"),
    }  # fmt: skip
    return render(request, "sales/return_list.html", context)


@merchant_access(ORDER_VIEW)
def return_detail(request, pk: int):
    sales_return = selectors.sales_return_detail(return_id=pk)
    if sales_return is None:
        raise Http404
    standing = sales_return.reverses_id is None and not hasattr(sales_return, "reversal")
    context = {
        "sales_return": sales_return,
        "can_reverse": standing and request.user.has_perm(REVERSE_PERMISSIONS["return"]),
    }
    return render(request, "sales/return_detail.html", context)


@require_POST
@merchant_access(ORDER_VIEW)
def return_reverse(request, pk: int):
    sales_return = get_object_or_404(SalesReturn, pk=pk)
    tz = request.tenant.timezone
    run = lambda: services.sales_return_reverse(sales_return=sales_return, tz_name=tz, created_by=request.user)  # noqa: E731
    return _reverse(request, "return", sales_return, run, "sales:return_detail")
