"""Reservations: held against what a warehouse has available, released in part or whole, never oversold."""

import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.db import connection

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.inventory import selectors, services
from modules.inventory.models import Location, StockBalance, StockReservation
from modules.inventory.reservations import ReserveLine, stock_release, stock_reserve
from modules.inventory.services import MoveLine, stock_moves_post
from tenants.models import Tenant
from tests.inventory.ledger_cleanup import ledger_delete

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def stocked_item(code="COLA", quantity=D("10")):
    unit = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    item = catalog.item_create(code=code, name="可乐", base_unit=unit, max_items=None)
    wh = services.warehouse_default_ensure()
    shelf = services.location_create(warehouse=wh, code=f"S{uuid.uuid4().hex[:6]}")
    stock_moves_post(lines=[MoveLine(item, wh, quantity, D("2.00"), shelf)], posted_at=AT, source_type="test",
                     source_id=1)  # fmt: skip
    return item, wh, shelf


def reserved(item, wh):
    return StockBalance.objects.get(item=item, warehouse=wh, location=None, lot=None).reserved


def test_reserve_hold_and_release(in_tenant_a):
    item, wh, _shelf = stocked_item()
    stock_reserve(lines=[ReserveLine(item, wh, D("6"))], source_type="sales_order", source_id=7, reference="XS1")
    stock_reserve(lines=[ReserveLine(item, wh, D("1"))], source_type="sales_order", source_id=7)
    assert reserved(item, wh) == D("7")
    assert StockReservation.objects.get(source_id=7).quantity == D("7")
    rows = selectors.stock_on_hand(item_id=item.pk)
    assert sum(row.available for row in rows) == D("3")
    stock_release(source_type="sales_order", source_id=7, item=item, quantity=D("2"))
    assert (reserved(item, wh), StockReservation.objects.get(source_id=7).quantity) == (D("5"), D("5"))
    stock_release(source_type="sales_order", source_id=7)
    assert reserved(item, wh) == D("0")
    assert not StockReservation.objects.exists()
    stock_release(source_type="sales_order", source_id=7)  # nothing held: nothing to do


def test_reserving_more_than_available_is_refused_and_changes_nothing(in_tenant_a):
    item, wh, _shelf = stocked_item()
    stock_reserve(lines=[ReserveLine(item, wh, D("8"))], source_type="sales_order", source_id=1)
    with pytest.raises(AppError) as error:
        stock_reserve(
            lines=[ReserveLine(item, wh, D("1")), ReserveLine(item, wh, D("2"))], source_type="sales_order", source_id=2
        )
    assert (error.value.code, error.value.field, error.value.status_code) == (
        "insufficient_available",
        "lines.0.quantity",
        409,
    )
    assert reserved(item, wh) == D("8")
    assert not StockReservation.objects.filter(source_id=2).exists()


@pytest.mark.parametrize(("quantity", "code"), [(D("0"), "non_positive_quantity"), ("x", "invalid_number")])
def test_bad_quantities_name_the_line(in_tenant_a, quantity, code):
    item, wh, _shelf = stocked_item()
    with pytest.raises(AppError) as error:
        stock_reserve(lines=[ReserveLine(item, wh, quantity)], source_type="sales_order", source_id=1)
    assert (error.value.code, error.value.field) == (code, "lines.0.quantity")
    with pytest.raises(AppError) as error:
        stock_release(source_type="sales_order", source_id=1, quantity=D("1"))
    assert error.value.field == "item"


def test_parallel_reservations_and_issues_never_oversell_or_deadlock(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    item, wh, shelf = stocked_item(code=f"R{uuid.uuid4().hex[:8]}")
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def work(n: int):
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            if n % 3 == 0:  # a counter sale of one unit from the shelf
                stock_moves_post(lines=[MoveLine(item, wh, D("-1"), None, shelf)], posted_at=AT, source_type="sale",
                                 source_id=n)  # fmt: skip
                outcomes.append("sold")
            else:
                stock_reserve(lines=[ReserveLine(item, wh, D("2"))], source_type="order", source_id=n)
                outcomes.append("reserved")
        except AppError as exc:
            outcomes.append(exc.code)
        except Exception as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert set(outcomes) <= {"sold", "reserved", "insufficient_available"}, outcomes
        connection.set_tenant(tenant)
        sold, held = outcomes.count("sold"), outcomes.count("reserved")
        assert sold == 4  # sales are not blocked by reservations
        # Every reservation was checked against what was available when it was made: at most 10 held.
        assert 2 * held <= 10
        assert reserved(item, wh) == 2 * held
    finally:
        connection.set_tenant(tenant)
        StockReservation.objects.filter(item=item).delete()
        ledger_delete([item.pk])
        Location.objects.filter(pk=shelf.pk).delete()
        Item.objects.filter(pk=item.pk).delete()
        connection.set_schema_to_public()
