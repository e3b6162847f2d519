"""Invoices of delivered goods, receipts of payment settling several invoices, returns at the cost the goods
left with; the receivable each posts, their reversals, and refusals that change nothing."""

from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from modules.inventory.models import StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partnerledger.selectors import partner_balance
from modules.sales import services
from modules.sales.models import SalesInvoice
from modules.sales.services import AllocationInput, DeliverLineInput, DocumentLineInput, OrderLineInput
from tests.sales.conftest import TZ, on_hand, order_confirmed, stocked_shop
from tests.sales.test_orders import refused


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop(in_tenant_a):
    return stocked_shop()


def balance(shop) -> D:
    return partner_balance(partner_id=shop.customer.pk, kind="receivable")


def delivered(shop, *lines):
    """A confirmed order delivered whole: (order, delivery, {item code: delivery line})."""
    order = order_confirmed(shop, *lines)
    delivery = services.sales_deliver(
        order=order, lines=[DeliverLineInput(line.pk, line.quantity) for line in order.lines.all()], tz_name=TZ
    )
    return (
        order,
        delivery,
        {line.order_line.item.code: line for line in delivery.lines.select_related("order_line__item")},
    )


def invoice(order, *pairs):
    return services.sales_invoice_create(
        order=order, lines=[DocumentLineInput(line.pk, quantity) for line, quantity in pairs], tz_name=TZ
    )


def give_back(delivery, *pairs, **kwargs):
    return services.sales_return_create(
        delivery=delivery, lines=[DocumentLineInput(line.pk, quantity) for line, quantity in pairs], tz_name=TZ,
        **kwargs,
    )  # fmt: skip


def pay(shop, amount, *allocations, method="bank"):
    return services.sales_receipt_create(
        customer=shop.customer, amount=amount, method=method, tz_name=TZ,
        allocations=[AllocationInput(invoice, share) for invoice, share in allocations],
    )  # fmt: skip


# --- Invoices -------------------------------------------------------------------------------------------


def test_invoicing_in_parts_adds_up_to_the_line_and_raises_the_receivable(shop):
    # 3 bottles at 1.00 with 13 % VAT included: a third of it is 1.00 gross, 0.88 net (cumulatively rounded).
    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "3", "1.00"))
    cola = lines["COLA"]
    first = invoice(order, (cola, "1"))
    assert first.number.startswith("XSFP") and first.number.endswith("00001")
    assert (first.total_gross, first.total_net, first.total_tax) == (D("1.00"), D("0.88"), D("0.12"))
    second = invoice(order, (cola, "2"))
    assert (second.total_gross, second.total_net) == (D("2.00"), D("1.77"))
    line = order.lines.get()
    assert (first.total_net + second.total_net, first.total_gross + second.total_gross) == (line.net, line.gross)
    assert balance(shop) == D("3.00")
    error = refused(lambda: invoice(order, (cola, "0.5")), "over_invoice", "lines.0.quantity")
    assert "0 瓶" in error.message and error.status_code == 409


def test_the_due_date_follows_the_payment_terms(shop):
    from modules.partners.models import Partner

    Partner.objects.filter(pk=shop.customer.pk).update(payment_terms_days=30)
    order, _delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "1", "5"))
    bill = invoice(order, (lines["COLA"], "1"))
    assert (bill.due_date - bill.date).days == 30


def test_an_invoice_names_only_this_orders_delivery_lines(shop):
    order, _delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "2", "5"))
    other, _d, other_lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "2", "5"))
    refused(lambda: invoice(order, (other_lines["COLA"], "1")), "wrong_line", "lines.0.line")
    refused(lambda: invoice(order, (lines["COLA"], "1"), (lines["COLA"], "1")), "wrong_line", "lines.1.line")
    refused(lambda: invoice(order, (lines["COLA"], "-1")), "non_positive_quantity", "lines.0.quantity")
    refused(lambda: services.sales_invoice_create(order=order, lines=[], tz_name=TZ), "no_lines", "lines")


def test_an_invoice_reversal_lowers_the_receivable_and_frees_the_goods_to_invoice(shop):
    order, _delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "4", "2.50"))
    bill = invoice(order, (lines["COLA"], "4"))
    assert balance(shop) == D("10.00")
    reversal = services.sales_invoice_reverse(invoice=bill, tz_name=TZ)
    assert (reversal.total_gross, reversal.reverses_id) == (D("-10.00"), bill.pk)
    assert balance(shop) == D("0.00")
    assert order.lines.get().invoiced_quantity == 0
    refused(lambda: services.sales_invoice_reverse(invoice=bill, tz_name=TZ), "already_reversed")
    refused(lambda: services.sales_invoice_reverse(invoice=reversal, tz_name=TZ), "reversal_of_reversal")
    assert invoice(order, (lines["COLA"], "4")).total_gross == D("10.00")


def test_a_delivery_with_invoiced_goods_is_not_reversed(shop):
    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "4", "2.50"))
    invoice(order, (lines["COLA"], "1"))
    refused(lambda: services.sales_delivery_reverse(delivery=delivery, tz_name=TZ), "has_dependents", "reverses")


# --- Receipts of payment --------------------------------------------------------------------------------


def test_one_receipt_settles_several_invoices_partly(shop):
    order, _delivery, lines = delivered(
        shop, OrderLineInput(shop.cola, shop.bottle, "10", "10"), OrderLineInput(shop.milk, shop.bottle, "5", "6")
    )
    a = invoice(order, (lines["COLA"], "10"))  # 100.00
    b = invoice(order, (lines["MILK"], "5"))  # 30.00
    receipt = pay(shop, "120.00", (a, "100"), (b, "15.50"), method="wechat")
    assert receipt.number.startswith("SK") and receipt.method == "wechat"
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.paid_amount, a.open_amount, b.paid_amount, b.open_amount) == (D("100"), D("0"), D("15.50"), D("14.50"))
    # 4.50 stays on account.
    assert balance(shop) == D("10.00")
    error = refused(lambda: pay(shop, "20", (b, "15")), "over_payment", "allocations.0.amount")
    assert "14.50" in error.message
    refused(lambda: pay(shop, "10", (b, "11")), "over_payment", "allocations")
    refused(lambda: pay(shop, "0"), "invalid_amount", "amount")
    refused(lambda: pay(shop, "10", method="bitcoin"), "invalid_payment_method", "method")
    refused(lambda: pay(shop, "10", (b, "1"), (b, "1")), "wrong_line", "allocations")
    refused(lambda: services.sales_invoice_reverse(invoice=b, tz_name=TZ), "has_dependents", "reverses")


def test_a_receipt_reversal_reopens_the_invoices(shop):
    order, _delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "10", "10"))
    bill = invoice(order, (lines["COLA"], "10"))
    receipt = pay(shop, "100", (bill, "60"))
    reversal = services.sales_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert (reversal.amount, reversal.reverses_id) == (D("-100.00"), receipt.pk)
    bill.refresh_from_db()
    assert bill.paid_amount == D("0")
    assert balance(shop) == D("100.00")
    refused(lambda: services.sales_receipt_reverse(receipt=receipt, tz_name=TZ), "already_reversed")


def test_another_customers_invoice_is_not_settled(shop):
    from modules.partners import services as partners

    order, _delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "1", "10"))
    bill = invoice(order, (lines["COLA"], "1"))
    stranger = partners.partner_create(code="K9", name="别人", is_customer=True)
    refused(
        lambda: services.sales_receipt_create(
            customer=stranger, amount="5", method="cash", tz_name=TZ, allocations=[AllocationInput(bill, "5")]
        ),
        "wrong_line",
        "allocations.0.invoice",
    )
    refused(lambda: services.sales_receipt_create(customer=shop.supplier, amount="5", method="cash", tz_name=TZ),
            "wrong_partner", "customer")  # fmt: skip


# --- Returns --------------------------------------------------------------------------------------------


def test_goods_come_back_at_the_cost_they_left_with(shop):
    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "10", "5"))
    out = StockMove.objects.get(source_type="sales_delivery", source_id=delivery.pk)
    assert out.unit_cost == D("2.00")
    # A dearer receipt afterwards moves the average to 3.00; the return still comes back at 2.00.
    stock_moves_post(
        lines=[MoveLine(shop.cola, shop.main, D("90"), D("4.00"))], posted_at=timezone.now(), source_type="test",
        source_id=99,
    )  # fmt: skip
    back = give_back(delivery, (lines["COLA"], "4"), reason="broken")
    assert back.number.startswith("XSTH")
    move = StockMove.objects.get(source_type="sales_return", source_id=back.pk)
    assert (move.quantity, move.unit_cost, move.value) == (D("4"), D("2.00"), D("8.00"))
    assert on_hand(shop.cola, shop.main) == D("184")
    # Nothing was invoiced: nothing to credit, and the returned goods are no longer to invoice.
    assert (back.credit_amount, balance(shop)) == (D("0"), D("0"))
    error = refused(lambda: invoice(order, (lines["COLA"], "7")), "over_invoice", "lines.0.quantity")
    assert "6" in error.message


def test_a_return_of_invoiced_goods_is_credited_on_the_receivable(shop):
    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "10", "5"))
    invoice(order, (lines["COLA"], "6"))  # 30.00 owed, 4 bottles not invoiced yet
    assert balance(shop) == D("30.00")
    # 5 back: 4 of them were never invoiced, 1 was: credit 5.00.
    back = give_back(delivery, (lines["COLA"], "5"))
    assert back.credit_amount == D("5.00")
    assert balance(shop) == D("25.00")
    line = order.lines.get()
    assert (line.returned_quantity, line.credited_quantity, line.invoiced_quantity) == (D("5"), D("1"), D("6"))
    # Nothing is left to invoice: 10 delivered − 5 back = 5 kept, 6 invoiced − 1 credited = 5.
    refused(lambda: invoice(order, (lines["COLA"], "1")), "over_invoice")
    error = refused(lambda: give_back(delivery, (lines["COLA"], "6")), "over_return", "lines.0.quantity")
    assert "5" in error.message
    # The credited invoice cannot be reversed while the credit stands.
    bill = SalesInvoice.objects.get(order=order)
    refused(lambda: services.sales_invoice_reverse(invoice=bill, tz_name=TZ), "has_dependents")
    refused(lambda: services.sales_delivery_reverse(delivery=delivery, tz_name=TZ), "has_dependents")


def test_a_return_reversal_takes_the_goods_out_again_and_the_credit_back(shop):
    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "10", "5"))
    invoice(order, (lines["COLA"], "10"))
    back = give_back(delivery, (lines["COLA"], "2"))
    assert (back.credit_amount, balance(shop)) == (D("10.00"), D("40.00"))
    reversal = services.sales_return_reverse(sales_return=back, tz_name=TZ)
    assert (reversal.credit_amount, balance(shop)) == (D("-10.00"), D("50.00"))
    assert on_hand(shop.cola, shop.main) == D("90")
    line = order.lines.get()
    assert (line.returned_quantity, line.credited_quantity) == (D("0"), D("0"))
    refused(lambda: services.sales_return_reverse(sales_return=back, tz_name=TZ), "already_reversed")


def test_a_lot_goes_back_to_its_lot(shop):
    order, delivery, lines = delivered(shop, OrderLineInput(shop.milk, shop.bottle, "25", "6"))
    l1_line = next(line for line in delivery.lines.all() if line.lot.code == "L1")
    give_back(delivery, (l1_line, "5"))
    assert on_hand(shop.milk, shop.main, lot=l1_line.lot) == D("20")


def test_an_invoice_is_not_dated_before_its_delivery(shop):
    from datetime import timedelta

    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "1", "5"))
    refused(
        lambda: services.sales_invoice_create(
            order=order, lines=[DocumentLineInput(lines["COLA"].pk, "1")], tz_name=TZ,
            on=delivery.date - timedelta(days=1),
        ),
        "invalid_date",
        "date",
    )  # fmt: skip


# --- What other modules read ----------------------------------------------------------------------------


def test_report_rows_of_deliveries_returns_and_reversals_fit_the_reports_contract(shop):
    from django.db import connection

    from modules.reports.sources import SALES_COLUMNS, union_sql
    from modules.sales.selectors import delivery_report_rows, return_report_rows

    order, delivery, lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "10", "5.65"))
    give_back(delivery, (lines["COLA"], "4"))
    second, other, other_lines = delivered(shop, OrderLineInput(shop.cola, shop.bottle, "2", "5.65"))
    services.sales_delivery_reverse(delivery=other, tz_name=TZ)
    today = services.today_in(TZ)
    sql, params = union_sql(
        {"deliveries": delivery_report_rows, "returns": return_report_rows}, SALES_COLUMNS, today, today
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sum(base_quantity), sum(net_amount), sum(cost), count(*) FROM ({sql}) AS u", params)
        quantity, net, cost, rows = cursor.fetchone()
    # 10 + 2 − 2 (reversal) − 4 (returned) = 6 bottles sold at 5.00 net (5.65 with 13 % VAT), at cost 2.00.
    assert (quantity, net, cost, rows) == (D("6"), D("30.00"), D("12.00"), 4)
    customer_rows = {row["customer_id"] for row in return_report_rows(today, today)}
    assert customer_rows == {shop.customer.pk}


def test_deliveries_and_returns_count_as_sales_for_replenishment(shop):
    from modules.reorder.demand import sale_source_types

    assert {"sales_delivery", "sales_return", "retail_sale"} <= sale_source_types()
