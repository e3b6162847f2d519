"""A small shop for retail sale tests (the stock documents' shop, with sale prices) and helpers to stock
it and to read what a refused sale must leave unchanged."""

import itertools
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog.models import Item
from modules.inventory.models import Lot, StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from modules.sales.models import RetailSale, RetailSaleLine
from tests.stockops.conftest import TZ, Shop, auth, login, make_key, make_user, on_hand, shop_create  # noqa: F401

_sources = itertools.count(1)


def sale_shop() -> Shop:
    """Cola at 3.50 a bottle (a 箱 of 24, barcode 6901234567892), milk at 6.00 (lot-tracked)."""
    shop = shop_create()
    Item.objects.filter(pk=shop.cola.pk).update(sale_price=D("3.50"))
    Item.objects.filter(pk=shop.milk.pk).update(sale_price=D("6.00"))
    shop.cola.refresh_from_db()
    shop.milk.refresh_from_db()
    return shop


def receive(item, warehouse, quantity, *, location=None, lot: Lot | None = None) -> None:
    stock_moves_post(
        lines=[MoveLine(item, warehouse, D(quantity), D("2.00"), location, lot)],
        posted_at=timezone.now(),
        source_type="test_receipt",
        source_id=next(_sources),
    )


def lot(item, code: str, expiry: date | None) -> Lot:
    return Lot.objects.create(item=item, code=code, expiry_date=expiry)


def sales_state() -> tuple:
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("item_id", "warehouse_id", "location_id", "lot_id", "on_hand")),
        RetailSale.objects.count(),
        RetailSaleLine.objects.count(),
    )


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    from modules.identity.services import roles_sync

    # alpha and beta were provisioned before this app's permissions existed.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()
