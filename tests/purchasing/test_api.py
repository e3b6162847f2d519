"""/api/v1/purchasing/orders: create, list with filters, retrieve, change a draft, confirm, cancel, receive;
isolation, idempotency, roles, bad input naming the field."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import today_in
from tests.purchasing.conftest import TZ, auth, login, make_key, make_user, on_hand, purchasing_state, shop_create

pytestmark = pytest.mark.usefixtures("roles_synced")

URL = "/api/v1/purchasing/orders"


def post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def writer_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read", "write"))[1])


def body(shop, **overrides):
    return {
        "supplier": shop.supplier.pk,
        "warehouse": shop.main.pk,
        "date": today_in(TZ).isoformat(),
        "lines": [{"item": shop.cola.pk, "unit": shop.case.pk, "quantity": "2", "unit_price": "48"}],
        **overrides,
    }


def created(client, shop, headers, **overrides) -> dict:
    response = post(client, URL, body(shop, **overrides), **headers)
    assert response.status_code == 201, response.content
    return response.json()


def test_order_lifecycle_and_receipt(client_a, tenant_a, shop_a, writer_a):
    order = created(client_a, shop_a, writer_a)
    assert order["number"].startswith("CG") and order["status"] == "draft"
    assert (order["total_net"], order["total_tax"], order["total_gross"]) == ("84.96", "11.04", "96.00")
    assert order["lines"][0]["vat_rate"] == "0.13"
    url = f"{URL}/{order['id']}"
    changed = client_a.patch(url, data=json.dumps({"note": "急"}), content_type="application/json", **writer_a)
    assert changed.status_code == 200 and changed.json()["note"] == "急"
    assert post(client_a, f"{url}/confirm", **writer_a).json()["status"] == "confirmed"
    line = order["lines"][0]["id"]
    received = post(client_a, f"{url}/receive", {"lines": [{"line": line, "quantity": "1"}]}, **writer_a)
    assert received.status_code == 201, received.content
    detail = received.json()
    assert detail["status"] == "partial" and detail["lines"][0]["received_quantity"] == "1.000000"
    assert detail["lines"][0]["outstanding_quantity"] == "1.000000"
    assert detail["receipts"][0]["number"].startswith("RK")
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D(24)
    assert post(client_a, f"{url}/cancel", **writer_a).status_code == 409
    over = post(client_a, f"{url}/receive", {"lines": [{"line": line, "quantity": "2"}]}, **writer_a)
    assert (over.status_code, over.json()["field"], over.json()["code"]) == (409, "lines.0.quantity", "over_receipt")
    closed = post(client_a, f"{url}/close", **writer_a)
    assert closed.json()["status"] == "closed"


def test_list_filters(client_a, shop_a, writer_a):
    order = created(client_a, shop_a, writer_a)
    today = today_in(TZ).isoformat()
    ids = [
        row["id"]
        for row in client_a.get(URL, {"supplier": shop_a.supplier.pk, "date_from": today}, **writer_a).json()["results"]
    ]
    assert ids == [order["id"]]
    assert client_a.get(URL, {"status": "confirmed"}, **writer_a).json()["results"] == []
    assert client_a.get(URL, {"date_to": "2020-01-01"}, **writer_a).json()["results"] == []
    assert client_a.get(URL, {"status": "nope"}, **writer_a).json()["field"] == "status"


def test_bad_input_names_the_field_and_changes_nothing(client_a, tenant_a, shop_a, writer_a):
    draft = created(client_a, shop_a, writer_a)
    before = in_tenant(tenant_a, purchasing_state)
    cola = {"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "unit_price": "1"}
    cases = [
        (body(shop_a, supplier=shop_a.customer.pk), "supplier"),
        (body(shop_a, lines=[]), "lines"),
        (body(shop_a, lines=[{**cola, "quantity": "0"}]), "lines.0.quantity"),
        (body(shop_a, lines=[{**cola, "quantity": "1", "vat_rate": "0.5"}]), "lines.0.vat_rate"),
        (body(shop_a, lines=[{**cola, "quantity": "1", "discount_percent": "-1"}]), "lines.0.discount_percent"),
        (body(shop_a, expected_date="2000-01-01"), "expected_date"),
    ]
    for payload, field in cases:
        response = post(client_a, URL, payload, **writer_a)
        assert (response.status_code, response.json()["field"]) == (400, field), response.content
    receive = post(
        client_a,
        f"{URL}/{draft['id']}/receive",
        {"lines": [{"line": draft["lines"][0]["id"], "quantity": "1"}]},
        **writer_a,
    )
    assert (receive.status_code, receive.json()["field"]) == (409, "status")
    assert in_tenant(tenant_a, purchasing_state) == before


def test_another_shop_cannot_see_or_change_an_order(client_a, client_b, shop_a, writer_a, writer_b):
    order = created(client_a, shop_a, writer_a)
    url = f"{URL}/{order['id']}"
    assert client_b.get(url, **writer_b).status_code == 404
    assert client_b.get(URL, **writer_b).json()["results"] == []
    assert (
        client_b.patch(url, data=json.dumps({"note": "x"}), content_type="application/json", **writer_b).status_code
        == 404
    )
    for action in ("confirm", "cancel", "receive"):
        assert post(client_b, f"{url}/{action}", {"lines": []}, **writer_b).status_code == 404
    assert client_a.get(url, **writer_a).json()["status"] == "draft"


def test_a_retried_post_never_makes_a_second_order(client_a, tenant_a, shop_a, writer_a):
    first = post(client_a, URL, body(shop_a), HTTP_IDEMPOTENCY_KEY="po-1", **writer_a)
    again = post(client_a, URL, body(shop_a), HTTP_IDEMPOTENCY_KEY="po-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["number"] == first.json()["number"]
    assert in_tenant(tenant_a, PurchaseOrder.objects.count) == 1


def test_roles(client_a, tenant_a, shop_a, writer_a):
    order = created(client_a, shop_a, writer_a)
    url = f"{URL}/{order['id']}"
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get(url).status_code == 200
    assert post(clerk, URL, body(shop_a)).status_code == 403
    assert post(clerk, f"{url}/confirm").status_code == 403
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    assert post(buyer, f"{url}/confirm").status_code == 200
    line = {"lines": [{"line": order["lines"][0]["id"], "quantity": "2"}]}
    seller = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert post(seller, f"{url}/receive", line).status_code == 403
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk2@alpha.test", Role.WAREHOUSE))
    assert post(clerk, f"{url}/receive", line).json()["status"] == "received"


def test_the_schema_lists_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        (op["operationId"], tuple(op["tags"]))
        for path, ops in schema["paths"].items()
        if "/purchasing/orders" in path
        for op in ops.values()
    }
    assert operations == {
        (name, ("purchasing",))
        for name in (
            "purchase_orders_list", "purchase_orders_create", "purchase_orders_retrieve", "purchase_orders_update",
            "purchase_orders_confirm", "purchase_orders_cancel", "purchase_orders_close", "purchase_orders_receive",
        )
    }  # fmt: skip
