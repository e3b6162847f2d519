"""Parallel posts of one confirmed document, on separate connections: it is posted exactly once."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance, StockMove
from modules.numbering.models import DocumentSequence
from modules.stockops import services
from modules.stockops.models import StockDocument
from modules.stockops.services import LineInput
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete
from tests.stockops.conftest import TZ

THREADS = 8


def test_parallel_posts_of_one_document_post_it_once(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    sequences_before = dict(DocumentSequence.objects.values_list("pk", "last"))
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=f"PAR{uuid.uuid4().hex[:8]}", name="并发品", base_unit=unit, max_items=None)
    warehouse = inventory.warehouse_default_ensure()
    document = services.stock_document_create(
        kind="stock_in",
        date=services.today_in(TZ),
        warehouse=warehouse,
        lines=[LineInput(item, unit, "7", "2.00")],
        tz_name=TZ,
    )
    services.stock_document_confirm(document=document)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def post():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            services.stock_document_post(document=StockDocument(pk=document.pk), tz_name=TZ)
            outcomes.append("posted")
        except AppError as error:
            outcomes.append(error.code)
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=post) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["document_closed"] * (THREADS - 1) + ["posted"]
        connection.set_tenant(tenant)
        assert StockMove.objects.filter(source_type="stock_in", source_id=document.pk).count() == 1
        assert StockBalance.objects.get(item=item).on_hand == D("7")
        assert StockDocument.objects.get(pk=document.pk).status == "posted"
    finally:
        connection.set_tenant(tenant)
        ledger_delete([item.pk])
        StockDocument.objects.filter(pk=document.pk).delete()
        Item.objects.filter(pk=item.pk).delete()
        # Give the numbers back: later tests expect their first number to be 00001.
        DocumentSequence.objects.exclude(pk__in=sequences_before).delete()
        for pk, last in sequences_before.items():
            DocumentSequence.objects.filter(pk=pk).update(last=last)
        connection.set_schema_to_public()
