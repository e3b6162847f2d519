"""Retail counter pages: the day's sales, the counter (scan, pay) and the receipt. Thin over the services.

The counter's cart lives in the page: every scan or quantity edit posts the cart's lines with it and
gets the recomputed cart back (htmx), so nothing is kept on the server until the sale is paid.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import barcode_scan
from modules.identity.access import merchant_access
from modules.inventory.models import Warehouse
from modules.inventory.selectors import warehouse_list
from modules.inventory.services import warehouse_default_ensure
from modules.partners.models import Partner
from modules.sales import selectors, services
from modules.sales.enums import PaymentMethod
from modules.sales.models import RetailSale

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


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _cart_line(item: Item, unit: Unit, quantity: str) -> CartLine:
    try:
        price = services.unit_price_default(item, unit)
    except AppError:
        price = item.sale_price
    number = _decimal(quantity)
    amount = services.line_amount(quantity=number, unit_price=price) if number and number > 0 else None
    return CartLine(item, unit, quantity, price, amount)


def _cart(post) -> list[CartLine]:
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
        lines.append(_cart_line(item, unit, quantity.strip()))
    return lines


def _scan(lines: list[CartLine], code: str) -> tuple[int | None, str]:
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
            lines[index] = _cart_line(item, unit, f"{(number + 1).normalize():f}")
            return index, ""
    lines.append(_cart_line(item, unit, "1"))
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


@merchant_access(VIEW)
def index(request):
    return redirect("sales:retail_list")


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
    lines = _cart(request.POST)
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
    lines = _cart(request.POST)
    code = request.POST.get("barcode", "").strip()
    current, error = _scan(lines, code) if code else (None, "")
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
