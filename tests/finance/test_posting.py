"""Automatic posting from the documents (issue 5, item 2): each document's entry, reversals, backdated
re-costing, closed months; and a worked month of a small shop's trade computed by hand.

The books' invariants (tests/finance/invariants.py) are checked after every test here."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from jxc.kernel.errors import AppError
from modules.finance import posting_rules as rules
from modules.finance import selectors
from modules.finance import services as finance
from modules.finance.models import JournalEntry, JournalLine
from modules.finance.services import LineInput
from modules.inventory.models import StockMove
from modules.purchasing import services as purchasing
from modules.purchasing.models import PurchaseReceipt
from modules.purchasing.services import AllocationInput as PayInput
from modules.purchasing.services import BillLineInput, ReceiveLineInput
from modules.purchasing.services import OrderLineInput as BuyLine
from modules.sales import services as sales
from modules.sales.services import AllocationInput, DeliverLineInput, DocumentLineInput, OrderLineInput
from modules.stockops import services as stockops
from modules.stockops.services import LineInput as StockLine
from tests.finance.invariants import assert_books_reconcile, books_reconcile  # noqa: F401
from tests.stockops.conftest import TZ

pytestmark = pytest.mark.django_db

# A month well before today: every document below is backdated into it.
OCT = date(2026, 10, 1)


def day(n: int) -> date:
    return OCT + timedelta(days=n - 1)


def entries(source_type: str, source_id: int) -> list[list[tuple]]:
    """Each entry of the document as (account, debit, credit, partner) lines."""
    return [
        [
            (line.account.code, line.debit, line.credit, line.partner_id)
            for line in entry.lines.select_related("account").order_by("position")
        ]
        for entry in JournalEntry.objects.filter(source_type=source_type, source_id=source_id).order_by("id")
    ]


def balance(code: str, until: date | None = None) -> D:
    """Debit minus credit of an account (posted lines), up to `until`."""
    lines = JournalLine.objects.filter(account__code=code, entry__status="posted")
    if until:
        lines = lines.filter(entry__date__lte=until)
    return sum((line.debit - line.credit for line in lines), D(0))


def buy(s, quantity: str, price: str, on: date):
    """Order and receive `quantity` bottles of cola at `price` a bottle, VAT 13 % included."""
    order = purchasing.purchase_order_confirm(
        order=purchasing.purchase_order_create(
            supplier=s.supplier, warehouse=s.main, date=on, lines=[BuyLine(s.cola, s.bottle, quantity, price)]
        )
    )
    line = order.lines.get()
    return purchasing.purchase_receive(order=order, lines=[ReceiveLineInput(line.pk, quantity)], tz_name=TZ, on=on)


def sell(s, quantity: str, price: str, on: date):
    order = sales.sales_order_confirm(
        order=sales.sales_order_create(
            customer=s.customer, warehouse=s.main, date=on, lines=[OrderLineInput(s.cola, s.bottle, quantity, price)]
        )
    )
    line = order.lines.get()
    return sales.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, quantity)], tz_name=TZ, on=on)


def capital(amount: str, on: date) -> None:
    """The owner pays the shop's capital into the bank (a voucher; no document)."""
    with transaction.atomic():
        finance.journal_entry_post(
            date=on,
            lines=[LineInput("1002", debit=amount), LineInput("3001", credit=amount)],
            memo="实收资本",
            source_type="test_capital",
        )


def test_a_month_of_trade_computed_by_hand(shop):
    s = shop
    capital("1000.00", day(1))
    # 2 Oct: 100 bottles at 2.26 with VAT (2.00 + 0.26) arrive before their bill: estimated at 200.00.
    receipt = buy(s, "100", "2.26", day(2))
    assert entries("purchase_receipt", receipt.pk) == [[("1405", D("200.00"), 0, None), ("2202", 0, D("200.00"), None)]]
    # 5 Oct: the bill: the estimate goes, input VAT 26.00, the supplier is owed 226.00.
    bill = purchasing.purchase_bill_create(
        order=receipt.order, lines=[BillLineInput(receipt.lines.get().pk, "100")], tz_name=TZ, on=day(5)
    )
    assert entries("purchase_bill", bill.pk) == [
        [
            ("2202", D("200.00"), 0, None),
            ("22210101", D("26.00"), 0, None),
            ("2202", 0, D("226.00"), s.supplier.pk),
        ]
    ]
    # 10 Oct: paid by bank transfer.
    payment = purchasing.purchase_payment_create(
        supplier=s.supplier, allocations=[PayInput(bill.pk, "226.00")], method="bank", tz_name=TZ, on=day(10)
    )
    assert entries("purchase_payment", payment.pk) == [
        [("2202", D("226.00"), 0, s.supplier.pk), ("1002", 0, D("226.00"), None)]
    ]
    # 12 Oct: 60 bottles delivered at 3.39 with VAT; they cost 60 × 2.00.
    delivery = sell(s, "60", "3.39", day(12))
    assert entries("sales_delivery", delivery.pk) == [[("5401", D("120.00"), 0, None), ("1405", 0, D("120.00"), None)]]
    # 15 Oct: invoiced: 203.40 = 180.00 + 23.40 VAT.
    invoice = sales.sales_invoice_create(
        order=delivery.order, lines=[DocumentLineInput(delivery.lines.get().pk, "60")], tz_name=TZ, on=day(15)
    )
    assert entries("sales_invoice", invoice.pk) == [
        [
            ("1122", D("203.40"), 0, s.customer.pk),
            ("5001", 0, D("180.00"), None),
            ("22210102", 0, D("23.40"), None),
        ]
    ]
    # 20 Oct: the customer pays by WeChat Pay (其他货币资金).
    paid = sales.sales_receipt_create(
        customer=s.customer, amount="203.40", method="wechat", tz_name=TZ,
        allocations=[AllocationInput(invoice, "203.40")], on=day(20),
    )  # fmt: skip
    assert entries("sales_receipt", paid.pk) == [
        [("1012", D("203.40"), 0, None), ("1122", 0, D("203.40"), s.customer.pk)]
    ]
    # 25 Oct: 10 bottles come back: at their cost 20.00 into stock, 33.90 (30.00 + 3.90) credited.
    back = sales.sales_return_create(
        delivery=delivery, lines=[DocumentLineInput(delivery.lines.get().pk, "10")], tz_name=TZ, on=day(25)
    )
    assert entries("sales_return", back.pk) == [
        [
            ("1405", D("20.00"), 0, None),
            ("5401", 0, D("20.00"), None),
            ("5001", D("30.00"), 0, None),
            ("22210102", D("3.90"), 0, None),
            ("1122", 0, D("33.90"), s.customer.pk),
        ]
    ]
    # 28 Oct: 5 bottles broken (其它出库): 10.00 waits in 待处理财产损溢 for the owner's decision.
    issue = stockops.stock_document_create(
        kind="stock_out", date=day(28), warehouse=s.main, lines=[StockLine(s.cola, s.bottle, "5")], tz_name=TZ,
    )  # fmt: skip
    issue = stockops.stock_document_post(document=stockops.stock_document_confirm(document=issue), tz_name=TZ).document
    assert entries("stock_out", issue.pk) == [[("1405", 0, D("10.00"), None), ("1901", D("10.00"), 0, None)]]

    # The month's balances by hand: stock 45 bottles × 2.00; bank 1000 − 226; WeChat 203.40; the customer
    # is owed back 33.90; VAT: 26.00 input against 23.40 − 3.90 output; revenue 180 − 30, cost 120 − 20.
    end = date(2026, 10, 31)
    expected = {
        "1405": D("90.00"),
        "1002": D("774.00"),
        "1012": D("203.40"),
        "1122": D("-33.90"),
        "2202": D("0.00"),
        "22210101": D("26.00"),
        "22210102": D("-19.50"),
        "5001": D("-150.00"),
        "5401": D("100.00"),
        "1901": D("10.00"),
        "3001": D("-1000.00"),
    }
    assert {code: balance(code, end) for code in expected} == expected
    trial = selectors.trial_balance(date_from=OCT, date_to=end)
    assert trial.totals["debit"] == trial.totals["credit"]
    assert trial.totals["closing_debit"] == trial.totals["closing_credit"]
    income = selectors.income_statement(date_from=OCT, date_to=end)
    # 营业收入 150.00, 营业成本 100.00: profit 50.00 (line 1, line 2, 营业利润 line 21, 净利润 line 32).
    assert selectors.statement_value(income, 1) == D("150.00")
    assert selectors.statement_value(income, 2) == D("100.00")
    assert selectors.statement_value(income, 32) == D("50.00")
    sheet = selectors.balance_sheet(as_of=end)
    # 货币资金 774.00 + 203.40; 应收账款 −33.90 (net, see docs); 存货 90.00; assets total with 1901's 10.00.
    assert selectors.statement_value(sheet, 1) == D("977.40")
    assert selectors.statement_value(sheet, 9) == D("90.00")
    assert selectors.statement_value(sheet, 30) == selectors.statement_value(sheet, 53) == D("1043.50")
    assert_books_reconcile()


def test_a_bill_above_the_receipt_price_puts_the_difference_into_cost_of_sales(shop):
    s = shop
    receipt = buy(s, "10", "2.26", day(2))  # estimated at 20.00
    bill = purchasing.purchase_bill_create(
        order=receipt.order, tz_name=TZ, on=day(3),
        lines=[BillLineInput(receipt.lines.get().pk, "10", unit_price="2.49")],  # 22.04 + 2.86 VAT = 24.90
    )  # fmt: skip
    [lines] = entries("purchase_bill", bill.pk)
    assert lines == [
        ("2202", D("20.00"), 0, None),
        ("22210101", D("2.86"), 0, None),
        ("5401", D("2.04"), 0, None),
        ("2202", 0, D("24.90"), s.supplier.pk),
    ]


def test_partial_bills_take_over_exactly_the_estimate():
    shares = [
        rules.estimate_share(
            unit_cost=D("0.333333"), base_quantity=D(7), quantity=D(7), billed_before=D(a), billed_after=D(b)
        )
        for a, b in ((0, 3), (3, 5), (5, 7))
    ]
    assert sum(shares) == D("2.33")  # 7 × 0.333333 = 2.333331 → 2.33, the receipt's value


def test_payment_methods_choose_the_money_account():
    assert [rules.money_account(m) for m in ("cash", "bank", "card", "wechat", "alipay", "other")] == [
        "1001", "1002", "1002", "1012", "1012", "1002",
    ]  # fmt: skip


def test_reversals_reverse_every_entry_of_the_document(shop):
    s = shop
    receipt = buy(s, "20", "2.26", day(2))
    delivery = sell(s, "5", "3.39", day(3))
    invoice = sales.sales_invoice_create(
        order=delivery.order, lines=[DocumentLineInput(delivery.lines.get().pk, "5")], tz_name=TZ, on=day(4)
    )
    receipt_of_money = sales.sales_receipt_create(
        customer=s.customer, amount="16.95", method="cash", tz_name=TZ,
        allocations=[AllocationInput(invoice, "16.95")], on=day(5),
    )  # fmt: skip
    sales.sales_receipt_reverse(receipt=receipt_of_money, tz_name=TZ, on=day(6))
    sales.sales_invoice_reverse(invoice=invoice, tz_name=TZ, on=day(6))
    sales.sales_delivery_reverse(delivery=delivery, tz_name=TZ, on=day(6))
    purchasing.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    for source_type, source_id in (
        ("sales_receipt", receipt_of_money.pk),
        ("sales_invoice", invoice.pk),
        ("sales_delivery", delivery.pk),
        ("purchase_receipt", receipt.pk),
    ):
        original, reversal = entries(source_type, source_id)
        assert reversal == [(code, -debit, -credit, partner) for code, debit, credit, partner in original]
    for code in ("1405", "1122", "1001", "5001", "5401", "2202", "22210102"):
        assert balance(code) == 0, code


def test_a_backdated_receipt_reposts_the_cost_of_later_deliveries(shop):
    s = shop
    buy(s, "10", "2.26", day(1))  # 10 at 2.00
    delivery = sell(s, "10", "3.39", day(10))  # cost 20.00
    assert balance("5401") == D("20.00")
    # A receipt dated before the delivery: 10 at 4.00; the average at the delivery is (20 + 40) / 20 = 3.00.
    buy(s, "10", "4.52", day(5))
    [first, adjustment] = entries("sales_delivery", delivery.pk)
    assert adjustment == [("1405", 0, D("10.00"), None), ("5401", D("10.00"), 0, None)]
    assert JournalEntry.objects.filter(source_type="sales_delivery", source_id=delivery.pk).last().date == day(10)
    assert balance("5401") == D("30.00") and balance("1405") == D("30.00")
    # Reversing the delivery now takes back its cost as re-valued: both entries.
    sales.sales_delivery_reverse(delivery=delivery, tz_name=TZ)
    assert balance("5401") == 0 and balance("1405") == D("60.00")


def test_retail_sales_post_revenue_vat_and_cost(shop):
    s = shop
    buy(s, "10", "2.26", date.today() - timedelta(days=1))
    sale = sales.retail_sale_post(
        lines=[sales.SaleLineInput(s.cola, s.bottle, "2", "3.39")], payment_method="alipay", tz_name=TZ
    )
    assert entries("retail_sale", sale.pk) == [
        [
            ("1012", D("6.78"), 0, None),
            ("5001", 0, D("6.00"), None),
            ("22210102", 0, D("0.78"), None),
            ("5401", D("4.00"), 0, None),
            ("1405", 0, D("4.00"), None),
        ]
    ]
    sales.retail_sale_reverse(sale=sale, tz_name=TZ)
    assert balance("1012") == 0 and balance("5401") == 0


def test_transfers_post_nothing_and_gains_go_to_pending(shop):
    s = shop
    buy(s, "10", "2.26", day(1))
    transfer = stockops.stock_document_create(
        kind="transfer", date=day(2), warehouse=s.main, target_warehouse=s.second,
        lines=[StockLine(s.cola, s.bottle, "4")], tz_name=TZ,
    )  # fmt: skip
    stockops.stock_document_post(document=stockops.stock_document_confirm(document=transfer), tz_name=TZ)
    assert entries("transfer", transfer.pk) == []
    found = stockops.stock_document_create(
        kind="adjustment", date=day(3), warehouse=s.main, lines=[StockLine(s.cola, s.bottle, "1")], tz_name=TZ,
        reason="found",
    )  # fmt: skip
    stockops.stock_document_post(document=stockops.stock_document_confirm(document=found), tz_name=TZ)
    assert entries("adjustment", found.pk) == [[("1405", D("2.00"), 0, None), ("1901", 0, D("2.00"), None)]]
    stockops.stock_document_reverse(document=found, tz_name=TZ)
    assert balance("1901") == 0


def test_a_document_in_a_closed_month_is_refused_with_nothing_written(shop):
    s = shop
    owner = User.objects.get(email="owner@alpha.test")
    september = finance.period_get(date(2026, 9, 1))
    finance.period_close(period=september, acting_user=owner, today=date(2026, 11, 25))
    before = (JournalEntry.objects.count(), StockMove.objects.count(), PurchaseReceipt.objects.count())
    with pytest.raises(AppError) as refused:
        buy(s, "1", "2.26", date(2026, 9, 30))
    assert refused.value.code == "period_closed"
    assert (JournalEntry.objects.count(), StockMove.objects.count(), PurchaseReceipt.objects.count()) == before


def test_the_invariants_catch_a_voucher_on_the_inventory_account(shop):
    capital("100.00", day(1))
    with transaction.atomic():
        finance.journal_entry_post(
            date=day(2),
            lines=[LineInput("1405", debit="5.00"), LineInput("1002", credit="5.00")],
            source_type="test_voucher",
        )
    with pytest.raises(AssertionError, match="1405"):
        assert_books_reconcile()
    with transaction.atomic():
        finance.journal_entries_reverse(source_type="test_voucher", source_id=None, date=day(3))


def _free_stock_in(s, quantity: str, on: date):
    """Goods that came for nothing (赠品), as a confirmed 其它入库 at a unit cost of 0."""
    document = stockops.stock_document_create(
        kind="stock_in", date=on, warehouse=s.main, lines=[StockLine(s.cola, s.bottle, quantity, "0")], tz_name=TZ
    )
    return stockops.stock_document_confirm(document=document)


def _transfer(s, quantity: str, on: date):
    document = stockops.stock_document_create(
        kind="transfer", date=on, warehouse=s.main, target_warehouse=s.second,
        lines=[StockLine(s.cola, s.bottle, quantity)], tz_name=TZ,
    )  # fmt: skip
    return stockops.stock_document_confirm(document=document)


def test_documents_that_book_nothing_are_refused_in_a_closed_month_too(shop):
    """A free receipt or a transfer books no entry, yet its stock moves are dated in its month: a closed month
    refuses it (and a reversal into it) as it refuses any document, with nothing written."""
    s = shop
    owner = User.objects.get(email="owner@alpha.test")
    buy(s, "10", "2.26", date(2026, 9, 2))
    moved = stockops.stock_document_post(document=_transfer(s, "4", date(2026, 9, 3)), tz_name=TZ).document
    finance.period_close(period=finance.period_get(date(2026, 9, 1)), acting_user=owner, today=date(2026, 11, 25))
    free, transfer = _free_stock_in(s, "5", date(2026, 9, 30)), _transfer(s, "1", date(2026, 9, 30))
    before = (JournalEntry.objects.count(), StockMove.objects.count(), PurchaseReceipt.objects.count())
    attempts = [
        lambda: stockops.stock_document_post(document=free, tz_name=TZ),
        lambda: stockops.stock_document_post(document=transfer, tz_name=TZ),
        lambda: stockops.stock_document_reverse(document=moved, tz_name=TZ, on=date(2026, 9, 30)),
        lambda: buy(s, "3", "0.00", date(2026, 9, 30)),
    ]
    for attempt in attempts:
        with pytest.raises(AppError) as refused:
            attempt()
        assert (refused.value.code, refused.value.field) == ("period_closed", "date")
        assert "2026-09-30" in refused.value.message
    assert (JournalEntry.objects.count(), StockMove.objects.count(), PurchaseReceipt.objects.count()) == before
    assert [free.status, transfer.status] == ["confirmed", "confirmed"]
    # In an open month they post, and book nothing.
    stockops.stock_document_post(document=_free_stock_in(s, "5", day(1)), tz_name=TZ)
    stockops.stock_document_reverse(document=moved, tz_name=TZ, on=day(2))
    assert JournalEntry.objects.count() == before[0]


def test_a_receipts_reversal_that_empties_the_stock_books_what_the_ledger_took_out(shop):
    """The move that empties an item's pool takes whatever value is left there (inventory.costing): undoing
    a receipt after goods of another cost came and went takes out less than the receipt brought in. 1405
    follows the ledger; the difference is cost the goods sold meanwhile were charged with."""
    s = shop
    receipt = buy(s, "30", "3.39", day(1))  # 30 at 3.00: 90.00
    stockops.stock_document_post(document=_free_stock_in(s, "12", day(2)), tz_name=TZ)  # 42 worth 90.00
    sell(s, "12", "5.65", day(3))  # at the average, 25.71: 30 left worth 64.29
    reversal = purchasing.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    taken = StockMove.objects.filter(source_type="purchase_receipt", source_id=reversal.pk).get()
    assert taken.value == D("-64.29")  # not the receipt's 90.00: the shelf is empty, at no value
    original, red = entries("purchase_receipt", receipt.pk)
    assert red == [(code, -debit, -credit, partner) for code, debit, credit, partner in original]
    assert entries("purchase_receipt", reversal.pk) == [[("1405", D("25.71"), 0, None), ("5401", 0, D("25.71"), None)]]
    assert balance("1405") == 0
    # Had the receipt never been, the 12 free bottles sold would have cost nothing; no estimate is left.
    assert balance("5401") == 0
    estimate = JournalLine.objects.filter(account__code="2202", partner__isnull=True, entry__status="posted")
    assert sum((line.credit - line.debit for line in estimate), D(0)) == 0
