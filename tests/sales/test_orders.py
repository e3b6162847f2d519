"""Quotations and sales orders: amounts, units, quotation → order, confirmation (reservation, credit
limit), cancel and close; deliveries: partial and several, FEFO or a chosen lot, reservations let go,
refusals that change nothing, reversal."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.inventory.models import StockMove, StockReservation
from modules.inventory.sources import source_label
from modules.partnerledger.services import partner_entry_post
from modules.partners.models import Partner
from modules.sales import services
from modules.sales.enums import OrderStatus
from modules.sales.services import DeliverLineInput, OrderLineInput
from tests.sales.conftest import (
    TZ,
    documents_state,
    make_user,
    on_hand,
    order_confirmed,
    order_create,
    reserved,
    stocked_shop,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop(in_tenant_a):
    return stocked_shop()


def lines_of(order):
    return {line.item.code: line for line in order.lines.select_related("item")}


def deliver(order, *pairs, **kwargs):
    """pairs: (order line, quantity[, lot])."""
    return services.sales_deliver(
        order=order, lines=[DeliverLineInput(p[0].pk, p[1], p[2] if len(p) > 2 else None) for p in pairs], tz_name=TZ,
        **kwargs,
    )  # fmt: skip


def refused(call, code: str, field: str | None = None):
    before = documents_state()
    with pytest.raises(AppError) as error:
        call()
    assert error.value.code == code, error.value.message
    if field is not None:
        assert error.value.field == field
    assert documents_state() == before
    return error.value


# --- Orders ---------------------------------------------------------------------------------------------


def test_an_order_prices_its_lines_tax_inclusive_in_any_unit(shop):
    order = order_create(
        shop,
        OrderLineInput(shop.cola, shop.case, "2", "84.00", discount_percent="10", price_source="list: Wholesale"),
        OrderLineInput(shop.milk, None, "3", None),  # the base unit at the item's sale price
    )
    assert order.number.startswith("XS") and order.number.endswith("00001")
    assert order.status == OrderStatus.DRAFT and order.prices_include_vat
    cola, milk = lines_of(order)["COLA"], lines_of(order)["MILK"]
    # 2 × 84.00 × 90 % = 151.20 with 13 % VAT in it: 133.81 net.
    assert (cola.base_quantity, cola.gross, cola.net, cola.tax) == (D("48"), D("151.20"), D("133.81"), D("17.39"))
    assert cola.price_source == "list: Wholesale"
    assert (milk.unit_id, milk.unit_price, milk.gross, milk.price_source) == (
        shop.bottle.pk,
        D("6"),
        D("18.00"),
        "item",
    )
    assert (order.total_gross, order.total_net + order.total_tax) == (D("169.20"), D("169.20"))


def test_prices_without_vat_add_the_tax(shop):
    order = order_create(shop, OrderLineInput(shop.cola, shop.bottle, "10", "3.00"), prices_include_vat=False)
    line = order.lines.get()
    assert (line.net, line.tax, line.gross, line.price_source) == (D("30.00"), D("3.90"), D("33.90"), "manual")


def test_a_quotation_becomes_an_order_keeping_its_number(shop):
    quote = order_create(shop, quotation=True, valid_until=services.today_in(TZ) + timedelta(days=7))
    assert quote.number.startswith("BJ") and quote.status == OrderStatus.QUOTATION
    with pytest.raises(AppError) as error:
        services.sales_order_confirm(order=quote)
    assert error.value.code == "wrong_status"
    order = services.sales_quotation_convert(order=quote)
    assert order.quotation_number == quote.number and order.number.startswith("XS")
    assert order.status == OrderStatus.DRAFT
    assert services.sales_order_confirm(order=order).status == OrderStatus.CONFIRMED


def test_a_draft_is_changed_and_repriced(shop):
    order = order_create(shop)
    services.sales_order_update(order=order, note="  rush ", lines=[OrderLineInput(shop.cola, shop.bottle, "5", "4")])
    order.refresh_from_db()
    assert (order.note, order.total_gross, order.lines.count()) == ("rush", D("20.00"), 1)
    services.sales_order_update(order=order, prices_include_vat=False)
    order.refresh_from_db()
    assert order.total_gross == D("22.60")


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        (lambda s: OrderLineInput(None, None, "1", "1"), "required", "lines.0.item"),
        (lambda s: OrderLineInput(s.cola, s.bottle, "0", "1"), "non_positive_quantity", "lines.0.quantity"),
        (lambda s: OrderLineInput(s.cola, s.bottle, "x", "1"), "invalid_number", "lines.0.quantity"),
        (lambda s: OrderLineInput(s.cola, s.bottle, "1", "-1"), "invalid_price", "lines.0.unit_price"),
        (lambda s: OrderLineInput(s.cola, s.bottle, "1", "1", "101"), "invalid_discount", "lines.0.discount_percent"),
        (lambda s: OrderLineInput(s.cola, s.bottle, "1", "1", None, "0.2"), "invalid_vat_rate", "lines.0.vat_rate"),
        (lambda s: OrderLineInput(s.milk, s.case, "1", "1"), "unknown_unit", "lines.0.unit"),
    ],
)
def test_a_bad_line_is_refused_naming_it(shop, line, code, field):
    refused(lambda: order_create(shop, OrderLineInput(shop.cola, shop.bottle, "1", "1"), line(shop)), code)
    error = refused(lambda: order_create(shop, line(shop)), code)
    assert error.field == field


def test_a_supplier_is_not_a_customer(shop):
    refused(lambda: order_create(shop, customer=shop.supplier), "wrong_partner", "customer")
    refused(
        lambda: order_create(shop, OrderLineInput(shop.cola, shop.bottle, "1", "1"), note="x" * 501), "invalid_number"
    )


def test_confirming_reserves_and_cancelling_releases(shop):
    order = order_confirmed(shop)
    assert order.status == OrderStatus.CONFIRMED and order.confirmed_at is not None
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("48"), D("10"))
    assert source_label("sales_order") == "Sales order"
    services.sales_order_cancel(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("0"), D("0"))
    assert not StockReservation.objects.exists()
    refused(lambda: services.sales_order_confirm(order=order), "wrong_status", "status")


def test_confirming_more_than_is_available_is_refused_naming_the_line(shop):
    order = order_create(
        shop, OrderLineInput(shop.cola, shop.bottle, "1", "1"), OrderLineInput(shop.milk, shop.bottle, "41", "1")
    )
    error = refused(lambda: services.sales_order_confirm(order=order), "insufficient_available", "lines.1.quantity")
    assert "41" in error.message and error.status_code == 409
    assert order.__class__.objects.get(pk=order.pk).status == OrderStatus.DRAFT


def owing(shop, amount: str) -> None:
    from django.db import transaction

    with transaction.atomic():
        partner_entry_post(
            partner=shop.customer, kind="receivable", date=date.today(), source_type="test_invoice", source_id=1,
            number="T1", amount=D(amount),
        )  # fmt: skip


def test_the_credit_limit_refuses_an_order_beyond_it(shop):
    Partner.objects.filter(pk=shop.customer.pk).update(credit_limit=D("300"))
    owing(shop, "100")
    # 100 open + 228.00 of this order = 328 > 300.
    order = order_create(shop)
    error = refused(lambda: services.sales_order_confirm(order=order), "credit_limit_exceeded", "customer")
    assert "328.00" in error.message and "300.00" in error.message and error.status_code == 409
    # Within the limit: 100 + 168 = 268.
    small = order_create(shop, OrderLineInput(shop.cola, shop.case, "2", "84.00"))
    assert services.sales_order_confirm(order=small).status == OrderStatus.CONFIRMED


def test_the_credit_limit_may_be_overridden_by_a_user_allowed_to(shop, tenant_a):
    Partner.objects.filter(pk=shop.customer.pk).update(credit_limit=D("100"))
    order = order_create(shop)
    clerk = make_user(tenant_a, "clerk@alpha.test", None)
    refused(
        lambda: services.sales_order_confirm(order=order, user=clerk, override_credit_limit=True),
        "not_allowed",
        "override_credit_limit",
    )
    clerk.user_permissions.add(Permission.objects.get(codename="override_credit_limit"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # a fresh permission cache
    confirmed = services.sales_order_confirm(order=order, user=clerk, override_credit_limit=True)
    assert (confirmed.status, confirmed.credit_override_by_id) == (OrderStatus.CONFIRMED, clerk.pk)


def test_no_credit_limit_means_no_check(shop):
    owing(shop, "100000")
    assert order_confirmed(shop).status == OrderStatus.CONFIRMED


def test_closing_gives_up_the_rest_and_lets_its_reservation_go(shop):
    order = order_confirmed(shop)
    deliver(order, (lines_of(order)["COLA"], "1"))
    refused(lambda: services.sales_order_cancel(order=order), "wrong_status")
    services.sales_order_close(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("0"), D("0"))
    refused(lambda: deliver(order, (lines_of(order)["COLA"], "1")), "wrong_status")


# --- Deliveries -----------------------------------------------------------------------------------------


def test_partial_deliveries_post_stock_and_let_the_reservation_go(shop):
    order = order_confirmed(shop)
    cola, milk = lines_of(order)["COLA"], lines_of(order)["MILK"]
    first = deliver(order, (cola, "1"), (milk, "4"))
    assert first.number.startswith("CK") and first.number.endswith("00001")
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_DELIVERED
    assert on_hand(shop.cola, shop.main) == D("76")
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("24"), D("6"))
    # Milk from the lot expiring first (L2).
    assert [(line.lot.code, line.quantity) for line in first.lines.filter(lot__isnull=False)] == [("L2", D("4"))]
    moves = StockMove.objects.filter(source_type="sales_delivery", source_id=first.pk)
    assert sorted(m.quantity for m in moves) == [D("-24"), D("-4")]
    assert all(line.move_id for line in first.lines.all())
    deliver(order, (cola, "1"), (milk, "6"))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("0"), D("0"))
    assert lines_of(order)["MILK"].delivered_quantity == D("10")
    error = refused(lambda: deliver(order, (cola, "1")), "over_delivery", "lines")
    assert error.status_code == 409


def test_fefo_spans_lots_and_a_chosen_lot_is_taken(shop):
    order = order_confirmed(shop, OrderLineInput(shop.milk, shop.bottle, "30", "6"))
    milk = lines_of(order)["MILK"]
    delivery = deliver(order, (milk, "25"))
    assert [(line.lot.code, line.quantity) for line in delivery.lines.order_by("id")] == [
        ("L2", D("20")),
        ("L1", D("5")),
    ]
    l1 = delivery.lines.order_by("id").last().lot
    second = deliver(order, (milk, "5", l1))
    assert [(line.lot.code, line.quantity) for line in second.lines.all()] == [("L1", D("5"))]
    assert on_hand(shop.milk, shop.main, lot=l1) == D("10")


def test_a_delivery_beyond_what_is_outstanding_or_in_stock_is_refused(shop):
    order = order_confirmed(shop, OrderLineInput(shop.cola, shop.bottle, "10", "3.5"))
    cola = lines_of(order)["COLA"]
    error = refused(lambda: deliver(order, (cola, "11")), "over_delivery", "lines.0.quantity")
    assert "10" in error.message
    refused(lambda: deliver(order, (cola, "0")), "non_positive_quantity", "lines.0.quantity")
    other = order_confirmed(shop, OrderLineInput(shop.cola, shop.bottle, "1", "3.5"))
    refused(lambda: deliver(order, (lines_of(other)["COLA"], "1")), "wrong_line", "lines.0.line")
    refused(lambda: deliver(order, (cola, "1"), location=shop.c), "wrong_warehouse", "location")
    refused(lambda: services.sales_deliver(order=order, lines=[], tz_name=TZ), "no_lines", "lines")


def test_a_wrong_lot_or_short_stock_is_refused(shop):
    from modules.inventory.models import Lot

    order = order_confirmed(
        shop, OrderLineInput(shop.milk, shop.bottle, "10", "6"), OrderLineInput(shop.cola, shop.bottle, "5", "3")
    )
    milk, cola = lines_of(order)["MILK"], lines_of(order)["COLA"]
    l1 = Lot.objects.get(code="L1")
    refused(lambda: deliver(order, (cola, "1", l1)), "wrong_lot", "lines.0.lot")
    # Someone took the milk over the counter meanwhile (counter sales are not blocked by reservations).
    services.retail_sale_post(
        lines=[services.SaleLineInput(shop.milk, shop.bottle, "35")], payment_method="cash", tz_name=TZ
    )
    error = refused(lambda: deliver(order, (cola, "1"), (milk, "10")), "insufficient_stock", "lines.1.quantity")
    assert error.status_code == 409 and "Order line 1" in error.message
    # A chosen lot short of stock: the ledger's refusal, named by the request's line.
    refused(lambda: deliver(order, (cola, "1"), (milk, "6", l1)), "insufficient_stock", "lines.1.quantity")


def test_a_delivery_reversal_puts_stock_back_and_holds_it_again(shop):
    order = order_confirmed(shop)
    cola, milk = lines_of(order)["COLA"], lines_of(order)["MILK"]
    delivery = deliver(order, (cola, "2"), (milk, "10"))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    reversal = services.sales_delivery_reverse(delivery=delivery, tz_name=TZ)
    assert reversal.number.startswith("CK") and reversal.reverses_id == delivery.pk
    assert sorted(line.quantity for line in reversal.lines.all()) == sorted(
        -line.quantity for line in delivery.lines.all()
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert on_hand(shop.cola, shop.main) == D("100")
    assert (reserved(shop.cola, shop.main), reserved(shop.milk, shop.main)) == (D("48"), D("10"))
    assert all(line.delivered_quantity == 0 for line in order.lines.all())
    refused(lambda: services.sales_delivery_reverse(delivery=delivery, tz_name=TZ), "already_reversed")
    refused(lambda: services.sales_delivery_reverse(delivery=reversal, tz_name=TZ), "reversal_of_reversal")
    # Delivered again after the reversal.
    deliver(order, (cola, "2"))
    assert on_hand(shop.cola, shop.main) == D("52")
