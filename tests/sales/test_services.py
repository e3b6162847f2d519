"""retail_sale_post: totals and change, default prices, units, FEFO lots, short stock and bad input."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.inventory.models import StockMove
from modules.inventory.sources import source_label
from modules.numbering.models import DocumentSequence
from modules.sales.models import RetailSale
from modules.sales.services import SaleLineInput, line_amount, retail_sale_post, retail_sale_reverse
from tests.sales.conftest import TZ, lot, on_hand, receive, sale_shop, sales_state


@pytest.fixture(autouse=True)
def english():
    # The messages as written; the default language is zh-Hans.
    with translation.override("en"):
        yield


@pytest.fixture
def shop(in_tenant_a):
    shop = sale_shop()
    receive(shop.cola, shop.main, "100")
    return shop


def sell(shop, *lines, **kwargs):
    kwargs.setdefault("payment_method", "cash")
    return retail_sale_post(lines=list(lines), tz_name=TZ, **kwargs)


def test_a_cash_sale_posts_its_moves_totals_and_change(shop):
    sale = sell(
        shop,
        SaleLineInput(shop.cola, shop.bottle, "3"),  # 3 × 3.50 = 10.50
        SaleLineInput(shop.cola, shop.case, "1", discount="4.00"),  # 24 × 3.50 - 4 = 80.00
        tendered="100",
    )
    assert sale.number.startswith("LS") and sale.number.endswith("00001")
    assert (sale.total, sale.tendered, sale.change) == (D("90.50"), D("100.00"), D("9.50"))
    lines = list(sale.lines.order_by("position"))
    assert [(line.base_quantity, line.unit_price, line.amount) for line in lines] == [
        (D("3"), D("3.50"), D("10.50")),
        (D("24"), D("84.00"), D("80.00")),
    ]
    moves = StockMove.objects.filter(source_type="retail_sale", source_id=sale.pk)
    assert sorted(move.quantity for move in moves) == [D("-24"), D("-3")]
    assert {move.reference for move in moves} == {sale.number}
    assert on_hand(shop.cola, shop.main) == D("73")
    assert source_label("retail_sale") == "Retail sale"


def test_amounts_round_half_up_to_cents_and_non_cash_has_no_change(shop):
    assert line_amount(quantity=D("1"), unit_price=D("0.125")) == D("0.13")
    sale = sell(shop, SaleLineInput(shop.cola, shop.bottle, "3", unit_price="0.335"), payment_method="wechat")
    assert (sale.total, sale.tendered, sale.change) == (D("1.01"), None, D("0"))  # 1.005 → 1.01


def test_cash_without_an_amount_tendered_was_paid_exactly(shop):
    sale = sell(shop, SaleLineInput(shop.cola, shop.bottle, "2"))
    assert (sale.total, sale.tendered, sale.change) == (D("7.00"), D("7.00"), D("0"))


def test_a_customer_is_recorded(shop):
    sale = sell(shop, SaleLineInput(shop.cola, shop.bottle, "1"), customer=shop.customer, payment_method="alipay")
    assert sale.customer == shop.customer


def test_lot_tracked_items_sell_the_soonest_expiring_lot_first_splitting_a_line(shop):
    today = date.today()
    late, soon, undated = (
        lot(shop.milk, "L-LATE", today + timedelta(days=30)),
        lot(shop.milk, "L-SOON", today + timedelta(days=3)),
        lot(shop.milk, "L-NONE", None),
    )
    for each in (late, soon, undated):
        receive(shop.milk, shop.main, "5", lot=each)
    sale = sell(shop, SaleLineInput(shop.milk, shop.bottle, "4"), SaleLineInput(shop.milk, shop.bottle, "3"))
    moves = StockMove.objects.filter(source_type="retail_sale", source_id=sale.pk).order_by("id")
    assert [(move.lot.code, move.quantity) for move in moves] == [
        ("L-SOON", D("-4")),
        ("L-SOON", D("-1")),  # the second line takes what the first left of the soonest lot…
        ("L-LATE", D("-2")),  # …then the next one; a lot without expiry goes last
    ]
    assert [on_hand(shop.milk, shop.main, lot=each) for each in (soon, late, undated)] == [D("0"), D("3"), D("5")]
    assert sale.total == D("42.00")


def test_short_stock_is_a_409_naming_the_line_and_writes_nothing(shop):
    receive(shop.milk, shop.main, "2", lot=lot(shop.milk, "L1", None))
    before, numbers = sales_state(), DocumentSequence.objects.count()
    for lines, field in (
        ([SaleLineInput(shop.cola, shop.bottle, "1"), SaleLineInput(shop.cola, shop.case, "5")], "lines.1.quantity"),
        ([SaleLineInput(shop.cola, shop.bottle, "1"), SaleLineInput(shop.milk, shop.bottle, "3")], "lines.1.quantity"),
    ):
        with pytest.raises(AppError) as refused:
            sell(shop, *lines)
        assert (refused.value.code, refused.value.status_code, refused.value.field) == (
            "insufficient_stock", 409, field,
        )  # fmt: skip
        assert refused.value.message.startswith("Line 2: not enough")
    assert sales_state() == before
    assert DocumentSequence.objects.count() == numbers


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"lines": []}, "no_lines", "lines"),
        ({"quantity": "0"}, "non_positive_quantity", "lines.0.quantity"),
        ({"quantity": "-1"}, "non_positive_quantity", "lines.0.quantity"),
        ({"quantity": "abc"}, "invalid_number", "lines.0.quantity"),
        ({"unit": "foreign"}, "unknown_unit", "lines.0.unit"),
        ({"unit_price": "-1"}, "invalid_price", "lines.0.unit_price"),
        ({"discount": "100"}, "invalid_discount", "lines.0.discount"),
        ({"tendered": "6.99"}, "tendered_short", "tendered"),
        ({"tendered": "1.001"}, "too_many_places", "tendered"),
        ({"payment_method": "bitcoin"}, "invalid_payment_method", "payment_method"),
        ({"payment_method": "card", "tendered": "10"}, "not_allowed", "tendered"),
        ({"customer": "supplier"}, "wrong_partner", "customer"),
        ({"location": "second"}, "wrong_warehouse", "location"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(shop, change, code, field):
    from modules.catalog import services as catalog

    unit = {"foreign": catalog.unit_create(name="吨")}.get(change.pop("unit", None), shop.bottle)
    line = SaleLineInput(
        shop.cola, unit, change.pop("quantity", "2"), change.pop("unit_price", None), change.pop("discount", None)
    )
    kwargs = {"lines": change.pop("lines", [line]), "payment_method": change.pop("payment_method", "cash")}
    if "customer" in change:
        kwargs["customer"] = shop.supplier
    if "location" in change:
        kwargs["location"] = shop.c
    kwargs.update((key, value) for key, value in change.items() if key == "tendered")
    before = sales_state()
    with pytest.raises(AppError) as refused:
        retail_sale_post(tz_name=TZ, **kwargs)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert sales_state() == before
    assert RetailSale.objects.count() == 0


def test_a_refund_reverses_the_whole_sale_back_to_its_lots(shop):
    soon, late = lot(shop.milk, "S", date.today() + timedelta(days=2)), lot(shop.milk, "L", None)
    receive(shop.milk, shop.main, "1", lot=soon)
    receive(shop.milk, shop.main, "5", lot=late)
    sale = sell(shop, SaleLineInput(shop.milk, shop.bottle, "3"), SaleLineInput(shop.cola, shop.bottle, "2"))
    refund = retail_sale_reverse(sale=sale, tz_name=TZ)
    assert refund.number != sale.number and refund.number.startswith("LS") and refund.reverses == sale
    assert (refund.total, refund.tendered, refund.change, refund.payment_method) == (D("-25.00"), None, D("0"), "cash")
    assert [(line.quantity, line.amount) for line in refund.lines.order_by("position")] == [
        (D("-3"), D("-18.00")),
        (D("-2"), D("-7.00")),
    ]
    assert [on_hand(shop.milk, shop.main, lot=each) for each in (soon, late)] == [D("1"), D("5")]
    assert on_hand(shop.cola, shop.main) == D("100")
    moves = StockMove.objects.filter(source_type="retail_sale", source_id=refund.pk)
    assert sorted(move.quantity for move in moves) == [D("1"), D("2"), D("2")]
    before = sales_state()
    for target, code in ((sale, "already_reversed"), (refund, "reversal_of_reversal")):
        with pytest.raises(AppError) as refused:
            retail_sale_reverse(sale=target, tz_name=TZ)
        assert (refused.value.code, refused.value.status_code) == (code, 409)
    assert sales_state() == before
