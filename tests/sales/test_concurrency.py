"""Two cashiers sell the last unit at once, on separate connections: exactly one sale is made, the other
gets the ledger's clear 409 naming its line, and nothing of it is written."""

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
from modules.sales.models import RetailSale, RetailSaleLine
from modules.sales.services import SaleLineInput, retail_sale_post
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.sales.conftest import TZ, receive


def test_two_parallel_sales_of_the_last_unit(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(
        code=f"LAST{uuid.uuid4().hex[:8]}", name="最后一瓶", base_unit=unit, max_items=None, sale_price=D("5")
    )
    warehouse = inventory.warehouse_default_ensure()
    receive(item, warehouse, "1")
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def sell():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            sale = retail_sale_post(lines=[SaleLineInput(item, unit, "1")], payment_method="cash", tz_name=TZ)
            outcomes.append(("sold", sale.pk))
        except AppError as error:
            outcomes.append((error.code, error.status_code, error.field))
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=sell) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome[0] for outcome in outcomes) == ["insufficient_stock", "sold"], outcomes
        assert ("insufficient_stock", 409, "lines.0.quantity") in outcomes
        connection.set_tenant(tenant)
        assert StockBalance.objects.get(item=item).on_hand == D("0")
        assert RetailSaleLine.objects.filter(item=item).count() == 1
    finally:
        connection.set_tenant(tenant)
        sale_ids = list(RetailSaleLine.objects.filter(item=item).values_list("sale_id", flat=True))
        ledger_delete([item.pk])
        RetailSale.objects.filter(pk__in=sale_ids).delete()
        Item.objects.filter(pk=item.pk).delete()
        # Give the numbers back: later tests expect their first number to be 00001.
        DocumentSequence.objects.exclude(pk__in=sequences_before).delete()
        for pk, last in sequences_before.items():
            DocumentSequence.objects.filter(pk=pk).update(last=last)
        connection.set_schema_to_public()
