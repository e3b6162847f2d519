"""Retail sale writes: `retail_sale_post` checks a sale, saves it with its number and posts its stock
moves, all in one transaction — refused as a whole (nothing written) on bad input or short stock;
`retail_sale_reverse` refunds a whole sale (红冲).

The sales documents: quotations and orders (create, update, convert, confirm with a credit check and a
stock reservation, cancel, close), deliveries against an order (stock out, first-expiry-first-out),
invoices of delivered goods and receipts of payment (the customer's receivable), returns from a delivery
(stock back at the cost it left with, the invoiced part credited), and the reversal (红冲) of each."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import CENTS, PLACES, QUANTITY_LIMIT, cents, decimal_parse, line_amounts, today_in
from modules.catalog.models import VAT_RATES as CATALOG_VAT_RATES
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import quantity_to_base
from modules.finance import posting as books
from modules.inventory.ledger import Release
from modules.inventory.models import Location, Lot, StockBalance, Warehouse
from modules.inventory.reservations import ReserveLine, stock_release, stock_reserve
from modules.inventory.services import (
    MoveLine,
    posting_time,
    stock_moves_post,
    stock_moves_reverse,
    warehouse_default_ensure,
)
from modules.numbering.services import document_number_next
from modules.partnerledger.selectors import partner_balance
from modules.partnerledger.services import partner_entries_reverse, partner_entry_post, partner_lock
from modules.partners.models import Partner
from modules.sales.enums import (
    RETAIL_SALE,
    RETAIL_SALE_PREFIX,
    SALES_DELIVERY,
    SALES_DELIVERY_PREFIX,
    SALES_INVOICE,
    SALES_INVOICE_PREFIX,
    SALES_ORDER,
    SALES_ORDER_PREFIX,
    SALES_QUOTATION,
    SALES_QUOTATION_PREFIX,
    SALES_RECEIPT,
    SALES_RECEIPT_PREFIX,
    SALES_RETURN,
    SALES_RETURN_PREFIX,
    ErrorCode,
    OrderStatus,
    PaymentMethod,
    ReceiptMethod,
    SalesErrorCode,
)
from modules.sales.models import (
    RetailSale,
    RetailSaleLine,
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesOrderLine,
    SalesReceipt,
    SalesReceiptAllocation,
    SalesReturn,
    SalesReturnLine,
)

# Amounts are numeric(14, 2): fewer than 12 digits before the point.
MONEY_LIMIT = Decimal("1e12")


@dataclass(frozen=True)
class SaleLineInput:
    """A line as rung up: `quantity` of any of the item's units; `unit_price` per that unit (None: the price
    the pricing engine quotes the sale's customer, a walk-in the retail list's), `discount` an amount off
    the line."""

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


def retail_price(*, item: Item, unit: Unit, customer: Partner | None, quantity, on: date) -> tuple[Decimal, str, str]:
    """(unit price per `unit`, source, reason) of a counter line: the pricing engine's quote for `customer`
    (None: a walk-in, who gets the retail list) on the date `on`; the item's sale price when it cannot
    quote (a quantity not yet a number)."""
    from modules.pricing.selectors import price_quote

    try:
        quote = price_quote(item=item, unit=unit, customer=customer, quantity=quantity, on=on)
    except AppError:
        return unit_price_default(item, unit), "item", _("Item sale price")
    return quote.unit_price, str(quote.source), quote.reason


def retail_sale_checks(lines: list[RetailSaleLine], warehouse: Warehouse, *, blocking_only: bool = False) -> list:
    """The selling checks of a sale's lines (below cost, beyond the warehouse's available stock; lines of
    one item count together), as `LineWarning`s naming `lines.N.unit_price` / `lines.N.quantity`; a check
    the tenant set to "block" raises an AppError naming the line. `blocking_only`: [] at once when no
    check blocks (posting needs no more: the counter shows the warnings beside the lines)."""
    from modules.pricing.enums import CheckMode
    from modules.pricing.selectors import pricing_settings, sale_line_check

    settings = pricing_settings()
    if blocking_only and CheckMode.BLOCK not in (settings.below_cost, settings.beyond_stock):
        return []
    warnings, wanted = [], defaultdict(Decimal)
    for line in lines:
        wanted[line.item_id] += line.base_quantity
        n = line.position + 1
        try:
            found = sale_line_check(
                item=line.item, warehouse=warehouse, unit_price=line.unit_price, unit=line.unit,
                base_quantity=wanted[line.item_id], field_prefix=f"lines.{line.position}.",
            )  # fmt: skip
        except AppError as error:
            message = _("Line %(n)s: %(message)s") % {"n": n, "message": error.message}
            raise AppError(error.code, message, field=error.field) from None
        warnings += [
            replace(warning, message=_("Line %(n)s: %(message)s") % {"n": n, "message": warning.message})
            for warning in found
        ]
    return warnings


def _clean_line(index: int, line: SaleLineInput, *, customer: Partner | None, on: date) -> RetailSaleLine:
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
        unit_price, source, reason = retail_price(
            item=line.item, unit=line.unit, customer=customer, quantity=quantity, on=on
        )
    else:
        source, reason = "manual", ""
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
        unit_price=unit_price, price_source=source, price_reason=reason, discount=discount, amount=amount,
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


def _fefo_parts(
    item: Item, warehouse: Warehouse, location: Location | None, quantity: Decimal, taken: dict
) -> list[tuple[object, Decimal]] | None:
    """`quantity` (base units) of a lot-tracked item as (lot, base quantity) parts: the soonest-expiring
    lots with stock at the place first (FEFO); None when the lots hold too little. `taken` carries what
    earlier lines of the same document already took from each lot."""
    balances = (
        StockBalance.objects.filter(item=item, warehouse=warehouse, location=location, lot__isnull=False, on_hand__gt=0)
        .select_related("lot")
        .order_by(F("lot__expiry_date").asc(nulls_last=True), "lot__code", "lot_id")
    )
    parts, needed = [], quantity
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
    return None


def _fefo_split(
    line: RetailSaleLine, warehouse: Warehouse, location: Location | None, taken: dict
) -> list[tuple[object, Decimal]]:
    """A lot-tracked line of a sale as (lot, base quantity) parts, first-expiry-first-out."""
    parts = _fefo_parts(line.item, warehouse, location, line.base_quantity, taken)
    if parts is None:
        raise AppError(
            ErrorCode.INSUFFICIENT_STOCK,
            _short(line, warehouse, location),
            field=f"lines.{line.position}.quantity",
            status=409,
        )
    return parts


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
    _clean_customer(customer)
    on = today_in(tz_name)
    clean = [_clean_line(index, line, customer=customer, on=on) for index, line in enumerate(lines)]
    total = sum((line.amount for line in clean), Decimal(0))
    tendered_amount, change = _clean_payment(payment_method, tendered, total)
    with transaction.atomic():
        warehouse = _clean_place(warehouse, location)
        retail_sale_checks(clean, warehouse, blocking_only=True)  # a check set to block refuses, naming the line
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
        books.retail_sale_posted(sale)
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
        books.document_reversed(source_type=RETAIL_SALE, original=original, reversal=reversal)
    return reversal


# --- Sales documents: quotations and orders, deliveries, invoices, receipts of payment, returns ---------
#
# Every write below is one transaction. Writes against an order (deliver, invoice, return and their
# reversals, confirm, cancel, close) lock the order row first, so they queue per order and the counters
# on its lines read below stay true; receipts lock the invoices they settle (id order).

HUNDRED = Decimal(100)
NOTE_MAX = 500
PRICE_SOURCE_MAX = 64
PRICE_REASON_MAX = 128
VAT_RATES = {Decimal(str(rate)) for rate in CATALOG_VAT_RATES}
RECEIVABLE = "receivable"
OPEN_FOR_DELIVERY = (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_DELIVERED)


@dataclass(frozen=True)
class OrderLineInput:
    """`quantity` of any of the item's units at `unit_price` per that unit (None: the item's sale price);
    `vat_rate` None: the item's; `price_source` says where the price came from ("manual" by default) and
    `price_reason` why, in words (`order_lines_priced` fills both from the pricing engine)."""

    item: Item | None
    unit: Unit | None
    quantity: Decimal | str
    unit_price: Decimal | str | None = None
    discount_percent: Decimal | str | None = None
    vat_rate: Decimal | str | None = None
    price_source: str = ""
    price_reason: str = ""


@dataclass(frozen=True)
class DeliverLineInput:
    """`quantity` (in the order line's unit) of order line `line_id`; `lot` a chosen lot (None: FEFO)."""

    line_id: int
    quantity: Decimal | str
    lot: Lot | None = None


@dataclass(frozen=True)
class DocumentLineInput:
    """`quantity` (in the order line's unit) of delivery line `line_id`: to invoice, or returned."""

    line_id: int
    quantity: Decimal | str


@dataclass(frozen=True)
class AllocationInput:
    invoice: SalesInvoice | None
    amount: Decimal | str


def _qty(quantity: Decimal) -> str:
    """A quantity as people write it: 10, 2.5 (never 1E+1)."""
    return f"{quantity.normalize():f}"


def share_of(total: Decimal, whole: Decimal, before: Decimal, quantity: Decimal) -> Decimal:
    """The part of `total` (the amount of `whole` units) that `quantity` units take after `before` units
    took theirs: cumulative rounding, so the parts of a line always add up to its amount exactly."""
    return cents(total * (before + quantity) / whole) - cents(total * before / whole)


def _clean_order_line(index: int, line: OrderLineInput, prices_include_vat: bool) -> SalesOrderLine:
    prefix, n = f"lines.{index}", index + 1
    if line.item is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose an item.") % {"n": n}, field=f"{prefix}.item")
    if not line.item.is_active:
        raise AppError(
            ErrorCode.INACTIVE, _("Line %(n)s: %(item)s is inactive.") % {"n": n, "item": line.item},
            field=f"{prefix}.item",
        )  # fmt: skip
    unit = line.unit or line.item.base_unit
    quantity = decimal_parse(line.quantity, field=f"{prefix}.quantity")
    if quantity <= 0:
        raise AppError(
            ErrorCode.NON_POSITIVE_QUANTITY,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    try:
        base = quantity_to_base(line.item, unit, quantity)
    except AppError as error:
        message = _("Line %(n)s: %(message)s") % {"n": n, "message": error.message}
        raise AppError(error.code, message, field=f"{prefix}.{error.field}") from None
    source = (line.price_source or "").strip()
    reason = (line.price_reason or "").strip()
    if line.unit_price in (None, ""):
        unit_price = unit_price_default(line.item, unit)
        source = source or "item"
        reason = reason or _("Item sale price")
    else:
        unit_price = decimal_parse(line.unit_price, field=f"{prefix}.unit_price")
        if unit_price < 0:
            raise AppError(
                ErrorCode.INVALID_PRICE,
                _("Line %(n)s: the price cannot be negative.") % {"n": n},
                field=f"{prefix}.unit_price",
            )
        source = source or "manual"
    if len(source) > PRICE_SOURCE_MAX:
        raise AppError(
            ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": PRICE_SOURCE_MAX},
            field=f"{prefix}.price_source",
        )  # fmt: skip
    if len(reason) > PRICE_REASON_MAX:
        raise AppError(
            ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": PRICE_REASON_MAX},
            field=f"{prefix}.price_reason",
        )  # fmt: skip
    discount = Decimal(0)
    if line.discount_percent not in (None, ""):
        discount = decimal_parse(line.discount_percent, field=f"{prefix}.discount_percent", places=CENTS)
        if not 0 <= discount <= HUNDRED:
            raise AppError(
                ErrorCode.INVALID_DISCOUNT,
                _("Line %(n)s: the discount is a percentage from 0 to 100.") % {"n": n},
                field=f"{prefix}.discount_percent",
            )
    if line.vat_rate in (None, ""):
        vat_rate = line.item.vat_rate
    else:
        vat_rate = decimal_parse(line.vat_rate, field=f"{prefix}.vat_rate", places=CENTS)
        if vat_rate not in VAT_RATES:
            raise AppError(
                SalesErrorCode.INVALID_VAT_RATE,
                _("Line %(n)s: choose one of the VAT rates %(rates)s.")
                % {"n": n, "rates": ", ".join(str(rate) for rate in sorted(VAT_RATES))},
                field=f"{prefix}.vat_rate",
            )
    net, tax, gross = line_amounts(
        quantity=quantity,
        unit_price=unit_price,
        discount_percent=discount,
        vat_rate=vat_rate,
        prices_include_vat=prices_include_vat,
    )
    if gross >= MONEY_LIMIT:
        raise AppError(ErrorCode.INVALID_NUMBER, _("Enter a number."), field=f"{prefix}.quantity")
    return SalesOrderLine(
        position=index, item=line.item, unit=unit, quantity=quantity, base_quantity=base, unit_price=unit_price,
        price_source=source, price_reason=reason, discount_percent=discount, vat_rate=vat_rate, net=net, tax=tax,
        gross=gross,
    )  # fmt: skip


def order_lines_priced(
    lines: list[OrderLineInput], *, customer: Partner | None, on: date, prices_include_vat: bool = True
) -> list[OrderLineInput]:
    """The lines with every price left empty filled in by the pricing engine (`modules.pricing`): the price
    `customer` gets for the line's item, unit and quantity on the date `on` (net of VAT when the order's
    prices are), with its source code and reason. A line the engine cannot price (no item, a bad quantity
    or unit, not a customer) is left as it is: cleaning it names what is wrong."""
    from modules.pricing.domain import price_without_vat
    from modules.pricing.selectors import price_quote

    priced = []
    for line in lines:
        if line.unit_price in (None, "") and line.item is not None and (customer is None or customer.is_customer):
            try:
                quote = price_quote(item=line.item, unit=line.unit, customer=customer, quantity=line.quantity, on=on)
                unit_price = quote.unit_price
                if not prices_include_vat:
                    vat_rate = line.item.vat_rate
                    if line.vat_rate not in (None, ""):
                        vat_rate = decimal_parse(line.vat_rate, field="vat_rate", places=CENTS)
                    unit_price = price_without_vat(unit_price, vat_rate)
            except AppError:
                pass
            else:
                line = replace(
                    line, unit_price=unit_price, price_source=line.price_source or str(quote.source),
                    price_reason=quote.reason,
                )  # fmt: skip
        priced.append(line)
    return priced


def sales_order_checks(order: SalesOrder, *, blocking_only: bool = False) -> list:
    """The selling checks of a draft order's lines (`modules.pricing.selectors.sale_line_check`): below cost
    and beyond the warehouse's available stock, as `LineWarning`s naming `lines.N.unit_price` or
    `lines.N.quantity`; a check the tenant set to "block" raises an AppError naming the line instead.
    Run before the order reserves its stock (its own reservation would count against it); lines of one
    item count together. `blocking_only`: [] at once when no check blocks (confirming needs no more)."""
    from modules.pricing.enums import CheckMode
    from modules.pricing.selectors import SaleLine, pricing_settings, sale_lines_check

    if order.status != OrderStatus.DRAFT:
        return []
    settings = pricing_settings()
    if blocking_only and CheckMode.BLOCK not in (settings.below_cost, settings.beyond_stock):
        return []
    lines, wanted = [], defaultdict(Decimal)
    for line in order.lines.select_related("item__base_unit", "unit").order_by("position"):
        wanted[line.item_id] += line.base_quantity
        lines.append(SaleLine(line.item, line.unit_price, wanted[line.item_id], line.unit, f"lines.{line.position}."))
    try:
        # All lines' cost and stock in one query (the settings once), not a few queries a line.
        found = sale_lines_check(warehouse=order.warehouse, lines=lines)
    except AppError as error:
        position = (error.field or "").split(".")[1] if (error.field or "").startswith("lines.") else None
        if position is None or not position.isdigit():
            raise
        message = _("Line %(n)s: %(message)s") % {"n": int(position) + 1, "message": error.message}
        raise AppError(error.code, message, field=error.field) from None
    return [
        replace(warning, message=_("Line %(n)s: %(message)s") % {"n": int(line.field_prefix.split(".")[1]) + 1,
                                                                  "message": warning.message})
        for line, warnings in zip(lines, found, strict=True)
        for warning in warnings
    ]  # fmt: skip


def _clean_order_header(values: dict) -> dict:
    clean = {}
    for name, value in values.items():
        if name == "customer":
            if value is None or not (value.is_customer and value.is_active):
                raise AppError(ErrorCode.WRONG_PARTNER, _("Choose an active customer."), field="customer")
        elif name == "warehouse":
            if value is None or not value.is_active:
                raise AppError(ErrorCode.INACTIVE, _("Choose an active warehouse."), field="warehouse")
        elif name == "salesperson":
            if value is not None and not value.is_active:
                raise AppError(ErrorCode.INACTIVE, _("Choose an active salesperson."), field="salesperson")
        elif name == "date":
            if not isinstance(value, date):
                raise AppError(SalesErrorCode.INVALID_DATE, _("Enter a date."), field="date")
        elif name in ("delivery_date", "valid_until"):
            if value is not None and not isinstance(value, date):
                raise AppError(SalesErrorCode.INVALID_DATE, _("Enter a date."), field=name)
        elif name == "note":
            value = (value or "").strip()
            if len(value) > NOTE_MAX:
                raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
        elif name == "prices_include_vat":
            value = bool(value)
        else:
            raise AppError(SalesErrorCode.UNKNOWN_FIELD, _("Unknown field."), field=name)
        clean[name] = value
    for name in ("delivery_date", "valid_until"):
        if clean.get(name) and clean.get("date") and clean[name] < clean["date"]:
            raise AppError(SalesErrorCode.INVALID_DATE, _("This date cannot be before the order date."), field=name)
    return clean


def _clean_order_lines(lines: list[OrderLineInput], prices_include_vat: bool) -> list[SalesOrderLine]:
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Add at least one line."), field="lines")
    return [_clean_order_line(index, line, prices_include_vat) for index, line in enumerate(lines)]


def _save_order_lines(order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    for line in lines:
        line.order = order
    SalesOrderLine.objects.bulk_create(lines)
    order.total_net = sum((line.net for line in lines), Decimal(0))
    order.total_tax = sum((line.tax for line in lines), Decimal(0))
    order.total_gross = sum((line.gross for line in lines), Decimal(0))
    order.save(update_fields=["total_net", "total_tax", "total_gross"])


def sales_order_create(
    *,
    customer: Partner | None,
    warehouse: Warehouse | None,
    date: date,
    lines: list[OrderLineInput],
    salesperson=None,
    delivery_date: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    prices_include_vat: bool = True,
    quotation: bool = False,
    created_by=None,
) -> SalesOrder:
    """A draft order (XS…), or with `quotation` a quotation (BJ…) to be converted into an order later."""
    header = _clean_order_header(
        {
            "customer": customer, "warehouse": warehouse, "salesperson": salesperson, "date": date,
            "delivery_date": delivery_date, "valid_until": valid_until, "note": note,
            "prices_include_vat": prices_include_vat,
        }
    )  # fmt: skip
    clean = _clean_order_lines(lines, header["prices_include_vat"])
    doc_type, prefix = (SALES_QUOTATION, SALES_QUOTATION_PREFIX) if quotation else (SALES_ORDER, SALES_ORDER_PREFIX)
    with transaction.atomic():
        # The totals go in with the order (one INSERT, not an INSERT and an UPDATE).
        order = _insert(
            SalesOrder(
                number=document_number_next(doc_type=doc_type, prefix=prefix, on=header["date"]),
                status=OrderStatus.QUOTATION if quotation else OrderStatus.DRAFT,
                created_by=created_by,
                total_net=sum((line.net for line in clean), Decimal(0)),
                total_tax=sum((line.tax for line in clean), Decimal(0)),
                total_gross=sum((line.gross for line in clean), Decimal(0)),
                **header,
            )
        )
        for line in clean:
            line.order = order
        _insert_many(clean)
    return order


def _order_locked(order_id: int) -> SalesOrder:
    return SalesOrder.objects.select_for_update(of=("self",)).select_related("warehouse", "customer").get(pk=order_id)


def _require(order: SalesOrder, statuses, message: str) -> None:
    if order.status not in statuses:
        raise AppError(SalesErrorCode.WRONG_STATUS, message, field="status", status=409)


def sales_order_update(*, order: SalesOrder, lines: list[OrderLineInput] | None = None, **changes) -> SalesOrder:
    """Change a quotation or a draft: any header field; `lines` replaces them all (re-priced)."""
    with transaction.atomic():
        order = _order_locked(order.pk)
        _require(order, (OrderStatus.QUOTATION, OrderStatus.DRAFT), _("Only a quotation or a draft can be changed."))
        current = {"date": order.date, "delivery_date": order.delivery_date, "valid_until": order.valid_until}
        header = _clean_order_header({**current, **changes})
        for name, value in header.items():
            setattr(order, name, value)
        order.save()
        if lines is not None or "prices_include_vat" in changes:
            if lines is None:
                lines = [
                    OrderLineInput(
                        line.item, line.unit, line.quantity, line.unit_price, line.discount_percent, line.vat_rate,
                        line.price_source, line.price_reason,
                    )
                    for line in order.lines.select_related("item", "unit").order_by("position")
                ]  # fmt: skip
            else:
                lines = order_lines_priced(
                    lines, customer=order.customer, on=order.date, prices_include_vat=order.prices_include_vat
                )
            clean = _clean_order_lines(lines, order.prices_include_vat)
            order.lines.all().delete()
            _save_order_lines(order, clean)
    return order


def sales_quotation_convert(*, order: SalesOrder) -> SalesOrder:
    """The customer accepted: the quotation becomes a draft order with an order number (XS…), dated as the
    quotation; its quotation number stays on it."""
    with transaction.atomic():
        order = _order_locked(order.pk)
        _require(order, (OrderStatus.QUOTATION,), _("Only a quotation can be converted into an order."))
        order.quotation_number = order.number
        order.number = document_number_next(doc_type=SALES_ORDER, prefix=SALES_ORDER_PREFIX, on=order.date)
        order.status = OrderStatus.DRAFT
        order.save(update_fields=["quotation_number", "number", "status"])
    return order


def credit_exposure(*, customer: Partner, adding: Decimal) -> tuple[Decimal, Decimal] | None:
    """(open receivable balance, balance + `adding`) when that would exceed the customer's credit limit;
    None when it would not, or the customer has no limit (0)."""
    if customer.credit_limit <= 0:
        return None
    balance = partner_balance(partner_id=customer.pk, kind=RECEIVABLE)
    if balance + adding <= customer.credit_limit:
        return None
    return balance, balance + adding


def sales_order_confirm(*, order: SalesOrder, user=None, override_credit_limit: bool = False) -> SalesOrder:
    """Confirm a draft: reserve its quantities in its warehouse (refused, naming the line, when too little is
    available) after the credit check: a customer with a credit limit whose open receivable balance plus
    this order's total would exceed it is refused, unless `override_credit_limit` is asked by a user with
    the permission sales.override_credit_limit (who is recorded on the order)."""
    with transaction.atomic():
        order = _order_locked_plain(order.pk)
        _require(order, (OrderStatus.DRAFT,), _("Only a draft order can be confirmed."))
        sales_order_checks(order, blocking_only=True)  # before reserving: the order's own hold is no stock
        if not order.customer.is_active:
            raise AppError(ErrorCode.INACTIVE, _("The customer is inactive."), field="customer")
        if not order.warehouse.is_active:
            raise AppError(ErrorCode.INACTIVE, _("The warehouse is inactive."), field="warehouse")
        # Locked: two orders of one customer confirmed at once see each other's entries... and each other.
        partner_lock(order.customer_id)
        exposure = credit_exposure(customer=order.customer, adding=order.total_gross)
        if exposure is not None:
            balance, after = exposure
            if not override_credit_limit:
                raise AppError(
                    SalesErrorCode.CREDIT_LIMIT,
                    _(
                        "%(customer)s would owe %(after)s (open balance %(balance)s + this order %(total)s), beyond"
                        " the credit limit of %(limit)s. Someone allowed to override the credit limit may confirm it."
                    )
                    % {
                        "customer": order.customer.name, "after": after, "balance": balance,
                        "total": order.total_gross, "limit": order.customer.credit_limit,
                    },
                    field="customer",
                    status=409,
                )  # fmt: skip
            if user is None or not user.has_perm("sales.override_credit_limit"):
                raise AppError(
                    ErrorCode.NOT_ALLOWED,
                    _("Your role may not override the credit limit."),
                    field="override_credit_limit",
                    status=403,
                )
            order.credit_override_by = user
        lines = _order_lines_plain(order, unit=False)
        try:
            stock_reserve(
                lines=[ReserveLine(line.item, order.warehouse, line.base_quantity) for line in lines],
                source_type=SALES_ORDER,
                source_id=order.pk,
                reference=order.number,
            )
        except AppError as error:
            raise _named_by_order_line(error, lines) from None
        order.status = OrderStatus.CONFIRMED
        order.confirmed_at = timezone.now()
        _update_fields(order, ["status", "credit_override_by", "confirmed_at"])
    return order


def _named_by_order_line(error: AppError, lines: list) -> AppError:
    """The reservation counts lines as given; name the order's line (its position) in the message too."""
    parts = (error.field or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) >= len(lines):
        return error
    return AppError(error.code, error.message, field=f"lines.{lines[int(parts[1])].position}.{parts[2]}",
                    status=error.status_code)  # fmt: skip


def sales_order_cancel(*, order: SalesOrder) -> SalesOrder:
    """A quotation (declined), a draft, or a confirmed order before anything was delivered: its
    reservation is let go. Afterwards the order is closed instead."""
    with transaction.atomic():
        order = _order_locked(order.pk)
        _require(
            order,
            (OrderStatus.QUOTATION, OrderStatus.DRAFT, OrderStatus.CONFIRMED),
            _("Goods have been delivered against this order: close it instead of cancelling it."),
        )
        if order.status == OrderStatus.CONFIRMED:
            stock_release(source_type=SALES_ORDER, source_id=order.pk)
        order.status = OrderStatus.CANCELLED
        _update_fields(order, ["status"])
    return order


def sales_order_close(*, order: SalesOrder) -> SalesOrder:
    """Nothing more will be delivered: what is outstanding is given up and its reservation let go."""
    with transaction.atomic():
        order = _order_locked(order.pk)
        _require(
            order,
            (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_DELIVERED, OrderStatus.DELIVERED),
            _("Only a confirmed order can be closed."),
        )
        stock_release(source_type=SALES_ORDER, source_id=order.pk)
        order.status = OrderStatus.CLOSED
        _update_fields(order, ["status"])
    return order


def _positive(value, *, field: str, n: int) -> Decimal:
    quantity = decimal_parse(value, field=field)
    if quantity <= 0:
        raise AppError(
            ErrorCode.NON_POSITIVE_QUANTITY,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=field,
        )
    return quantity


def _unit_parts(line: SalesOrderLine, quantity: Decimal, base: Decimal, parts: list) -> list[tuple]:
    """(lot, quantity in the line's unit, base quantity) of each part; the unit quantities add up exactly."""
    if len(parts) == 1:
        return [(parts[0][0], quantity, base)]
    out, left = [], quantity
    for index, (lot, part_base) in enumerate(parts):
        part = left if index == len(parts) - 1 else (quantity * part_base / base).quantize(PLACES)
        out.append((lot, part, part_base))
        left -= part
    return out


def _short_delivery(line: SalesOrderLine, warehouse: Warehouse, location: Location | None) -> str:
    place = f"{warehouse.code} {location.code}" if location else warehouse.code
    return _("Order line %(n)s: not enough %(item)s in stock at %(place)s.") % {
        "n": line.position + 1,
        "item": line.item,
        "place": place,
    }


def _reserve_again(order: SalesOrder, item_quantities: dict) -> None:
    """Hold again what a reversed delivery gives back to an open order, as far as the warehouse has it
    available (a counter sale may have taken it meanwhile): the reversal itself must go through."""
    lines = [
        ReserveLine(item, order.warehouse, quantity)
        for item, quantity in sorted(item_quantities.items(), key=lambda pair: pair[0].pk)
        if quantity > 0
    ]
    for line in lines:
        try:
            with transaction.atomic():
                stock_reserve(lines=[line], source_type=SALES_ORDER, source_id=order.pk, reference=order.number)
        except AppError:
            continue


def sales_deliver(
    *,
    order: SalesOrder,
    lines: list[DeliverLineInput],
    tz_name: str,
    on: date | None = None,
    location: Location | None = None,
    created_by=None,
) -> SalesDelivery:
    """Deliver goods against a confirmed order (销售出库): a delivery (CK…) posted at once out of the order's
    warehouse (at `location`), lot-tracked items from the chosen lot or first-expiry-first-out; the
    delivered quantities' reservation is let go. More than is outstanding is refused (409, naming the
    line): under the lock on the order, a second clerk delivering the same last units gets that error."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Deliver at least one line."), field="lines")
    on = on or today_in(tz_name)
    posted_at = posting_time(on=on, tz_name=tz_name)
    with transaction.atomic():
        order = _order_locked_plain(order.pk)
        if order.status == OrderStatus.DELIVERED:
            raise AppError(
                SalesErrorCode.OVER_DELIVERY,
                _("Everything on order %(number)s has been delivered already.") % {"number": order.number},
                field="lines",
                status=409,
            )
        _require(order, OPEN_FOR_DELIVERY, _("Goods can only be delivered against a confirmed order."))
        if location is not None and location.warehouse_id != order.warehouse_id:
            raise AppError(
                ErrorCode.WRONG_WAREHOUSE,
                _("Location %(location)s is not in warehouse %(warehouse)s.")
                % {"location": location.code, "warehouse": order.warehouse.code},
                field="location",
            )
        order_lines = {line.pk: line for line in _order_lines_plain(order, unit=True)}
        delivery = _insert(SalesDelivery(
            number=document_number_next(doc_type=SALES_DELIVERY, prefix=SALES_DELIVERY_PREFIX, on=on),
            order=order, date=on, posted_at=posted_at, location=location, created_by=created_by,
        ))  # fmt: skip
        delivered, moves, legs, released = [], [], [], defaultdict(Decimal)
        taken: dict = defaultdict(Decimal)
        for index, entry in enumerate(lines):
            prefix, n = f"lines.{index}", index + 1
            line = order_lines.get(entry.line_id)
            if line is None:
                raise AppError(
                    SalesErrorCode.WRONG_LINE, _("Line %(n)s is not a line of this order.") % {"n": n},
                    field=f"{prefix}.line",
                )  # fmt: skip
            quantity = _positive(entry.quantity, field=f"{prefix}.quantity", n=n)
            if quantity > line.outstanding:
                raise AppError(
                    SalesErrorCode.OVER_DELIVERY,
                    _("%(item)s (order line %(line)s): only %(outstanding)s %(unit)s are still to deliver.")
                    % {
                        "item": line.item, "line": line.position + 1, "outstanding": _qty(line.outstanding),
                        "unit": line.unit.name,
                    },
                    field=f"{prefix}.quantity",
                    status=409,
                )  # fmt: skip
            base = (
                line.base_quantity * quantity / line.quantity
                if quantity == line.outstanding and line.delivered_quantity == 0
                else quantity_to_base(line.item, line.unit, quantity)
            ).quantize(PLACES)
            if entry.lot is not None:
                if not line.item.lot_tracked or entry.lot.item_id != line.item_id:
                    raise AppError(
                        SalesErrorCode.WRONG_LOT,
                        _("Line %(n)s: lot %(lot)s is not a lot of %(item)s.")
                        % {"n": n, "lot": entry.lot.code, "item": line.item},
                        field=f"{prefix}.lot",
                    )
                parts = [(entry.lot, base)]
            elif line.item.lot_tracked:
                parts = _fefo_parts(line.item, order.warehouse, location, base, taken)
                if parts is None:
                    raise AppError(
                        ErrorCode.INSUFFICIENT_STOCK, _short_delivery(line, order.warehouse, location),
                        field=f"{prefix}.quantity", status=409,
                    )  # fmt: skip
            else:
                parts = [(None, base)]
            for lot, part, part_base in _unit_parts(line, quantity, base, parts):
                delivered.append(
                    SalesDeliveryLine(
                        delivery=delivery, order_line=line, quantity=part, base_quantity=part_base, lot=lot
                    )
                )
                moves.append(MoveLine(line.item, order.warehouse, -part_base, None, location, lot))
                legs.append((index, line))
            line.delivered_quantity += quantity
            released[line.item_id] += base
        # The delivered quantities' reservation is let go by the posting, under the locks it takes anyway
        # (item pools by item id, then balance rows by key, then the reservations): one lock order.
        try:
            result = stock_moves_post(
                lines=moves, posted_at=posted_at, source_type=SALES_DELIVERY, source_id=delivery.pk,
                reference=delivery.number, release=Release(SALES_ORDER, order.pk, dict(released)),
            )  # fmt: skip
        except AppError as error:
            raise _delivery_error(error, legs, order.warehouse, location) from None
        for row, move in zip(delivered, result.moves, strict=True):
            row.move = move
        _insert_many(delivered)
        touched = {line.pk: line for _index, line in legs}
        _counters_write(SalesOrderLine, list(touched.values()), ["delivered_quantity"])
        _order_status_follow(order, order_lines.values())
        books.sales_delivery_posted(delivery, moves=result.moves, revalued=result.revalued)
    return delivery


def _counters_write(model, rows: list, fields: list[str]) -> None:
    """bulk_update of numeric columns as one UPDATE … FROM unnest(): Django's bulk_update compiles a CASE per
    row and column each time, which cost more than the write (bench/order_to_cash.py)."""
    if not rows:
        return
    columns = [model._meta.get_field(name).column for name in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} t SET {', '.join(f'{c} = u.{c}' for c in columns)}"
            f" FROM unnest(%s::bigint[], {', '.join('%s::numeric[]' for _c in columns)})"
            f" AS u(id, {', '.join(columns)}) WHERE t.id = u.id",
            [[row.pk for row in rows], *([getattr(row, name) for row in rows] for name in fields)],
        )


# --- Plain-cursor reads and writes of the order-to-cash path ---------------------------------------------
#
# The ORM's per-query work (compiling an INSERT, a select_related of whole rows into instances) cost more
# than the queries themselves on the path order → confirm → deliver → invoice → receipt
# (bench/order_to_cash.py), as it did in the ledger (docs/benchmarks.md). These do the same on a plain
# cursor: the same rows and instances, no signals (none are connected to the sales documents).

_SQL: dict = {}


def _writable(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _insert(obj):
    """`Model.objects.create` of an unsaved instance: its INSERT … RETURNING id (auto_now_add filled in)."""
    model = type(obj)
    fields = _writable(model)
    sql = _SQL.get(("insert", model))
    if sql is None:
        columns = ", ".join(field.column for field in fields)
        sql = _SQL[("insert", model)] = (
            f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
        )
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def _insert_many(objs: list) -> list:
    """`bulk_create` of unsaved instances of one model: one INSERT … SELECT FROM unnest() … RETURNING id."""
    if not objs:
        return objs
    model = type(objs[0])
    fields = _writable(model)
    sql = _SQL.get(("insert_many", model))
    if sql is None:
        columns = ", ".join(field.column for field in fields)
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        sql = _SQL[("insert_many", model)] = (
            f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {names}"
            f" FROM unnest({arrays}) WITH ORDINALITY AS u({names}, n) ORDER BY n RETURNING id"
        )
    values = [[field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs] for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def _update_fields(obj, names: list[str]) -> None:
    """`obj.save(update_fields=names)`: one UPDATE of those columns."""
    fields = [obj._meta.get_field(name) for name in names]
    values = [field.get_db_prep_save(field.pre_save(obj, False), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {obj._meta.db_table} SET {', '.join(f'{field.column} = %s' for field in fields)} WHERE id = %s",
            [*values, obj.pk],
        )


def _from_row(model, values):
    fields = model._meta.concrete_fields
    values = list(values)
    for index, field in enumerate(fields):
        if hasattr(field, "from_db_value"):
            values[index] = field.from_db_value(values[index], None, connection)
    return model.from_db(connection.alias, [field.attname for field in fields], values)


def _order_locked_plain(order_id: int) -> SalesOrder:
    """`_order_locked` on a plain cursor: the order (its row locked) with its warehouse and customer."""
    models = (SalesOrder, Warehouse, Partner)
    sql = _SQL.get("order_locked")
    if sql is None:
        aliases = {SalesOrder: "o", Warehouse: "w", Partner: "c"}
        columns = ", ".join(
            f"{aliases[model]}.{field.column}" for model in models for field in model._meta.concrete_fields
        )
        sql = _SQL["order_locked"] = (
            f"SELECT {columns} FROM {SalesOrder._meta.db_table} o"
            f" JOIN {Warehouse._meta.db_table} w ON w.id = o.warehouse_id"
            f" JOIN {Partner._meta.db_table} c ON c.id = o.customer_id WHERE o.id = %s FOR UPDATE OF o"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [order_id])
        row = cursor.fetchone()
    if row is None:
        raise SalesOrder.DoesNotExist("SalesOrder matching query does not exist.")
    widths = [len(model._meta.concrete_fields) for model in models]
    order = _from_row(SalesOrder, row[: widths[0]])
    order.warehouse = _from_row(Warehouse, row[widths[0] : widths[0] + widths[1]])
    order.customer = _from_row(Partner, row[widths[0] + widths[1] :])
    return order


def _joined(key: str, models: tuple, joins: str, params: list) -> list[tuple]:
    """Rows of `models` (aliased t0, t1, … in `joins`, which starts FROM … t0), as instances, one tuple a row."""
    sql = _SQL.get(key)
    if sql is None:
        columns = ", ".join(
            f"t{index}.{field.column}" for index, model in enumerate(models) for field in model._meta.concrete_fields
        )
        sql = _SQL[key] = f"SELECT {columns} {joins}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    widths = [len(model._meta.concrete_fields) for model in models]
    out = []
    for row in rows:
        start, instances = 0, []
        for model, width in zip(models, widths, strict=True):
            instances.append(_from_row(model, row[start : start + width]))
            start += width
        out.append(tuple(instances))
    return out


def _order_lines_plain(order: SalesOrder, *, unit: bool) -> list[SalesOrderLine]:
    """The order's lines in position order with their items (and units), as select_related would give them."""
    models = (SalesOrderLine, Item, Unit) if unit else (SalesOrderLine, Item)
    joins = (
        f"FROM {SalesOrderLine._meta.db_table} t0 JOIN {Item._meta.db_table} t1 ON t1.id = t0.item_id"
        + (f" JOIN {Unit._meta.db_table} t2 ON t2.id = t0.unit_id" if unit else "")
        + " WHERE t0.order_id = %s ORDER BY t0.position, t0.id"
    )
    lines = []
    for line, item, *rest in _joined(f"order_lines_{unit}", models, joins, [order.pk]):
        line.item = item
        if rest:
            line.unit = rest[0]
        lines.append(line)
    return lines


def _delivery_lines_plain(order: SalesOrder, entries: list[DocumentLineInput]) -> list[SalesDeliveryLine]:
    """`_order_of_delivery_lines` of the order's deliveries on a plain cursor: the named delivery lines, each
    with its delivery and its order line (with item and unit), checked as that function checks them."""
    models = (SalesDeliveryLine, SalesDelivery, SalesOrderLine, Item, Unit)
    joins = (
        f"FROM {SalesDeliveryLine._meta.db_table} t0 JOIN {SalesDelivery._meta.db_table} t1 ON t1.id = t0.delivery_id"
        f" JOIN {SalesOrderLine._meta.db_table} t2 ON t2.id = t0.order_line_id"
        f" JOIN {Item._meta.db_table} t3 ON t3.id = t2.item_id JOIN {Unit._meta.db_table} t4 ON t4.id = t2.unit_id"
        " WHERE t0.id = ANY(%s::bigint[]) AND t1.order_id = %s"
    )
    found = {}
    for line, delivery, order_line, item, unit in _joined(
        "delivery_lines", models, joins, [[entry.line_id for entry in entries], order.pk]
    ):
        order_line.item, order_line.unit = item, unit
        line.delivery, line.order_line = delivery, order_line
        found[line.pk] = line
    out = []
    for index, entry in enumerate(entries):
        line = found.get(entry.line_id)
        if line is None or line.quantity < 0 or line.delivery.reverses_id is not None:
            raise AppError(
                SalesErrorCode.WRONG_LINE,
                _("Line %(n)s is not a line of a delivery of this order.") % {"n": index + 1},
                field=f"lines.{index}.line",
            )
        out.append(line)
    return out


def _invoices_locked_plain(invoice_ids: list[int]) -> dict[int, SalesInvoice]:
    """The invoices locked in id order, each with `is_reversed` (a reversal of it exists), on a plain cursor."""
    table = SalesInvoice._meta.db_table
    sql = _SQL.get("invoices_locked")
    if sql is None:
        columns = ", ".join(f"t.{field.column}" for field in SalesInvoice._meta.concrete_fields)
        sql = _SQL["invoices_locked"] = (
            f"SELECT {columns}, EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = t.id)"
            f" FROM {table} t WHERE t.id = ANY(%s::bigint[]) ORDER BY t.id FOR UPDATE OF t"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [invoice_ids])
        rows = cursor.fetchall()
    invoices = {}
    for row in rows:
        invoice = _from_row(SalesInvoice, row[:-1])
        invoice.is_reversed = row[-1]
        invoices[invoice.pk] = invoice
    return invoices


def _delivery_error(error: AppError, legs: list, warehouse: Warehouse, location: Location | None) -> AppError:
    """The ledger counts its own lines (a line picked from several lots is several): name the request's."""
    parts = (error.field or "").split(".")
    if len(parts) != 3 or parts[0] != "lines" or not parts[1].isdigit() or int(parts[1]) >= len(legs):
        return error
    index, line = legs[int(parts[1])]
    message = error.message
    if error.code == ErrorCode.INSUFFICIENT_STOCK:
        message = _short_delivery(line, warehouse, location)
    return AppError(error.code, message, field=f"lines.{index}.{parts[2]}", status=error.status_code)


def _order_status_follow(order: SalesOrder, lines) -> None:
    """Confirmed, partially delivered or delivered, as the lines' delivered quantities say (a closed order stays)."""
    if order.status not in (*OPEN_FOR_DELIVERY, OrderStatus.DELIVERED):
        return
    lines = list(lines)
    if all(line.delivered_quantity == line.quantity for line in lines):
        status = OrderStatus.DELIVERED
    elif any(line.delivered_quantity != 0 for line in lines):
        status = OrderStatus.PARTIALLY_DELIVERED
    else:
        status = OrderStatus.CONFIRMED
    if status != order.status:
        order.status = status
        _update_fields(order, ["status"])


def _reversal_before_message() -> str:
    return _("A reversal cannot be dated before the document it reverses.")


def _reversible(document) -> None:
    if document.reverses_id is not None:
        raise AppError(
            ErrorCode.REVERSAL_OF_REVERSAL,
            _("A reversal cannot itself be reversed."),
            field="reverses",
            status=409,
        )
    if type(document).objects.filter(reverses=document).exists():
        raise AppError(
            ErrorCode.ALREADY_REVERSED,
            _("%(document)s has been reversed already.") % {"document": document.number},
            field="reverses",
            status=409,
        )


def sales_delivery_reverse(
    *, delivery: SalesDelivery, tz_name: str, on: date | None = None, created_by=None
) -> SalesDelivery:
    """Reverse a delivery (红冲): a further delivery with its own number and the lines negated, whose stock
    moves mirror the original's (back to the same places and lots, at the same value). The order counts
    the goods as not delivered again and, while open, holds them again. Refused while any of the goods
    are invoiced or returned: reverse those first."""
    on = on or today_in(tz_name)
    posted_at = posting_time(on=on, tz_name=tz_name)
    with transaction.atomic():
        order = _order_locked(delivery.order_id)
        original = SalesDelivery.objects.select_for_update().get(pk=delivery.pk)
        _reversible(original)
        lines = list(original.lines.select_related("order_line__item"))
        if any(line.invoiced_quantity != 0 or line.returned_quantity != 0 for line in lines):
            raise AppError(
                SalesErrorCode.HAS_DEPENDENTS,
                _("Goods of %(number)s have been invoiced or returned: reverse those documents first.")
                % {"number": original.number},
                field="reverses",
                status=409,
            )
        reversal = SalesDelivery.objects.create(
            number=document_number_next(doc_type=SALES_DELIVERY, prefix=SALES_DELIVERY_PREFIX, on=on),
            order=order, date=on, posted_at=posted_at, location_id=original.location_id, reverses=original,
            created_by=created_by,
        )  # fmt: skip
        mirrored = stock_moves_reverse(
            source_type=SALES_DELIVERY, source_id=original.pk, posted_at=posted_at,
            reversal_source_type=SALES_DELIVERY, reversal_source_id=reversal.pk, reference=reversal.number,
        )  # fmt: skip
        mirror_of = {move.reverses_id: move for move in mirrored.moves}
        order_lines = {line.pk: line for line in order.lines.select_related("item")}
        back: dict = defaultdict(Decimal)
        copies = []
        for line in lines:
            copies.append(
                SalesDeliveryLine(
                    delivery=reversal, order_line_id=line.order_line_id, quantity=-line.quantity,
                    base_quantity=-line.base_quantity, lot_id=line.lot_id, move=mirror_of.get(line.move_id),
                )
            )  # fmt: skip
            order_line = order_lines[line.order_line_id]
            order_line.delivered_quantity -= line.quantity
            back[order_line.item] += line.base_quantity
        SalesDeliveryLine.objects.bulk_create(copies)
        SalesOrderLine.objects.bulk_update(order_lines.values(), ["delivered_quantity"])
        if order.status in (*OPEN_FOR_DELIVERY, OrderStatus.DELIVERED):
            _reserve_again(order, back)
        _order_status_follow(order, order_lines.values())
        books.document_reversed(
            source_type=SALES_DELIVERY, original=original, reversal=reversal, revalued=mirrored.revalued
        )
    return reversal


def _order_of_delivery_lines(order: SalesOrder, entries: list[DocumentLineInput], *, lines_of) -> list:
    """The delivery lines the entries name, each with its order line, checked to belong to `lines_of`."""
    found = lines_of.select_related("order_line__item", "order_line__unit", "delivery").in_bulk(
        [entry.line_id for entry in entries]
    )
    out = []
    for index, entry in enumerate(entries):
        line = found.get(entry.line_id)
        if line is None or line.quantity < 0 or line.delivery.reverses_id is not None:
            raise AppError(
                SalesErrorCode.WRONG_LINE,
                _("Line %(n)s is not a line of a delivery of this order.") % {"n": index + 1},
                field=f"lines.{index}.line",
            )
        out.append(line)
    return out


def sales_invoice_create(
    *,
    order: SalesOrder,
    lines: list[DocumentLineInput],
    tz_name: str,
    on: date | None = None,
    due_date: date | None = None,
    created_by=None,
) -> SalesInvoice:
    """Invoice delivered goods of one order (销售发票 / 应收单, XSFP…): per delivery line at most what was
    delivered and is not invoiced yet (goods returned before being invoiced are not invoiced). The amounts
    are the order line's, pro rata (cumulatively rounded, so invoicing a line in parts adds up to its
    amount); the customer owes the total more on the receivable."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Invoice at least one line."), field="lines")
    on = on or today_in(tz_name)
    if due_date is not None and due_date < on:
        raise AppError(SalesErrorCode.INVALID_DATE, _("The due date cannot be before the invoice date."),
                       field="due_date")  # fmt: skip
    with transaction.atomic():
        order = _order_locked_plain(order.pk)
        delivery_lines = _delivery_lines_plain(order, lines)
        if due_date is None and order.customer.payment_terms_days:
            due_date = on + timedelta(days=order.customer.payment_terms_days)
        number = document_number_next(doc_type=SALES_INVOICE, prefix=SALES_INVOICE_PREFIX, on=on)
        rows, seen = [], set()
        order_lines = {}
        for index, (entry, line) in enumerate(zip(lines, delivery_lines, strict=True)):
            prefix, n = f"lines.{index}", index + 1
            if line.pk in seen:
                raise AppError(
                    SalesErrorCode.WRONG_LINE, _("Line %(n)s: this delivery line is named twice.") % {"n": n},
                    field=f"{prefix}.line",
                )  # fmt: skip
            seen.add(line.pk)
            if on < line.delivery.date:
                raise AppError(
                    SalesErrorCode.INVALID_DATE,
                    _("An invoice cannot be dated before the delivery %(number)s it bills.")
                    % {"number": line.delivery.number},
                    field="date",
                )
            quantity = _positive(entry.quantity, field=f"{prefix}.quantity", n=n)
            if quantity > line.invoiceable:
                raise AppError(
                    SalesErrorCode.OVER_INVOICE,
                    _("Line %(n)s: only %(left)s %(unit)s of %(item)s delivered by %(delivery)s are left to invoice.")
                    % {
                        "n": n, "left": _qty(max(line.invoiceable, Decimal(0))),
                        "unit": line.order_line.unit.name, "item": line.order_line.item,
                        "delivery": line.delivery.number,
                    },
                    field=f"{prefix}.quantity",
                    status=409,
                )  # fmt: skip
            order_line = order_lines.setdefault(line.order_line_id, line.order_line)
            before = order_line.invoiced_quantity
            gross = share_of(order_line.gross, order_line.quantity, before, quantity)
            net = share_of(order_line.net, order_line.quantity, before, quantity)
            rows.append(SalesInvoiceLine(delivery_line=line, quantity=quantity, net=net, tax=gross - net,
                                         gross=gross))  # fmt: skip
            line.invoiced_quantity += quantity
            order_line.invoiced_quantity += quantity
        # The totals go in with the invoice (one INSERT, not an INSERT and an UPDATE).
        invoice = _insert(SalesInvoice(
            number=number, customer=order.customer, order=order, date=on, due_date=due_date,
            total_net=sum((row.net for row in rows), Decimal(0)), total_tax=sum((row.tax for row in rows), Decimal(0)),
            total_gross=sum((row.gross for row in rows), Decimal(0)), created_by=created_by,
        ))  # fmt: skip
        for row in rows:
            row.invoice = invoice
        _insert_many(rows)
        _counters_write(SalesDeliveryLine, delivery_lines, ["invoiced_quantity"])
        _counters_write(SalesOrderLine, list(order_lines.values()), ["invoiced_quantity"])
        if invoice.total_gross != 0:
            partner_entry_post(
                partner=order.customer, kind=RECEIVABLE, date=on, source_type=SALES_INVOICE, source_id=invoice.pk,
                number=invoice.number, amount=invoice.total_gross, memo=order.number,
            )  # fmt: skip
        books.sales_invoice_posted(invoice)
    return invoice


def sales_invoice_reverse(
    *, invoice: SalesInvoice, tz_name: str, on: date | None = None, created_by=None
) -> SalesInvoice:
    """Reverse an invoice (红冲): a further invoice with the lines and totals negated; the receivable entry is
    reversed and the goods are invoiceable again. Refused while receipts settle it or returns credited its
    goods: reverse those first."""
    on = on or today_in(tz_name)
    with transaction.atomic():
        order = _order_locked(invoice.order_id)
        original = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
        _reversible(original)
        if original.paid_amount != 0:
            raise AppError(
                SalesErrorCode.HAS_DEPENDENTS,
                _("%(number)s is settled by receipts of payment: reverse those first.") % {"number": original.number},
                field="reverses",
                status=409,
            )
        if on < original.date:
            raise AppError(SalesErrorCode.INVALID_DATE, _reversal_before_message(), field="date")
        rows = list(original.lines.select_related("delivery_line__order_line"))
        delivery_lines, order_lines = {}, {}
        for row in rows:
            line = delivery_lines.setdefault(row.delivery_line_id, row.delivery_line)
            order_line = order_lines.setdefault(line.order_line_id, line.order_line)
            line.invoiced_quantity -= row.quantity
            order_line.invoiced_quantity -= row.quantity
            if line.invoiced_quantity < line.credited_quantity:
                raise AppError(
                    SalesErrorCode.HAS_DEPENDENTS,
                    _("Goods of %(number)s were returned and credited: reverse those returns first.")
                    % {"number": original.number},
                    field="reverses",
                    status=409,
                )
        reversal = SalesInvoice.objects.create(
            number=document_number_next(doc_type=SALES_INVOICE, prefix=SALES_INVOICE_PREFIX, on=on),
            customer_id=original.customer_id, order=order, date=on, total_net=-original.total_net,
            total_tax=-original.total_tax, total_gross=-original.total_gross, reverses=original,
            created_by=created_by,
        )  # fmt: skip
        SalesInvoiceLine.objects.bulk_create(
            SalesInvoiceLine(
                invoice=reversal,
                delivery_line_id=row.delivery_line_id,
                quantity=-row.quantity,
                net=-row.net,
                tax=-row.tax,
                gross=-row.gross,
            )  # fmt: skip
            for row in rows
        )
        SalesDeliveryLine.objects.bulk_update(delivery_lines.values(), ["invoiced_quantity"])
        SalesOrderLine.objects.bulk_update(order_lines.values(), ["invoiced_quantity"])
        if original.total_gross != 0:
            partner_entries_reverse(source_type=SALES_INVOICE, source_id=original.pk, date=on, number=reversal.number)
        books.document_reversed(source_type=SALES_INVOICE, original=original, reversal=reversal)
    return reversal


def sales_receipt_create(
    *,
    customer: Partner | None,
    amount: Decimal | str,
    method: str,
    tz_name: str,
    allocations: list[AllocationInput] = (),
    on: date | None = None,
    reference: str = "",
    note: str = "",
    created_by=None,
) -> SalesReceipt:
    """Money received from a customer (收款单, SK…): what they owe goes down by `amount`; `allocations`
    settle their invoices, each at most what is still open on it, together at most `amount` (the rest
    stays on account)."""
    if customer is None or not customer.is_customer:
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose a customer."), field="customer")
    if method not in ReceiptMethod.values:
        raise AppError(ErrorCode.INVALID_PAYMENT_METHOD, _("Choose a payment method."), field="method")
    total = decimal_parse(amount, field="amount", places=CENTS, limit=MONEY_LIMIT)
    if total <= 0:
        raise AppError(SalesErrorCode.INVALID_AMOUNT, _("The amount must be greater than zero."), field="amount")
    reference, note = (reference or "").strip(), (note or "").strip()
    if len(reference) > 64:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": 64}, field="reference")
    if len(note) > NOTE_MAX:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    on = on or today_in(tz_name)
    clean = []
    for index, allocation in enumerate(allocations):
        prefix = f"allocations.{index}"
        if allocation.invoice is None:
            raise AppError(ErrorCode.REQUIRED, _("Choose an invoice."), field=f"{prefix}.invoice")
        share = decimal_parse(allocation.amount, field=f"{prefix}.amount", places=CENTS, limit=MONEY_LIMIT)
        if share <= 0:
            raise AppError(SalesErrorCode.INVALID_AMOUNT, _("The amount must be greater than zero."),
                           field=f"{prefix}.amount")  # fmt: skip
        clean.append((index, allocation.invoice.pk, share))
    if len({invoice_id for _i, invoice_id, _s in clean}) != len(clean):
        raise AppError(SalesErrorCode.WRONG_LINE, _("An invoice is named twice."), field="allocations")
    if sum((share for _i, _id, share in clean), Decimal(0)) > total:
        raise AppError(
            SalesErrorCode.OVER_PAYMENT, _("The allocations add up to more than the amount received."),
            field="allocations",
        )  # fmt: skip
    with transaction.atomic():
        invoices = _invoices_locked_plain([invoice_id for _i, invoice_id, _s in clean])
        receipt = _insert(SalesReceipt(
            number=document_number_next(doc_type=SALES_RECEIPT, prefix=SALES_RECEIPT_PREFIX, on=on),
            customer=customer, date=on, method=method, amount=total, reference=reference, note=note,
            created_by=created_by,
        ))  # fmt: skip
        rows = []
        for index, invoice_id, share in clean:
            invoice = invoices[invoice_id]
            prefix = f"allocations.{index}"
            if invoice.customer_id != customer.pk or invoice.reverses_id is not None or invoice.is_reversed:
                raise AppError(
                    SalesErrorCode.WRONG_LINE,
                    _("%(number)s is not an open invoice of %(customer)s.")
                    % {"number": invoice.number, "customer": customer.name},
                    field=f"{prefix}.invoice",
                )
            if share > invoice.open_amount:
                raise AppError(
                    SalesErrorCode.OVER_PAYMENT,
                    _("%(number)s has only %(open)s open.") % {"number": invoice.number, "open": invoice.open_amount},
                    field=f"{prefix}.amount",
                    status=409,
                )
            invoice.paid_amount += share
            rows.append(SalesReceiptAllocation(receipt=receipt, invoice=invoice, amount=share))
        _insert_many(rows)
        _counters_write(SalesInvoice, list(invoices.values()), ["paid_amount"])
        partner_entry_post(
            partner=customer, kind=RECEIVABLE, date=on, source_type=SALES_RECEIPT, source_id=receipt.pk,
            number=receipt.number, amount=-total, memo=reference,
        )  # fmt: skip
        books.sales_receipt_posted(receipt)
    return receipt


def sales_receipt_reverse(
    *, receipt: SalesReceipt, tz_name: str, on: date | None = None, created_by=None
) -> SalesReceipt:
    """Reverse a receipt of payment (红冲, e.g. a bounced transfer): the customer owes the amount again and the
    invoices it settled are open again by what it settled."""
    on = on or today_in(tz_name)
    with transaction.atomic():
        original = SalesReceipt.objects.select_for_update().get(pk=receipt.pk)
        _reversible(original)
        if on < original.date:
            raise AppError(SalesErrorCode.INVALID_DATE, _reversal_before_message(), field="date")
        allocations = list(original.allocations.all())
        invoices = {
            invoice.pk: invoice
            for invoice in SalesInvoice.objects.select_for_update()
            .filter(pk__in=[a.invoice_id for a in allocations])
            .order_by("pk")
        }
        reversal = SalesReceipt.objects.create(
            number=document_number_next(doc_type=SALES_RECEIPT, prefix=SALES_RECEIPT_PREFIX, on=on),
            customer_id=original.customer_id, date=on, method=original.method, amount=-original.amount,
            reference=original.reference, reverses=original, created_by=created_by,
        )  # fmt: skip
        for allocation in allocations:
            invoices[allocation.invoice_id].paid_amount -= allocation.amount
        SalesReceiptAllocation.objects.bulk_create(
            SalesReceiptAllocation(receipt=reversal, invoice_id=a.invoice_id, amount=-a.amount) for a in allocations
        )
        SalesInvoice.objects.bulk_update(invoices.values(), ["paid_amount"])
        partner_entries_reverse(source_type=SALES_RECEIPT, source_id=original.pk, date=on, number=reversal.number)
        books.document_reversed(source_type=SALES_RECEIPT, original=original, reversal=reversal)
    return reversal


def sales_return_create(
    *,
    delivery: SalesDelivery,
    lines: list[DocumentLineInput],
    tz_name: str,
    on: date | None = None,
    reason: str = "",
    created_by=None,
) -> SalesReturn:
    """Goods a customer sends back from a delivery (销售退货, XSTH…): into the place and lot they left from,
    at the unit cost they left with (the delivery's stock move); the part of them already invoiced is
    credited on the receivable at the order line's price, the rest is simply no longer to be invoiced."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Return at least one line."), field="lines")
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="reason")
    on = on or today_in(tz_name)
    posted_at = posting_time(on=on, tz_name=tz_name)
    with transaction.atomic():
        order = _order_locked(delivery.order_id)
        delivery = SalesDelivery.objects.get(pk=delivery.pk)
        if delivery.reverses_id is not None or hasattr(delivery, "reversal"):
            raise AppError(
                SalesErrorCode.WRONG_STATUS, _("%(number)s has been reversed: nothing to return.")
                % {"number": delivery.number}, field="delivery", status=409,
            )  # fmt: skip
        if on < delivery.date:
            message = _("A return cannot be dated before its delivery.")
            raise AppError(SalesErrorCode.INVALID_DATE, message, field="date")
        delivery_lines = _order_of_delivery_lines(order, lines, lines_of=delivery.lines.select_related("move"))
        sales_return = SalesReturn.objects.create(
            number=document_number_next(doc_type=SALES_RETURN, prefix=SALES_RETURN_PREFIX, on=on),
            delivery=delivery, order=order, customer=order.customer, date=on, posted_at=posted_at,
            reason=reason, credit_amount=0, created_by=created_by,
        )  # fmt: skip
        rows, moves, seen, order_lines = [], [], set(), {}
        for index, (entry, line) in enumerate(zip(lines, delivery_lines, strict=True)):
            prefix, n = f"lines.{index}", index + 1
            if line.pk in seen:
                raise AppError(
                    SalesErrorCode.WRONG_LINE, _("Line %(n)s: this delivery line is named twice.") % {"n": n},
                    field=f"{prefix}.line",
                )  # fmt: skip
            seen.add(line.pk)
            quantity = _positive(entry.quantity, field=f"{prefix}.quantity", n=n)
            if quantity > line.returnable:
                raise AppError(
                    SalesErrorCode.OVER_RETURN,
                    _("Line %(n)s: only %(left)s %(unit)s of %(item)s can still be returned.")
                    % {
                        "n": n,
                        "left": _qty(line.returnable),
                        "unit": line.order_line.unit.name,
                        "item": line.order_line.item,
                    },  # fmt: skip
                    field=f"{prefix}.quantity",
                    status=409,
                )
            order_line = order_lines.setdefault(line.order_line_id, line.order_line)
            # Returned goods first make up what was not invoiced yet; the rest was invoiced: credit it.
            credited = quantity - min(quantity, max(line.invoiceable, Decimal(0)))
            credit = share_of(order_line.gross, order_line.quantity, order_line.credited_quantity, credited)
            if quantity == line.returnable:
                returned_base = sum((r.base_quantity for r in line.return_lines.all()), Decimal(0))
                base = line.base_quantity - returned_base
            else:
                base = (line.base_quantity * quantity / line.quantity).quantize(PLACES)
            unit_cost = line.move.unit_cost
            rows.append(
                SalesReturnLine(
                    sales_return=sales_return, delivery_line=line, quantity=quantity, base_quantity=base,
                    credited_quantity=credited, credit_amount=credit, unit_cost=unit_cost,
                )
            )  # fmt: skip
            moves.append(
                MoveLine(order_line.item, line.move.warehouse, base, unit_cost, line.move.location, line.move.lot)
            )
            line.returned_quantity += quantity
            line.credited_quantity += credited
            order_line.returned_quantity += quantity
            order_line.credited_quantity += credited
        SalesReturnLine.objects.bulk_create(rows)
        SalesDeliveryLine.objects.bulk_update(delivery_lines, ["returned_quantity", "credited_quantity"])
        SalesOrderLine.objects.bulk_update(order_lines.values(), ["returned_quantity", "credited_quantity"])
        stocked = stock_moves_post(
            lines=moves, posted_at=posted_at, source_type=SALES_RETURN, source_id=sales_return.pk,
            reference=sales_return.number,
        )  # fmt: skip
        sales_return.credit_amount = sum((row.credit_amount for row in rows), Decimal(0))
        sales_return.save(update_fields=["credit_amount"])
        if sales_return.credit_amount != 0:
            partner_entry_post(
                partner=order.customer, kind=RECEIVABLE, date=on, source_type=SALES_RETURN,
                source_id=sales_return.pk, number=sales_return.number, amount=-sales_return.credit_amount,
                memo=delivery.number,
            )  # fmt: skip
        books.sales_return_posted(sales_return, revalued=stocked.revalued)
    return sales_return


def sales_return_reverse(
    *, sales_return: SalesReturn, tz_name: str, on: date | None = None, created_by=None
) -> SalesReturn:
    """Reverse a return (红冲): the goods leave again at the value they came back at, the credit is reversed
    and the quantities count as delivered (and invoiced) again."""
    on = on or today_in(tz_name)
    posted_at = posting_time(on=on, tz_name=tz_name)
    with transaction.atomic():
        order = _order_locked(sales_return.order_id)
        original = SalesReturn.objects.select_for_update().get(pk=sales_return.pk)
        _reversible(original)
        rows = list(original.lines.select_related("delivery_line__order_line"))
        reversal = SalesReturn.objects.create(
            number=document_number_next(doc_type=SALES_RETURN, prefix=SALES_RETURN_PREFIX, on=on),
            delivery_id=original.delivery_id, order=order, customer_id=original.customer_id, date=on,
            posted_at=posted_at, reason=original.reason, credit_amount=-original.credit_amount, reverses=original,
            created_by=created_by,
        )  # fmt: skip
        stocked = stock_moves_reverse(
            source_type=SALES_RETURN, source_id=original.pk, posted_at=posted_at,
            reversal_source_type=SALES_RETURN, reversal_source_id=reversal.pk, reference=reversal.number,
        )  # fmt: skip
        delivery_lines, order_lines = {}, {}
        for row in rows:
            line = delivery_lines.setdefault(row.delivery_line_id, row.delivery_line)
            order_line = order_lines.setdefault(line.order_line_id, line.order_line)
            line.returned_quantity -= row.quantity
            line.credited_quantity -= row.credited_quantity
            order_line.returned_quantity -= row.quantity
            order_line.credited_quantity -= row.credited_quantity
        SalesReturnLine.objects.bulk_create(
            SalesReturnLine(
                sales_return=reversal, delivery_line_id=row.delivery_line_id, quantity=-row.quantity,
                base_quantity=-row.base_quantity, credited_quantity=-row.credited_quantity,
                credit_amount=-row.credit_amount, unit_cost=row.unit_cost,
            )
            for row in rows
        )  # fmt: skip
        SalesDeliveryLine.objects.bulk_update(delivery_lines.values(), ["returned_quantity", "credited_quantity"])
        SalesOrderLine.objects.bulk_update(order_lines.values(), ["returned_quantity", "credited_quantity"])
        if original.credit_amount != 0:
            partner_entries_reverse(source_type=SALES_RETURN, source_id=original.pk, date=on, number=reversal.number)
        books.document_reversed(
            source_type=SALES_RETURN, original=original, reversal=reversal, revalued=stocked.revalued
        )
    return reversal
