"""Property: whatever sequence of partial receipts, bills, payments, returns and reversals (红冲) runs
against an order — each step either posts or is refused changing nothing — the status at a glance, the
counters behind it, the payable and the stock always equal what is recomputed from the documents."""

from decimal import Decimal as D

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import cents
from modules.purchasing import selectors, services
from modules.purchasing.enums import OrderStatus
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseBillLine,
    PurchaseOrder,
    PurchasePayment,
    PurchasePaymentAllocation,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from modules.purchasing.services import (
    AllocationInput,
    BillLineInput,
    ReceiptReturnLineInput,
    ReceiveLineInput,
    ReturnLineInput,
)
from tests.purchasing.conftest import TZ, confirmed, on_hand, payable, purchasing_state, shop_create

OPS = [
    "receive", "receive", "bill", "bill", "pay", "pay", "return", "free_return",
    "reverse_receipt", "reverse_bill", "reverse_payment", "reverse_return",
]  # fmt: skip
step = st.tuples(st.sampled_from(OPS), st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=4))


def _total(queryset, field: str) -> D:
    return queryset.aggregate(total=Sum(field))["total"] or D(0)


def _standing(model):
    return list(model.objects.filter(reverses__isnull=True, reversal__isnull=True).order_by("pk"))


def _originals(model):
    return list(model.objects.filter(reverses__isnull=True).order_by("pk"))


def _run(shop, order, op: str, a: int, b: int) -> None:
    lines = list(order.lines.order_by("position"))
    if op == "receive":
        line = lines[a % 2]
        quantity = D(b) / 2 if line.item == shop.cola else D(b)
        services.purchase_receive(
            order=order, tz_name=TZ, lines=[ReceiveLineInput(line.pk, quantity, "L1" if line.item.lot_tracked else "")]
        )
    elif op == "bill":
        receipts = _standing(PurchaseReceipt)
        if receipts:
            receipt = receipts[a % len(receipts)]
            entries = [
                BillLineInput(rl.pk, (rl.quantity - rl.billed_quantity) * b / 4, None if b % 2 else "3.10")
                for rl in receipt.lines.order_by("pk")
            ]
            services.purchase_bill_create(order=order, tz_name=TZ, lines=entries)
    elif op == "pay":
        bills = [bill for bill in _standing(PurchaseBill) if bill.open_amount > 0]
        chosen = bills if a % 2 == 0 else bills[a % len(bills) :][:1] if bills else []
        if chosen:
            services.purchase_payment_create(
                supplier=shop.supplier, method="bank", tz_name=TZ,
                allocations=[AllocationInput(bill.pk, cents(bill.open_amount * b / 4)) for bill in chosen],
            )  # fmt: skip
    elif op == "return":
        receipts = _standing(PurchaseReceipt)
        if receipts:
            receipt = receipts[a % len(receipts)]
            entries = [
                ReceiptReturnLineInput(rl.pk, (rl.quantity - rl.returned_quantity) * b / 4)
                for rl in receipt.lines.order_by("pk")
            ]
            services.purchase_return_from_receipt(receipt=receipt, tz_name=TZ, lines=entries)
    elif op == "free_return":
        services.purchase_return_create(
            supplier=shop.supplier, warehouse=shop.main, tz_name=TZ,
            lines=[ReturnLineInput(shop.cola, shop.bottle, D(b), "2.00")],
        )  # fmt: skip
    else:
        model, reverse, name = {
            "reverse_receipt": (PurchaseReceipt, services.purchase_receipt_reverse, "receipt"),
            "reverse_bill": (PurchaseBill, services.purchase_bill_reverse, "bill"),
            "reverse_payment": (PurchasePayment, services.purchase_payment_reverse, "payment"),
            "reverse_return": (PurchaseReturn, services.purchase_return_reverse, "purchase_return"),
        }[op]
        # Any original, reversed already or not: a second reversal must be refused.
        documents = _originals(model)
        if documents:
            reverse(**{name: documents[a % len(documents)], "tz_name": TZ})


def _check(shop, order: PurchaseOrder) -> None:
    order = selectors.purchase_order_detail(order_id=order.pk)
    ordered = received = billed = returned = D(0)
    received_amount = D("0.00")
    for line in order.lines.all():
        line_received = _total(PurchaseReceiptLine.objects.filter(order_line=line), "quantity")
        line_billed = _total(PurchaseBillLine.objects.filter(receipt_line__order_line=line), "quantity")
        line_returned = _total(PurchaseReturnLine.objects.filter(receipt_line__order_line=line), "quantity")
        assert (line.received_quantity, line.billed_quantity, line.returned_quantity) == (
            line_received, line_billed, line_returned,
        )  # fmt: skip
        factor = line.base_quantity / line.quantity
        ordered += line.base_quantity
        received += line_received * factor
        billed += line_billed * factor
        returned += line_returned * factor
        received_amount += cents(line.gross * line_received / line.quantity)
    for rl in PurchaseReceiptLine.objects.all():
        assert rl.billed_quantity == _total(rl.bill_lines.all(), "quantity")
        assert rl.returned_quantity == _total(rl.return_lines.all(), "quantity")
    for bill in PurchaseBill.objects.all():
        assert bill.paid_amount == _total(PurchasePaymentAllocation.objects.filter(bill=bill), "amount")
        assert bill.total_gross == _total(bill.lines.all(), "gross")
        assert 0 <= bill.paid_amount <= max(bill.total_gross, D(0))
    bills_total = _total(PurchaseBill.objects.filter(order=order), "total_gross")
    paid_total = _total(PurchasePaymentAllocation.objects.filter(bill__order=order), "amount")
    returned_total = _total(PurchaseReturn.objects.filter(order=order), "total_gross")
    glance = selectors.order_glance(order)
    assert glance == selectors.OrderGlance(
        ordered_quantity=ordered.normalize(),
        received_quantity=received.normalize(),
        billed_quantity=billed.normalize(),
        returned_quantity=returned.normalize(),
        ordered_amount=order.total_gross,
        received_amount=received_amount,
        billed_amount=bills_total,
        paid_amount=paid_total,
        returned_amount=returned_total,
    )
    # The partner ledger: bills raise the payable, payments and returns lower it.
    assert payable(shop) == (
        _total(PurchaseBill.objects.all(), "total_gross")
        - _total(PurchasePayment.objects.all(), "amount")
        - _total(PurchaseReturn.objects.all(), "total_gross")
    )
    # The stock: what came in less what went back.
    for item in (shop.cola, shop.milk):
        came = _total(PurchaseReceiptLine.objects.filter(order_line__item=item), "base_quantity")
        went = _total(PurchaseReturnLine.objects.filter(item=item), "base_quantity")
        total = sum((on_hand(item, shop.main, None, lot) for lot in [None, *item.lots.all()]), D(0))
        assert total == came - went
    if received == 0:
        assert order.status == OrderStatus.CONFIRMED
    elif received == ordered:
        assert order.status == OrderStatus.RECEIVED
    else:
        assert order.status == OrderStatus.PARTIALLY_RECEIVED


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.integers(min_value=1, max_value=4), steps=st.lists(step, min_size=1, max_size=14))
def test_status_always_agrees_with_the_documents(in_tenant_a, first, steps):
    with transaction.atomic():
        shop = shop_create()
        order = confirmed(shop)
        # Something received first, so that most steps find documents to work on.
        for op, a, b in [("receive", 0, first), ("receive", 1, first), *steps]:
            before = purchasing_state()
            try:
                _run(shop, order, op, a, b)
            except AppError:
                assert purchasing_state() == before, op
            _check(shop, order)
        transaction.set_rollback(True)
