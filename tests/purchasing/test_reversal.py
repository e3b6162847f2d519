"""Reversing a receipt (红冲): the goods go back out at what they came in at, the order counts them as not
received, and a reversal the later moves cannot afford is refused without changing anything."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.inventory.models import StockMove
from modules.purchasing import services
from modules.purchasing.enums import OrderStatus
from modules.purchasing.services import ReceiveLineInput
from modules.stockops import services as stockops
from modules.stockops.services import LineInput
from tests.purchasing.conftest import TZ, confirmed, line, on_hand, purchasing_state

pytestmark = pytest.mark.django_db


def test_reversal_mirrors_the_moves_and_reopens_the_order(shop):
    order = confirmed(shop)
    cola = line(order, 0)
    first = services.purchase_receive(order=order, tz_name=TZ, location=shop.a, lines=[ReceiveLineInput(cola.pk, "1")])
    services.purchase_receive(order=order, tz_name=TZ, location=shop.a, lines=[ReceiveLineInput(cola.pk, "1")])
    assert on_hand(shop.cola, shop.main, shop.a) == D(48)
    reversal = services.purchase_receipt_reverse(receipt=first, tz_name=TZ)
    assert reversal.number.startswith("RK") and reversal.number != first.number and reversal.reverses == first
    assert [(rl.quantity, rl.base_quantity) for rl in reversal.lines.all()] == [(D(-1), D(-24))]
    assert on_hand(shop.cola, shop.main, shop.a) == D(24)
    move = StockMove.objects.get(source_type="purchase_receipt", source_id=reversal.pk)
    original = StockMove.objects.get(source_type="purchase_receipt", source_id=first.pk)
    assert (move.quantity, move.value, move.reverses_id) == (D(-24), -original.value, original.pk)
    order.refresh_from_db()
    assert line(order, 0).received_quantity == D(1) and order.status == OrderStatus.PARTIALLY_RECEIVED


def test_a_wholly_reversed_order_is_confirmed_again_and_may_be_cancelled(shop):
    order = confirmed(shop)
    receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "2")])
    services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and line(order, 0).received_quantity == 0
    assert services.purchase_order_cancel(order=order).status == OrderStatus.CANCELLED


def test_a_closed_order_stays_closed(shop):
    order = confirmed(shop)
    receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    services.purchase_order_close(order=order)
    services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and line(order, 0).received_quantity == 0


def test_twice_or_a_reversal_is_refused(shop):
    order = confirmed(shop)
    receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    reversal = services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert (error.value.code, error.value.status_code) == ("already_reversed", 409)
    with pytest.raises(AppError) as error:
        services.purchase_receipt_reverse(receipt=reversal, tz_name=TZ)
    assert error.value.code == "reversal_of_reversal"
    assert purchasing_state() == before


def test_refused_when_the_goods_have_been_issued_since(shop):
    order = confirmed(shop)
    receipt = services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    issue = stockops.stock_document_create(
        kind="stock_out", date=services.today_in(TZ), warehouse=shop.main,
        lines=[LineInput(shop.cola, shop.bottle, "10")], tz_name=TZ,
    )  # fmt: skip
    stockops.stock_document_confirm(document=issue)
    stockops.stock_document_post(document=issue, tz_name=TZ)
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert error.value.code == "insufficient_stock" and error.value.status_code == 409
    assert "可口可乐" in error.value.message
    assert purchasing_state() == before
