"""Two clerks deliver the last units of one sales order at once, on separate connections: one delivery is
posted, the other gets a clear 409 (everything delivered already), stock never goes below zero and the
order's reservation is let go exactly once."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance, StockReservation
from modules.numbering.models import DocumentSequence
from modules.partners import services as partners
from modules.partners.models import Partner
from modules.sales import services
from modules.sales.enums import OrderStatus
from modules.sales.models import SalesDelivery, SalesDeliveryLine, SalesOrder
from modules.sales.services import DeliverLineInput, OrderLineInput
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.sales.conftest import TZ, receive


def test_two_clerks_deliver_the_last_units_of_one_order_at_once(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    tag = uuid.uuid4().hex[:8]
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=f"SO{tag}", name="最后几瓶", base_unit=unit, max_items=None)
    customer = partners.partner_create(code=f"K{tag}", name="客户", is_customer=True)
    warehouse = inventory.warehouse_default_ensure()
    receive(item, warehouse, "5")
    order = services.sales_order_confirm(
        order=services.sales_order_create(
            customer=customer, warehouse=warehouse, date=services.today_in(TZ),
            lines=[OrderLineInput(item, unit, "5", "10")],
        )
    )  # fmt: skip
    line = order.lines.get()
    services.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, "3")], tz_name=TZ)
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def deliver():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            delivery = services.sales_deliver(order=order, lines=[DeliverLineInput(line.pk, "2")], tz_name=TZ)
            outcomes.append(("delivered", delivery.pk))
        except AppError as error:
            outcomes.append((error.code, error.status_code, error.field))
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome[0] for outcome in outcomes) == ["delivered", "over_delivery"], outcomes
        assert ("over_delivery", 409, "lines") in outcomes
        connection.set_tenant(tenant)
        balances = StockBalance.objects.filter(item=item)
        assert all(balance.on_hand >= 0 for balance in balances)
        assert sum(balance.on_hand for balance in balances) == D("0")
        assert sum(balance.reserved for balance in balances) == D("0")
        assert not StockReservation.objects.filter(item=item).exists()
        assert SalesDeliveryLine.objects.filter(order_line=line).count() == 2
        order.refresh_from_db()
        assert order.status == OrderStatus.DELIVERED
        assert order.lines.get().delivered_quantity == D("5")
    finally:
        connection.set_tenant(tenant)
        StockReservation.objects.filter(item=item).delete()
        SalesDeliveryLine.objects.filter(order_line__order=order).delete()
        SalesDelivery.objects.filter(order=order).delete()
        SalesOrder.objects.filter(pk=order.pk).delete()
        ledger_delete([item.pk])
        Item.objects.filter(pk=item.pk).delete()
        Partner.objects.filter(pk=customer.pk).delete()
        # Give the numbers back: later tests expect their first number to be 00001.
        DocumentSequence.objects.exclude(pk__in=sequences_before).delete()
        for pk, last in sequences_before.items():
            DocumentSequence.objects.filter(pk=pk).update(last=last)
        connection.set_schema_to_public()
