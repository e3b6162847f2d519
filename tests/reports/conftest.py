"""The stock documents' shop (cola, milk, two warehouses, a supplier and a customer) with helpers to post
moves straight to the ledger at chosen times, and to buy and sell through the trade modules."""

import itertools
from datetime import date, datetime, time
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from modules.catalog import services as catalog
from modules.inventory.services import MoveLine, stock_moves_post
from modules.purchasing import services as purchasing
from modules.purchasing.services import OrderLineInput, ReceiveLineInput
from modules.sales import services as sales
from modules.sales.services import SaleLineInput
from tests.stockops.conftest import TZ, Shop, auth, login, make_key, make_user, roles_synced, shop_create  # noqa: F401

_sources = itertools.count(1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(TZ))


def post(item, warehouse, quantity, cost=None, *, on: date, hour: int = 12, minute: int = 0, source="test_move"):
    """One move of `quantity` (signed) at `cost` (None: an issue, or a gain at the average) at `hour` on `on`."""
    line = MoveLine(item, warehouse, D(quantity), D(cost) if cost else None)
    return post_lines([line], on=on, hour=hour, minute=minute, source=source)


def post_lines(lines, *, on: date, hour: int = 12, minute: int = 0, source="test_move"):
    """One document's moves (a transfer's two legs, say); returns its (source_type, source_id)."""
    source_id = next(_sources)
    posted_at = at(on, hour).replace(minute=minute)
    stock_moves_post(lines=lines, posted_at=posted_at, source_type=source, source_id=source_id)
    return source, source_id


def sell(shop: Shop, *lines: tuple, customer=None, user=None, method="wechat"):
    """A retail sale today: lines of (item, quantity, unit_price)."""
    return sales.retail_sale_post(
        lines=[SaleLineInput(item, shop.bottle, str(qty), str(price)) for item, qty, price in lines],
        payment_method=method,
        tz_name=TZ,
        warehouse=shop.main,
        customer=customer,
        created_by=user,
    )


def buy(shop: Shop, *lines: tuple, supplier=None, receive: dict | None = None):
    """A confirmed purchase order of (item, quantity in bottles, unit price with VAT), received in full
    (or as `receive` says: {position: quantity}) today."""
    order = purchasing.purchase_order_create(
        supplier=supplier or shop.supplier,
        warehouse=shop.main,
        date=purchasing.today_in(TZ),
        lines=[OrderLineInput(item, shop.bottle, str(qty), str(price)) for item, qty, price in lines],
    )
    order = purchasing.purchase_order_confirm(order=order)
    order_lines = list(order.lines.order_by("position"))
    wanted = receive or {index: qty for index, (_item, qty, _price) in enumerate(lines)}
    return purchasing.purchase_receive(
        order=order,
        tz_name=TZ,
        lines=[ReceiveLineInput(order_lines[index].pk, str(qty)) for index, qty in wanted.items()],
    )


def category(name: str, parent=None):
    return catalog.category_create(name=name, parent=parent)


def tea_create(shop: Shop, **fields):
    """A plain item (not lot-tracked), VAT 13 %."""
    return catalog.item_create(code="TEA", name="绿茶", base_unit=shop.bottle, max_items=None, **fields)


@pytest.fixture
def shop(in_tenant_a) -> Shop:
    return shop_create()


@pytest.fixture
def tea(shop):
    return tea_create(shop)


__all__ = ["D", "TZ"]
