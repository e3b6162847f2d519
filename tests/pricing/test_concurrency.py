"""Two managers apply the same bulk price change at once, on separate connections: one raises the prices,
the other waits for its row locks, finds the prices moved since its preview and gets a 409; the prices are
raised once, not twice."""

import threading
import uuid
from decimal import Decimal as D

from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Category, Item, Unit
from modules.pricing import services
from tenants.models import Tenant


def test_two_parallel_applies_of_one_preview(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    tag = uuid.uuid4().hex[:8]
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    category = catalog.category_create(name=f"调价{tag}")
    items = [
        catalog.item_create(
            code=f"BULK{tag}{n}", name="调价", base_unit=unit, max_items=None, category=category, sale_price=D(price)
        )
        for n, price in enumerate(("3.50", "10.00"))
    ]
    preview = services.price_bulk_change_preview(category_id=category.pk, percent="10")
    barrier = threading.Barrier(2)
    outcomes: list[tuple] = []

    def apply():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            change = services.price_bulk_change_apply(category_id=category.pk, percent="10", digest=preview.digest)
            outcomes.append(("applied", len(change.rows)))
        except AppError as error:
            outcomes.append((error.code, error.status_code, error.field))
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append((f"{type(error).__name__}: {error}",))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=apply) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == [("applied", 2), ("preview_stale", 409, "digest")], outcomes
        connection.set_tenant(tenant)
        assert list(Item.objects.filter(category=category).order_by("code").values_list("sale_price", flat=True)) == [
            D("3.85"),
            D("11.00"),
        ]
    finally:
        connection.set_tenant(tenant)
        Item.objects.filter(pk__in=[item.pk for item in items]).delete()
        Category.objects.filter(pk=category.pk).delete()
