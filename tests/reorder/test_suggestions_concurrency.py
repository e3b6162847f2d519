"""Two clicks on "create purchase orders" with the same form token, on separate connections at once:
one set of draft orders is made, and both answers name the same orders."""

import threading
import uuid

from django.db import connection

from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.numbering.models import DocumentSequence
from modules.partners.models import Partner, SupplierItem
from modules.partners.services import partner_create, supplier_item_set
from modules.purchasing.models import PurchaseOrder
from modules.reorder.models import ReplenishmentBatch
from modules.reorder.services import AcceptedLine, suggestion_orders_create
from tenants.models import Tenant


def test_two_parallel_posts_of_one_token_create_one_set_of_orders(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    tag = uuid.uuid4().hex[:8]
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    cola = catalog.item_create(code=f"PAR{tag}", name="并发", base_unit=unit, max_items=None)
    warehouse = inventory.warehouse_default_ensure()
    acme = partner_create(code=f"PS{tag}", name="并发供应商", is_supplier=True)
    supplier_item_set(supplier_id=acme.pk, item_id=cola.pk, last_purchase_price="2")
    token = f"par-{tag}"
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def click():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            result = suggestion_orders_create(
                token=token,
                lines=[AcceptedLine(item_id=cola.pk, warehouse_id=warehouse.pk, quantity="6")],
                tz_name="Asia/Shanghai",
            )
            outcomes.append((result.created, tuple(po.pk for po in result.orders)))
        except Exception as error:  # anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=click) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome[0] for outcome in outcomes) == [False, True], outcomes
        assert outcomes[0][1] == outcomes[1][1] and len(outcomes[0][1]) == 1
        connection.set_tenant(tenant)
        assert PurchaseOrder.objects.filter(supplier=acme).count() == 1
    finally:
        connection.set_tenant(tenant)
        ReplenishmentBatch.objects.filter(token=token).delete()
        PurchaseOrder.objects.filter(supplier=acme).delete()
        SupplierItem.objects.filter(supplier=acme).delete()
        Partner.objects.filter(pk=acme.pk).delete()
        Item.objects.filter(pk=cola.pk).delete()
        # Give the numbers back: later tests expect their first number to be 00001.
        DocumentSequence.objects.exclude(pk__in=sequences_before).delete()
        for pk, last in sequences_before.items():
            DocumentSequence.objects.filter(pk=pk).update(last=last)
        connection.set_schema_to_public()
