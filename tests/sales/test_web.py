"""The counter: scans add or increment lines (htmx), quantities are edited, Pay posts the sale and shows
the receipt; errors keep the cart; the day's list with takings by payment method; roles and isolation."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.sales.models import RetailSale
from modules.sales.services import SaleLineInput, retail_sale_post
from tests.sales.conftest import TZ, in_tenant, login, make_user, on_hand, receive, sale_shop, sales_state

pytestmark = pytest.mark.usefixtures("roles_synced")

HTMX = {"HTTP_HX_REQUEST": "true"}
CART, NEW = "/sales/retail/cart", "/sales/retail/new"


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        shop = sale_shop()
        receive(shop.cola, shop.main, "50")
        return shop


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    client_a.cookies["django_language"] = "en"
    return login(client_a, tenant_a, owner_a)


def cart(lines):
    """The cart's fields as the page posts them: [(item, unit, quantity), ...]."""
    return {
        "item": [line[0].pk for line in lines],
        "unit": [line[1].pk for line in lines],
        "quantity": [line[2] for line in lines],
    }


def rows(html: str) -> list[tuple[str, str]]:
    import re

    return re.findall(r'data-item="([^"]+)" data-quantity="([^"]*)"', html)


def test_scans_add_a_line_then_increment_it(owner, shop_a):
    page = owner.get(NEW)
    assert page.status_code == 200 and 'id="scan-barcode"' in page.content.decode()
    first = owner.post(CART, {"barcode": "6901234567892"}, **HTMX).content.decode()
    assert rows(first) == [("COLA", "1")] and 'data-total="3.50"' in first
    second = owner.post(CART, {"barcode": "6901234567892", **cart([(shop_a.cola, shop_a.bottle, "1")])}, **HTMX)
    html = second.content.decode()
    assert rows(html) == [("COLA", "2")] and 'data-total="7.00"' in html and 'data-scan="ok"' in html
    # An item code works as well as a barcode; a different item is a new line.
    third = owner.post(CART, {"barcode": "MILK", **cart([(shop_a.cola, shop_a.bottle, "2")])}, **HTMX)
    assert rows(third.content.decode()) == [("COLA", "2"), ("MILK", "1")]
    assert 'data-total="13.00"' in third.content.decode()


def test_unknown_codes_and_quantity_edits(owner, shop_a):
    unknown = owner.post(CART, {"barcode": "nope", **cart([(shop_a.cola, shop_a.bottle, "2")])}, **HTMX)
    html = unknown.content.decode()
    assert 'data-scan="error"' in html and "Nothing has the code nope." in html and rows(html) == [("COLA", "2")]
    edited = owner.post(CART, cart([(shop_a.cola, shop_a.bottle, "5"), (shop_a.milk, shop_a.bottle, "0")]), **HTMX)
    html = edited.content.decode()
    assert rows(html) == [("COLA", "5")] and 'data-total="17.50"' in html  # a line edited to 0 goes


def test_pay_posts_the_sale_and_shows_the_receipt(owner, tenant_a, shop_a):
    data = {**cart([(shop_a.cola, shop_a.bottle, "3")]), "payment_method": "cash", "tendered": "20"}
    response = owner.post(NEW, data)
    sale = in_tenant(tenant_a, RetailSale.objects.get)
    assert response.status_code == 302 and response["Location"] == f"/sales/retail/{sale.pk}/receipt"
    assert (sale.total, sale.change, sale.created_by.email) == (D("10.50"), D("9.50"), "owner@alpha.test")
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("47")
    receipt = owner.get(response["Location"]).content.decode()
    for part in (sale.number, 'id="receipt-total">10.50', 'id="receipt-change">9.50', "Cash", "@media print"):
        assert part in receipt
    listing = owner.get("/sales/retail/").content.decode()
    assert sale.number in listing and 'data-method="cash" data-count="1" data-total="10.50"' in listing


def test_a_refused_payment_keeps_the_cart_and_writes_nothing(owner, tenant_a, shop_a):
    before = in_tenant(tenant_a, sales_state)
    data = {**cart([(shop_a.cola, shop_a.bottle, "3")]), "payment_method": "cash", "tendered": "5"}
    response = owner.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 400 and 'data-field="tendered"' in html and rows(html) == [("COLA", "3")]
    short = owner.post(NEW, {**cart([(shop_a.cola, shop_a.bottle, "51")]), "payment_method": "wechat"})
    assert short.status_code == 400 and 'data-code="insufficient_stock"' in short.content.decode()
    assert in_tenant(tenant_a, sales_state) == before


def test_sales_index_lights_up_the_nav_and_redirects(owner):
    response = owner.get("/sales/")
    assert response.status_code == 302 and response["Location"] == "/sales/orders/"
    page = owner.get("/sales/retail/").content.decode()
    assert 'href="/sales/" data-nav="sales"' in page


def test_roles_and_isolation(client_a, client_b, tenant_a, tenant_b, owner_b, shop_a):
    sale = in_tenant(
        tenant_a,
        lambda: retail_sale_post(
            lines=[SaleLineInput(shop_a.cola, shop_a.bottle, "1")], payment_method="card", tz_name=TZ
        ),
    )
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get(f"/sales/retail/{sale.pk}/receipt").status_code == 200
    assert clerk.get(NEW).status_code == 403
    assert clerk.post(NEW, {**cart([(shop_a.cola, shop_a.bottle, "1")]), "payment_method": "cash"}).status_code == 403
    assert clerk.post(CART, {"barcode": "COLA"}, **HTMX).status_code == 403
    assert in_tenant(tenant_a, RetailSale.objects.count) == 1
    beta = login(client_b, tenant_b, owner_b)
    assert beta.get(f"/sales/retail/{sale.pk}/receipt").status_code == 404
    assert sale.number not in beta.get("/sales/retail/").content.decode()


def test_the_counter_in_chinese(client_a, tenant_a, owner_a, shop_a):
    owner = login(client_a, tenant_a, owner_a)
    client_a.cookies["django_language"] = "zh-hans"
    html = owner.get(NEW).content.decode()
    assert "零售" in html and "微信支付" in html and "支付宝" in html and "找零" in html


def test_a_refund_from_the_receipt(owner, client_a, tenant_a, shop_a):
    sale = in_tenant(
        tenant_a,
        lambda: retail_sale_post(
            lines=[SaleLineInput(shop_a.cola, shop_a.bottle, "2")], payment_method="alipay", tz_name=TZ
        ),
    )
    assert 'id="action-refund"' in owner.get(f"/sales/retail/{sale.pk}/receipt").content.decode()
    response = owner.post(f"/sales/retail/{sale.pk}/reverse")
    refund = in_tenant(tenant_a, lambda: RetailSale.objects.get(reverses=sale))
    assert response["Location"] == f"/sales/retail/{refund.pk}/receipt"
    page = owner.get(response["Location"]).content.decode()
    assert f'data-reverses="{sale.number}"' in page and 'id="action-refund"' not in page
    original = owner.get(f"/sales/retail/{sale.pk}/receipt").content.decode()
    assert refund.number in original and 'id="action-refund"' not in original
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("50")
    listing = owner.get("/sales/retail/").content.decode()
    assert 'data-method="alipay" data-count="2" data-total="0.00"' in listing
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.post(f"/sales/retail/{sale.pk}/reverse").status_code == 403
