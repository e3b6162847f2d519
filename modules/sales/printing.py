"""Printable sales documents (modules.printing): the sales order (销售订单), the delivery note (发货单), the
invoice (销售发票) and the receipt of payment (收款单). Registered from SalesConfig.ready(); each builder
reads its document through this module's selectors and returns None when the tenant has no such id. The
retail receipt's builder lives with the printing module's own (modules.printing.builders)."""

from decimal import Decimal

from django.utils.translation import pgettext

from jxc.kernel.numbers import cents
from modules.printing.builders import money, percent, price, quantity
from modules.printing.domain import PrintColumn, PrintDocument
from modules.sales import selectors
from modules.sales.enums import OrderStatus, ReceiptMethod


def _person(user) -> str:
    return (user.get_full_name() or user.email or user.get_username()) if user else ""


def _customer_lines(partner) -> list[str]:
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


def _meta(pairs) -> list[tuple]:
    return [(label, value) for label, value in pairs if value]


def _vat_basis(order) -> str:
    return pgettext("print", "VAT included") if order.prices_include_vat else pgettext("print", "VAT excluded")


def sales_order_print(pk: int, *, tenant) -> PrintDocument | None:
    order = selectors.sales_order_detail(order_id=pk)
    if order is None:
        return None
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "Price basis"), 1.8),
        PrintColumn(pgettext("print column", "Discount"), 0.9, "right"),
        PrintColumn(pgettext("print column", "VAT"), 0.8, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    rows = [
        [
            str(line.position + 1), line.item.code, line.item.name, line.unit.name, quantity(line.quantity),
            price(line.unit_price), line.price_reason or line.price_source,
            percent(line.discount_percent / 100) if line.discount_percent else "", percent(line.vat_rate),
            money(line.gross),
        ]
        for line in order.lines.all()
    ]  # fmt: skip
    title = (
        pgettext("print", "Quotation") if order.status == OrderStatus.QUOTATION else pgettext("print", "Sales order")
    )
    return PrintDocument(
        title=title,
        number=order.number,
        date=order.date,
        party_label=pgettext("print", "Customer"),
        party_lines=_customer_lines(order.customer),
        meta=_meta(
            [
                (pgettext("print", "Delivery date"), order.delivery_date.isoformat() if order.delivery_date else ""),
                (pgettext("print", "Valid until"), order.valid_until.isoformat() if order.valid_until else ""),
                (pgettext("print", "Ship from"), order.warehouse.name),
                (pgettext("print", "Status"), str(OrderStatus(order.status).label)),
                (pgettext("print", "Prices"), _vat_basis(order)),
                (pgettext("print", "Salesperson"), _person(order.salesperson)),
            ]
        ),
        columns=columns,
        rows=rows,
        totals=[
            (pgettext("print", "Net total"), money(order.total_net)),
            (pgettext("print", "VAT"), money(order.total_tax)),
            (pgettext("print", "Total with VAT"), money(order.total_gross)),
        ],
        amount=order.total_gross,
        notes=order.note,
        signatures=[pgettext("print", "Prepared by"), pgettext("print", "Approved by"), pgettext("print", "Customer")],
    )


def sales_delivery_print(pk: int, *, tenant) -> PrintDocument | None:
    delivery = selectors.sales_delivery_detail(delivery_id=pk)
    if delivery is None:
        return None
    order = delivery.order
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Lot"), 1.6),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    rows, total = [], Decimal("0.00")
    for index, line in enumerate(delivery.lines.all()):
        order_line = line.order_line
        # Its share of the order line's amount (with VAT as the order's prices are).
        amount = cents(order_line.gross * line.quantity / order_line.quantity)
        total += amount
        lot = ""
        if line.lot is not None:
            expiry = line.lot.expiry_date.isoformat() if line.lot.expiry_date else ""
            lot = " ".join(part for part in (line.lot.code, expiry) if part)
        rows.append(
            [
                str(index + 1), order_line.item.code, order_line.item.name, order_line.unit.name,
                quantity(line.quantity), lot, price(order_line.unit_price), money(amount),
            ]
        )  # fmt: skip
    reversal = delivery.reverses_id is not None
    return PrintDocument(
        title=pgettext("print", "Delivery reversal") if reversal else pgettext("print", "Delivery note"),
        number=delivery.number,
        date=delivery.date,
        party_label=pgettext("print", "Deliver to"),
        party_lines=_customer_lines(order.customer),
        meta=_meta(
            [
                (pgettext("print", "Sales order"), order.number),
                (pgettext("print", "Reversal of"), delivery.reverses.number if reversal else ""),
                (pgettext("print", "Ship from"), order.warehouse.name),
                (pgettext("print", "Location"), delivery.location.code if delivery.location else ""),
                (pgettext("print", "Prices"), _vat_basis(order)),
                (pgettext("print", "Prepared by"), _person(delivery.created_by)),
            ]
        ),
        columns=columns,
        rows=rows,
        totals=[(pgettext("print", "Total"), money(total))],
        amount=total,
        signatures=[pgettext("print", "Shipped by"), pgettext("print", "Carrier"), pgettext("print", "Received by")],
    )


def sales_invoice_print(pk: int, *, tenant) -> PrintDocument | None:
    invoice = selectors.sales_invoice_detail(invoice_id=pk)
    if invoice is None:
        return None
    columns = [
        *_item_columns(),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "VAT"), 0.8, "right"),
        PrintColumn(pgettext("print column", "Net"), 1.4, "right"),
        PrintColumn(pgettext("print column", "Tax"), 1.2, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    rows = []
    for index, line in enumerate(invoice.lines.all()):
        order_line = line.delivery_line.order_line
        rows.append(
            [
                str(index + 1), order_line.item.code, order_line.item.name, order_line.unit.name,
                quantity(line.quantity), price(order_line.unit_price), percent(order_line.vat_rate),
                money(line.net), money(line.tax), money(line.gross),
            ]
        )  # fmt: skip
    reversal = invoice.reverses_id is not None
    return PrintDocument(
        title=pgettext("print", "Invoice reversal") if reversal else pgettext("print", "Sales invoice"),
        number=invoice.number,
        date=invoice.date,
        party_label=pgettext("print", "Bill to"),
        party_lines=_customer_lines(invoice.customer),
        meta=_meta(
            [
                (pgettext("print", "Sales order"), invoice.order.number),
                (pgettext("print", "Reversal of"), invoice.reverses.number if reversal else ""),
                (pgettext("print", "Due date"), invoice.due_date.isoformat() if invoice.due_date else ""),
                (pgettext("print", "Paid"), money(invoice.paid_amount) if invoice.paid_amount else ""),
                (pgettext("print", "Prepared by"), _person(invoice.created_by)),
            ]
        ),
        columns=columns,
        rows=rows,
        totals=[
            (pgettext("print", "Net total"), money(invoice.total_net)),
            (pgettext("print", "VAT"), money(invoice.total_tax)),
            (pgettext("print", "Total with VAT"), money(invoice.total_gross)),
        ],
        amount=invoice.total_gross,
        signatures=[pgettext("print", "Prepared by"), pgettext("print", "Approved by")],
    )


def sales_receipt_print(pk: int, *, tenant) -> PrintDocument | None:
    receipt = selectors.sales_receipt_detail(receipt_id=pk)
    if receipt is None:
        return None
    columns = [
        PrintColumn(pgettext("print column", "#"), 0.7, "center"),
        PrintColumn(pgettext("print column", "Invoice"), 2.4),
        PrintColumn(pgettext("print column", "Invoice date"), 1.6, "center"),
        PrintColumn(pgettext("print column", "Invoice total"), 1.6, "right"),
        PrintColumn(pgettext("print column", "Settled"), 1.6, "right"),
    ]
    allocations = list(receipt.allocations.all())
    rows = [
        [
            str(index + 1), allocation.invoice.number, allocation.invoice.date.isoformat(),
            money(allocation.invoice.total_gross), money(allocation.amount),
        ]
        for index, allocation in enumerate(allocations)
    ]  # fmt: skip
    settled = sum((allocation.amount for allocation in allocations), Decimal("0.00"))
    reversal = receipt.reverses_id is not None
    return PrintDocument(
        title=pgettext("print", "Receipt reversal") if reversal else pgettext("print", "Receipt of payment"),
        number=receipt.number,
        date=receipt.date,
        party_label=pgettext("print", "Received from"),
        party_lines=_customer_lines(receipt.customer),
        meta=_meta(
            [
                (pgettext("print", "Payment"), str(ReceiptMethod(receipt.method).label)),
                (pgettext("print", "Reference"), receipt.reference),
                (pgettext("print", "Reversal of"), receipt.reverses.number if reversal else ""),
                (pgettext("print", "Prepared by"), _person(receipt.created_by)),
            ]
        ),
        columns=columns,
        rows=rows,
        totals=[
            (pgettext("print", "Amount received"), money(receipt.amount)),
            (pgettext("print", "Settling invoices"), money(settled)),
            (pgettext("print", "On account"), money(receipt.amount - settled)),
        ],
        amount=receipt.amount,
        notes=receipt.note,
        signatures=[pgettext("print", "Cashier"), pgettext("print", "Payer")],
    )
