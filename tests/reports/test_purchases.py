"""Purchases by supplier and by item: purchase receipts at their share of the order line's net and VAT,
other sources (returns) registered as rows; filters and bad input."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db.models import DecimalField, F, Value

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.partners import services as partners
from modules.purchasing import services as purchasing
from modules.purchasing.models import PurchaseReceipt
from modules.purchasing.services import ReceiptReturnLineInput, ReturnLineInput
from modules.reports import sources
from modules.reports.selectors import purchases_report
from modules.sales.services import today_in
from tests.reports.conftest import TZ, buy, category


def report(group="supplier", **kwargs):
    today = today_in(TZ)
    return purchases_report(date_from=today, date_to=today, group=group, **kwargs)


def amounts(row) -> tuple:
    return (row.quantity, row.net_amount, row.tax_amount, row.gross_amount)


@pytest.fixture
def bought(shop, tea):
    """48 cola ordered from S1 at 2.26 with VAT (net 96.00, VAT 12.48), half of it received; 10 tea from
    S2 at 11.30 (net 100.00, VAT 13.00), all received."""
    other = partners.partner_create(code="S2", name="茶厂", is_supplier=True)
    buy(shop, (shop.cola, 48, "2.26"), receive={0: 24})
    buy(shop, (tea, 10, "11.30"), supplier=other)
    return shop, tea, other


def test_by_supplier_and_by_item(bought):
    shop, tea, other = bought
    by_supplier = report()
    # The largest first.
    assert [(row.code, row.label) for row in by_supplier.rows] == [("S2", "茶厂"), ("S1", "供应商")]
    assert [amounts(row) for row in by_supplier.rows] == [
        (D("10"), D("100.00"), D("13.00"), D("113.00")),
        (D("24"), D("48.00"), D("6.24"), D("54.24")),
    ]
    assert by_supplier.totals == {
        "quantity": D("34"), "net_amount": D("148.00"), "tax_amount": D("19.24"), "gross_amount": D("167.24")
    }  # fmt: skip
    by_item = report("item")
    assert [(row.code, row.unit, *amounts(row)) for row in by_item.rows] == [
        ("COLA", "瓶", D("24"), D("48.00"), D("6.24"), D("54.24")),
        ("TEA", "瓶", D("10"), D("100.00"), D("13.00"), D("113.00")),
    ]


def test_filters(bought):
    shop, tea, other = bought
    assert [row.code for row in report("item", supplier_id=other.pk).rows] == ["TEA"]
    catalog.item_update(item=tea, category=category("茶"))
    assert [row.code for row in report(category_id=tea.category_id).rows] == ["S2"]
    assert [row.code for row in report("item", item_id=shop.cola.pk).rows] == ["COLA"]
    yesterday = today_in(TZ) - timedelta(days=1)
    assert purchases_report(date_from=yesterday, date_to=yesterday, group="supplier").rows == []


def test_a_registered_return_source_is_deducted(bought):
    shop, tea, other = bought

    def returns(date_from, date_to):
        # Two bottles of cola back to S1, dated as its receipt: a QuerySet naming its columns (a plain
        # field keeps its name; annotations take theirs).
        return PurchaseReceipt.objects.filter(
            lines__order_line__item=shop.cola, date__range=(date_from, date_to)
        ).values(
            "date",
            item_id=F("lines__order_line__item_id"),
            supplier_id=F("order__supplier_id"),
            base_quantity=Value(D("-2"), output_field=DecimalField()),
            net_amount=Value(D("-4.00"), output_field=DecimalField()),
            tax_amount=Value(D("-0.52"), output_field=DecimalField()),
        )

    sources.purchase_source_register("test_purchase_return", returns)
    try:
        s1 = next(row for row in report().rows if row.code == "S1")
    finally:
        sources.purchase_source_unregister("test_purchase_return")
    assert amounts(s1) == (D("22"), D("44.00"), D("5.72"), D("49.72"))


def test_purchase_returns_are_negative_rows_and_a_reversal_cancels_them(bought):
    shop, tea, other = bought
    receipt = PurchaseReceipt.objects.get(order__supplier=shop.supplier)
    cola_return = purchasing.purchase_return_from_receipt(
        receipt=receipt, lines=[ReceiptReturnLineInput(receipt.lines.get().pk, "4")], tz_name=TZ
    )
    purchasing.purchase_return_create(
        supplier=other,
        warehouse=shop.main,
        lines=[ReturnLineInput(tea, shop.bottle, "1", "11.30", "0.13")],
        tz_name=TZ,
    )
    by_supplier = {row.code: amounts(row) for row in report().rows}
    assert by_supplier == {
        "S1": (D("20"), D("40.00"), D("5.20"), D("45.20")),
        "S2": (D("9"), D("90.00"), D("11.70"), D("101.70")),
    }
    by_item = {row.code: amounts(row) for row in report("item").rows}
    assert by_item["COLA"] == (D("20"), D("40.00"), D("5.20"), D("45.20"))
    assert [row.code for row in report("item", supplier_id=other.pk).rows] == ["TEA"]

    purchasing.purchase_return_reverse(purchase_return=cola_return, tz_name=TZ)
    s1 = next(row for row in report().rows if row.code == "S1")
    assert amounts(s1) == (D("24"), D("48.00"), D("6.24"), D("54.24"))
    # Another day's report has none of it.
    yesterday = today_in(TZ) - timedelta(days=1)
    assert purchases_report(date_from=yesterday, date_to=yesterday, group="supplier").rows == []


@pytest.mark.parametrize(("kwargs", "field"), [({"group": "customer"}, "group"), ({"sort": "x"}, "sort")])
def test_bad_input_names_the_parameter(shop, kwargs, field):
    with pytest.raises(AppError) as refused:
        report(**{"group": "supplier", **kwargs})
    assert refused.value.field == field
