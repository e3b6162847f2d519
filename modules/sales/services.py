"""Retail sale writes: `retail_sale_post` checks a sale, saves it with its number and posts its stock
moves, all in one transaction — refused as a whole (nothing written) on bad input or short stock;
`retail_sale_reverse` refunds a whole sale (红冲)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import CENTS, PLACES, QUANTITY_LIMIT, cents, decimal_parse, today_in
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import quantity_to_base
from modules.inventory.models import Location, StockBalance, Warehouse
from modules.inventory.services import (
    MoveLine,
    posting_time,
    stock_moves_post,
    stock_moves_reverse,
    warehouse_default_ensure,
)
from modules.numbering.services import document_number_next
from modules.partners.models import Partner
from modules.sales.enums import RETAIL_SALE, RETAIL_SALE_PREFIX, ErrorCode, PaymentMethod
from modules.sales.models import RetailSale, RetailSaleLine

# Amounts are numeric(14, 2): fewer than 12 digits before the point.
MONEY_LIMIT = Decimal("1e12")


@dataclass(frozen=True)
class SaleLineInput:
    """A line as rung up: `quantity` of any of the item's units; `unit_price` per that unit (None: the
    item's sale price), `discount` an amount off the line."""

    item: Item
    unit: Unit
    quantity: Decimal | str
    unit_price: Decimal | str | None = None
    discount: Decimal | str | None = None


def unit_price_default(item: Item, unit: Unit) -> Decimal:
    """The item's sale price (per base unit) for one `unit`: a 箱 of 24 costs 24 bottles."""
    return (item.sale_price * quantity_to_base(item, unit, Decimal(1))).quantize(PLACES)


def line_amount(*, quantity: Decimal, unit_price: Decimal, discount: Decimal = Decimal(0)) -> Decimal:
    return cents(quantity * unit_price - discount)


def _clean_line(index: int, line: SaleLineInput) -> RetailSaleLine:
    prefix, n = f"lines.{index}", index + 1
    if line.item is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose an item.") % {"n": n}, field=f"{prefix}.item")
    if line.unit is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose a unit.") % {"n": n}, field=f"{prefix}.unit")
    quantity = decimal_parse(line.quantity, field=f"{prefix}.quantity", places=PLACES, limit=QUANTITY_LIMIT)
    if quantity <= 0:
        raise AppError(
            ErrorCode.NON_POSITIVE_QUANTITY,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    try:
        base = quantity_to_base(line.item, line.unit, quantity)
    except AppError as error:
        message = _("Line %(n)s: %(message)s") % {"n": n, "message": error.message}
        raise AppError(error.code, message, field=f"{prefix}.{error.field}") from None
    if line.unit_price in (None, ""):
        unit_price = unit_price_default(line.item, line.unit)
    else:
        unit_price = decimal_parse(line.unit_price, field=f"{prefix}.unit_price", places=PLACES, limit=QUANTITY_LIMIT)
        if unit_price < 0:
            raise AppError(
                ErrorCode.INVALID_PRICE,
                _("Line %(n)s: the price cannot be negative.") % {"n": n},
                field=f"{prefix}.unit_price",
            )
    discount = Decimal(0)
    if line.discount not in (None, ""):
        discount = decimal_parse(line.discount, field=f"{prefix}.discount", places=CENTS, limit=MONEY_LIMIT)
        if discount < 0 or discount > cents(quantity * unit_price):
            raise AppError(
                ErrorCode.INVALID_DISCOUNT,
                _("Line %(n)s: the discount must be between zero and the line's amount.") % {"n": n},
                field=f"{prefix}.discount",
            )
    amount = line_amount(quantity=quantity, unit_price=unit_price, discount=discount)
    if amount >= MONEY_LIMIT:
        raise AppError(ErrorCode.INVALID_NUMBER, _("Enter a number."), field=f"{prefix}.quantity")
    return RetailSaleLine(
        position=index, item=line.item, unit=line.unit, quantity=quantity, base_quantity=base,
        unit_price=unit_price, discount=discount, amount=amount,
    )  # fmt: skip


def _clean_place(warehouse: Warehouse | None, location: Location | None) -> Warehouse:
    warehouse = warehouse or warehouse_default_ensure()
    if not warehouse.is_active:
        raise AppError(ErrorCode.INACTIVE, _("The warehouse is inactive."), field="warehouse")
    if location is not None and location.warehouse_id != warehouse.pk:
        raise AppError(
            ErrorCode.WRONG_WAREHOUSE,
            _("Location %(location)s is not in warehouse %(warehouse)s.")
            % {"location": location.code, "warehouse": warehouse.code},
            field="location",
        )
    return warehouse


def _clean_customer(customer: Partner | None) -> None:
    if customer is not None and not (customer.is_customer and customer.is_active):
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose an active customer."), field="customer")


def _clean_payment(method: str, tendered, total: Decimal) -> tuple[Decimal | None, Decimal]:
    """(tendered, change): cash only; a cash sale without a tendered amount was paid exactly."""
    if method not in PaymentMethod.values:
        raise AppError(ErrorCode.INVALID_PAYMENT_METHOD, _("Choose a payment method."), field="payment_method")
    if method != PaymentMethod.CASH:
        if tendered not in (None, ""):
            raise AppError(ErrorCode.NOT_ALLOWED, _("Only a cash payment has an amount tendered."), field="tendered")
        return None, Decimal(0)
    if tendered in (None, ""):
        return total, Decimal(0)
    amount = decimal_parse(tendered, field="tendered", places=CENTS, limit=MONEY_LIMIT)
    if amount < total:
        raise AppError(
            ErrorCode.TENDERED_SHORT,
            _("The amount tendered is less than the total (%(total)s).") % {"total": total},
            field="tendered",
        )
    return amount, amount - total


def _fefo_split(
    line: RetailSaleLine, warehouse: Warehouse, location: Location | None, taken: dict
) -> list[tuple[object, Decimal]]:
    """A lot-tracked line as (lot, base quantity) parts: the soonest-expiring lots with stock at the place
    first (FEFO). `taken` carries what earlier lines of this sale already took from each lot."""
    balances = (
        StockBalance.objects.filter(
            item=line.item, warehouse=warehouse, location=location, lot__isnull=False, on_hand__gt=0
        )
        .select_related("lot")
        .order_by(F("lot__expiry_date").asc(nulls_last=True), "lot__code", "lot_id")
    )
    parts, needed = [], line.base_quantity
    for balance in balances:
        available = balance.on_hand - taken[balance.lot_id]
        if available <= 0:
            continue
        part = min(available, needed)
        parts.append((balance.lot, part))
        taken[balance.lot_id] += part
        needed -= part
        if needed == 0:
            return parts
    raise AppError(
        ErrorCode.INSUFFICIENT_STOCK,
        _short(line, warehouse, location),
        field=f"lines.{line.position}.quantity",
        status=409,
    )


def _post(sale: RetailSale, lines: list[RetailSaleLine]) -> None:
    moves, legs, taken = [], [], defaultdict(Decimal)
    for line in lines:
        parts = (
            _fefo_split(line, sale.warehouse, sale.location, taken)
            if line.item.lot_tracked
            else [(None, line.base_quantity)]
        )
        for lot, quantity in parts:
            moves.append(MoveLine(line.item, sale.warehouse, -quantity, None, sale.location, lot))
            legs.append(line)
    try:
        stock_moves_post(
            lines=moves, posted_at=sale.posted_at, source_type=RETAIL_SALE, source_id=sale.pk, reference=sale.number
        )
    except AppError as error:
        raise _named_by_line(error, legs, sale) from None


def _named_by_line(error: AppError, legs: list[RetailSaleLine], sale: RetailSale) -> AppError:
    """The ledger counts its own lines (a line split over lots is several): name the sale's line."""
    parts = (error.field or "").split(".")
    if len(parts) != 3 or parts[0] != "lines" or not parts[1].isdigit() or int(parts[1]) >= len(legs):
        return error
    line = legs[int(parts[1])]
    message = error.message
    if error.code == ErrorCode.INSUFFICIENT_STOCK:
        message = _short(line, sale.warehouse, sale.location)
    return AppError(error.code, message, field=f"lines.{line.position}.{parts[2]}", status=error.status_code)


def _short(line: RetailSaleLine, warehouse: Warehouse, location: Location | None) -> str:
    place = f"{warehouse.code} {location.code}" if location else warehouse.code
    return _("Line %(n)s: not enough %(item)s in stock at %(place)s.") % {
        "n": line.position + 1,
        "item": line.item,
        "place": place,
    }


def retail_sale_post(
    *,
    lines: list[SaleLineInput],
    payment_method: str,
    tz_name: str,
    warehouse: Warehouse | None = None,
    location: Location | None = None,
    customer: Partner | None = None,
    tendered: Decimal | str | None = None,
    created_by=None,
) -> RetailSale:
    """Ring up and post a retail sale today: its number (LS…), its lines and its stock moves out of
    `warehouse` (the default one unless given), lot-tracked items from the soonest-expiring lots."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Add at least one line."), field="lines")
    clean = [_clean_line(index, line) for index, line in enumerate(lines)]
    total = sum((line.amount for line in clean), Decimal(0))
    tendered_amount, change = _clean_payment(payment_method, tendered, total)
    _clean_customer(customer)
    on = today_in(tz_name)
    with transaction.atomic():
        warehouse = _clean_place(warehouse, location)
        sale = RetailSale.objects.create(
            number=document_number_next(doc_type=RETAIL_SALE, prefix=RETAIL_SALE_PREFIX, on=on),
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            warehouse=warehouse,
            location=location,
            customer=customer,
            payment_method=payment_method,
            total=total,
            tendered=tendered_amount,
            change=change,
            created_by=created_by,
        )
        for line in clean:
            line.sale = sale
        RetailSaleLine.objects.bulk_create(clean)
        _post(sale, clean)
    return sale


def retail_sale_reverse(*, sale: RetailSale, tz_name: str, created_by=None) -> RetailSale:
    """Refund a whole sale (红冲) today: a further sale with its own number whose lines and total are the
    original's negated, and whose stock moves mirror the original's (back to the same place and lots).
    The money goes back the way it came; a sale is refunded once, and a refund is not refunded."""
    with transaction.atomic():
        original = RetailSale.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=sale.pk)
        if original.reverses_id is not None:
            raise AppError(
                ErrorCode.REVERSAL_OF_REVERSAL, _("A refund cannot itself be refunded."), field="sale", status=409
            )
        if RetailSale.objects.filter(reverses=original).exists():
            raise AppError(
                ErrorCode.ALREADY_REVERSED, _("This sale has been refunded already."), field="sale", status=409
            )
        on = today_in(tz_name)
        reversal = RetailSale.objects.create(
            number=document_number_next(doc_type=RETAIL_SALE, prefix=RETAIL_SALE_PREFIX, on=on),
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            warehouse=original.warehouse,
            location_id=original.location_id,
            customer_id=original.customer_id,
            payment_method=original.payment_method,
            total=-original.total,
            reverses=original,
            created_by=created_by,
        )
        copies = list(original.lines.all())
        for line in copies:
            line.pk, line.sale = None, reversal
            line.quantity, line.base_quantity = -line.quantity, -line.base_quantity
            line.discount, line.amount = -line.discount, -line.amount
        RetailSaleLine.objects.bulk_create(copies)
        stock_moves_reverse(
            source_type=RETAIL_SALE,
            source_id=original.pk,
            posted_at=reversal.posted_at,
            reversal_source_type=RETAIL_SALE,
            reversal_source_id=reversal.pk,
            reference=reversal.number,
        )
    return reversal
