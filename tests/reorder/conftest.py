"""Factories for the reorder tests: a small shop with stock posted through the ledger's own service."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.models import Unit
from modules.identity.services import roles_sync
from modules.inventory import services as inventory
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partners.services import partner_create, supplier_item_set
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
_source_ids = iter(range(1, 10**6))


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    # alpha and beta may predate the reorder permissions: give their roles the current rules.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


@pytest.fixture
def owner_client_a(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


@pytest.fixture
def owner_client_b(client_b, tenant_b, owner_b):
    return login(client_b, tenant_b, owner_b)


def unit(name: str) -> Unit:
    return Unit.objects.filter(name=name).first() or catalog.unit_create(name=name)


def item(code: str, name: str = "", *, base: str = "瓶", packs=(), category=None):
    """An item; `packs` are further units as (name, factor), e.g. (("箱", 24),)."""
    return catalog.item_create(
        code=code,
        name=name or code,
        base_unit=unit(base),
        max_items=None,
        category=category,
        units=[(unit(pack), D(str(factor))) for pack, factor in packs],
    )


def supplier(code: str, name: str = ""):
    return partner_create(code=code, name=name or f"供应商{code}", is_supplier=True)


def receive(item_, warehouse, quantity, *, location=None, cost="1.00"):
    """Post a receipt of `quantity` base units through the stock ledger."""
    return stock_moves_post(
        lines=[MoveLine(item_, warehouse, D(str(quantity)), D(cost), location)],
        posted_at=AT,
        source_type="test",
        source_id=next(_source_ids),
    )


def issue(item_, warehouse, quantity, *, location=None):
    return stock_moves_post(
        lines=[MoveLine(item_, warehouse, -D(str(quantity)), None, location)],
        posted_at=AT,
        source_type="test",
        source_id=next(_source_ids),
    )


def main_warehouse():
    return inventory.warehouse_default_ensure()


def second_warehouse(code: str = "WH2"):
    return inventory.warehouse_create(code=code, name="二号仓", max_warehouses=None)


def supplies(supplier_, item_, price=None):
    return supplier_item_set(supplier_id=supplier_.pk, item_id=item_.pk, last_purchase_price=price)
