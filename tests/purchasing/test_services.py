"""Purchase orders and receipts: totals with and without VAT, the lifecycle, partial receipts, over-receipt
refused naming the line, lots, and the supplier's last price."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.inventory.models import Lot, StockMove
from modules.partners.models import SupplierItem
from modules.purchasing import selectors, services
from modules.purchasing.enums import OrderStatus
from modules.purchasing.services import OrderLineInput, ReceiveLineInput
from tests.purchasing.conftest import TZ, confirmed, line, on_hand, order_create, purchasing_state

pytestmark = pytest.mark.django_db


def test_line_amounts_round_half_up_with_and_without_vat():
    # 3 × 3.35 = 10.05 with 13% VAT: net 10.05 / 1.13 = 8.8938… → 8.89, tax the rest.
    assert services.line_amounts(
        quantity=D(3), unit_price=D("3.35"), discount_percent=D(0), vat_rate=D("0.13"), prices_include_vat=True
    ) == (D("8.89"), D("1.16"), D("10.05"))
    # 10% off 1 × 0.05 = 0.045 → 0.05 (half up); tax 0.05 × 0.13 = 0.0065 → 0.01.
    assert services.line_amounts(
        quantity=D(1), unit_price=D("0.05"), discount_percent=D(10), vat_rate=D("0.13"), prices_include_vat=False
    ) == (D("0.05"), D("0.01"), D("0.06"))


def test_create_numbers_prices_and_totals(shop):
    order = order_create(shop)
    assert order.number.startswith("CG") and order.status == OrderStatus.DRAFT and order.prices_include_vat
    cola, milk = line(order, 0), line(order, 1)
    assert (cola.base_quantity, cola.vat_rate, cola.net, cola.tax, cola.gross) == (
        D(48), D("0.13"), D("84.96"), D("11.04"), D("96.00"),
    )  # fmt: skip
    assert (milk.net, milk.tax, milk.gross) == (D("50.00"), D("6.50"), D("56.50"))
    assert (order.total_net, order.total_tax, order.total_gross) == (D("134.96"), D("17.54"), D("152.50"))


def test_prices_without_vat_discount_and_own_rate(shop):
    services.settings_update(prices_include_vat=False)
    order = order_create(
        shop, OrderLineInput(shop.cola, shop.bottle, "10", "2.00", discount_percent="5", vat_rate="0.09")
    )
    cola = line(order, 0)
    assert not order.prices_include_vat
    assert (cola.net, cola.tax, cola.gross) == (D("19.00"), D("1.71"), D("20.71"))


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "1.5", "unit": "case_half"}, "lines.0.quantity"),
        ({"unit_price": "-1"}, "lines.0.unit_price"),
        ({"discount_percent": "101"}, "lines.0.discount_percent"),
        ({"vat_rate": "0.2"}, "lines.0.vat_rate"),
        ({"quantity": "abc"}, "lines.0.quantity"),
    ],
)
def test_bad_lines_name_the_field_and_write_nothing(shop, bad, field):
    values = {"item": shop.cola, "unit": shop.bottle, "quantity": "1", "unit_price": "1"}
    if bad.pop("unit", None):
        values["unit"] = shop.case
        bad["quantity"] = "0.0000001"
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        order_create(shop, OrderLineInput(**{**values, **bad}))
    assert error.value.field == field
    assert purchasing_state() == before


def test_supplier_must_be_a_supplier(shop):
    with pytest.raises(AppError) as error:
        services.purchase_order_create(
            supplier=shop.customer, warehouse=shop.main, date=services.today_in(TZ),
            lines=[OrderLineInput(shop.cola, shop.bottle, "1", "1")],
        )  # fmt: skip
    assert error.value.field == "supplier"


def test_only_drafts_change_and_confirm(shop):
    order = order_create(shop)
    services.purchase_order_update(order=order, note="急", lines=[OrderLineInput(shop.cola, shop.bottle, "5", "2")])
    order.refresh_from_db()
    assert order.note == "急" and order.total_gross == D("10.00") and order.lines.count() == 1
    services.purchase_order_confirm(order=order)
    with pytest.raises(AppError) as error:
        services.purchase_order_update(order=order, note="x")
    assert error.value.status_code == 409
    with pytest.raises(AppError):
        services.purchase_order_confirm(order=order)


def test_partial_then_full_receipt_posts_stock_at_net_cost(shop):
    order = confirmed(shop)
    cola, milk = line(order, 0), line(order, 1)
    receipt = services.purchase_receive(
        order=order, tz_name=TZ, location=shop.a, lines=[ReceiveLineInput(cola.pk, "1")]
    )
    assert receipt.number.startswith("RK")
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_RECEIVED
    assert on_hand(shop.cola, shop.main, shop.a) == D(24)
    move = StockMove.objects.get(source_type="purchase_receipt", source_id=receipt.pk)
    # 84.96 net for 48 bottles.
    assert move.reference == receipt.number and move.unit_cost == D("1.770000")
    progress = selectors.order_progress(selectors.purchase_order_detail(order_id=order.pk))
    assert (progress.ordered, progress.received, progress.percent) == (D(58), D(24), 41)
    services.purchase_receive(
        order=order, tz_name=TZ,
        lines=[ReceiveLineInput(cola.pk, "1"), ReceiveLineInput(milk.pk, "10", "L1", services.today_in(TZ))],
    )  # fmt: skip
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    assert line(order, 0).received_quantity == D(2) and line(order, 1).received_quantity == D(10)
    lot = Lot.objects.get(item=shop.milk, code="L1")
    assert on_hand(shop.milk, shop.main, None, lot) == D(10)
    services.purchase_order_close(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED


def test_over_receipt_is_refused_naming_the_line(shop):
    order = confirmed(shop)
    cola = line(order, 0)
    services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(cola.pk, "1.5")])
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(cola.pk, "1")])
    assert error.value.code == "over_receipt" and error.value.field == "lines.0.quantity"
    assert "可口可乐" in error.value.message and "0.5" in error.value.message
    assert purchasing_state() == before


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (lambda o, s: ReceiveLineInput(line(o, 1).pk, "1"), "lines.0.lot_code"),
        (lambda o, s: ReceiveLineInput(line(o, 0).pk, "1", "L9"), "lines.0.lot_code"),
        (lambda o, s: ReceiveLineInput(line(o, 0).pk, "-1"), "lines.0.quantity"),
        (lambda o, s: ReceiveLineInput(0, "1"), "lines.0.line"),
    ],
)
def test_bad_receipts_name_the_field_and_change_nothing(shop, entry, field):
    order = confirmed(shop)
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_receive(order=order, tz_name=TZ, lines=[entry(order, shop)])
    assert error.value.field == field
    assert purchasing_state() == before


def test_lot_keeps_its_expiry_and_location_must_be_in_the_warehouse(shop):
    order = confirmed(shop)
    milk = line(order, 1)
    today = services.today_in(TZ)
    services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(milk.pk, "1", "L1", today)])
    with pytest.raises(AppError) as error:
        services.purchase_receive(
            order=order, tz_name=TZ, lines=[ReceiveLineInput(milk.pk, "1", "L1", today + timedelta(days=1))]
        )
    assert error.value.field == "lines.0.expiry_date"
    with pytest.raises(AppError) as error:
        services.purchase_receive(
            order=order, tz_name=TZ, location=shop.c, lines=[ReceiveLineInput(milk.pk, "1", "L1")]
        )
    assert error.value.field == "location"


def test_cancel_before_receipt_only(shop):
    draft = order_create(shop)
    assert services.purchase_order_cancel(order=draft).status == OrderStatus.CANCELLED
    order = confirmed(shop)
    with pytest.raises(AppError):
        services.purchase_order_close(order=order)
    services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    with pytest.raises(AppError) as error:
        services.purchase_order_cancel(order=order)
    assert error.value.status_code == 409
    with pytest.raises(AppError):
        services.purchase_receive(order=draft, tz_name=TZ, lines=[ReceiveLineInput(line(draft, 0).pk, "1")])


def test_receipt_remembers_the_supplier_price(shop):
    order = confirmed(shop)
    services.purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    # 48.00 a 箱 of 24: 2.00 a bottle.
    assert SupplierItem.objects.get(supplier=shop.supplier, item=shop.cola).last_purchase_price == D("2.000000")
