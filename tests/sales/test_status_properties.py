"""Status at a glance always agrees with the documents underneath: random partial deliveries, invoices,
receipts and returns, and reversals of any of them, on one order; after every step the counters the
services keep equal the sums over the documents, the order's status and reservation follow its
deliveries, no stock goes below zero, and the customer's receivable is invoices − receipts − credits."""

from decimal import Decimal as D

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from modules.inventory.models import StockBalance, StockReservation
from modules.partnerledger.selectors import partner_balance
from modules.sales import selectors, services
from modules.sales.domain import LineFigures, OrderFigures, glance
from modules.sales.enums import OrderStatus, Progress
from modules.sales.models import SalesDelivery, SalesInvoice, SalesReceipt, SalesReturn
from modules.sales.services import AllocationInput, DeliverLineInput, DocumentLineInput, OrderLineInput
from tests.sales.conftest import TZ, order_confirmed, stocked_shop

ACTIONS = ("deliver", "invoice", "pay", "give_back", "reverse_delivery", "reverse_invoice", "reverse_receipt",
           "reverse_return")  # fmt: skip


@pytest.fixture
def shop(in_tenant_a):
    return stocked_shop()


def _open(model, order):
    return list(model.objects.filter(order=order, reverses__isnull=True, reversal__isnull=True).order_by("id"))


def _step(data, shop, order, action: str) -> None:
    """One random document (or reversal) on the order; a refusal is fine as long as it changes nothing."""
    fraction = data.draw(st.sampled_from([D("0.25"), D("0.5"), D("1")]), label="fraction")
    if action == "deliver":
        lines = [line for line in order.lines.all() if line.outstanding > 0]
        if lines:
            line = data.draw(st.sampled_from(lines), label="line")
            quantity = max(D(1), (line.outstanding * fraction).to_integral_value())
            services.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, quantity)], tz_name=TZ)
    elif action in ("invoice", "give_back"):
        deliveries = _open(SalesDelivery, order)
        if deliveries:
            delivery = data.draw(st.sampled_from(deliveries), label="delivery")
            lines = list(delivery.lines.order_by("id"))
            if action == "give_back":  # mostly goods that were invoiced: their return is credited
                lines = sorted(lines, key=lambda line: -line.invoiced_quantity)[:1] + lines
            line = data.draw(st.sampled_from(lines), label="delivery line")
            left = line.invoiceable if action == "invoice" else line.returnable
            if left > 0:
                quantity = max(min(D(1), left), (left * fraction).quantize(D("0.000001")))
                if action == "invoice":
                    services.sales_invoice_create(order=order, lines=[DocumentLineInput(line.pk, quantity)], tz_name=TZ)
                else:
                    services.sales_return_create(
                        delivery=delivery, lines=[DocumentLineInput(line.pk, quantity)], tz_name=TZ
                    )
    elif action == "pay":
        invoices = [invoice for invoice in _open(SalesInvoice, order) if invoice.open_amount > 0]
        if invoices:
            chosen = data.draw(
                st.lists(st.sampled_from(invoices), min_size=1, unique_by=lambda i: i.pk), label="invoices"
            )
            shares = [max(D("0.01"), (invoice.open_amount * fraction).quantize(D("0.01"))) for invoice in chosen]
            extra = data.draw(st.sampled_from([D(0), D("5.00")]), label="on account")
            services.sales_receipt_create(
                customer=order.customer, amount=sum(shares) + extra, method="bank", tz_name=TZ,
                allocations=[AllocationInput(invoice, share) for invoice, share in zip(chosen, shares, strict=True)],
            )  # fmt: skip
    else:
        model = {
            "reverse_delivery": SalesDelivery,
            "reverse_invoice": SalesInvoice,
            "reverse_receipt": SalesReceipt,
            "reverse_return": SalesReturn,
        }[action]
        if model is SalesReceipt:
            candidates = list(
                SalesReceipt.objects.filter(
                    customer=order.customer,
                    reverses__isnull=True,
                    reversal__isnull=True,
                    allocations__invoice__order=order,
                ).distinct()
            )
        else:
            candidates = _open(model, order)
        if candidates:
            document = data.draw(st.sampled_from(candidates), label="document")
            reverse = {
                SalesDelivery: lambda: services.sales_delivery_reverse(delivery=document, tz_name=TZ),
                SalesInvoice: lambda: services.sales_invoice_reverse(invoice=document, tz_name=TZ),
                SalesReceipt: lambda: services.sales_receipt_reverse(receipt=document, tz_name=TZ),
                SalesReturn: lambda: services.sales_return_reverse(sales_return=document, tz_name=TZ),
            }[model]
            reverse()


def _check(shop, order) -> None:
    order.refresh_from_db()
    stored = selectors.order_figures(order)
    from_documents = selectors.order_figures_from_documents(order_id=order.pk)
    assert stored == from_documents
    seen = selectors.order_glance(selectors.sales_order_list().get(pk=order.pk))
    assert seen == glance(from_documents)
    # The order's status follows its deliveries; what is outstanding is what it holds in reserve.
    expected = {
        Progress.NONE: OrderStatus.CONFIRMED,
        Progress.PARTIAL: OrderStatus.PARTIALLY_DELIVERED,
        Progress.FULL: OrderStatus.DELIVERED,
    }[seen.delivered]
    assert order.status == expected
    outstanding: dict[int, D] = {}
    for line in order.lines.all():
        left = line.base_quantity * (line.quantity - line.delivered_quantity) / line.quantity
        outstanding[line.item_id] = outstanding.get(line.item_id, D(0)) + left.quantize(D("0.000001"))
    held = StockReservation.objects.filter(source_type="sales_order", source_id=order.pk)
    assert {r.item_id: r.quantity for r in held} == {item: q for item, q in outstanding.items() if q > 0}
    # Counters are never out of range.
    for line in stored.lines:
        assert 0 <= line.delivered <= line.quantity
        assert 0 <= line.returned <= line.delivered
        assert 0 <= line.credited <= line.invoiced
        assert 0 <= line.billed <= line.kept
    for invoice in SalesInvoice.objects.filter(order=order, reverses__isnull=True):
        assert 0 <= invoice.paid_amount <= invoice.total_gross
    assert not StockBalance.objects.filter(on_hand__lt=0).exists()
    owed = (
        (SalesInvoice.objects.filter(customer=order.customer).aggregate(t=Sum("total_gross"))["t"] or 0)
        - (SalesReceipt.objects.filter(customer=order.customer).aggregate(t=Sum("amount"))["t"] or 0)
        - (SalesReturn.objects.filter(customer=order.customer).aggregate(t=Sum("credit_amount"))["t"] or 0)
    )
    assert partner_balance(partner_id=order.customer_id, kind="receivable") == owed


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_status_at_a_glance_always_equals_the_documents(shop, data):
    # Each example on the same shop as the first found it: its documents are rolled back afterwards.
    with transaction.atomic():
        _example(shop, data)
        transaction.set_rollback(True)


def _example(shop, data):
    order = order_confirmed(
        shop,
        OrderLineInput(shop.cola, shop.case, "1", "84.00"),  # 24 bottles
        OrderLineInput(shop.cola, shop.bottle, "7", "3.33", discount_percent="5"),
        OrderLineInput(shop.milk, shop.bottle, "6", "6.10"),
    )
    # The order-to-cash path first, then anything in any order.
    actions = data.draw(st.lists(st.sampled_from(ACTIONS), min_size=2, max_size=10), label="actions")
    for action in ["deliver", "invoice", "give_back", "pay", *actions]:
        try:
            _step(data, shop, order, action)
        except AppError as error:
            # Only the refusals the rules call for: a reversal whose later documents still stand.
            assert error.code == "has_dependents", (action, error.code, error.message)
        _check(shop, order)


def test_the_glance_reads_each_side():
    line = LineFigures(quantity=D(10), delivered=D(10), returned=D(2), invoiced=D(9), credited=D(1))
    full = glance(OrderFigures(lines=(line,), invoiced_amount=D("90"), received_amount=D("90")))
    assert (full.delivered, full.invoiced, full.received, full.returned) == (
        Progress.FULL, Progress.FULL, Progress.FULL, D(2),
    )  # fmt: skip
    part = glance(OrderFigures(lines=(line, LineFigures(quantity=D(5), delivered=D(1))), invoiced_amount=D("90"),
                               received_amount=D("10")))  # fmt: skip
    assert (part.delivered, part.invoiced, part.received, part.delivered_percent) == (
        Progress.PARTIAL, Progress.PARTIAL, Progress.PARTIAL, 73,
    )  # fmt: skip
    nothing = glance(OrderFigures(lines=(LineFigures(quantity=D(5)),)))
    assert (nothing.delivered, nothing.invoiced, nothing.received) == (Progress.NONE,) * 3
