"""Payments to suppliers (付款单): one payment settles several bills, partially or wholly; over-payment and
someone else's bill refused naming the line; the payable falls and rises back on reversal."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.partnerledger.models import PartnerEntry
from modules.partners import services as partners
from modules.purchasing import services
from modules.purchasing.services import AllocationInput
from tests.purchasing.conftest import TZ, billed, payable, purchasing_state

pytestmark = pytest.mark.django_db


def test_one_payment_settles_several_bills_partially(shop):
    first, second = billed(shop), billed(shop)  # 152.50 each
    payment = services.purchase_payment_create(
        supplier=shop.supplier, method="bank", account="6222 0000 1111", tz_name=TZ,
        allocations=[AllocationInput(first.pk, "152.50"), AllocationInput(second.pk, "50")],
    )  # fmt: skip
    assert payment.number.startswith("FK") and payment.amount == D("202.50") and payment.method == "bank"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.paid_amount, first.open_amount) == (D("152.50"), 0)
    assert (second.paid_amount, second.open_amount) == (D("50.00"), D("102.50"))
    second.order.refresh_from_db()
    assert second.order.paid_amount == D("50.00")
    entry = PartnerEntry.objects.get(source_type="purchase_payment", source_id=payment.pk)
    assert (entry.kind, entry.amount) == ("payable", D("-202.50"))
    assert payable(shop) == D("102.50")
    # The rest later, in cash.
    services.purchase_payment_create(
        supplier=shop.supplier, method="cash", tz_name=TZ, allocations=[AllocationInput(second.pk, "102.50")]
    )
    second.refresh_from_db()
    assert second.open_amount == 0 and payable(shop) == 0


def test_over_payment_is_refused_naming_the_line_and_changes_nothing(shop):
    first, second = billed(shop), billed(shop)
    before = purchasing_state()
    with pytest.raises(AppError) as error:
        services.purchase_payment_create(
            supplier=shop.supplier, method="wechat", tz_name=TZ,
            allocations=[AllocationInput(first.pk, "100"), AllocationInput(second.pk, "152.51")],
        )  # fmt: skip
    assert (error.value.code, error.value.field, error.value.status_code) == (
        "over_payment", "allocations.1.amount", 409,
    )  # fmt: skip
    assert "152.50" in error.value.message
    assert purchasing_state() == before


def test_bad_payments_name_the_field(shop):
    bill = billed(shop)
    other = partners.partner_create(code="S2", name="别家", is_supplier=True)
    reversed_bill = billed(shop)
    services.purchase_bill_reverse(bill=reversed_bill, tz_name=TZ)
    before = purchasing_state()
    cases = [
        ({"method": "cheque"}, "method"),
        ({"supplier": shop.customer}, "supplier"),
        ({"allocations": []}, "allocations"),
        ({"allocations": [AllocationInput(bill.pk, "0")]}, "allocations.0.amount"),
        ({"allocations": [AllocationInput(bill.pk, "1.001")]}, "allocations.0.amount"),
        ({"allocations": [AllocationInput(bill.pk, "1"), AllocationInput(bill.pk, "1")]}, "allocations.1.bill"),
        ({"supplier": other}, "allocations.0.bill"),
        ({"allocations": [AllocationInput(reversed_bill.pk, "1")]}, "allocations.0.bill"),
        ({"allocations": [AllocationInput(reversed_bill.reversal.pk, "1")]}, "allocations.0.bill"),
    ]
    for change, field in cases:
        kwargs = {
            "supplier": shop.supplier, "method": "alipay", "tz_name": TZ,
            "allocations": [AllocationInput(bill.pk, "1")], **change,
        }  # fmt: skip
        with pytest.raises(AppError) as error:
            services.purchase_payment_create(**kwargs)
        assert error.value.field == field, change
    assert purchasing_state() == before


def test_reversal_reopens_the_bills_and_the_payable(shop):
    first, second = billed(shop), billed(shop)
    payment = services.purchase_payment_create(
        supplier=shop.supplier, method="cash", tz_name=TZ,
        allocations=[AllocationInput(first.pk, "10"), AllocationInput(second.pk, "20")],
    )  # fmt: skip
    with pytest.raises(AppError) as error:
        services.purchase_bill_reverse(bill=first, tz_name=TZ)
    assert error.value.code == "already_paid"
    reversal = services.purchase_payment_reverse(payment=payment, tz_name=TZ)
    assert reversal.amount == D("-30.00") and reversal.reverses == payment and reversal.method == "cash"
    assert sorted(reversal.allocations.values_list("amount", flat=True)) == [D(-20), D(-10)]
    first.refresh_from_db()
    first.order.refresh_from_db()
    assert first.paid_amount == 0 and first.order.paid_amount == 0
    assert payable(shop) == D("305.00")
    before = purchasing_state()
    for target, code in [(payment, "already_reversed"), (reversal, "reversal_of_reversal")]:
        with pytest.raises(AppError) as error:
            services.purchase_payment_reverse(payment=target, tz_name=TZ)
        assert error.value.code == code
    assert purchasing_state() == before
    # Now the bill may go.
    services.purchase_bill_reverse(bill=first, tz_name=TZ)
    assert payable(shop) == D("152.50")
