"""Sales orders in the trade reports: deliveries and returns are registered as sales sources, so a
delivered and invoiced order shows with its revenue (net of VAT) and the cost its stock left with, and a
return takes its part back out."""

from decimal import Decimal as D

from modules.reports import sources
from modules.reports.selectors import sales_report
from modules.sales import selectors as sales_selectors
from modules.sales import services
from modules.sales.services import DeliverLineInput, DocumentLineInput, OrderLineInput
from tests.sales.conftest import TZ, order_confirmed, stocked_shop


def test_sales_documents_are_registered_as_report_sources():
    registered = sources.sales_sources()
    assert registered["sales_delivery"] is sales_selectors.delivery_report_rows
    assert registered["sales_return"] is sales_selectors.return_report_rows


def figures(row) -> tuple:
    return (row.quantity, row.net_amount, row.cost, row.margin)


def test_a_delivered_invoiced_order_is_sold_and_a_return_reduces_it(in_tenant_a):
    shop = stocked_shop()  # cola in stock at 2.00 a bottle
    order = order_confirmed(shop, OrderLineInput(shop.cola, shop.bottle, "10", "5.65"))  # 5.00 + 13 % VAT
    delivery = services.sales_deliver(
        order=order, lines=[DeliverLineInput(line.pk, line.quantity) for line in order.lines.all()], tz_name=TZ
    )
    (line,) = delivery.lines.all()
    services.sales_invoice_create(order=order, lines=[DocumentLineInput(line.pk, D("10"))], tz_name=TZ)
    today = services.today_in(TZ)

    (by_item,) = sales_report(date_from=today, date_to=today, group="item").rows
    assert by_item.code == "COLA"
    assert figures(by_item) == (D("10"), D("50.00"), D("20.00"), D("30.00"))
    (by_customer,) = sales_report(date_from=today, date_to=today, group="customer").rows
    assert figures(by_customer) == figures(by_item)

    services.sales_return_create(delivery=delivery, lines=[DocumentLineInput(line.pk, D("4"))], tz_name=TZ)
    (by_item,) = sales_report(date_from=today, date_to=today, group="item").rows
    assert figures(by_item) == (D("6"), D("30.00"), D("12.00"), D("18.00"))
    (by_salesperson,) = sales_report(date_from=today, date_to=today, group="salesperson").rows
    assert by_salesperson.net_amount == D("30.00")
    # Another day's report does not see them.
    assert sales_report(date_from=today.replace(year=today.year - 1), date_to=today.replace(year=today.year - 1),
                        group="item").rows == []  # fmt: skip
