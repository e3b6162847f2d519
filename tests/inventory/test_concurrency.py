"""Many connections issuing the last units of one item at once: none oversold, no deadlock reaches a caller."""

import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services
from modules.inventory.models import ItemValuation, Location, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
THREADS = 16


def test_parallel_issues_sell_exactly_what_is_on_hand(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    code = f"HOT{uuid.uuid4().hex[:8]}"
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=code, name="热销品", base_unit=unit, max_items=None)
    other = catalog.item_create(code=code + "B", name="搭配品", base_unit=unit, max_items=None)
    warehouse = services.warehouse_default_ensure()
    bin_code = f"Z{uuid.uuid4().hex[:8]}"
    zone = services.location_create(warehouse=warehouse, code=bin_code)
    try:
        stock_moves_post(
            lines=[
                MoveLine(item, warehouse, D("10"), D("3.00")),
                MoveLine(other, warehouse, D("100"), D("1.00"), zone),
            ],
            posted_at=AT,
            source_type="test",
            source_id=0,
        )
        barrier = threading.Barrier(THREADS)
        outcomes: list[str] = []

        def sell(n: int):
            try:
                connection.set_tenant(tenant)
                # Half the threads list the lines in the opposite order: the sorted locking must still not deadlock.
                lines = [MoveLine(item, warehouse, D("-1")), MoveLine(other, warehouse, D("-1"), None, zone)]
                if n % 2:
                    lines.reverse()
                barrier.wait(timeout=10)
                stock_moves_post(lines=lines, posted_at=AT, source_type="test", source_id=n + 1)
                outcomes.append("ok")
            except AppError as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # a deadlock or anything else must fail the test, not hang it
                outcomes.append(type(exc).__name__ + ": " + str(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=sell, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == sorted(["ok"] * 10 + ["insufficient_stock"] * (THREADS - 10))
        connection.set_tenant(tenant)
        balance = StockBalance.objects.get(item=item, warehouse=warehouse, location=None, lot=None)
        assert balance.on_hand == D("0")
        assert ItemValuation.objects.get(item=item).value == D("0.00")
        assert StockBalance.objects.get(item=other).on_hand == D("90")
        assert StockMove.objects.filter(item=item, quantity__lt=0).count() == 10
    finally:
        connection.set_tenant(tenant)
        ledger_delete([item.pk, other.pk])
        Location.objects.filter(pk=zone.pk).delete()
        Item.objects.filter(pk__in=[item.pk, other.pk]).delete()
        connection.set_schema_to_public()
