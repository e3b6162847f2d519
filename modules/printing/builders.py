"""Builders of the printable documents of purchasing, retail sales and stock documents.

Each reads its document through its module's selector (read-only) and returns a `PrintDocument` in the
active language, or None when the current tenant has no document of that id. Other modules register
their own builders the same way (see modules.printing.registry)."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from modules.printing.domain import PrintColumn, PrintDocument
from modules.printing.registry import print_register
from modules.purchasing.enums import PURCHASE_ORDER, OrderStatus
from modules.purchasing.selectors import purchase_order_detail
from modules.sales.enums import RETAIL_SALE, PaymentMethod
from modules.sales.selectors import retail_sale_detail
from modules.stockops.enums import AdjustmentReason, DocumentKind, DocumentStatus
from modules.stockops.selectors import document_detail

STOCK_DOCUMENT = "stock_document"


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def quantity(value: Decimal) -> str:
    """As few places as the number needs: 2, 1.5, 0.125."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def price(value: Decimal | None) -> str:
    """At least two places, up to the six a unit price may have: 3.50, 1.234567."""
    if value is None:
        return ""
    return f"{value:,.2f}" if value == round(value, 2) else f"{value.normalize():,f}"


def percent(value: Decimal) -> str:
    return f"{quantity(value * 100)}%"


def _person(user) -> str:
    return (user.get_full_name() or user.email or user.get_username()) if user else ""


def _partner_lines(partner) -> list[str]:
    if partner is None:
        return []
    lines = [partner.name, partner.address]
    contact = partner.contacts.order_by("-is_primary", "pk").first()
    if contact is not None:
        lines.append(" ".join(part for part in (contact.name, contact.phone) if part))
    if partner.taxpayer_id:
        lines.append(pgettext("print", "Taxpayer ID %(id)s") % {"id": partner.taxpayer_id})
    return [line for line in lines if line]


def _item_columns() -> list[PrintColumn]:
    return [
        PrintColumn(pgettext("print column", "#"), 0.7, "center"),
        PrintColumn(pgettext("print column", "Code"), 1.6),
        PrintColumn(pgettext("print column", "Item"), 3),
        PrintColumn(pgettext("print column", "Unit"), 0.8, "center"),
        PrintColumn(pgettext("print column", "Quantity"), 1.2, "right"),
    ]


def purchase_order_print(pk: int, *, tenant) -> PrintDocument | None:
    order = purchase_order_detail(order_id=pk)
    if order is None:
        return None
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "Discount"), 0.9, "right"),
        PrintColumn(pgettext("print column", "VAT"), 0.8, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    rows = [
        [
            str(line.position + 1), line.item.code, line.item.name, line.unit.name, quantity(line.quantity),
            price(line.unit_price), percent(line.discount_percent / 100) if line.discount_percent else "",
            percent(line.vat_rate), money(line.gross),
        ]
        for line in order.lines.all()
    ]  # fmt: skip
    meta = [
        (pgettext("print", "Expected"), order.expected_date.isoformat() if order.expected_date else ""),
        (pgettext("print", "Deliver to"), order.warehouse.name),
        (pgettext("print", "Status"), str(OrderStatus(order.status).label)),
        (
            pgettext("print", "Prices"),
            pgettext("print", "VAT included") if order.prices_include_vat else pgettext("print", "VAT excluded"),
        ),
        (pgettext("print", "Prepared by"), _person(order.created_by)),
    ]
    return PrintDocument(
        title=pgettext("print", "Purchase order"),
        number=order.number,
        date=order.date,
        party_label=pgettext("print", "Supplier"),
        party_lines=_partner_lines(order.supplier),
        meta=[(label, value) for label, value in meta if value],
        columns=columns,
        rows=rows,
        totals=[
            (pgettext("print", "Net total"), money(order.total_net)),
            (pgettext("print", "VAT"), money(order.total_tax)),
            (pgettext("print", "Total with VAT"), money(order.total_gross)),
        ],
        amount=order.total_gross,
        notes=order.note,
        signatures=[
            pgettext("print", "Prepared by"),
            pgettext("print", "Approved by"),
            pgettext("print", "Supplier's confirmation"),
        ],
    )


def retail_sale_print(pk: int, *, tenant) -> PrintDocument | None:
    sale = retail_sale_detail(sale_id=pk)
    if sale is None:
        return None
    refund = sale.reverses_id is not None
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "Discount"), 1.1, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    rows = [
        [
            str(line.position + 1), line.item.code, line.item.name, line.unit.name, quantity(line.quantity),
            price(line.unit_price), money(line.discount) if line.discount else "", money(line.amount),
        ]
        for line in sale.lines.all()
    ]  # fmt: skip
    posted = timezone.localtime(sale.posted_at, ZoneInfo(tenant.timezone))
    meta = [
        (pgettext("print", "Time"), posted.strftime("%Y-%m-%d %H:%M")),
        (pgettext("print", "Payment"), str(PaymentMethod(sale.payment_method).label)),
        (pgettext("print", "Refund of"), sale.reverses.number if refund else ""),
        (pgettext("print", "Refunded by"), sale.reversal.number if hasattr(sale, "reversal") else ""),
        (pgettext("print", "Cashier"), _person(sale.created_by)),
    ]
    totals = [(pgettext("print", "Total"), money(sale.total))]
    if sale.tendered is not None:
        totals += [
            (pgettext("print", "Tendered"), money(sale.tendered)),
            (pgettext("print", "Change"), money(sale.change)),
        ]
    return PrintDocument(
        title=pgettext("print", "Retail refund") if refund else pgettext("print", "Retail sale receipt"),
        number=sale.number,
        date=sale.date,
        party_label=pgettext("print", "Customer"),
        party_lines=_partner_lines(sale.customer) if sale.customer else [pgettext("print", "Walk-in customer")],
        meta=[(label, value) for label, value in meta if value],
        columns=columns,
        rows=rows,
        totals=totals,
        amount=sale.total,
        signatures=[pgettext("print", "Cashier"), pgettext("print", "Customer")],
    )


STOCK_TITLES = {
    DocumentKind.STOCK_IN: pgettext_lazy("print", "Other stock receipt"),
    DocumentKind.STOCK_OUT: pgettext_lazy("print", "Other stock issue"),
    DocumentKind.TRANSFER: pgettext_lazy("print", "Stock transfer"),
    DocumentKind.ADJUSTMENT: pgettext_lazy("print", "Stock adjustment"),
}


def stock_document_print(pk: int, *, tenant) -> PrintDocument | None:
    document = document_detail(document_id=pk)
    if document is None:
        return None
    kind = DocumentKind(document.kind)
    transfer = kind == DocumentKind.TRANSFER
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Location"), 1.1),
        *([PrintColumn(pgettext("print column", "To location"), 1.1)] if transfer else []),
        PrintColumn(pgettext("print column", "Lot"), 1.2),
        PrintColumn(pgettext("print column", "Unit cost"), 1.2, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.4, "right"),
    ]
    rows, amount, priced = [], Decimal("0.00"), True
    for line in document.lines.all():
        value = (line.quantity * line.unit_cost).quantize(Decimal("0.01")) if line.unit_cost is not None else None
        priced = priced and value is not None
        amount += value or 0
        expiry = line.expiry_date.isoformat() if line.expiry_date else ""
        lot = " ".join(part for part in (line.lot_code, expiry) if part)
        row = [
            str(line.position + 1), line.item.code, line.item.name, line.unit.name, quantity(line.quantity),
            line.location.code if line.location else "",
        ]  # fmt: skip
        if transfer:
            row.append(line.target_location.code if line.target_location else "")
        rows.append([*row, lot, price(line.unit_cost), money(value)])
    meta = [
        (pgettext("print", "Warehouse"), document.warehouse.name),
        (pgettext("print", "To warehouse"), document.target_warehouse.name if document.target_warehouse else ""),
        (pgettext("print", "Reason"), str(AdjustmentReason(document.reason).label) if document.reason else ""),
        (pgettext("print", "Status"), str(DocumentStatus(document.status).label)),
        (pgettext("print", "Reverses"), document.reverses.number if document.reverses else ""),
        (pgettext("print", "Prepared by"), _person(document.created_by)),
    ]
    lines = list(document.lines.all())
    totals = []
    # Quantities add up only in one unit: 5 瓶 and 1 箱 are not 6 of anything.
    if len({line.unit_id for line in lines}) == 1:
        total_quantity = sum((line.quantity for line in lines), Decimal(0))
        totals.append((pgettext("print", "Total quantity"), f"{quantity(total_quantity)} {lines[0].unit.name}"))
    if priced and lines:
        totals.append((pgettext("print", "Total amount"), money(amount)))
    return PrintDocument(
        title=STOCK_TITLES[kind],
        number=document.number,
        date=document.date,
        party_label=pgettext("print", "Partner") if document.partner else "",
        party_lines=_partner_lines(document.partner),
        meta=[(label, value) for label, value in meta if value],
        columns=columns,
        rows=rows,
        totals=totals,
        amount=amount if priced and lines else None,
        notes=document.note,
        signatures=[
            pgettext("print", "Prepared by"),
            pgettext("print", "Warehouse keeper"),
            pgettext("print", "Handled by"),
        ],
    )


def builders_register() -> None:
    """Called from PrintingConfig.ready()."""
    print_register(PURCHASE_ORDER, purchase_order_print, permission="purchasing.view_purchaseorder")
    print_register(RETAIL_SALE, retail_sale_print, permission="sales.view_retailsale")
    print_register(STOCK_DOCUMENT, stock_document_print, permission="stockops.view_stockdocument")
