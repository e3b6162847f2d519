"""Two clerks settle the same thing at once, on separate connections: billing the same received units
twice, or paying what is left of one bill twice. One posts; the other gets a clear 409 naming its line
and writes nothing — the receipt line is never billed twice over and the bill never overpaid."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.numbering.models import DocumentSequence
from modules.partnerledger.models import PartnerEntry
from modules.partnerledger.selectors import partner_balance
from modules.partners import services as partners
from modules.partners.models import Partner, SupplierItem
from modules.purchasing import services
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseOrder,
    PurchasePayment,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from modules.purchasing.services import AllocationInput, BillLineInput, OrderLineInput, ReceiveLineInput
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.purchasing.conftest import TZ


def _race(tenant, work) -> list[tuple]:
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def run():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            outcomes.append(("posted", work().pk))
        except AppError as error:
            outcomes.append((error.code, error.status_code, error.field))
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_parallel_bills_of_the_same_units_then_parallel_payments_of_the_rest(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    tag = uuid.uuid4().hex[:8]
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=f"PB{tag}", name="抢着开票", base_unit=unit, max_items=None)
    supplier = partners.partner_create(code=f"S{tag}", name="供应商", is_supplier=True)
    order = services.purchase_order_confirm(
        order=services.purchase_order_create(
            supplier=supplier, warehouse=inventory.warehouse_default_ensure(), date=services.today_in(TZ),
            lines=[OrderLineInput(item, unit, "10", "3")],
        )
    )  # fmt: skip
    receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(order.lines.get().pk, "10")])
    receipt_line = receipt.lines.get()
    try:
        billed = _race(tenant, lambda: services.purchase_bill_create(
            order=order, tz_name=TZ, lines=[BillLineInput(receipt_line.pk, "10")]
        ))  # fmt: skip
        assert sorted(outcome[0] for outcome in billed) == ["over_billing", "posted"], billed
        assert ("over_billing", 409, "lines.0.quantity") in billed
        connection.set_tenant(tenant)
        bill = PurchaseBill.objects.get(order=order)
        assert PurchaseReceiptLine.objects.get(pk=receipt_line.pk).billed_quantity == D(10)

        paid = _race(tenant, lambda: services.purchase_payment_create(
            supplier=supplier, method="bank", tz_name=TZ, allocations=[AllocationInput(bill.pk, "30.00")]
        ))  # fmt: skip
        assert sorted(outcome[0] for outcome in paid) == ["over_payment", "posted"], paid
        assert ("over_payment", 409, "allocations.0.amount") in paid
        connection.set_tenant(tenant)
        bill.refresh_from_db()
        assert (bill.paid_amount, bill.open_amount) == (D("30.00"), 0)
        assert PurchaseOrder.objects.get(pk=order.pk).paid_amount == D("30.00")
        assert partner_balance(partner_id=supplier.pk, kind="payable") == 0
    finally:
        connection.set_tenant(tenant)
        ledger_delete([item.pk])
        PartnerEntry.objects.filter(partner=supplier).delete()
        payments = PurchasePayment.objects.filter(supplier=supplier)
        for payment in payments:
            payment.allocations.all().delete()
        payments.delete()
        for bill in PurchaseBill.objects.filter(order=order):
            bill.lines.all().delete()
        PurchaseBill.objects.filter(order=order).delete()
        PurchaseReceiptLine.objects.filter(receipt__order=order).delete()
        PurchaseReceipt.objects.filter(order=order).delete()
        PurchaseOrder.objects.filter(pk=order.pk).delete()
        SupplierItem.objects.filter(item=item).delete()
        Item.objects.filter(pk=item.pk).delete()
        Partner.objects.filter(pk=supplier.pk).delete()
        # Give the numbers back: later tests expect their first number to be 00001.
        DocumentSequence.objects.exclude(pk__in=sequences_before).delete()
        for pk, last in sequences_before.items():
            DocumentSequence.objects.filter(pk=pk).update(last=last)
        connection.set_schema_to_public()
