"""Two clerks receive the last outstanding units of an order at once, on separate connections: one receipt
is posted, the other gets a clear 409 naming its line, and nothing of it is written."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance
from modules.numbering.models import DocumentSequence
from modules.partners import services as partners
from modules.partners.models import Partner, SupplierItem
from modules.purchasing import services
from modules.purchasing.models import PurchaseOrder, PurchaseReceipt
from modules.purchasing.services import OrderLineInput, ReceiveLineInput
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.purchasing.conftest import TZ


def test_two_parallel_receipts_of_the_last_units(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    tag = uuid.uuid4().hex[:8]
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=f"PO{tag}", name="最后一箱", base_unit=unit, max_items=None)
    supplier = partners.partner_create(code=f"S{tag}", name="供应商", is_supplier=True)
    order = services.purchase_order_confirm(
        order=services.purchase_order_create(
            supplier=supplier, warehouse=inventory.warehouse_default_ensure(), date=services.today_in(TZ),
            lines=[OrderLineInput(item, unit, "5", "1")],
        )
    )  # fmt: skip
    line = order.lines.get()
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def receive():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line.pk, "5")])
            outcomes.append(("received", receipt.pk))
        except AppError as error:
            outcomes.append((error.code, error.status_code, error.field))
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=receive) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome[0] for outcome in outcomes) == ["over_receipt", "received"], outcomes
        # The loser waited for the winner's lock, then found nothing outstanding.
        assert ("over_receipt", 409, "lines") in outcomes
        connection.set_tenant(tenant)
        assert StockBalance.objects.get(item=item).on_hand == D("5")
        assert PurchaseReceipt.objects.filter(order=order).count() == 1
        assert PurchaseOrder.objects.get(pk=order.pk).status == "received"
    finally:
        connection.set_tenant(tenant)
        ledger_delete([item.pk])
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
