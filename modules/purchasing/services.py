"""Purchasing writes, one transaction each: orders (create, update a draft, confirm, cancel, close) and
receipts against a confirmed order (`purchase_receive`), which post their stock moves at once and count
what arrived on the order's lines under a row lock on the order. Bad input is refused as a whole."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import CENTS, PLACES, cents, decimal_parse, line_amounts, today_in
from modules.catalog.models import VAT_RATES as CATALOG_VAT_RATES
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import quantity_to_base
from modules.finance import posting as books
from modules.inventory.models import Location, Lot, Warehouse
from modules.inventory.services import MoveLine, posting_time, stock_moves_post, stock_moves_reverse
from modules.numbering.services import document_number_next
from modules.partnerledger.services import partner_entries_reverse, partner_entry_post
from modules.partners.models import Partner, SupplierItem
from modules.purchasing.enums import (
    PAYABLE,
    PURCHASE_BILL,
    PURCHASE_BILL_PREFIX,
    PURCHASE_ORDER,
    PURCHASE_ORDER_PREFIX,
    PURCHASE_PAYMENT,
    PURCHASE_PAYMENT_PREFIX,
    PURCHASE_RECEIPT,
    PURCHASE_RECEIPT_PREFIX,
    PURCHASE_RETURN,
    PURCHASE_RETURN_PREFIX,
    ErrorCode,
    OrderStatus,
    PaymentMethod,
)
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseBillLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePayment,
    PurchasePaymentAllocation,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
    PurchasingSettings,
)

# Amounts are numeric(14, 2): fewer than 12 digits before the point.
MONEY_LIMIT = Decimal("1e12")
HUNDRED = Decimal(100)
NOTE_MAX = 500
LOT_MAX = 64
VAT_RATES = {Decimal(str(rate)) for rate in CATALOG_VAT_RATES}
RECEIVABLE = (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_RECEIVED)


@dataclass(frozen=True)
class OrderLineInput:
    """`quantity` of any of the item's units at `unit_price` per that unit; `vat_rate` None: the item's."""

    item: Item | None
    unit: Unit | None
    quantity: Decimal | str
    unit_price: Decimal | str
    discount_percent: Decimal | str | None = None
    vat_rate: Decimal | str | None = None


@dataclass(frozen=True)
class ReceiveLineInput:
    """`quantity` (in the order line's unit) of order line `line_id` arrived; lots for lot-tracked items."""

    line_id: int
    quantity: Decimal | str
    lot_code: str = ""
    expiry_date: date | None = None


@dataclass(frozen=True)
class BillLineInput:
    """`quantity` (in the order line's unit) of receipt line `receipt_line_id` billed at `unit_price` per
    that unit (None: the order's price after discount), at `vat_rate` (None: the order line's)."""

    receipt_line_id: int
    quantity: Decimal | str
    unit_price: Decimal | str | None = None
    vat_rate: Decimal | str | None = None


@dataclass(frozen=True)
class AllocationInput:
    """`amount` of a payment settles bill `bill_id`."""

    bill_id: int
    amount: Decimal | str


@dataclass(frozen=True)
class ReceiptReturnLineInput:
    """`quantity` (in the order line's unit) of receipt line `receipt_line_id` goes back."""

    receipt_line_id: int
    quantity: Decimal | str


@dataclass(frozen=True)
class ReturnLineInput:
    """A free-standing return's line: `quantity` of any of the item's units at `unit_price` per that unit
    (with or without VAT as the tenant's setting says); `lot_code` names an existing lot of a lot-tracked item."""

    item: Item | None
    unit: Unit | None
    quantity: Decimal | str
    unit_price: Decimal | str
    vat_rate: Decimal | str | None = None
    lot_code: str = ""


def settings_get() -> PurchasingSettings:
    """The defaults (unsaved) until someone changes them, so reads never insert."""
    return PurchasingSettings.objects.filter(pk=1).first() or PurchasingSettings(pk=1)


@transaction.atomic
def settings_update(*, prices_include_vat: bool) -> PurchasingSettings:
    settings, _created = PurchasingSettings.objects.update_or_create(
        pk=1, defaults={"prices_include_vat": bool(prices_include_vat)}
    )
    return settings


def _clean_line(index: int, line: OrderLineInput, prices_include_vat: bool) -> PurchaseOrderLine:
    prefix, n = f"lines.{index}", index + 1
    if line.item is None:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose an item.") % {"n": n}, field=f"{prefix}.item")
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
    if line.unit_price in (None, ""):
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: enter the price.") % {"n": n}, field=f"{prefix}.unit_price")
    unit_price = decimal_parse(line.unit_price, field=f"{prefix}.unit_price")
    if unit_price < 0:
        raise AppError(
            ErrorCode.INVALID_PRICE,
            _("Line %(n)s: the price cannot be negative.") % {"n": n},
            field=f"{prefix}.unit_price",
        )
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
                ErrorCode.INVALID_VAT_RATE,
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
    return PurchaseOrderLine(
        position=index,
        item=line.item,
        unit=unit,
        quantity=quantity,
        base_quantity=base,
        unit_price=unit_price,
        discount_percent=discount,
        vat_rate=vat_rate,
        net=net,
        tax=tax,
        gross=gross,
    )


def _clean_header(values: dict) -> dict:
    clean = {}
    for name, value in values.items():
        if name == "supplier":
            if value is None or not (value.is_supplier and value.is_active):
                raise AppError(ErrorCode.WRONG_PARTNER, _("Choose an active supplier."), field="supplier")
        elif name == "warehouse":
            if value is None or not value.is_active:
                raise AppError(ErrorCode.INACTIVE, _("Choose an active warehouse."), field="warehouse")
        elif name == "date":
            if not isinstance(value, date):
                raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="date")
        elif name == "expected_date":
            if value is not None and not isinstance(value, date):
                raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="expected_date")
        elif name == "note":
            value = (value or "").strip()
            if len(value) > NOTE_MAX:
                raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
        else:
            raise AppError(ErrorCode.UNKNOWN_FIELD, _("Unknown field."), field=name)
        clean[name] = value
    if clean.get("expected_date") and clean.get("date") and clean["expected_date"] < clean["date"]:
        raise AppError(
            ErrorCode.INVALID_DATE, _("The expected date cannot be before the order date."), field="expected_date"
        )
    return clean


def _clean_lines(lines: list[OrderLineInput], prices_include_vat: bool) -> list[PurchaseOrderLine]:
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Add at least one line."), field="lines")
    return [_clean_line(index, line, prices_include_vat) for index, line in enumerate(lines)]


def _save_lines(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    for line in lines:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(lines)
    order.total_net = sum((line.net for line in lines), Decimal(0))
    order.total_tax = sum((line.tax for line in lines), Decimal(0))
    order.total_gross = sum((line.gross for line in lines), Decimal(0))
    order.save(update_fields=["total_net", "total_tax", "total_gross"])


def purchase_order_create(
    *,
    supplier: Partner | None,
    warehouse: Warehouse | None,
    date: date,
    lines: list[OrderLineInput],
    expected_date: date | None = None,
    note: str = "",
    created_by=None,
) -> PurchaseOrder:
    """A draft order with its number (CG…), priced with or without VAT as the tenant's setting says."""
    header = _clean_header(
        {"supplier": supplier, "warehouse": warehouse, "date": date, "expected_date": expected_date, "note": note}
    )
    include = settings_get().prices_include_vat
    clean = _clean_lines(lines, include)
    with transaction.atomic():
        order = PurchaseOrder.objects.create(
            number=document_number_next(doc_type=PURCHASE_ORDER, prefix=PURCHASE_ORDER_PREFIX, on=header["date"]),
            prices_include_vat=include,
            created_by=created_by,
            **header,
        )
        _save_lines(order, clean)
    return order


def _locked(order_id: int) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=order_id)


def _require(order: PurchaseOrder, statuses, message: str) -> None:
    if order.status not in statuses:
        raise AppError(ErrorCode.WRONG_STATUS, message, field="status", status=409)


def purchase_order_update(
    *, order: PurchaseOrder, lines: list[OrderLineInput] | None = None, **changes
) -> PurchaseOrder:
    """Change a draft: any of supplier, warehouse, date, expected_date, note; `lines` replaces them all."""
    with transaction.atomic():
        order = _locked(order.pk)
        _require(order, (OrderStatus.DRAFT,), _("Only a draft order can be changed."))
        current = {"date": order.date, "expected_date": order.expected_date}
        header = _clean_header({**current, **changes})
        # The year of the number stays: a draft keeps its number when its date moves.
        for name, value in header.items():
            setattr(order, name, value)
        order.save()
        if lines is not None:
            clean = _clean_lines(lines, order.prices_include_vat)
            order.lines.all().delete()
            _save_lines(order, clean)
    return order


def purchase_order_confirm(*, order: PurchaseOrder) -> PurchaseOrder:
    with transaction.atomic():
        order = _locked(order.pk)
        _require(order, (OrderStatus.DRAFT,), _("Only a draft order can be confirmed."))
        order.status = OrderStatus.CONFIRMED
        order.save(update_fields=["status"])
    return order


def purchase_order_cancel(*, order: PurchaseOrder) -> PurchaseOrder:
    """Before anything has been received only; afterwards the order is closed instead."""
    with transaction.atomic():
        order = _locked(order.pk)
        _require(
            order,
            (OrderStatus.DRAFT, OrderStatus.CONFIRMED),
            _("Goods have been received against this order: close it instead of cancelling it."),
        )
        order.status = OrderStatus.CANCELLED
        order.save(update_fields=["status"])
    return order


def purchase_order_close(*, order: PurchaseOrder) -> PurchaseOrder:
    """No more goods will come: what is still outstanding is given up."""
    with transaction.atomic():
        order = _locked(order.pk)
        _require(
            order,
            (OrderStatus.PARTIALLY_RECEIVED, OrderStatus.RECEIVED),
            _("Only an order that has received goods can be closed."),
        )
        order.status = OrderStatus.CLOSED
        order.save(update_fields=["status"])
    return order


def _clean_lot(line: PurchaseOrderLine, entry: ReceiveLineInput, prefix: str, n: int) -> Lot | None:
    code = (entry.lot_code or "").strip()
    if not line.item.lot_tracked:
        if code or entry.expiry_date:
            raise AppError(
                ErrorCode.LOT_NOT_ALLOWED,
                _("Line %(n)s: %(item)s is not lot-tracked.") % {"n": n, "item": line.item},
                field=f"{prefix}.lot_code",
            )
        return None
    if not code:
        raise AppError(
            ErrorCode.LOT_REQUIRED,
            _("Line %(n)s: %(item)s is lot-tracked; enter the lot.") % {"n": n, "item": line.item},
            field=f"{prefix}.lot_code",
        )
    if len(code) > LOT_MAX:
        raise AppError(
            ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": LOT_MAX}, field=f"{prefix}.lot_code"
        )
    lot, created = Lot.objects.get_or_create(item=line.item, code=code, defaults={"expiry_date": entry.expiry_date})
    # A lot keeps the expiry date it was created with.
    if not created and entry.expiry_date and lot.expiry_date and lot.expiry_date != entry.expiry_date:
        raise AppError(
            ErrorCode.LOT_EXPIRY_MISMATCH,
            _("Line %(n)s: lot %(lot)s expires on %(date)s.") % {"n": n, "lot": lot.code, "date": lot.expiry_date},
            field=f"{prefix}.expiry_date",
        )
    return lot


def _supplier_price_remember(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    """The supplier's last purchase price of each item received (per base unit, as the order priced it)."""
    for line in lines:
        price = (line.unit_price * line.quantity / line.base_quantity).quantize(PLACES, rounding=ROUND_HALF_UP)
        SupplierItem.objects.update_or_create(
            supplier_id=order.supplier_id, item_id=line.item_id, defaults={"last_purchase_price": price}
        )


def purchase_receive(
    *,
    order: PurchaseOrder,
    lines: list[ReceiveLineInput],
    tz_name: str,
    on: date | None = None,
    location: Location | None = None,
    created_by=None,
) -> PurchaseReceipt:
    """Receive goods against a confirmed order (采购入库): a receipt (RK…) posted at once into the order's
    warehouse (at `location`), each line at its net cost per base unit; the order's lines count what
    arrived and its status follows. More than is outstanding on a line is refused, naming the line."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Receive at least one line."), field="lines")
    on = on or today_in(tz_name)
    with transaction.atomic():
        # The lock serialises receipts of one order: the outstanding quantities read below stay true.
        order = _locked(order.pk)
        if order.status == OrderStatus.RECEIVED:
            # Typically a second clerk booking in the same delivery.
            raise AppError(
                ErrorCode.OVER_RECEIPT,
                _("Everything on order %(number)s has been received already.") % {"number": order.number},
                field="lines",
                status=409,
            )
        _require(order, RECEIVABLE, _("Goods can only be received against a confirmed order."))
        if location is not None and location.warehouse_id != order.warehouse_id:
            raise AppError(
                ErrorCode.WRONG_WAREHOUSE,
                _("Location %(location)s is not in warehouse %(warehouse)s.")
                % {"location": location.code, "warehouse": order.warehouse.code},
                field="location",
            )
        order_lines = {line.pk: line for line in order.lines.select_related("item", "unit")}
        receipt = PurchaseReceipt.objects.create(
            number=document_number_next(doc_type=PURCHASE_RECEIPT, prefix=PURCHASE_RECEIPT_PREFIX, on=on),
            order=order,
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            location=location,
            created_by=created_by,
        )
        received, moves, touched = [], [], {}
        for index, entry in enumerate(lines):
            prefix, n = f"lines.{index}", index + 1
            line = order_lines.get(entry.line_id)
            if line is None:
                raise AppError(
                    ErrorCode.WRONG_LINE,
                    _("Line %(n)s is not a line of this order.") % {"n": n},
                    field=f"{prefix}.line",
                )
            quantity = decimal_parse(entry.quantity, field=f"{prefix}.quantity")
            if quantity <= 0:
                raise AppError(
                    ErrorCode.NON_POSITIVE_QUANTITY,
                    _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
                    field=f"{prefix}.quantity",
                )
            if quantity > line.outstanding:
                raise AppError(
                    ErrorCode.OVER_RECEIPT,
                    _("%(item)s (order line %(line)s): only %(outstanding)s %(unit)s are still outstanding.")
                    % {
                        "item": line.item,
                        "line": line.position + 1,
                        "outstanding": line.outstanding.normalize(),
                        "unit": line.unit.name,
                    },
                    field=f"{prefix}.quantity",
                    status=409,
                )
            base = quantity_to_base(line.item, line.unit, quantity)
            lot = _clean_lot(line, entry, prefix, n)
            unit_cost = (line.net / line.base_quantity).quantize(PLACES, rounding=ROUND_HALF_UP)
            received.append(
                PurchaseReceiptLine(
                    receipt=receipt,
                    order_line=line,
                    quantity=quantity,
                    base_quantity=base,
                    unit_cost=unit_cost,
                    lot=lot,
                )
            )
            moves.append(MoveLine(line.item, order.warehouse, base, unit_cost, location, lot))
            line.received_quantity += quantity
            touched[line.pk] = line
        PurchaseReceiptLine.objects.bulk_create(received)
        PurchaseOrderLine.objects.bulk_update(touched.values(), ["received_quantity"])
        result = stock_moves_post(
            lines=moves,
            posted_at=receipt.posted_at,
            source_type=PURCHASE_RECEIPT,
            source_id=receipt.pk,
            reference=receipt.number,
        )
        _status_follow(order, list(order_lines.values()))
        _supplier_price_remember(order, list(touched.values()))
        books.purchase_receipt_posted(receipt, revalued=result.revalued)
    return receipt


def _status_follow(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    """The order's status from what its lines count as received (a closed order stays closed)."""
    if order.status == OrderStatus.CLOSED:
        return
    if all(line.received_quantity == 0 for line in lines):
        status = OrderStatus.CONFIRMED
    elif all(line.outstanding == 0 for line in lines):
        status = OrderStatus.RECEIVED
    else:
        status = OrderStatus.PARTIALLY_RECEIVED
    if status != order.status:
        order.status = status
        order.save(update_fields=["status"])


def _reversible(document, *, field: str, reversed_message: str, reversal_message: str) -> None:
    if document.reverses_id is not None:
        raise AppError(ErrorCode.REVERSAL_OF_REVERSAL, reversal_message, field=field, status=409)
    if type(document).objects.filter(reverses=document).exists():
        raise AppError(ErrorCode.ALREADY_REVERSED, reversed_message, field=field, status=409)


def purchase_receipt_reverse(*, receipt: PurchaseReceipt, tz_name: str, created_by=None) -> PurchaseReceipt:
    """Reverse a posted receipt (红冲) today: a further receipt (RK…) whose lines negate the original's and
    whose stock moves mirror its moves; the order's lines count the goods as not received again and its
    status follows (a closed order stays closed). Refused when part of the receipt has been billed or
    returned (reverse those first), and when later moves have used the goods (the ledger names the line)."""
    with transaction.atomic():
        # The order's lock first, as receiving takes it: receipts and reversals of one order queue.
        order = _locked(receipt.order_id)
        original = PurchaseReceipt.objects.select_for_update().get(pk=receipt.pk)
        _reversible(
            original,
            field="receipt",
            reversed_message=_("Receipt %(number)s has been reversed already.") % {"number": original.number},
            reversal_message=_("A reversal cannot itself be reversed."),
        )
        originals = list(original.lines.select_related("order_line").order_by("id"))
        _receipt_unused_check(original, originals)
        on = today_in(tz_name)
        reversal = PurchaseReceipt.objects.create(
            number=document_number_next(doc_type=PURCHASE_RECEIPT, prefix=PURCHASE_RECEIPT_PREFIX, on=on),
            order=order,
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            location_id=original.location_id,
            reverses=original,
            created_by=created_by,
        )
        order_lines = {line.pk: line for line in order.lines.all()}
        copies = []
        for line in originals:
            order_lines[line.order_line_id].received_quantity -= line.quantity
            copies.append(
                PurchaseReceiptLine(
                    receipt=reversal,
                    order_line_id=line.order_line_id,
                    quantity=-line.quantity,
                    base_quantity=-line.base_quantity,
                    unit_cost=line.unit_cost,
                    lot_id=line.lot_id,
                )
            )
        PurchaseReceiptLine.objects.bulk_create(copies)
        PurchaseOrderLine.objects.bulk_update(order_lines.values(), ["received_quantity"])
        result = stock_moves_reverse(
            source_type=PURCHASE_RECEIPT,
            source_id=original.pk,
            posted_at=reversal.posted_at,
            reversal_source_type=PURCHASE_RECEIPT,
            reversal_source_id=reversal.pk,
            reference=reversal.number,
        )
        _status_follow(order, list(order_lines.values()))
        books.document_reversed(
            source_type=PURCHASE_RECEIPT, original=original, reversal=reversal, revalued=result.revalued
        )
    return reversal


def _receipt_unused_check(receipt: PurchaseReceipt, lines: list[PurchaseReceiptLine]) -> None:
    """Bills and returns hang on a receipt's lines: while any of them stands, the receipt stays."""
    for index, line in enumerate(lines):
        if line.returned_quantity:
            raise AppError(
                ErrorCode.IN_USE,
                _("Goods of receipt %(number)s have been returned: reverse the return first.")
                % {"number": receipt.number},
                field=f"lines.{index}",
                status=409,
            )
        if line.billed_quantity:
            raise AppError(
                ErrorCode.IN_USE,
                _("Receipt %(number)s has been billed: reverse its bill first.") % {"number": receipt.number},
                field=f"lines.{index}",
                status=409,
            )


# --- Supplier bills (采购发票) ---------------------------------------------------------------------------


def order_price(line: PurchaseOrderLine) -> Decimal:
    """The order line's price per its unit after its discount, as bills are compared against."""
    return (line.unit_price * (HUNDRED - line.discount_percent) / HUNDRED).quantize(PLACES, rounding=ROUND_HALF_UP)


def _clean_vat(value, *, default: Decimal, field: str, n: int) -> Decimal:
    if value in (None, ""):
        return default
    rate = decimal_parse(value, field=field, places=CENTS)
    if rate not in VAT_RATES:
        raise AppError(
            ErrorCode.INVALID_VAT_RATE,
            _("Line %(n)s: choose one of the VAT rates %(rates)s.")
            % {"n": n, "rates": ", ".join(str(rate) for rate in sorted(VAT_RATES))},
            field=field,
        )
    return rate


def _clean_posting_date(on: date | None, tz_name: str) -> date:
    today = today_in(tz_name)
    if on is None:
        return today
    if not isinstance(on, date):
        raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="date")
    if on > today:
        raise AppError(ErrorCode.FUTURE_DATE, _("The date cannot be in the future."), field="date")
    return on


def _payable_post(*, supplier: Partner, on: date, source_type: str, document, amount: Decimal, memo: str = "") -> None:
    """What we owe `supplier` moves by `amount` (signed); a document of nothing owes nothing."""
    if amount:
        partner_entry_post(
            partner=supplier,
            kind=PAYABLE,
            date=on,
            source_type=source_type,
            source_id=document.pk,
            number=document.number,
            amount=amount,
            memo=memo,
        )


def _payable_reverse(*, source_type: str, original, reversal, amount: Decimal) -> None:
    """Negate what `original` posted (nothing when its `amount` was nothing)."""
    if amount:
        partner_entries_reverse(
            source_type=source_type, source_id=original.pk, date=reversal.date, number=reversal.number
        )


def _bill_line_clean(
    index: int, entry: BillLineInput, receipt_lines: dict[int, PurchaseReceiptLine], order: PurchaseOrder
) -> PurchaseBillLine:
    prefix, n = f"lines.{index}", index + 1
    receipt_line = receipt_lines.get(entry.receipt_line_id)
    if receipt_line is None:
        raise AppError(
            ErrorCode.WRONG_LINE,
            _("Line %(n)s is not a line of a standing receipt of this order.") % {"n": n},
            field=f"{prefix}.receipt_line",
        )
    line = receipt_line.order_line
    quantity = decimal_parse(entry.quantity, field=f"{prefix}.quantity")
    if quantity <= 0:
        raise AppError(
            ErrorCode.NON_POSITIVE_QUANTITY,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    open_quantity = receipt_line.quantity - receipt_line.billed_quantity
    if quantity > open_quantity:
        raise AppError(
            ErrorCode.OVER_BILLING,
            _("%(item)s (receipt %(receipt)s): only %(open)s %(unit)s received are not yet billed.")
            % {
                "item": line.item,
                "receipt": receipt_line.receipt.number,
                "open": open_quantity.normalize(),
                "unit": line.unit.name,
            },
            field=f"{prefix}.quantity",
            status=409,
        )
    compared = order_price(line)
    if entry.unit_price in (None, ""):
        unit_price = compared
    else:
        unit_price = decimal_parse(entry.unit_price, field=f"{prefix}.unit_price")
        if unit_price < 0:
            raise AppError(
                ErrorCode.INVALID_PRICE,
                _("Line %(n)s: the price cannot be negative.") % {"n": n},
                field=f"{prefix}.unit_price",
            )
    vat_rate = _clean_vat(entry.vat_rate, default=line.vat_rate, field=f"{prefix}.vat_rate", n=n)
    net, tax, gross = line_amounts(
        quantity=quantity,
        unit_price=unit_price,
        discount_percent=Decimal(0),
        vat_rate=vat_rate,
        prices_include_vat=order.prices_include_vat,
    )
    if abs(gross) >= MONEY_LIMIT:
        raise AppError(ErrorCode.INVALID_NUMBER, _("Enter a number."), field=f"{prefix}.quantity")
    receipt_line.billed_quantity += quantity
    return PurchaseBillLine(
        position=index,
        receipt_line=receipt_line,
        quantity=quantity,
        unit_price=unit_price,
        vat_rate=vat_rate,
        net=net,
        tax=tax,
        gross=gross,
        open_quantity=open_quantity,
        order_price=compared,
    )


def _billable_lines(order: PurchaseOrder) -> dict[int, PurchaseReceiptLine]:
    """The lines of the order's receipts that stand: neither a reversal nor reversed."""
    return {
        rl.pk: rl
        for rl in PurchaseReceiptLine.objects.select_for_update(of=("self",))
        .select_related("receipt", "order_line__item", "order_line__unit")
        .filter(receipt__order=order, receipt__reverses__isnull=True, receipt__reversal__isnull=True)
        .order_by("pk")
    }


def _order_lines_count(order: PurchaseOrder, field: str, lines) -> None:
    """Add up `field` of the order's lines from the receipt lines counted in `lines` (receipt line, quantity)."""
    changed = {}
    order_lines = {line.pk: line for line in order.lines.all()}
    for receipt_line, quantity in lines:
        line = order_lines[receipt_line.order_line_id]
        setattr(line, field, getattr(line, field) + quantity)
        changed[line.pk] = line
    PurchaseOrderLine.objects.bulk_update(changed.values(), [field])


def purchase_bill_create(
    *,
    order: PurchaseOrder,
    lines: list[BillLineInput],
    tz_name: str,
    on: date | None = None,
    invoice_number: str = "",
    note: str = "",
    created_by=None,
) -> PurchaseBill:
    """Post the supplier's bill (采购发票, CGFP…) for goods received against `order`: each line bills part
    or all of a receipt line not yet billed (more is refused, naming the line), at the order's price or the
    one the supplier charged. Lines whose quantity or price differ are flagged, and so is the bill. What we
    owe the supplier rises by the bill's total (partner ledger, payable)."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Bill at least one line."), field="lines")
    on = _clean_posting_date(on, tz_name)
    invoice_number = (invoice_number or "").strip()
    if len(invoice_number) > 40:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": 40}, field="invoice_number")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    with transaction.atomic():
        # The order's lock serialises its receipts, reversals, bills and returns: the open quantities hold.
        order = _locked(order.pk)
        if order.status in (OrderStatus.DRAFT, OrderStatus.CANCELLED):
            raise AppError(
                ErrorCode.WRONG_STATUS, _("Nothing has been received against this order."), field="order", status=409
            )
        receipt_lines = _billable_lines(order)
        clean = [_bill_line_clean(index, entry, receipt_lines, order) for index, entry in enumerate(lines)]
        seen = set()
        for index, line in enumerate(clean):
            if line.receipt_line_id in seen:
                raise AppError(
                    ErrorCode.WRONG_LINE,
                    _("Line %(n)s bills a receipt line billed above already.") % {"n": index + 1},
                    field=f"lines.{index}.receipt_line",
                )
            seen.add(line.receipt_line_id)
        bill = PurchaseBill.objects.create(
            number=document_number_next(doc_type=PURCHASE_BILL, prefix=PURCHASE_BILL_PREFIX, on=on),
            supplier_id=order.supplier_id,
            order=order,
            date=on,
            invoice_number=invoice_number,
            note=note,
            prices_include_vat=order.prices_include_vat,
            total_net=sum((line.net for line in clean), Decimal(0)),
            total_tax=sum((line.tax for line in clean), Decimal(0)),
            total_gross=sum((line.gross for line in clean), Decimal(0)),
            price_difference=cents(sum(((ln.unit_price - ln.order_price) * ln.quantity for ln in clean), Decimal(0))),
            has_differences=any(line.quantity_difference or line.price_difference for line in clean),
            created_by=created_by,
        )
        for line in clean:
            line.bill = bill
        PurchaseBillLine.objects.bulk_create(clean)
        PurchaseReceiptLine.objects.bulk_update([line.receipt_line for line in clean], ["billed_quantity"])
        _order_lines_count(order, "billed_quantity", [(line.receipt_line, line.quantity) for line in clean])
        order.billed_amount += bill.total_gross
        order.save(update_fields=["billed_amount"])
        _payable_post(supplier=order.supplier, on=on, source_type=PURCHASE_BILL, document=bill, amount=bill.total_gross)
        books.purchase_bill_posted(bill)
    return bill


def purchase_bill_reverse(*, bill: PurchaseBill, tz_name: str, created_by=None) -> PurchaseBill:
    """Reverse a bill (红冲) today: a further bill (CGFP…) whose lines negate the original's; the receipt
    lines are open to bill again and what we owe the supplier falls back. Refused while payments are
    allocated to the bill (reverse those first)."""
    with transaction.atomic():
        order = _locked(bill.order_id)
        original = PurchaseBill.objects.select_for_update().get(pk=bill.pk)
        _reversible(
            original,
            field="bill",
            reversed_message=_("Bill %(number)s has been reversed already.") % {"number": original.number},
            reversal_message=_("A reversal cannot itself be reversed."),
        )
        if original.paid_amount:
            raise AppError(
                ErrorCode.ALREADY_PAID,
                _("Payments are allocated to bill %(number)s: reverse them first.") % {"number": original.number},
                field="bill",
                status=409,
            )
        on = today_in(tz_name)
        reversal = PurchaseBill.objects.create(
            number=document_number_next(doc_type=PURCHASE_BILL, prefix=PURCHASE_BILL_PREFIX, on=on),
            supplier_id=original.supplier_id,
            order=order,
            date=on,
            invoice_number=original.invoice_number,
            prices_include_vat=original.prices_include_vat,
            total_net=-original.total_net,
            total_tax=-original.total_tax,
            total_gross=-original.total_gross,
            price_difference=-original.price_difference,
            has_differences=original.has_differences,
            reverses=original,
            created_by=created_by,
        )
        originals = list(original.lines.select_related("receipt_line").order_by("position"))
        receipt_lines = {
            rl.pk: rl
            for rl in PurchaseReceiptLine.objects.select_for_update()
            .filter(pk__in=[line.receipt_line_id for line in originals])
            .order_by("pk")
        }
        copies = []
        for line in originals:
            receipt_lines[line.receipt_line_id].billed_quantity -= line.quantity
            copies.append(
                PurchaseBillLine(
                    bill=reversal,
                    position=line.position,
                    receipt_line_id=line.receipt_line_id,
                    quantity=-line.quantity,
                    unit_price=line.unit_price,
                    vat_rate=line.vat_rate,
                    net=-line.net,
                    tax=-line.tax,
                    gross=-line.gross,
                    open_quantity=line.open_quantity,
                    order_price=line.order_price,
                )
            )
        PurchaseBillLine.objects.bulk_create(copies)
        PurchaseReceiptLine.objects.bulk_update(receipt_lines.values(), ["billed_quantity"])
        _order_lines_count(order, "billed_quantity", [(line.receipt_line, -line.quantity) for line in originals])
        order.billed_amount += reversal.total_gross
        order.save(update_fields=["billed_amount"])
        _payable_reverse(source_type=PURCHASE_BILL, original=original, reversal=reversal, amount=original.total_gross)
        books.document_reversed(source_type=PURCHASE_BILL, original=original, reversal=reversal)
    return reversal


# --- Payments (付款单) ------------------------------------------------------------------------------------


def _clean_allocations(allocations: list[AllocationInput]) -> list[tuple[int, Decimal]]:
    if not allocations:
        raise AppError(ErrorCode.NO_LINES, _("Choose at least one bill to pay."), field="allocations")
    clean, seen = [], set()
    for index, entry in enumerate(allocations):
        prefix, n = f"allocations.{index}", index + 1
        amount = decimal_parse(entry.amount, field=f"{prefix}.amount", places=CENTS)
        if amount <= 0 or amount >= MONEY_LIMIT:
            raise AppError(
                ErrorCode.INVALID_AMOUNT,
                _("Line %(n)s: the amount must be greater than zero.") % {"n": n},
                field=f"{prefix}.amount",
            )
        if entry.bill_id in seen:
            raise AppError(
                ErrorCode.WRONG_BILL,
                _("Line %(n)s: this bill is paid above already.") % {"n": n},
                field=f"{prefix}.bill",
            )
        seen.add(entry.bill_id)
        clean.append((entry.bill_id, amount))
    return clean


def _lock_orders_and_bills(bill_ids: list[int]) -> dict[int, PurchaseBill]:
    """Orders first, then bills, each in id order: the order the bill services lock them in (order, bill)."""
    order_ids = sorted(set(PurchaseBill.objects.filter(pk__in=bill_ids).values_list("order_id", flat=True)))
    list(PurchaseOrder.objects.select_for_update().filter(pk__in=order_ids).order_by("pk").values_list("pk"))
    bills = PurchaseBill.objects.select_for_update(of=("self",)).filter(pk__in=bill_ids).order_by("pk")
    return {bill.pk: bill for bill in bills.select_related("reversal")}


def _order_paid_add(amounts: dict[int, Decimal]) -> None:
    for order_id, amount in sorted(amounts.items()):
        PurchaseOrder.objects.filter(pk=order_id).update(paid_amount=F("paid_amount") + amount)


def purchase_payment_create(
    *,
    supplier: Partner | None,
    allocations: list[AllocationInput],
    method: str,
    tz_name: str,
    on: date | None = None,
    account: str = "",
    note: str = "",
    created_by=None,
) -> PurchasePayment:
    """Pay a supplier (付款单, FK…): the payment is the sum of what it allocates to their open bills (each
    at most what is still open on that bill, naming the line otherwise). The bills and their orders count
    it as paid, and what we owe the supplier falls by it (partner ledger, payable)."""
    if supplier is None or not supplier.is_supplier:
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose a supplier."), field="supplier")
    if method not in PaymentMethod.values:
        raise AppError(
            ErrorCode.INVALID_PAYMENT_METHOD,
            _("Choose one of: %(values)s.") % {"values": ", ".join(PaymentMethod.values)},
            field="method",
        )
    account = (account or "").strip()
    if len(account) > 64:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": 64}, field="account")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    on = _clean_posting_date(on, tz_name)
    clean = _clean_allocations(allocations)
    with transaction.atomic():
        bills = _lock_orders_and_bills([bill_id for bill_id, _amount in clean])
        paid: dict[int, Decimal] = {}
        for index, (bill_id, amount) in enumerate(clean):
            prefix, n = f"allocations.{index}", index + 1
            bill = bills.get(bill_id)
            if (
                bill is None
                or bill.supplier_id != supplier.pk
                or bill.reverses_id is not None
                or hasattr(bill, "reversal")
            ):
                raise AppError(
                    ErrorCode.WRONG_BILL,
                    _("Line %(n)s: choose a standing bill of %(supplier)s.") % {"n": n, "supplier": supplier.name},
                    field=f"{prefix}.bill",
                )
            if amount > bill.open_amount:
                raise AppError(
                    ErrorCode.OVER_PAYMENT,
                    _("Bill %(number)s: only %(open)s is still open.")
                    % {"number": bill.number, "open": bill.open_amount},
                    field=f"{prefix}.amount",
                    status=409,
                )
            bill.paid_amount += amount
            paid[bill.order_id] = paid.get(bill.order_id, Decimal(0)) + amount
        payment = PurchasePayment.objects.create(
            number=document_number_next(doc_type=PURCHASE_PAYMENT, prefix=PURCHASE_PAYMENT_PREFIX, on=on),
            supplier=supplier,
            date=on,
            method=method,
            account=account,
            amount=sum((amount for _bill_id, amount in clean), Decimal(0)),
            note=note,
            created_by=created_by,
        )
        PurchasePaymentAllocation.objects.bulk_create(
            PurchasePaymentAllocation(payment=payment, bill_id=bill_id, amount=amount) for bill_id, amount in clean
        )
        PurchaseBill.objects.bulk_update([bills[bill_id] for bill_id, _amount in clean], ["paid_amount"])
        _order_paid_add(paid)
        _payable_post(supplier=supplier, on=on, source_type=PURCHASE_PAYMENT, document=payment, amount=-payment.amount)
        books.purchase_payment_posted(payment)
    return payment


def purchase_payment_reverse(*, payment: PurchasePayment, tz_name: str, created_by=None) -> PurchasePayment:
    """Reverse a payment (红冲) today: a further payment (FK…) of the negated amount and allocations; the
    bills are open again by what it settled, and what we owe the supplier rises back."""
    with transaction.atomic():
        allocations = list(PurchasePaymentAllocation.objects.filter(payment_id=payment.pk).order_by("id"))
        bills = _lock_orders_and_bills([allocation.bill_id for allocation in allocations])
        original = PurchasePayment.objects.select_for_update().get(pk=payment.pk)
        _reversible(
            original,
            field="payment",
            reversed_message=_("Payment %(number)s has been reversed already.") % {"number": original.number},
            reversal_message=_("A reversal cannot itself be reversed."),
        )
        on = today_in(tz_name)
        reversal = PurchasePayment.objects.create(
            number=document_number_next(doc_type=PURCHASE_PAYMENT, prefix=PURCHASE_PAYMENT_PREFIX, on=on),
            supplier_id=original.supplier_id,
            date=on,
            method=original.method,
            account=original.account,
            amount=-original.amount,
            reverses=original,
            created_by=created_by,
        )
        paid: dict[int, Decimal] = {}
        for allocation in allocations:
            bill = bills[allocation.bill_id]
            bill.paid_amount -= allocation.amount
            paid[bill.order_id] = paid.get(bill.order_id, Decimal(0)) - allocation.amount
        PurchasePaymentAllocation.objects.bulk_create(
            PurchasePaymentAllocation(payment=reversal, bill_id=allocation.bill_id, amount=-allocation.amount)
            for allocation in allocations
        )
        PurchaseBill.objects.bulk_update(list(bills.values()), ["paid_amount"])
        _order_paid_add(paid)
        _payable_reverse(source_type=PURCHASE_PAYMENT, original=original, reversal=reversal, amount=original.amount)
        books.document_reversed(source_type=PURCHASE_PAYMENT, original=original, reversal=reversal)
    return reversal


# --- Purchase returns (采购退货) --------------------------------------------------------------------------


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AppError(ErrorCode.INVALID_NUMBER, _("At most %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    return note


def _return_post(
    purchase_return: PurchaseReturn, lines: list[PurchaseReturnLine], order: PurchaseOrder | None
) -> PurchaseReturn:
    """Save the lines, send the goods out (the costing method's cost: the ledger issues at the average or
    the FIFO layers, never at a chosen cost), record what they left at, lower the payable."""
    purchase_return.total_net = sum((line.net for line in lines), Decimal(0))
    purchase_return.total_tax = sum((line.tax for line in lines), Decimal(0))
    purchase_return.total_gross = sum((line.gross for line in lines), Decimal(0))
    purchase_return.save(update_fields=["total_net", "total_tax", "total_gross"])
    result = stock_moves_post(
        lines=[
            MoveLine(
                line.item, purchase_return.warehouse, -line.base_quantity, None, purchase_return.location, line.lot
            )
            for line in lines
        ],
        posted_at=purchase_return.posted_at,
        source_type=PURCHASE_RETURN,
        source_id=purchase_return.pk,
        reference=purchase_return.number,
    )
    for line, move in zip(lines, result.moves, strict=True):
        line.purchase_return = purchase_return
        line.unit_cost = move.unit_cost
    PurchaseReturnLine.objects.bulk_create(lines)
    if order is not None:
        order.returned_amount += purchase_return.total_gross
        order.save(update_fields=["returned_amount"])
    _payable_post(
        supplier=purchase_return.supplier,
        on=purchase_return.date,
        source_type=PURCHASE_RETURN,
        document=purchase_return,
        amount=-purchase_return.total_gross,
    )
    books.purchase_return_posted(purchase_return, revalued=result.revalued)
    return purchase_return


def purchase_return_from_receipt(
    *,
    receipt: PurchaseReceipt,
    lines: list[ReceiptReturnLineInput],
    tz_name: str,
    on: date | None = None,
    note: str = "",
    created_by=None,
) -> PurchaseReturn:
    """Send goods of a receipt back (采购退货, CGTH…): from the receipt's place and lots, at most what it
    brought in less what went back already (naming the line otherwise), priced as the order priced them."""
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Return at least one line."), field="lines")
    on = _clean_posting_date(on, tz_name)
    note = _clean_note(note)
    with transaction.atomic():
        order = _locked(receipt.order_id)
        receipt = PurchaseReceipt.objects.select_related("location").get(pk=receipt.pk)
        if receipt.reverses_id is not None or PurchaseReceipt.objects.filter(reverses=receipt).exists():
            raise AppError(
                ErrorCode.WRONG_STATUS,
                _("Receipt %(number)s has been reversed: nothing of it can be returned.") % {"number": receipt.number},
                field="receipt",
                status=409,
            )
        receipt_lines = {
            rl.pk: rl
            for rl in receipt.lines.select_for_update(of=("self",))
            .select_related("order_line__item", "order_line__unit", "lot")
            .order_by("pk")
        }
        purchase_return = PurchaseReturn.objects.create(
            number=document_number_next(doc_type=PURCHASE_RETURN, prefix=PURCHASE_RETURN_PREFIX, on=on),
            supplier_id=order.supplier_id,
            order=order,
            receipt=receipt,
            warehouse=order.warehouse,
            location=receipt.location,
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            note=note,
            prices_include_vat=order.prices_include_vat,
            created_by=created_by,
        )
        clean, seen = [], set()
        for index, entry in enumerate(lines):
            prefix, n = f"lines.{index}", index + 1
            receipt_line = receipt_lines.get(entry.receipt_line_id)
            if receipt_line is None or entry.receipt_line_id in seen:
                raise AppError(
                    ErrorCode.WRONG_LINE,
                    _("Line %(n)s is not a line of this receipt, or is returned above already.") % {"n": n},
                    field=f"{prefix}.receipt_line",
                )
            seen.add(entry.receipt_line_id)
            line = receipt_line.order_line
            quantity = decimal_parse(entry.quantity, field=f"{prefix}.quantity")
            if quantity <= 0:
                raise AppError(
                    ErrorCode.NON_POSITIVE_QUANTITY,
                    _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
                    field=f"{prefix}.quantity",
                )
            left = receipt_line.quantity - receipt_line.returned_quantity
            if quantity > left:
                raise AppError(
                    ErrorCode.OVER_RETURN,
                    _("%(item)s (receipt %(receipt)s): only %(left)s %(unit)s received are not yet returned.")
                    % {"item": line.item, "receipt": receipt.number, "left": left.normalize(), "unit": line.unit.name},
                    field=f"{prefix}.quantity",
                    status=409,
                )
            price = order_price(line)
            net, tax, gross = line_amounts(
                quantity=quantity,
                unit_price=price,
                discount_percent=Decimal(0),
                vat_rate=line.vat_rate,
                prices_include_vat=order.prices_include_vat,
            )
            receipt_line.returned_quantity += quantity
            clean.append(
                PurchaseReturnLine(
                    position=index,
                    receipt_line=receipt_line,
                    item=line.item,
                    unit=line.unit,
                    quantity=quantity,
                    base_quantity=quantity_to_base(line.item, line.unit, quantity),
                    unit_price=price,
                    vat_rate=line.vat_rate,
                    net=net,
                    tax=tax,
                    gross=gross,
                    lot=receipt_line.lot,
                )
            )
        PurchaseReceiptLine.objects.bulk_update([line.receipt_line for line in clean], ["returned_quantity"])
        _order_lines_count(order, "returned_quantity", [(line.receipt_line, line.quantity) for line in clean])
        return _return_post(purchase_return, clean, order)


def _return_lot(item: Item, code: str, prefix: str, n: int) -> Lot | None:
    code = (code or "").strip()
    if not item.lot_tracked:
        if code:
            raise AppError(
                ErrorCode.LOT_NOT_ALLOWED,
                _("Line %(n)s: %(item)s is not lot-tracked.") % {"n": n, "item": item},
                field=f"{prefix}.lot_code",
            )
        return None
    lot = Lot.objects.filter(item=item, code=code).first() if code else None
    if lot is None:
        raise AppError(
            ErrorCode.LOT_REQUIRED,
            _("Line %(n)s: %(item)s is lot-tracked; enter a lot it has.") % {"n": n, "item": item},
            field=f"{prefix}.lot_code",
        )
    return lot


def purchase_return_create(
    *,
    supplier: Partner | None,
    warehouse: Warehouse | None,
    lines: list[ReturnLineInput],
    tz_name: str,
    location: Location | None = None,
    on: date | None = None,
    note: str = "",
    created_by=None,
) -> PurchaseReturn:
    """A free-standing return (采购退货, CGTH…) of any items to `supplier`, from `warehouse` (at `location`),
    at the prices given (with or without VAT as the tenant's setting says)."""
    if supplier is None or not (supplier.is_supplier and supplier.is_active):
        raise AppError(ErrorCode.WRONG_PARTNER, _("Choose an active supplier."), field="supplier")
    if warehouse is None or not warehouse.is_active:
        raise AppError(ErrorCode.INACTIVE, _("Choose an active warehouse."), field="warehouse")
    if location is not None and location.warehouse_id != warehouse.pk:
        raise AppError(
            ErrorCode.WRONG_WAREHOUSE,
            _("Location %(location)s is not in warehouse %(warehouse)s.")
            % {"location": location.code, "warehouse": warehouse.code},
            field="location",
        )
    on = _clean_posting_date(on, tz_name)
    note = _clean_note(note)
    include = settings_get().prices_include_vat
    if not lines:
        raise AppError(ErrorCode.NO_LINES, _("Return at least one line."), field="lines")
    clean = []
    for index, entry in enumerate(lines):
        priced = _clean_line(
            index,
            OrderLineInput(entry.item, entry.unit, entry.quantity, entry.unit_price, None, entry.vat_rate),
            include,
        )
        clean.append(
            PurchaseReturnLine(
                position=index,
                item=priced.item,
                unit=priced.unit,
                quantity=priced.quantity,
                base_quantity=priced.base_quantity,
                unit_price=priced.unit_price,
                vat_rate=priced.vat_rate,
                net=priced.net,
                tax=priced.tax,
                gross=priced.gross,
                lot=_return_lot(priced.item, entry.lot_code, f"lines.{index}", index + 1),
            )
        )
    with transaction.atomic():
        purchase_return = PurchaseReturn.objects.create(
            number=document_number_next(doc_type=PURCHASE_RETURN, prefix=PURCHASE_RETURN_PREFIX, on=on),
            supplier=supplier,
            warehouse=warehouse,
            location=location,
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            note=note,
            prices_include_vat=include,
            created_by=created_by,
        )
        return _return_post(purchase_return, clean, None)


def purchase_return_reverse(*, purchase_return: PurchaseReturn, tz_name: str, created_by=None) -> PurchaseReturn:
    """Reverse a return (红冲) today: a further return (CGTH…) whose lines negate the original's; the goods
    come back at what they left at, the receipt lines may be returned again, and the payable rises back."""
    with transaction.atomic():
        order = _locked(purchase_return.order_id) if purchase_return.order_id else None
        original = PurchaseReturn.objects.select_for_update().get(pk=purchase_return.pk)
        _reversible(
            original,
            field="purchase_return",
            reversed_message=_("Return %(number)s has been reversed already.") % {"number": original.number},
            reversal_message=_("A reversal cannot itself be reversed."),
        )
        on = today_in(tz_name)
        reversal = PurchaseReturn.objects.create(
            number=document_number_next(doc_type=PURCHASE_RETURN, prefix=PURCHASE_RETURN_PREFIX, on=on),
            supplier_id=original.supplier_id,
            order=order,
            receipt_id=original.receipt_id,
            warehouse_id=original.warehouse_id,
            location_id=original.location_id,
            date=on,
            posted_at=posting_time(on=on, tz_name=tz_name),
            prices_include_vat=original.prices_include_vat,
            total_net=-original.total_net,
            total_tax=-original.total_tax,
            total_gross=-original.total_gross,
            reverses=original,
            created_by=created_by,
        )
        originals = list(original.lines.order_by("position"))
        receipt_lines = {
            rl.pk: rl
            for rl in PurchaseReceiptLine.objects.select_for_update()
            .filter(pk__in=[line.receipt_line_id for line in originals if line.receipt_line_id])
            .order_by("pk")
        }
        copies = []
        for line in originals:
            if line.receipt_line_id:
                receipt_lines[line.receipt_line_id].returned_quantity -= line.quantity
            copies.append(
                PurchaseReturnLine(
                    purchase_return=reversal,
                    position=line.position,
                    receipt_line_id=line.receipt_line_id,
                    item_id=line.item_id,
                    unit_id=line.unit_id,
                    quantity=-line.quantity,
                    base_quantity=-line.base_quantity,
                    unit_price=line.unit_price,
                    vat_rate=line.vat_rate,
                    net=-line.net,
                    tax=-line.tax,
                    gross=-line.gross,
                    lot_id=line.lot_id,
                    unit_cost=line.unit_cost,
                )
            )
        PurchaseReturnLine.objects.bulk_create(copies)
        if receipt_lines:
            PurchaseReceiptLine.objects.bulk_update(receipt_lines.values(), ["returned_quantity"])
        if order is not None:
            _order_lines_count(
                order,
                "returned_quantity",
                [(receipt_lines[line.receipt_line_id], -line.quantity) for line in originals if line.receipt_line_id],
            )
            order.returned_amount += reversal.total_gross
            order.save(update_fields=["returned_amount"])
        result = stock_moves_reverse(
            source_type=PURCHASE_RETURN,
            source_id=original.pk,
            posted_at=reversal.posted_at,
            reversal_source_type=PURCHASE_RETURN,
            reversal_source_id=reversal.pk,
            reference=reversal.number,
        )
        _payable_reverse(source_type=PURCHASE_RETURN, original=original, reversal=reversal, amount=original.total_gross)
        books.document_reversed(
            source_type=PURCHASE_RETURN, original=original, reversal=reversal, revalued=result.revalued
        )
    return reversal
