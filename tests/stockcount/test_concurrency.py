"""A double-submitted post (two requests at once) posts the count once: the second waits for the first's
row lock on the count, then finds it posted."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from modules.stockcount import services
from modules.stockcount.models import CountScope, StockCount, StockCountLine
from modules.stockcount.services import CountedEntry
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.stockcount.conftest import AT, TZ

THREADS = 4


def test_a_double_submitted_post_posts_once(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=f"CNT{uuid.uuid4().hex[:8]}", name="盘点品", base_unit=unit, max_items=None)
    warehouse = inventory.warehouse_default_ensure()
    count = None
    try:
        stock_moves_post(
            lines=[MoveLine(item, warehouse, D("10"), D("2.00"))], posted_at=AT, source_type="test", source_id=0
        )
        count = services.stock_count_freeze(
            count=services.stock_count_create(warehouse=warehouse, scope=CountScope.WAREHOUSE, tz_name=TZ)
        )
        lines = list(StockCountLine.objects.filter(count=count))
        services.stock_count_counted_set(
            count=count,
            entries=[CountedEntry(line.pk, "7" if line.item_id == item.pk else line.expected) for line in lines],
        )
        barrier = threading.Barrier(THREADS)
        outcomes: list[str] = []

        def post():
            try:
                connection.set_tenant(tenant)
                barrier.wait(timeout=10)
                services.stock_count_post(count=StockCount.objects.get(pk=count.pk), tz_name=TZ)
                outcomes.append("ok")
            except AppError as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # anything else must fail the test, not hang it
                outcomes.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["invalid_status"] * (THREADS - 1) + ["ok"]
        connection.set_tenant(tenant)
        assert list(
            StockMove.objects.filter(source_type="stock_count", source_id=count.pk).values_list("quantity", flat=True)
        ) == [D("-3")]
        assert StockBalance.objects.get(item=item, warehouse=warehouse, location=None, lot=None).on_hand == D("7")
    finally:
        connection.set_tenant(tenant)
        if count is not None:
            StockCountLine.objects.filter(count=count).delete()
            StockCount.objects.filter(pk=count.pk).delete()
        ledger_delete([item.pk])
        Item.objects.filter(pk=item.pk).delete()
        connection.set_schema_to_public()
