"""Supplier bills (采购发票) matched to receipt lines: amounts with VAT, the differences flagged per line and
on the bill, over-billing refused, the payable posted and reversed with the bill."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.partnerledger.models import PartnerEntry
from modules.purchasing import services
from modules.purchasing.services import BillLineInput
from tests.purchasing.conftest import TZ, line, payable, purchasing_state, received

pytestmark = pytest.mark.django_db


def _lines(receipt):
    return list(receipt.lines.order_by("id"))


def test_a_bill_at_the_order_prices_matches_and_posts_the_payable(shop):
    receipt = received(shop)
    cola, milk = _lines(receipt)
    bill = services.purchase_bill_create(
        order=receipt.order, tz_name=TZ, invoice_number="No.123",
        lines=[BillLineInput(cola.pk, "2"), BillLineInput(milk.pk, "10")],
    )  # fmt: skip
    assert bill.number.startswith("CGFP") and bill.supplier == shop.supplier
    assert (bill.total_net, bill.total_tax, bill.total_gross) == (D("134.96"), D("17.54"), D("152.50"))
    assert not bill.has_differences and bill.price_difference == 0
    cola.refresh_from_db()
    assert cola.billed_quantity == D(2)
    order = receipt.order
    order.refresh_from_db()
    assert order.billed_amount == D("152.50") and line(order, 0).billed_quantity == D(2)
    entry = PartnerEntry.objects.get(source_type="purchase_bill", source_id=bill.pk)
    assert (entry.kind, entry.amount, entry.number, entry.partner_id) == (
        "payable",
        D("152.50"),
        bill.number,
        shop.supplier.pk,
    )
    assert payable(shop) == D("152.50")


def test_quantity_and_price_differences_are_flagged(shop):
    receipt = received(shop)
    cola, milk = _lines(receipt)
    bill = services.purchase_bill_create(
        order=receipt.order, tz_name=TZ,
        lines=[BillLineInput(cola.pk, "1"), BillLineInput(milk.pk, "10", unit_price="6.00", vat_rate="0.09")],
    )  # fmt: skip
    first, second = bill.lines.order_by("position")
    assert (first.quantity_difference, first.price_difference) == (D(-1), 0)
    assert (second.quantity_difference, second.price_difference) == (0, D("0.35"))
    assert bill.has_differences and bill.price_difference == D("3.50")
    # 60.00 with 9% VAT: 55.05 + 4.95.
    assert (second.net, second.tax, second.gross) == (D("55.05"), D("4.95"), D("60.00"))
    # The rest of the cola billed later matches what was left open.
    rest = services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "1")])
    assert not rest.has_differences and rest.lines.get().open_quantity == D(1)


def test_over_billing_is_refused_naming_the_line_and_changes_nothing(shop):
    receipt = received(shop)
    cola, _milk = _lines(receipt)
    services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "1.5")])
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "1")])
    assert (error.value.code, error.value.field, error.value.status_code) == ("over_billing", "lines.0.quantity", 409)
    assert "0.5" in error.value.message and receipt.number in error.value.message
    assert purchasing_state() == before


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (lambda c: BillLineInput(c.pk, "0"), "lines.0.quantity"),
        (lambda c: BillLineInput(c.pk, "x"), "lines.0.quantity"),
        (lambda c: BillLineInput(c.pk, "1", unit_price="-1"), "lines.0.unit_price"),
        (lambda c: BillLineInput(c.pk, "1", vat_rate="0.2"), "lines.0.vat_rate"),
        (lambda c: BillLineInput(0, "1"), "lines.0.receipt_line"),
    ],
)
def test_bad_bill_lines_name_the_field(shop, entry, field):
    receipt = received(shop)
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[entry(_lines(receipt)[0])])
    assert error.value.field == field
    assert purchasing_state() == before


def test_no_lines_a_future_date_or_a_line_twice_are_refused(shop):
    receipt = received(shop)
    cola = _lines(receipt)[0]
    before = purchasing_state()
    for kwargs, field in [
        ({"lines": []}, "lines"),
        ({"lines": [BillLineInput(cola.pk, "1")], "on": services.today_in(TZ) + timedelta(days=1)}, "date"),
        ({"lines": [BillLineInput(cola.pk, "1"), BillLineInput(cola.pk, "1")]}, "lines.1.receipt_line"),
    ]:
        with pytest.raises(AppError) as error:
            services.purchase_bill_create(order=receipt.order, tz_name=TZ, **kwargs)
        assert error.value.field == field
    assert purchasing_state() == before


def test_a_reversed_receipt_cannot_be_billed_and_a_billed_one_cannot_be_reversed(shop):
    receipt = received(shop, milk="")
    cola = _lines(receipt)[0]
    bill = services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "1")])
    with pytest.raises(AppError) as error:
        services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    assert (error.value.code, error.value.status_code) == ("in_use", 409)
    services.purchase_bill_reverse(bill=bill, tz_name=TZ)
    services.purchase_receipt_reverse(receipt=receipt, tz_name=TZ)
    with pytest.raises(AppError) as error:
        services.purchase_bill_create(order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "1")])
    assert error.value.field == "lines.0.receipt_line"


def test_bill_reversal_reopens_the_lines_and_the_payable(shop):
    receipt = received(shop)
    cola, milk = _lines(receipt)
    bill = services.purchase_bill_create(
        order=receipt.order, tz_name=TZ, lines=[BillLineInput(cola.pk, "2"), BillLineInput(milk.pk, "4")]
    )
    reversal = services.purchase_bill_reverse(bill=bill, tz_name=TZ)
    assert reversal.number.startswith("CGFP") and reversal.reverses == bill
    assert reversal.total_gross == -bill.total_gross
    assert [ln.quantity for ln in reversal.lines.order_by("position")] == [D(-2), D(-4)]
    cola.refresh_from_db()
    assert cola.billed_quantity == 0
    order = receipt.order
    order.refresh_from_db()
    assert order.billed_amount == 0 and line(order, 1).billed_quantity == 0
    assert payable(shop) == 0
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_bill_reverse(bill=bill, tz_name=TZ)
    assert error.value.code == "already_reversed"
    with pytest.raises(AppError) as error:
        services.purchase_bill_reverse(bill=reversal, tz_name=TZ)
    assert error.value.code == "reversal_of_reversal"
    assert purchasing_state() == before
    # Billed again after the reversal.
    services.purchase_bill_create(order=order, tz_name=TZ, lines=[BillLineInput(cola.pk, "2")])
    assert payable(shop) == D("96.00")
