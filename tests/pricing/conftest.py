"""A small shop for the pricing tests: drinks (cola in 瓶 and 箱 of 24) under 饮料 › 碳酸饮料, snacks, a
supplier, a retail and a wholesale customer; stock posted through the ledger's own service."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.models import Category, Item, Unit
from modules.inventory.models import Warehouse
from modules.inventory.services import MoveLine, stock_moves_post, warehouse_default_ensure
from modules.partners.models import Partner, PriceTier
from modules.partners.services import partner_create
from modules.pricing import services
from modules.pricing.models import PriceList
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401

DAY = date(2026, 11, 11)
_sources = itertools.count(1)


@dataclass
class Shop:
    drinks: Category
    soda: Category
    snacks: Category
    cola: Item  # 3.50 a 瓶, a 箱 is 24 瓶
    juice: Item  # 5.00 a 瓶, under 饮料 directly
    chips: Item  # 4.00 a 袋, under 零食
    bottle: Unit
    case: Unit
    warehouse: Warehouse
    walk_in_list: PriceList  # retail
    wholesale_list: PriceList
    retail_customer: Partner
    wholesale_customer: Partner


def unit(name: str) -> Unit:
    return Unit.objects.filter(name=name).first() or catalog.unit_create(name=name)


def item(code: str, *, price: str, category=None, base: str = "瓶", packs=(), vat=D("0.13")) -> Item:
    return catalog.item_create(
        code=code,
        name=code,
        base_unit=unit(base),
        max_items=None,
        category=category,
        sale_price=D(price),
        vat_rate=vat,
        units=[(unit(pack), D(str(factor))) for pack, factor in packs],
    )


def shop_create() -> Shop:
    drinks = catalog.category_create(name="饮料")
    soda = catalog.category_create(name="碳酸饮料", parent=drinks)
    snacks = catalog.category_create(name="零食")
    cola = item("COLA", price="3.50", category=soda, packs=(("箱", 24),))
    return Shop(
        drinks=drinks,
        soda=soda,
        snacks=snacks,
        cola=cola,
        juice=item("JUICE", price="5.00", category=drinks),
        chips=item("CHIPS", price="4.00", category=snacks, base="袋"),
        bottle=unit("瓶"),
        case=unit("箱"),
        warehouse=warehouse_default_ensure(),
        walk_in_list=services.price_list_create(tier=PriceTier.RETAIL, name="零售价"),
        wholesale_list=services.price_list_create(tier=PriceTier.WHOLESALE, name="批发价"),
        retail_customer=partner_create(code="C1", name="散客张三", is_customer=True),
        wholesale_customer=partner_create(code="C2", name="批发李四", is_customer=True, price_tier=PriceTier.WHOLESALE),
    )


def receive(item_: Item, warehouse: Warehouse, quantity, cost: str = "2.00") -> None:
    stock_moves_post(
        lines=[MoveLine(item_, warehouse, D(str(quantity)), D(cost), None)],
        posted_at=timezone.now(),
        source_type="test_receipt",
        source_id=next(_sources),
    )


@pytest.fixture
def shop(in_tenant_a) -> Shop:
    return shop_create()


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    from modules.identity.services import roles_sync

    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)
