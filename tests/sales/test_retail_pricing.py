"""The retail counter priced by the pricing engine: a walk-in gets the retail list, a member their tier's
list or own price; the reason is kept on the line and shown on the counter and the receipt; the selling
checks warn beside the cart's lines and, set to block, refuse the sale naming the line."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing import services as pricing
from modules.sales.models import RetailSale
from modules.sales.services import SaleLineInput, retail_sale_post, retail_sale_reverse
from tests.sales.conftest import TZ, in_tenant, login, receive, sale_shop, sales_state

HTMX = {"HTTP_HX_REQUEST": "true"}


def priced_shop():
    """Cola (3.50) at 3.20 on the retail list and 3.00 on the wholesale list; member M1 (wholesale tier),
    member M2 with their own price 2.90; 50 cola in stock at cost 2.00 net."""
    shop = sale_shop()
    receive(shop.cola, shop.main, "50")
    retail = pricing.price_list_create(tier=PriceTier.RETAIL, name="Retail")
    wholesale = pricing.price_list_create(tier=PriceTier.WHOLESALE, name="Wholesale")
    for price_list, price in ((retail, "3.20"), (wholesale, "3.00")):
        pricing.price_list_item_set(price_list_id=price_list.pk, item_id=shop.cola.pk, price=D(price))
    shop.member = partner_create(code="M1", name="Member", is_customer=True, price_tier=PriceTier.WHOLESALE)
    shop.regular = partner_create(code="M2", name="Regular", is_customer=True)
    pricing.customer_price_set(customer_id=shop.regular.pk, item_id=shop.cola.pk, price=D("2.90"))
    return shop


@pytest.fixture
def shop(in_tenant_a):
    with translation.override("en"):
        yield priced_shop()


def sell(shop, *lines, **kwargs):
    return retail_sale_post(
        lines=[SaleLineInput(shop.cola, shop.bottle, *line) for line in lines], payment_method="cash", tz_name=TZ,
        **kwargs,
    )  # fmt: skip


def line_of(sale):
    (line,) = sale.lines.all()
    return (line.unit_price, line.price_source, line.price_reason, line.amount)


@translation.override("en")
def test_walk_in_member_and_customer_prices(shop):
    assert line_of(sell(shop, ("2",))) == (D("3.20"), "price_list", "Retail", D("6.40"))
    assert line_of(sell(shop, ("2",), customer=shop.member)) == (D("3.00"), "price_list", "Wholesale", D("6.00"))
    assert line_of(sell(shop, ("2",), customer=shop.regular)) == (
        D("2.90"), "customer_price", "Customer price", D("5.80")
    )  # fmt: skip
    typed = sell(shop, ("1", "3.33"))
    assert line_of(typed) == (D("3.33"), "manual", "", D("3.33"))
    # A refund keeps what the lines were priced by.
    refund = retail_sale_reverse(sale=typed, tz_name=TZ)
    assert line_of(refund) == (D("3.33"), "manual", "", D("-3.33"))


@translation.override("en")
@pytest.mark.parametrize(
    ("setting", "line", "field"),
    [("below_cost", ("1", "1.00"), "lines.1.unit_price"), ("beyond_stock", ("50",), "lines.1.quantity")],
)
def test_a_blocking_check_refuses_the_sale_naming_the_line(shop, setting, line, field):
    # Warned only, by default: the sale goes.
    sell(shop, ("1", "1.00"))
    pricing.pricing_settings_update(**{setting: "block"})
    before = sales_state()
    with pytest.raises(AppError) as error:
        sell(shop, ("1",), line)  # lines of one item count together: 1 + 50 > 49 left
    assert error.value.field == field and error.value.message.startswith("Line 2:")
    assert sales_state() == before


@pytest.fixture
def owner(client_a, tenant_a, owner_a, roles_synced):
    client_a.cookies["django_language"] = "en"
    return login(client_a, tenant_a, owner_a)


def test_the_counter_shows_the_price_reason_and_warnings_and_the_receipt_the_reason(owner, tenant_a):
    with schema_context(tenant_a.schema_name), translation.override("en"):
        shop = priced_shop()
    walk_in = owner.post("/sales/retail/cart", {"barcode": "6901234567892"}, **HTMX).content.decode()
    assert "3.20" in walk_in and "data-price-reason>Retail<" in walk_in and 'data-total="3.20"' in walk_in
    cart = {"item": [shop.cola.pk], "unit": [shop.bottle.pk], "quantity": ["60"], "customer": shop.member.pk}
    member = owner.post("/sales/retail/cart", cart, **HTMX).content.decode()
    assert "data-price-reason>Wholesale<" in member and 'data-total="180.00"' in member
    assert 'data-warning="beyond_stock"' in member
    paid = owner.post("/sales/retail/new", {**cart, "quantity": ["2"], "payment_method": "wechat"})
    sale = in_tenant(tenant_a, RetailSale.objects.get)
    assert paid["Location"] == f"/sales/retail/{sale.pk}/receipt" and sale.total == D("6.00")
    receipt = owner.get(paid["Location"]).content.decode()
    assert "data-price-reason>Wholesale<" in receipt
    # Blocked beyond stock: the counter refuses, naming the line, and keeps the cart.
    in_tenant(tenant_a, lambda: pricing.pricing_settings_update(beyond_stock="block"))
    refused = owner.post("/sales/retail/new", {**cart, "payment_method": "wechat"})
    assert refused.status_code == 400 and "Line 1: Beyond available stock" in refused.content.decode()
    assert in_tenant(tenant_a, RetailSale.objects.count) == 1


def test_the_api_prices_a_sale(client_a, tenant_a, roles_synced):
    import json

    from tests.sales.conftest import auth, make_key

    with schema_context(tenant_a.schema_name):
        shop = priced_shop()
    headers = auth(make_key(tenant_a, scopes=("read", "write"))[1])
    body = {"payment_method": "cash", "customer": shop.member.pk,
            "lines": [{"item": shop.cola.pk, "unit": shop.bottle.pk, "quantity": "2"}]}  # fmt: skip
    response = client_a.post("/api/v1/sales/retail-sales", data=json.dumps(body), content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY="r-1", **headers)  # fmt: skip
    assert response.status_code == 201, response.content
    (line,) = response.json()["lines"]
    assert (line["unit_price"], line["price_source"], line["price_reason"]) == ("3.000000", "price_list", "Wholesale")
