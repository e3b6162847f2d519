"""Automatic posting: the journal entry each trade and stock document makes, inside its own transaction.

The one entry point other modules use: each posting service ends with one call, e.g.
``books.sales_delivery_posted(delivery, revalued=result.revalued)``. The rules (which accounts, which
sides) are in `modules/finance/posting_rules.py`, pure functions over plain figures; this module reads
the figures off the document and the stock ledger and posts the entry. The table of documents and
their entries is in docs/finance.md ("Automatic posting").

Inventory (1405) always moves by exactly the stock ledger's value of the document's moves (the sum of
`StockMove.value` of the document), so 1405 equals the ledger's value at any date; what a document's
price says beyond that goes to cost of sales (5401).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from modules.finance import posting_rules as rules
from modules.finance.enums import EntryStatus
from modules.finance.models import Account, JournalEntry
from modules.finance.services import LineInput, journal_entries_reverse, journal_entry_post, posting_date_check
from modules.inventory.models import StockMove
from modules.partners.models import Partner

ZERO = Decimal("0.00")


# --- plumbing ----------------------------------------------------------------------------------------


def _stock_value(source_type: str, source_id: int) -> Decimal:
    """What the document's stock moves are worth in the ledger (signed: in +, out −)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT SUM(value) FROM {StockMove._meta.db_table} WHERE source_type = %s AND source_id = %s",
            [source_type, source_id],
        )
        (total,) = cursor.fetchone()
    return total or ZERO


def _accounts(codes: set[str]) -> dict[str, Account]:
    """The accounts of `codes`, with what `lines_clean` checks (leaf, active), read on a plain cursor."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, code, is_leaf, is_active FROM {Account._meta.db_table} WHERE code = ANY(%s)", [list(codes)]
        )
        rows = cursor.fetchall()
    fields = ["id", "code", "is_leaf", "is_active"]  # the others are deferred: loaded if ever asked for
    return {row[1]: Account.from_db(connection.alias, fields, row) for row in rows}


def _post(*, on: date, lines: list[rules.Line], memo: str, source_type: str, source_id: int) -> JournalEntry | None:
    """Post `lines` (zero lines dropped); nothing when nothing is left to post — but a closed month refuses
    the document all the same: its stock moves are dated `on` whatever they are worth."""
    lines = [line for line in lines if line.amount != 0]
    if not lines:
        posting_date_check(on=on)
        return None
    accounts = _accounts({line.account for line in lines})
    inputs = [
        LineInput(
            accounts.get(line.account, line.account),
            debit=line.amount if line.side == rules.DEBIT else None,
            credit=line.amount if line.side == rules.CREDIT else None,
            partner=Partner(pk=line.partner_id) if line.partner_id else None,
            memo=line.memo,
        )
        for line in lines
    ]
    return journal_entry_post(date=on, lines=inputs, memo=memo, source_type=source_type, source_id=source_id)


def _reverse(*, source_type: str, source_id: int, on: date) -> None:
    """红冲 of every open entry the document posted (a document of no value posted none: nothing to do)."""
    has_open = (
        JournalEntry.objects.filter(
            source_type=source_type, source_id=source_id, status=EntryStatus.POSTED, reverses__isnull=True
        )
        .filter(reversal__isnull=True)
        .exists()
    )
    if has_open:
        journal_entries_reverse(source_type=source_type, source_id=source_id, date=on)
    else:
        posting_date_check(on=on)  # a reversal of nothing of value moves stock back in its month all the same


def _revalued_date(source_type: str, source_id: int) -> date:
    """The date a re-valued document's adjustment is booked on: the document's own entry's date, else the
    day (in the current time zone) its moves were posted."""
    entry = JournalEntry.objects.filter(source_type=source_type, source_id=source_id).order_by("id").first()
    if entry is not None:
        return entry.date
    posted_at = (
        StockMove.objects.filter(source_type=source_type, source_id=source_id)
        .order_by("-posted_at")
        .values_list("posted_at", flat=True)
        .first()
    )
    return timezone.localdate(posted_at) if posted_at else timezone.localdate()


def revaluations_post(revalued: Iterable) -> None:
    """A backdated stock posting changed the cost of later documents (`PostingResult.revalued`): move 1405
    by each one's change of value against the account its value went to (cost of sales for issues, 1901
    for stock documents), dated and sourced as that document, so reversing it later reverses this too."""
    for doc in revalued or ():
        delta = doc.value_after - doc.value_before
        if not delta:
            continue
        _post(
            on=_revalued_date(doc.source_type, doc.source_id),
            lines=rules.revaluation(source_type=doc.source_type, delta=delta),
            memo=f"成本重算 {doc.reference}"[:200],
            source_type=doc.source_type,
            source_id=doc.source_id,
        )


# --- stock documents (stockops, stockcount) ---------------------------------------------------------------


def stock_document_posted(*, source_type: str, document, revalued: Iterable = ()) -> None:
    """其它入库/出库/调整 and stock counts: 1405 against 1901 by the moves' value; transfers post nothing."""
    value = _stock_value(source_type, document.pk)
    _post(
        on=document.date,
        lines=rules.stock_document(source_type=source_type, value=value),
        memo=f"{rules.MEMO.get(source_type, source_type)} {document.number}",
        source_type=source_type,
        source_id=document.pk,
    )
    revaluations_post(revalued)


def document_reversed(*, source_type: str, original, reversal, revalued: Iterable = ()) -> None:
    """The 红冲 of any document: its open entries reversed on the reversal's date. The ledger mirrors the
    original's moves, except that a move emptying the item's pool takes whatever value is left there
    (inventory.costing): that difference moves 1405 as a re-costing of the reversal, so 1405 stays the
    ledger's value."""
    _reverse(source_type=source_type, source_id=original.pk, on=reversal.date)
    difference = _stock_value(source_type, reversal.pk) + _stock_value(source_type, original.pk)
    if difference:
        _post(
            on=reversal.date,
            lines=rules.revaluation(source_type=source_type, delta=difference),
            memo=f"成本重算 {reversal.number}"[:200],
            source_type=source_type,
            source_id=reversal.pk,
        )
    revaluations_post(revalued)


# --- purchasing -----------------------------------------------------------------------------------------


def purchase_receipt_posted(receipt, *, revalued: Iterable = ()) -> None:
    value = _stock_value("purchase_receipt", receipt.pk)
    _post(
        on=receipt.date,
        lines=rules.purchase_receipt(value=value),
        memo=f"采购入库 {receipt.number}",
        source_type="purchase_receipt",
        source_id=receipt.pk,
    )
    revaluations_post(revalued)


def purchase_bill_posted(bill) -> None:
    estimate = ZERO
    for line in bill.lines.select_related("receipt_line"):
        receipt_line = line.receipt_line
        estimate += rules.estimate_share(
            unit_cost=receipt_line.unit_cost,
            base_quantity=receipt_line.base_quantity,
            quantity=receipt_line.quantity,
            billed_before=receipt_line.billed_quantity - line.quantity,
            billed_after=receipt_line.billed_quantity,
        )
    _post(
        on=bill.date,
        lines=rules.purchase_bill(
            estimate=estimate,
            net=bill.total_net,
            tax=bill.total_tax,
            gross=bill.total_gross,
            supplier_id=bill.supplier_id,
        ),
        memo=f"采购发票 {bill.number}",
        source_type="purchase_bill",
        source_id=bill.pk,
    )


def purchase_payment_posted(payment) -> None:
    _post(
        on=payment.date,
        lines=rules.purchase_payment(amount=payment.amount, method=payment.method, supplier_id=payment.supplier_id),
        memo=f"采购付款 {payment.number}",
        source_type="purchase_payment",
        source_id=payment.pk,
    )


def purchase_return_posted(purchase_return, *, revalued: Iterable = ()) -> None:
    value = -_stock_value("purchase_return", purchase_return.pk)
    _post(
        on=purchase_return.date,
        lines=rules.purchase_return(
            value=value,
            net=purchase_return.total_net,
            tax=purchase_return.total_tax,
            gross=purchase_return.total_gross,
            supplier_id=purchase_return.supplier_id,
        ),
        memo=f"采购退货 {purchase_return.number}",
        source_type="purchase_return",
        source_id=purchase_return.pk,
    )
    revaluations_post(revalued)


# --- sales ------------------------------------------------------------------------------------------------


def sales_delivery_posted(delivery, *, moves: Iterable | None = None, revalued: Iterable = ()) -> None:
    """`moves`: the delivery's moves as the ledger just posted them, when the caller has them (one read less)."""
    value = _stock_value("sales_delivery", delivery.pk) if moves is None else sum((m.value for m in moves), ZERO)
    cost = -value
    _post(
        on=delivery.date,
        lines=rules.cost_of_sales(cost=cost),
        memo=f"销售出库 {delivery.number}",
        source_type="sales_delivery",
        source_id=delivery.pk,
    )
    revaluations_post(revalued)


def sales_invoice_posted(invoice) -> None:
    _post(
        on=invoice.date,
        lines=rules.sales_invoice(
            net=invoice.total_net, tax=invoice.total_tax, gross=invoice.total_gross, customer_id=invoice.customer_id
        ),
        memo=f"销售发票 {invoice.number}",
        source_type="sales_invoice",
        source_id=invoice.pk,
    )


def sales_receipt_posted(receipt) -> None:
    _post(
        on=receipt.date,
        lines=rules.sales_receipt(amount=receipt.amount, method=receipt.method, customer_id=receipt.customer_id),
        memo=f"销售收款 {receipt.number}",
        source_type="sales_receipt",
        source_id=receipt.pk,
    )


def sales_return_posted(sales_return, *, revalued: Iterable = ()) -> None:
    value = _stock_value("sales_return", sales_return.pk)
    net = ZERO
    for row in sales_return.lines.select_related("delivery_line__order_line"):
        if row.credit_amount:
            net += rules.net_of(row.credit_amount, row.delivery_line.order_line.vat_rate)
    gross = sales_return.credit_amount
    _post(
        on=sales_return.date,
        lines=rules.sales_return(
            value=value, net=net, tax=gross - net, gross=gross, customer_id=sales_return.customer_id
        ),
        memo=f"销售退货 {sales_return.number}",
        source_type="sales_return",
        source_id=sales_return.pk,
    )
    revaluations_post(revalued)


def retail_sale_posted(sale) -> None:
    cost = -_stock_value("retail_sale", sale.pk)
    net = ZERO
    for line in sale.lines.select_related("item"):
        net += rules.net_of(line.amount, line.item.vat_rate)
    _post(
        on=sale.date,
        lines=rules.retail_sale(gross=sale.total, net=net, cost=cost, method=sale.payment_method),
        memo=f"零售 {sale.number}",
        source_type="retail_sale",
        source_id=sale.pk,
    )
