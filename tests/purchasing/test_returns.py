"""Purchase returns (采购退货): from a receipt (its place and lots, at most what is left of it, priced as
ordered) or free-standing; the goods leave at the costing method's cost and the payable falls; reversal."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.inventory.models import Lot, StockMove
from modules.partnerledger.models import PartnerEntry
from modules.purchasing import services
from modules.purchasing.services import ReceiptReturnLineInput, ReceiveLineInput, ReturnLineInput
from tests.purchasing.conftest import TZ, confirmed, line, on_hand, payable, purchasing_state, received

pytestmark = pytest.mark.django_db


def _lines(receipt):
    return list(receipt.lines.order_by("id"))


def test_return_from_a_receipt_sends_the_goods_back_from_its_place_and_lot(shop):
    order = confirmed(shop)
    receipt = services.purchase_receive(
        order=order, tz_name=TZ, location=shop.a,
        lines=[ReceiveLineInput(line(order, 0).pk, "2"), ReceiveLineInput(line(order, 1).pk, "10", "L1")],
    )  # fmt: skip
    cola, milk = _lines(receipt)
    ret = services.purchase_return_from_receipt(
        receipt=receipt, tz_name=TZ,
        lines=[ReceiptReturnLineInput(cola.pk, "0.5"), ReceiptReturnLineInput(milk.pk, "4")],
    )  # fmt: skip
    assert ret.number.startswith("CGTH") and ret.order == order and ret.supplier == shop.supplier
    # Half a 箱 at 48.00 = 24.00; 4 milk at 5.65 = 22.60.
    assert ret.total_gross == D("46.60")
    lot = Lot.objects.get(item=shop.milk, code="L1")
    assert on_hand(shop.cola, shop.main, shop.a) == D(36)
    assert on_hand(shop.milk, shop.main, shop.a, lot) == D(6)
    moves = StockMove.objects.filter(source_type="purchase_return", source_id=ret.pk).order_by("id")
    # The cola came in at 1.77 net a bottle and nothing else moved: it leaves at the same average.
    assert [(m.quantity, m.unit_cost, m.role) for m in moves][0] == (D(-12), D("1.770000"), "out")
    assert [rl.unit_cost for rl in ret.lines.order_by("position")] == [m.unit_cost for m in moves]
    cola.refresh_from_db()
    order.refresh_from_db()
    assert cola.returned_quantity == D("0.5") and line(order, 0).returned_quantity == D("0.5")
    assert order.returned_amount == D("46.60")
    entry = PartnerEntry.objects.get(source_type="purchase_return", source_id=ret.pk)
    assert (entry.kind, entry.amount) == ("payable", D("-46.60"))


def test_more_than_is_left_of_the_receipt_is_refused_and_nothing_changes(shop):
    receipt = received(shop, milk="")
    cola = _lines(receipt)[0]
    services.purchase_return_from_receipt(receipt=receipt, tz_name=TZ, lines=[ReceiptReturnLineInput(cola.pk, "1.5")])
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_return_from_receipt(receipt=receipt, tz_name=TZ, lines=[ReceiptReturnLineInput(cola.pk, "1")])
    assert (error.value.code, error.value.field, error.value.status_code) == ("over_return", "lines.0.quantity", 409)
    assert "0.5" in error.value.message
    for bad, field in [
        (ReceiptReturnLineInput(0, "1"), "lines.0.receipt_line"),
        (ReceiptReturnLineInput(cola.pk, "0"), "lines.0.quantity"),
        (ReceiptReturnLineInput(cola.pk, "zz"), "lines.0.quantity"),
    ]:
        with pytest.raises(AppError) as error:
            services.purchase_return_from_receipt(receipt=receipt, tz_name=TZ, lines=[bad])
        assert error.value.field == field
    assert purchasing_state() == before


def test_a_returned_receipt_cannot_be_reversed_until_the_return_is(shop):
    receipt = received(shop, milk="")
    cola = _lines(receipt)[0]
    ret = services.purchase_return_from_receipt(
        receipt=receipt, tz_name=TZ, lines=[ReceiptReturnLineInput(cola.pk, "1")]
    )
    with pytest.raises(AppError) as error:
        services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert error.value.code == "in_use"
    reversal = services.purchase_return_reverse(purchase_return=ret, tz_name=TZ)
    assert reversal.reverses == ret and reversal.total_gross == -ret.total_gross
    assert on_hand(shop.cola, shop.main) == D(48) and payable(shop) == 0
    cola.refresh_from_db()
    assert cola.returned_quantity == 0
    before = purchasing_state()
    for target, code in [(ret, "already_reversed"), (reversal, "reversal_of_reversal")]:
        with pytest.raises(AppError) as error:
            services.purchase_return_reverse(purchase_return=target, tz_name=TZ)
        assert error.value.code == code
    assert purchasing_state() == before
    services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert on_hand(shop.cola, shop.main) == 0
    with pytest.raises(AppError) as error:
        services.purchase_return_from_receipt(receipt=receipt, tz_name=TZ, lines=[ReceiptReturnLineInput(cola.pk, "1")])
    assert error.value.field == "receipt"


def test_a_free_standing_return_of_stock_on_hand(shop):
    received(shop)
    ret = services.purchase_return_create(
        supplier=shop.supplier, warehouse=shop.main, tz_name=TZ,
        lines=[
            ReturnLineInput(shop.cola, shop.bottle, "6", "2.00"),
            ReturnLineInput(shop.milk, None, "1", "5.65", lot_code="L1"),
        ],
    )  # fmt: skip
    assert ret.order is None and ret.total_gross == D("17.65")
    assert on_hand(shop.cola, shop.main) == D(42)
    assert payable(shop) == D("-17.65")
    services.purchase_return_reverse(purchase_return=ret, tz_name=TZ)
    assert on_hand(shop.cola, shop.main) == D(48) and payable(shop) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"supplier": "customer"}, "supplier"),
        ({"lines": [ReturnLineInput(None, None, "1", "1")]}, "lines.0.item"),
        ({"lines": "milk_without_lot"}, "lines.0.lot_code"),
        ({"lines": "cola_with_lot"}, "lines.0.lot_code"),
        ({"lines": "too_many"}, "lines.0.quantity"),
        ({"location": "c"}, "location"),
        ({"lines": []}, "lines"),
    ],
)
def test_bad_free_standing_returns_name_the_field(shop, change, field):
    received(shop)
    values = {
        "supplier": shop.supplier, "warehouse": shop.main, "tz_name": TZ,
        "lines": [ReturnLineInput(shop.cola, shop.bottle, "1", "2")],
    }  # fmt: skip
    named = {
        "customer": shop.customer,
        "c": shop.c,
        "milk_without_lot": [ReturnLineInput(shop.milk, None, "1", "1")],
        "cola_with_lot": [ReturnLineInput(shop.cola, None, "1", "1", lot_code="L1")],
        "too_many": [ReturnLineInput(shop.cola, None, "49", "1")],
    }
    for key, value in change.items():
        values[key] = named.get(value, value) if isinstance(value, str) else value
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_return_create(**values)
    assert error.value.field == field
    assert purchasing_state() == before
