"""Sales order lines priced by the pricing engine (`modules.pricing`) when no price is given, with the rule
and the reason kept on the line; the selling checks (below cost, beyond available stock) on confirmation:
warnings by default, a refusal naming the line's field when the tenant blocks."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing import services as pricing
from modules.pricing.enums import WarningCode
from modules.sales import services
from modules.sales.enums import OrderStatus
from modules.sales.services import OrderLineInput
from tests.sales.conftest import TZ, documents_state, order_create, reserved, stocked_shop


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop(in_tenant_a):
    """Cola (3.50, a 箱 of 24; 100 in stock at cost 2.00 net) on a wholesale list at 3.00, 2.80 from 24 瓶."""
    shop = stocked_shop()
    wholesale = pricing.price_list_create(tier=PriceTier.WHOLESALE, name="Wholesale")
    for minimum, price in ((0, "3.00"), (24, "2.80")):
        pricing.price_list_item_set(
            price_list_id=wholesale.pk, item_id=shop.cola.pk, unit_id=shop.bottle.pk, min_quantity=D(minimum),
            price=D(price),
        )  # fmt: skip
    shop.trader = partner_create(code="W1", name="Trader", is_customer=True, price_tier=PriceTier.WHOLESALE)
    return shop


def priced(shop, *lines, customer=None, prices_include_vat=True):
    customer = customer or shop.trader
    return services.order_lines_priced(
        list(lines), customer=customer, on=services.today_in(TZ), prices_include_vat=prices_include_vat
    )


def test_an_empty_price_is_quoted_with_its_rule_and_reason(shop):
    lines = priced(
        shop,
        OrderLineInput(shop.cola, shop.bottle, "10"),
        OrderLineInput(shop.cola, shop.case, "1"),  # 24 瓶: the break, per 箱
        OrderLineInput(shop.cola, shop.bottle, "5", "3.30"),  # typed: kept
        OrderLineInput(shop.milk, shop.bottle, "2"),  # not on the list: the item's sale price
    )
    assert [(line.unit_price, line.price_source, line.price_reason) for line in lines] == [
        (D("3.00"), "price_list", "Wholesale"),
        (D("67.20"), "quantity_break", "Wholesale ≥ 24 瓶"),
        ("3.30", "", ""),
        (D("6.00"), "item_price", "Item sale price"),
    ]
    order = order_create(shop, *lines, customer=shop.trader)
    stored = list(order.lines.order_by("position").values_list("unit_price", "price_source", "price_reason"))
    assert stored == [
        (D("3.00"), "price_list", "Wholesale"),
        (D("67.20"), "quantity_break", "Wholesale ≥ 24 瓶"),
        (D("3.30"), "manual", ""),
        (D("6.00"), "item_price", "Item sale price"),
    ]
    # A walk-in-tier customer without a retail list pays the item's price.
    (walk_in,) = priced(shop, OrderLineInput(shop.cola, shop.bottle, "10"), customer=shop.customer)
    assert (walk_in.unit_price, walk_in.price_source) == (D("3.50"), "item_price")


def test_prices_without_vat_are_quoted_net(shop):
    (line,) = priced(shop, OrderLineInput(shop.cola, shop.bottle, "1"), prices_include_vat=False)
    assert line.unit_price == D("2.654867")  # 3.00 / 1.13, to 6 places as lines keep prices


def test_a_line_the_engine_cannot_price_is_named_by_the_order(shop):
    lines = priced(shop, OrderLineInput(shop.cola, shop.bottle, "-1"))
    with pytest.raises(AppError) as error:
        order_create(shop, *lines, customer=shop.trader)
    assert error.value.field == "lines.0.quantity"


def test_an_update_prices_the_new_lines_for_the_order_customer(shop):
    order = order_create(shop, OrderLineInput(shop.cola, shop.bottle, "1", "3.50"), customer=shop.trader)
    services.sales_order_update(order=order, lines=[OrderLineInput(shop.cola, shop.bottle, "30")])
    (line,) = order.lines.all()
    assert (line.unit_price, line.price_source, line.gross) == (D("2.80"), "quantity_break", D("84.00"))
    # Re-pricing for VAT keeps the prices and reasons the lines have.
    services.sales_order_update(order=order, prices_include_vat=False)
    (line,) = order.lines.all()
    assert (line.unit_price, line.price_reason) == (D("2.80"), "Wholesale ≥ 24 瓶")


def test_checks_warn_below_cost_and_beyond_stock_and_confirm_goes_on(shop):
    order = order_create(
        shop,
        OrderLineInput(shop.cola, shop.bottle, "60", "2.00"),  # 1.77 net, under the cost 2.00
        OrderLineInput(shop.cola, shop.bottle, "50", "3.50"),  # 110 of the item wanted, 100 available
        customer=shop.trader,
    )
    warnings = services.sales_order_checks(order)
    assert [(w.code, w.field) for w in warnings] == [
        (WarningCode.BELOW_COST, "lines.0.unit_price"),
        (WarningCode.BEYOND_STOCK, "lines.1.quantity"),
    ]
    assert warnings[0].message.startswith("Line 1: Below cost")
    assert "110" in warnings[1].message and warnings[1].message.startswith("Line 2:")
    # Warnings do not stop confirmation (here the reservation itself refuses the second line).
    with pytest.raises(AppError) as error:
        services.sales_order_confirm(order=order)
    assert error.value.code != WarningCode.BELOW_COST
    order = order_create(shop, OrderLineInput(shop.cola, shop.bottle, "60", "2.00"), customer=shop.trader)
    services.sales_order_confirm(order=order)
    assert reserved(shop.cola, shop.main) == D("60")
    # A confirmed order has nothing left to check.
    order.refresh_from_db()
    assert services.sales_order_checks(order) == []


@pytest.mark.parametrize(
    ("setting", "line", "field"),
    [
        ("below_cost", OrderLineInput(None, None, "10", "2.00"), "lines.1.unit_price"),
        ("beyond_stock", OrderLineInput(None, None, "101", "3.50"), "lines.1.quantity"),
    ],
)
def test_a_blocking_check_refuses_confirmation_naming_the_line(shop, setting, line, field):
    pricing.pricing_settings_update(**{setting: "block"})
    fine = OrderLineInput(shop.milk, shop.bottle, "1", "6.00")
    order = order_create(shop, fine, OrderLineInput(shop.cola, shop.bottle, line.quantity, line.unit_price),
                         customer=shop.trader)  # fmt: skip
    before = documents_state()
    with pytest.raises(AppError) as error:
        services.sales_order_confirm(order=order)
    assert error.value.field == field and error.value.message.startswith("Line 2:")
    assert documents_state() == before and reserved(shop.cola, shop.main) == D("0")
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    with pytest.raises(AppError):
        services.sales_order_checks(order)


def test_beyond_stock_is_checked_before_the_order_reserves(shop):
    pricing.pricing_settings_update(beyond_stock="block")
    order = order_create(shop, OrderLineInput(shop.cola, shop.bottle, "100", "3.50"), customer=shop.trader)
    services.sales_order_confirm(order=order)  # all 100 available: its own reservation does not count
    assert reserved(shop.cola, shop.main) == D("100")


def test_the_checks_read_cost_and_stock_once_for_all_lines(shop):
    """One query for every line's cost and stock (and one for the settings), however many lines."""
    pricing.pricing_settings_update(below_cost="block", beyond_stock="block")
    few = order_create(shop, OrderLineInput(shop.cola, shop.bottle, "1", "3.50"), customer=shop.trader)
    many = order_create(
        shop, *(OrderLineInput(item, shop.bottle, "1", "6.00") for item in (shop.cola, shop.milk) * 3),
        customer=shop.trader,
    )  # fmt: skip
    counts = []
    for order in (few, many):
        order.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            assert services.sales_order_checks(order, blocking_only=True) == []
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 5, counts  # the order's warehouse, settings, lines, cost and stock


# --- Pages and API ------------------------------------------------------------------------------------


@pytest.fixture
def web_shop(tenant_a, roles_synced):
    from django_tenants.utils import schema_context

    with schema_context(tenant_a.schema_name):
        shop = stocked_shop()
        shop.trader = partner_create(code="W1", name="Trader", is_customer=True, price_tier=PriceTier.WHOLESALE)
        wholesale = pricing.price_list_create(tier=PriceTier.WHOLESALE, name="Wholesale")
        pricing.price_list_item_set(price_list_id=wholesale.pk, item_id=shop.cola.pk, price=D("3.00"))
        return shop


def test_the_order_form_shows_the_pricing_fragment_and_the_page_the_reason(client_a, tenant_a, owner_a, web_shop):
    from modules.sales.models import SalesOrder
    from tests.sales.conftest import in_tenant, login

    client_a.cookies["django_language"] = "en"
    owner = login(client_a, tenant_a, owner_a)
    row = owner.get("/sales/orders/line", {"index": "0", "pick": web_shop.cola.pk}, HTTP_HX_REQUEST="true")
    html = row.content.decode()
    assert 'id="pricing-0"' in html and "/pricing/line?prefix=lines-0-" in html and "#id_customer" in html
    # What the fragment answers for that row with the order's customer.
    fragment = owner.get(
        "/pricing/line",
        {"prefix": "lines-0-", "lines-0-item": web_shop.cola.pk, "lines-0-quantity": "200",
         "lines-0-unit": web_shop.bottle.pk, "customer": web_shop.trader.pk, "warehouse": web_shop.main.pk},
    ).content.decode()  # fmt: skip
    assert "Wholesale" in fragment and 'data-warning="beyond_stock"' in fragment
    response = owner.post(
        "/sales/orders/new",
        {"customer": web_shop.trader.pk, "warehouse": web_shop.main.pk, "date": services.today_in(TZ).isoformat(),
         "prices_include_vat": "on", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
         "lines-0-item": web_shop.cola.pk, "lines-0-unit": web_shop.bottle.pk, "lines-0-quantity": "10"},
    )  # fmt: skip
    order = in_tenant(tenant_a, SalesOrder.objects.get)
    (line,) = in_tenant(tenant_a, lambda: list(order.lines.all()))
    assert (line.unit_price, line.price_source, line.price_reason) == (D("3.00"), "price_list", "Wholesale")
    page = owner.get(response["Location"]).content.decode()
    assert 'data-price-source="price_list">Wholesale<' in page
    # Confirming below cost (3.00 with VAT is above 2.00; a typed 2.00 is not): the warning on the page.
    in_tenant(tenant_a, lambda: services.sales_order_update(
        order=order, lines=[OrderLineInput(web_shop.cola, web_shop.bottle, "10", "2.00")]))  # fmt: skip
    page = owner.post(f"/sales/orders/{order.pk}/confirm", follow=True).content.decode()
    assert 'data-status="confirmed"' in page and "Line 1: Below cost" in page


def test_the_api_prices_lines_and_confirm_answers_the_warnings_or_refuses(tenant_a, tenant_b, client_a, web_shop):
    import json

    from tests.sales.conftest import auth, make_key

    headers = auth(make_key(tenant_a, scopes=("read", "write"))[1])

    def post(url, body=None, **extra):
        return client_a.post(f"/api/v1/sales/{url}", data=json.dumps(body or {}), content_type="application/json",
                             **headers, **extra)  # fmt: skip

    body = {"customer": web_shop.trader.pk, "warehouse": web_shop.main.pk, "date": services.today_in(TZ).isoformat(),
            "lines": [{"item": web_shop.cola.pk, "quantity": "10"}]}  # fmt: skip
    created = post("orders", body, HTTP_IDEMPOTENCY_KEY="price-1")
    assert created.status_code == 201, created.content
    (line,) = created.json()["lines"]
    assert (line["unit_price"], line["price_source"], line["price_reason"]) == ("3.000000", "price_list", "Wholesale")
    below = post("orders", {**body, "lines": [{"item": web_shop.cola.pk, "quantity": "10", "unit_price": "2"}]}).json()
    confirmed = post(f"orders/{below['id']}/confirm", HTTP_IDEMPOTENCY_KEY="confirm-1")
    assert confirmed.status_code == 200
    assert [(w["code"], w["field"]) for w in confirmed.json()["warnings"]] == [("below_cost", "lines.0.unit_price")]
    assert post(f"orders/{created.json()['id']}/confirm").json()["warnings"] == []
    from django_tenants.utils import schema_context

    with schema_context(tenant_a.schema_name):
        pricing.pricing_settings_update(beyond_stock="block")
    big = post("orders", {**body, "lines": [{"item": web_shop.cola.pk, "quantity": "95"}]}).json()
    refused = post(f"orders/{big['id']}/confirm")
    assert refused.status_code == 400 and refused.json()["field"] == "lines.0.quantity"
    assert client_a.get(f"/api/v1/sales/orders/{big['id']}", **headers).json()["status"] == "draft"
