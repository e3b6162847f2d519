"""Sales reports over the registered sources: retail sales (net of VAT, cost from the ledger, refunds
negative) by item, category, customer, salesperson and period; other sources added as a QuerySet or as
rows; filters and bad input naming the parameter."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import DecimalField, F, IntegerField, Value
from django.db.models.fields import DateField
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.catalog.models import Item
from modules.identity.roles import Role
from modules.inventory.models import StockMove
from modules.reports import sources
from modules.reports.selectors import sales_report
from modules.sales import services as sales
from tests.reports.conftest import TZ, category, make_user, post, sell


def report(group="item", *, on=None, **kwargs):
    on = on or sales.today_in(TZ)
    return sales_report(date_from=on, date_to=on, group=group, **kwargs)


def figures(row) -> tuple:
    return (row.quantity, row.net_amount, row.cost, row.margin, row.margin_percent)


@pytest.fixture
def day(shop, tea, tenant_a, owner_a):
    """Stock bought yesterday (cola at 2.00, tea at 5.00); today the owner sells 4 cola at 3.39 and 2 tea
    at 11.30 to customer K1 (nets 12.00 and 20.00 at 13 % VAT), a clerk sells 6 cola at 3.50 to a walk-in
    (net 18.58) and refunds it."""
    yesterday = sales.today_in(TZ) - timedelta(days=1)
    post(shop.cola, shop.main, "50", "2.00", on=yesterday)
    post(tea, shop.main, "20", "5.00", on=yesterday)
    owner = owner_a
    clerk = make_user(tenant_a, "clerk@alpha.test", Role.SALES)
    clerk.first_name, clerk.last_name = "小", "王"
    clerk.save()
    sell(shop, (shop.cola, 4, "3.39"), (tea, 2, "11.30"), customer=shop.customer, user=owner)
    walk_in = sell(shop, (shop.cola, 6, "3.50"), user=clerk)
    sales.retail_sale_reverse(sale=walk_in, tz_name=TZ, created_by=clerk)
    return shop, tea, owner, clerk


def test_by_item_net_of_vat_cost_from_the_ledger_and_refunds_deducted(day):
    shop, tea, _owner, _clerk = day
    result = report()
    assert [row.code for row in result.rows] == ["COLA", "TEA"]
    assert figures(result.rows[0]) == (D("4"), D("12.00"), D("8.00"), D("4.00"), D("33.3"))
    assert figures(result.rows[1]) == (D("2"), D("20.00"), D("10.00"), D("10.00"), D("50.0"))
    assert result.rows[0].unit == "瓶"
    assert result.totals == {
        "quantity": D("6"), "net_amount": D("32.00"), "cost": D("18.00"), "margin": D("14.00"),
        "margin_percent": D("43.8"),
    }  # fmt: skip
    # The cost is exactly what the sales' moves took out of stock.
    moved = sum(StockMove.objects.filter(source_type="retail_sale").values_list("value", flat=True), D(0))
    assert -moved == result.totals["cost"]


@translation.override("en")
def test_by_customer_salesperson_category_and_day(day):
    shop, tea, owner, clerk = day
    by_customer = {row.label: figures(row) for row in report("customer").rows}
    assert by_customer == {
        "客户": (D("6"), D("32.00"), D("18.00"), D("14.00"), D("43.8")),
        "Walk-in customers": (D("0"), D("0.00"), D("0.00"), D("0.00"), None),
    }
    by_person = {row.key: (row.label, row.net_amount, row.cost) for row in report("salesperson").rows}
    assert by_person == {owner.pk: ("owner@alpha.test", D("32.00"), D("18.00")), clerk.pk: ("小 王", D("0"), D("0"))}
    catalog.item_update(item=tea, category=category("茶"))
    by_category = {row.label: (row.net_amount, row.margin) for row in report("category").rows}
    assert by_category == {"茶": (D("20.00"), D("10.00")), "No category": (D("12.00"), D("4.00"))}
    today = sales.today_in(TZ)
    (by_day,) = report("day").rows
    assert (by_day.key, by_day.label, by_day.net_amount, by_day.cost) == (today, today.isoformat(), D("32.00"),
                                                                           D("18.00"))  # fmt: skip


def test_filters_by_customer_category_salesperson_and_item(day):
    shop, tea, owner, clerk = day
    assert [row.code for row in report(customer_id=shop.customer.pk).rows] == ["COLA", "TEA"]
    assert report(customer_id=shop.supplier.pk).rows == []
    assert [(row.code, row.net_amount) for row in report(salesperson_id=clerk.pk).rows] == [("COLA", D("0.00"))]
    assert [row.code for row in report(item_id=tea.pk).rows] == ["TEA"]
    drinks = category("饮料")
    catalog.item_update(item=shop.cola, category=category("汽水", parent=drinks))
    assert [row.code for row in report(category_id=drinks.pk).rows] == ["COLA"]


def test_an_item_twice_on_one_sale_counts_its_cost_once(shop):
    post(shop.cola, shop.main, "10", "2.00", on=sales.today_in(TZ) - timedelta(days=1))
    sell(shop, (shop.cola, 1, "3.39"), (shop.cola, 2, "3.39"))
    (row,) = report().rows
    assert (row.quantity, row.net_amount, row.cost) == (D("3"), D("9.00"), D("6.00"))


def test_outside_the_period_nothing(day):
    assert report(on=sales.today_in(TZ) - timedelta(days=1)).rows == []


def test_sorting_rows(day):
    assert [row.code for row in report(sort="-margin").rows] == ["TEA", "COLA"]
    assert [row.code for row in report(sort="margin_percent").rows] == ["COLA", "TEA"]
    with pytest.raises(AppError) as refused:
        report(sort="price")
    assert refused.value.field == "sort"


@pytest.mark.parametrize("group", ["", "brand", "year"])
def test_a_bad_grouping_names_the_parameter(shop, group):
    with pytest.raises(AppError) as refused:
        report(group)
    assert refused.value.field == "group"


@pytest.fixture
def extra_sources():
    """Deliveries as a QuerySet (3 cola on 27 Feb, net 9.00, cost 5.00) and returns as rows (1 cola back on
    2 Mar, −3.00 net, −1.70 cost), the way other document apps register theirs."""

    def deliveries(date_from, date_to):
        on = date(2026, 2, 27)
        rows = Item.objects.filter(code="COLA") if date_from <= on <= date_to else Item.objects.none()
        return rows.values(
            date=Value(on, output_field=DateField()),
            item_id=F("id"),
            customer_id=Value(None, output_field=IntegerField()),
            salesperson_id=Value(None, output_field=IntegerField()),
            base_quantity=Value(D("3"), output_field=DecimalField()),
            net_amount=Value(D("9.00"), output_field=DecimalField()),
            cost=Value(D("5.00"), output_field=DecimalField()),
        )

    def returns(date_from, date_to):
        cola = Item.objects.get(code="COLA")
        on = date(2026, 3, 2)
        return [(on, cola.pk, None, None, D("-1"), D("-3.00"), D("-1.70"))] if date_from <= on <= date_to else []

    sources.sales_source_register("test_delivery", deliveries)
    sources.sales_source_register("test_return", returns)
    yield
    sources.sales_source_unregister("test_delivery")
    sources.sales_source_unregister("test_return")


@translation.override("en")
def test_registered_sources_add_up_by_week_and_month_with_quiet_buckets_listed(shop, extra_sources):
    weeks = sales_report(date_from=date(2026, 2, 20), date_to=date(2026, 3, 10), group="week")
    # Weeks start on Monday: 16 Feb (the period starts inside it), 23 Feb, 2 Mar, 9 Mar.
    assert [(row.key, row.net_amount, row.cost) for row in weeks.rows] == [
        (date(2026, 2, 16), D("0.00"), D("0.00")),
        (date(2026, 2, 23), D("9.00"), D("5.00")),
        (date(2026, 3, 2), D("-3.00"), D("-1.70")),
        (date(2026, 3, 9), D("0.00"), D("0.00")),
    ]
    assert weeks.rows[1].label == "Week of 2026-02-23"
    months = sales_report(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31), group="month")
    assert [(row.label, row.quantity, row.margin) for row in months.rows] == [
        ("2026-02", D("3"), D("4.00")),
        ("2026-03", D("-1"), D("-1.30")),
    ]
    (item,) = sales_report(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31), group="item").rows
    assert (item.code, item.quantity, item.net_amount, item.cost, item.margin_percent) == (
        "COLA", D("2"), D("6.00"), D("3.30"), D("45.0")
    )  # fmt: skip


def test_a_source_returning_something_else_is_refused_loudly(shop):
    sources.sales_source_register("test_bad", lambda date_from, date_to: {"rows": []})
    try:
        with pytest.raises(TypeError, match="test_bad"):
            report()
    finally:
        sources.sales_source_unregister("test_bad")


def test_retail_sales_are_registered():
    assert sources.sales_sources()["retail_sale"] is sources.retail_sales
    assert sources.purchase_sources()["purchase_receipt"] is sources.purchase_receipts
