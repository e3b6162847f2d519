"""/api/v1/sales/retail-sales: create (post a sale), list by date, retrieve; isolation, scopes, roles,
idempotency, bad input naming the field."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.sales.models import RetailSale
from modules.sales.services import today_in
from tests.sales.conftest import (
    TZ,
    auth,
    in_tenant,
    login,
    make_key,
    make_user,
    on_hand,
    receive,
    sale_shop,
    sales_state,
)

pytestmark = pytest.mark.usefixtures("roles_synced")

URL = "/api/v1/sales/retail-sales"


def post(client, body, **headers):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        shop = sale_shop()
        receive(shop.cola, shop.main, "50")
        return shop


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def writer_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read", "write"))[1])


def body(shop, **overrides):
    return {
        "payment_method": "cash",
        "tendered": "20",
        "lines": [{"item": shop.cola.pk, "unit": shop.bottle.pk, "quantity": "4"}],
        **overrides,
    }


def test_create_list_and_retrieve(client_a, tenant_a, shop_a, writer_a):
    created = post(client_a, body(shop_a), **writer_a)
    assert created.status_code == 201, created.content
    sale = created.json()
    money = (sale["total"], sale["tendered"], sale["change"], sale["payment_method"])
    assert money == ("14.00", "20.00", "6.00", "cash")
    assert sale["lines"][0]["unit_price"] == "3.500000" and sale["lines"][0]["amount"] == "14.00"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("46")
    assert client_a.get(f"{URL}/{sale['id']}", **writer_a).json()["number"] == sale["number"]
    today = today_in(TZ).isoformat()
    assert [row["id"] for row in client_a.get(URL, {"date_from": today}, **writer_a).json()["results"]] == [sale["id"]]
    assert client_a.get(URL, {"date_to": "2020-01-01"}, **writer_a).json()["results"] == []
    assert client_a.get(URL, {"payment_method": "card"}, **writer_a).json()["results"] == []


def test_bad_input_names_the_field_and_changes_nothing(client_a, tenant_a, shop_a, writer_a):
    before = in_tenant(tenant_a, sales_state)
    cases = [
        (body(shop_a, tendered="1"), 400, "tendered"),
        (body(shop_a, payment_method="gold"), 400, "payment_method"),
        (body(shop_a, customer=shop_a.supplier.pk), 400, "customer"),
        (body(shop_a, lines=[{"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "0"}]), 400,
         "lines.0.quantity"),
        (body(shop_a, tendered=None, lines=[{"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "51"}]),
         409, "lines.0.quantity"),
    ]  # fmt: skip
    for payload, status, field in cases:
        response = post(client_a, payload, **writer_a)
        assert (response.status_code, response.json()["field"]) == (status, field), response.content
    assert client_a.get(URL, {"date_from": "x"}, **writer_a).json()["field"] == "date_from"
    assert in_tenant(tenant_a, sales_state) == before


def test_another_shop_cannot_see_a_sale(client_a, client_b, tenant_a, shop_a, writer_a, writer_b):
    sale = post(client_a, body(shop_a), **writer_a).json()
    assert client_b.get(f"{URL}/{sale['id']}", **writer_b).status_code == 404
    assert client_b.get(URL, **writer_b).json()["results"] == []
    # Alpha's key on beta's host is not a key at all.
    assert client_b.get(f"{URL}/{sale['id']}", **writer_a).status_code == 401


def test_a_retried_post_never_makes_a_second_sale(client_a, tenant_a, shop_a, writer_a):
    first = post(client_a, body(shop_a), HTTP_IDEMPOTENCY_KEY="sale-1", **writer_a)
    again = post(client_a, body(shop_a), HTTP_IDEMPOTENCY_KEY="sale-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["number"] == first.json()["number"]
    assert in_tenant(tenant_a, RetailSale.objects.count) == 1
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("46")
    other = post(client_a, body(shop_a, tendered="50"), HTTP_IDEMPOTENCY_KEY="sale-1", **writer_a)
    assert other.status_code == 409


def test_scopes_and_roles(client_a, tenant_a, shop_a):
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get(URL, **reader).status_code == 200
    assert post(client_a, body(shop_a), **reader).status_code == 403
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get(URL).status_code == 200
    assert post(clerk, body(shop_a)).status_code == 403
    assert in_tenant(tenant_a, RetailSale.objects.count) == 0
    seller = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert post(seller, body(shop_a)).status_code == 201
    assert in_tenant(tenant_a, lambda: RetailSale.objects.get().created_by.email) == "sales@alpha.test"


def test_the_schema_lists_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        (op["operationId"], tuple(op["tags"]))
        for path, ops in schema["paths"].items()
        if "/sales/retail-sales" in path
        for op in ops.values()
    }
    assert operations == {
        ("retail_sales_list", ("sales",)),
        ("retail_sales_create", ("sales",)),
        ("retail_sales_retrieve", ("sales",)),
        ("retail_sales_reverse", ("sales",)),
    }


def test_a_refund_and_who_may_make_it(client_a, client_b, tenant_a, shop_a, writer_a, writer_b):
    sale = post(client_a, body(shop_a), **writer_a).json()
    assert client_b.post(f"{URL}/{sale['id']}/reverse", **writer_b).status_code == 404
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.post(f"{URL}/{sale['id']}/reverse", **reader).status_code == 403
    refund = client_a.post(f"{URL}/{sale['id']}/reverse", HTTP_IDEMPOTENCY_KEY="refund-1", **writer_a)
    again = client_a.post(f"{URL}/{sale['id']}/reverse", HTTP_IDEMPOTENCY_KEY="refund-1", **writer_a)
    assert (refund.status_code, again.status_code, again.json()["id"]) == (201, 201, refund.json()["id"])
    assert (refund.json()["total"], refund.json()["reverses"]) == ("-14.00", sale["id"])
    assert client_a.get(f"{URL}/{sale['id']}", **writer_a).json()["reversal"] == refund.json()["id"]
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("50")
    twice = client_a.post(f"{URL}/{sale['id']}/reverse", **writer_a)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_reversed")
