"""A small shop for stock count tests: drinks (cola, with a case of 24 and its case barcode; tea) and
snacks (chips), a warehouse with zone A → shelf A1 and zone B, a second warehouse, and stock."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.models import Category, Item, Unit
from modules.identity.services import roles_sync
from modules.inventory import services as inventory
from modules.inventory.models import Location, Warehouse
from modules.inventory.services import MoveLine, stock_moves_post
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TZ = "Asia/Shanghai"
COLA_BARCODE = "6901234567892"
COLA_CASE_BARCODE = "6901234567809"
CHIPS_BARCODE = "6920000000012"


@dataclass
class Shop:
    cola: Item
    tea: Item
    chips: Item
    drinks: Category
    snacks: Category
    case: Unit
    wh: Warehouse
    other_wh: Warehouse
    zone_a: Location
    shelf_a1: Location
    zone_b: Location


def shop_build() -> Shop:
    """Stock: cola 30 at A1 (2.00), cola 5 at B (2.00), tea 10 without location (4.00), chips 8 at A1 (1.50)."""
    bottle = catalog.unit_create(name="瓶")
    case = catalog.unit_create(name="箱")
    bag = catalog.unit_create(name="袋")
    drinks = catalog.category_create(name="饮料")
    soda = catalog.category_create(name="汽水", parent=drinks)
    snacks = catalog.category_create(name="零食")
    cola = catalog.item_create(
        code="COLA", name="可乐", base_unit=bottle, max_items=None, category=soda, units=[(case, D("24"))],
        barcodes=[COLA_BARCODE, COLA_CASE_BARCODE], barcode_units={COLA_CASE_BARCODE: case},
    )  # fmt: skip
    tea = catalog.item_create(code="TEA", name="茶", base_unit=bottle, max_items=None, category=drinks)
    chips = catalog.item_create(
        code="CHIPS", name="薯片", base_unit=bag, max_items=None, category=snacks, barcodes=[CHIPS_BARCODE]
    )
    wh = inventory.warehouse_default_ensure()
    other_wh = inventory.warehouse_create(code="W2", name="二号仓", max_warehouses=None)
    zone_a = inventory.location_create(warehouse=wh, code="A")
    shelf_a1 = inventory.location_create(warehouse=wh, code="A1", parent=zone_a)
    zone_b = inventory.location_create(warehouse=wh, code="B")
    stock_moves_post(
        lines=[
            MoveLine(cola, wh, D("30"), D("2.00"), shelf_a1),
            MoveLine(cola, wh, D("5"), D("2.00"), zone_b),
            MoveLine(tea, wh, D("10"), D("4.00")),
            MoveLine(chips, wh, D("8"), D("1.50"), shelf_a1),
            MoveLine(cola, other_wh, D("7"), D("2.00")),
        ],
        posted_at=AT,
        source_type="test",
        source_id=1,
    )
    return Shop(cola, tea, chips, drinks, snacks, case, wh, other_wh, zone_a, shelf_a1, zone_b)


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    # alpha and beta were created before the stockcount app existed: give their roles its permissions.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


@pytest.fixture
def shop(in_tenant_a) -> Shop:
    return shop_build()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a, roles_synced):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b, roles_synced):
    return login(client_b, tenant_b, owner_b)


from tests.finance.invariants import books_reconcile  # noqa: E402, F401  (the books reconcile after each test)
