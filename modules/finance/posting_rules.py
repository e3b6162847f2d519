"""Posting rules: which accounts each document kind debits and credits, as pure functions of its figures.

No database here: `modules/finance/posting.py` reads the figures (document totals, the stock ledger's
value of the document's moves) and posts what these return. See docs/finance.md, "Automatic posting".
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from modules.finance import chart

DEBIT, CREDIT = "debit", "credit"
CENTS = Decimal("0.01")
ZERO = Decimal("0.00")

# 待处理财产损溢: stock found, lost, written on or off by a stock document or a count waits here until the
# owner decides (then a voucher moves it to 5301 营业外收入 / 5711 营业外支出 / 5602 管理费用).
PENDING_GAINS_LOSSES = "1901"
OTHER_MONETARY_FUNDS = "1012"
# The estimated payable (暂估应付) of goods received before their bill is kept on 2202 without a partner;
# a supplier's payable always carries the supplier. So 2202's lines with a partner are the open items.

STOCK_DOCUMENT_KINDS = ("stock_in", "stock_out", "adjustment", "stock_count")

# Every stock-ledger source a document posts through here (a transfer posts no entry but is a document).
DOCUMENT_SOURCES = (
    *STOCK_DOCUMENT_KINDS,
    "transfer",
    "purchase_receipt",
    "purchase_return",
    "sales_delivery",
    "sales_return",
    "retail_sale",
)

# Every partner-ledger source a document posts through here.
PARTNER_SOURCES = (
    "purchase_bill",
    "purchase_payment",
    "purchase_return",
    "sales_invoice",
    "sales_receipt",
    "sales_return",
)

MEMO = {
    "stock_in": "其它入库",
    "stock_out": "其它出库",
    "adjustment": "库存调整",
    "transfer": "调拨",
    "stock_count": "盘点",
}

# Where a change of a document's stock value (a backdated posting re-costed it) goes; cost of sales by
# default. A receipt comes in at its own cost and is never re-costed: only its reversal is, when its move
# empties the pool and takes what is left there (inventory.costing) — cost the goods issued meanwhile were
# charged with, so cost of sales too, not 2202's estimate (the value of the receipts not yet billed).
REVALUATION_COUNTER = {
    **dict.fromkeys(STOCK_DOCUMENT_KINDS, PENDING_GAINS_LOSSES),
    "transfer": PENDING_GAINS_LOSSES,  # a transfer's legs net to nothing: no change ever reaches here
}


@dataclass(frozen=True)
class Line:
    account: str
    side: str
    amount: Decimal
    partner_id: int | None = None
    memo: str = ""


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def dr(account: str, amount: Decimal, partner_id: int | None = None, memo: str = "") -> Line:
    """A debit of `amount`; a negative amount becomes a credit (never a red figure)."""
    if amount < 0:
        return Line(account, CREDIT, -amount, partner_id, memo)
    return Line(account, DEBIT, amount, partner_id, memo)


def cr(account: str, amount: Decimal, partner_id: int | None = None, memo: str = "") -> Line:
    if amount < 0:
        return Line(account, DEBIT, -amount, partner_id, memo)
    return Line(account, CREDIT, amount, partner_id, memo)


def red_dr(account: str, amount: Decimal, partner_id: int | None = None, memo: str = "") -> Line:
    """A debit in red figures (红字): the side stays, the amount is negative — how returns lower VAT."""
    return Line(account, DEBIT, -amount, partner_id, memo)


def money_account(method: str) -> str:
    """Cash → 1001 库存现金; WeChat Pay and Alipay balances → 1012 其他货币资金 (money held by a payment
    platform, not yet in the bank); bank transfers, bank cards and anything else → 1002 银行存款."""
    if method == "cash":
        return chart.CASH
    if method in ("wechat", "alipay"):
        return OTHER_MONETARY_FUNDS
    return chart.BANK


def net_of(gross: Decimal, vat_rate: Decimal) -> Decimal:
    """The net part of a tax-inclusive amount, rounded per line as Chinese invoices do."""
    return cents(gross / (1 + Decimal(vat_rate)))


def estimate_share(
    *, unit_cost: Decimal, base_quantity: Decimal, quantity: Decimal, billed_before: Decimal, billed_after: Decimal
) -> Decimal:
    """The part of a receipt line's estimate (its value in the stock ledger) a bill line takes over, billing
    the line from `billed_before` to `billed_after` of its `quantity`. Cumulative shares are rounded, so the
    bills that bill a whole line reverse exactly its estimate."""
    value = cents(base_quantity * unit_cost)
    if not quantity:
        return ZERO

    def upto(q: Decimal) -> Decimal:
        return cents(value * q / quantity)

    return upto(billed_after) - upto(billed_before)


# --- the rules --------------------------------------------------------------------------------------------


def stock_document(*, source_type: str, value: Decimal) -> list[Line]:
    """其它入库/出库/调整/盘点: inventory by the moves' (signed) value against 待处理财产损溢; transfers: none."""
    if source_type not in STOCK_DOCUMENT_KINDS:
        return []
    return [dr(chart.INVENTORY, value), cr(PENDING_GAINS_LOSSES, value)]


def revaluation(*, source_type: str, delta: Decimal) -> list[Line]:
    counter = REVALUATION_COUNTER.get(source_type, chart.COST_OF_SALES)
    return [dr(chart.INVENTORY, delta), cr(counter, delta)]


def purchase_receipt(*, value: Decimal) -> list[Line]:
    """采购入库: Dr 1405 at the ledger's value, Cr 2202 暂估 (no partner) until the bill comes."""
    return [dr(chart.INVENTORY, value), cr(chart.PAYABLE, value, memo="暂估应付")]


def purchase_bill(*, estimate: Decimal, net: Decimal, tax: Decimal, gross: Decimal, supplier_id: int) -> list[Line]:
    """采购发票: the estimate reversed, input VAT, the supplier's payable; the bill's net price beyond the
    estimate is cost of sales (the stock ledger keeps the receipt's cost)."""
    return [
        dr(chart.PAYABLE, estimate, memo="冲暂估"),
        dr(chart.INPUT_VAT, tax),
        dr(chart.COST_OF_SALES, net - estimate, memo="采购价差"),
        cr(chart.PAYABLE, gross, partner_id=supplier_id),
    ]


def purchase_payment(*, amount: Decimal, method: str, supplier_id: int) -> list[Line]:
    return [dr(chart.PAYABLE, amount, partner_id=supplier_id), cr(money_account(method), amount)]


def purchase_return(*, value: Decimal, net: Decimal, tax: Decimal, gross: Decimal, supplier_id: int) -> list[Line]:
    """采购退货: the supplier owes us the gross back, input VAT in red, the goods leave 1405 at the ledger's
    cost; the price credited beyond that cost goes to cost of sales."""
    lines = [dr(chart.PAYABLE, gross, partner_id=supplier_id)]
    if tax:
        lines.append(red_dr(chart.INPUT_VAT, tax))
    lines += [cr(chart.INVENTORY, value), cr(chart.COST_OF_SALES, net - value, memo="退货价差")]
    return lines


def cost_of_sales(*, cost: Decimal) -> list[Line]:
    """销售出库: Dr 5401 / Cr 1405 at what the stock ledger took."""
    return [dr(chart.COST_OF_SALES, cost), cr(chart.INVENTORY, cost)]


def sales_invoice(*, net: Decimal, tax: Decimal, gross: Decimal, customer_id: int) -> list[Line]:
    return [
        dr(chart.RECEIVABLE, gross, partner_id=customer_id),
        cr(chart.REVENUE, net),
        cr(chart.OUTPUT_VAT, tax),
    ]


def sales_receipt(*, amount: Decimal, method: str, customer_id: int) -> list[Line]:
    return [dr(money_account(method), amount), cr(chart.RECEIVABLE, amount, partner_id=customer_id)]


def sales_return(*, value: Decimal, net: Decimal, tax: Decimal, gross: Decimal, customer_id: int) -> list[Line]:
    """销售退货: the goods back at the cost they left with (Dr 1405 / Cr 5401); the invoiced part credited
    (Dr 5001 and 22210102 / Cr 1122)."""
    return [
        dr(chart.INVENTORY, value),
        cr(chart.COST_OF_SALES, value),
        dr(chart.REVENUE, net),
        dr(chart.OUTPUT_VAT, tax),
        cr(chart.RECEIVABLE, gross, partner_id=customer_id),
    ]


def retail_sale(*, gross: Decimal, net: Decimal, cost: Decimal, method: str) -> list[Line]:
    return [
        dr(money_account(method), gross),
        cr(chart.REVENUE, net),
        cr(chart.OUTPUT_VAT, gross - net),
        dr(chart.COST_OF_SALES, cost),
        cr(chart.INVENTORY, cost),
    ]
