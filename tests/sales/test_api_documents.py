"""/api/v1/sales/orders, /deliveries, /invoices, /receipts, /returns: the order-to-cash flow through the API,
idempotent POSTs (a retry never makes a second order, delivery or payment), tenant isolation, roles and
scopes, bad input naming the field and changing nothing."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.sales.models import SalesDelivery, SalesOrder, SalesReceipt
from modules.sales.services import today_in
from tests.sales.conftest import (
    TZ,
    auth,
    documents_state,
    in_tenant,
    login,
    make_key,
    make_user,
    on_hand,
    stocked_shop,
)

pytestmark = pytest.mark.usefixtures("roles_synced")

BASE = "/api/v1/sales"


def post(client, url, body=None, **headers):
    return client.post(f"{BASE}/{url}", data=json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return stocked_shop()


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def writer_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read", "write"))[1])


def order_body(shop, **overrides):
    return {
        "customer": shop.customer.pk,
        "warehouse": shop.main.pk,
        "date": today_in(TZ).isoformat(),
        "lines": [
            {"item": shop.cola.pk, "unit": shop.case.pk, "quantity": "2", "unit_price": "84",
             "price_source": "list: Wholesale"},
            {"item": shop.milk.pk, "quantity": "10", "unit_price": "6", "discount_percent": "10"},
        ],
        **overrides,
    }  # fmt: skip


def ok(response, status=201) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def confirmed_order(client, shop, headers) -> dict:
    order = ok(post(client, "orders", order_body(shop), **headers))
    return ok(post(client, f"orders/{order['id']}/confirm", **headers), 200)


def delivered(client, shop, headers) -> tuple[dict, dict]:
    order = confirmed_order(client, shop, headers)
    lines = [{"line": line["id"], "quantity": line["quantity"]} for line in order["lines"]]
    delivery = ok(post(client, "deliveries", {"order": order["id"], "lines": lines}, **headers))
    return order, delivery


def test_order_to_cash_through_the_api(client_a, tenant_a, shop_a, writer_a):
    order = ok(post(client_a, "orders", order_body(shop_a), **writer_a))
    assert order["number"].startswith("XS") and order["status"] == "draft"
    assert (order["total_gross"], order["lines"][0]["price_source"]) == ("222.00", "list: Wholesale")
    assert order["glance"]["delivered"] == "none"
    order = ok(post(client_a, f"orders/{order['id']}/confirm", **writer_a), 200)
    assert order["status"] == "confirmed"
    cola, milk = order["lines"]
    delivery = ok(
        post(client_a, "deliveries", {"order": order["id"], "lines": [{"line": cola["id"], "quantity": "1"},
                                                                       {"line": milk["id"], "quantity": "10"}]},
             **writer_a)
    )  # fmt: skip
    assert delivery["number"].startswith("CK") and delivery["lines"][0]["unit_cost"] == "2.000000"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("76")
    listed = ok(client_a.get(f"{BASE}/orders", {"status": "partial"}, **writer_a), 200)["results"]
    assert [(row["id"], row["glance"]["delivered"], row["glance"]["delivered_percent"]) for row in listed] == [
        (order["id"], "partial", 62)
    ]
    cola_line = next(line for line in delivery["lines"] if line["item"] == shop_a.cola.pk)
    invoice = ok(
        post(client_a, "invoices", {"order": order["id"], "lines": [{"line": cola_line["id"], "quantity": "1"}]},
             **writer_a)
    )  # fmt: skip
    assert (invoice["number"][:4], invoice["total_gross"], invoice["open_amount"]) == ("XSFP", "84.00", "84.00")
    receipt = ok(
        post(client_a, "receipts", {"customer": shop_a.customer.pk, "amount": "100", "method": "wechat",
                                    "allocations": [{"invoice": invoice["id"], "amount": "84"}]}, **writer_a)
    )  # fmt: skip
    assert receipt["number"].startswith("SK") and receipt["allocations"][0]["amount"] == "84.00"
    back = ok(
        post(client_a, "returns", {"delivery": delivery["id"], "reason": "破损",
                                   "lines": [{"line": cola_line["id"], "quantity": "0.5"}]}, **writer_a)
    )  # fmt: skip
    assert (back["number"][:4], back["credit_amount"]) == ("XSTH", "42.00")
    detail = ok(client_a.get(f"{BASE}/orders/{order['id']}", **writer_a), 200)
    assert detail["glance"] == {
        "delivered": "partial", "invoiced": "partial", "received": "partial", "delivered_percent": 62,
        "returned": "0.500000", "invoiced_amount": "84.00", "received_amount": "84.00",
    }  # fmt: skip
    assert [d["number"] for d in detail["deliveries"]] == [delivery["number"]]
    assert ok(client_a.get(f"{BASE}/invoices", {"open": "true"}, **writer_a), 200)["results"] == []
    assert len(ok(client_a.get(f"{BASE}/receipts", {"customer": shop_a.customer.pk}, **writer_a), 200)["results"]) == 1
    assert len(ok(client_a.get(f"{BASE}/returns", {"order": order["id"]}, **writer_a), 200)["results"]) == 1
    # Reversals, latest first.
    ok(post(client_a, f"returns/{back['id']}/reverse", **writer_a))
    ok(post(client_a, f"receipts/{receipt['id']}/reverse", **writer_a))
    ok(post(client_a, f"invoices/{invoice['id']}/reverse", **writer_a))
    reversal = ok(post(client_a, f"deliveries/{delivery['id']}/reverse", **writer_a))
    assert reversal["reverses"] == delivery["id"]
    assert ok(client_a.get(f"{BASE}/orders/{order['id']}", **writer_a), 200)["status"] == "confirmed"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("100")


def test_a_quotation_is_converted_through_the_api(client_a, shop_a, writer_a):
    quote = ok(post(client_a, "orders", order_body(shop_a, quotation=True), **writer_a))
    assert (quote["number"][:2], quote["status"]) == ("BJ", "quotation")
    order = ok(post(client_a, f"orders/{quote['id']}/convert", **writer_a), 200)
    assert (order["number"][:2], order["quotation_number"], order["status"]) == ("XS", quote["number"], "draft")
    changed = ok(client_a.patch(f"{BASE}/orders/{order['id']}", data=json.dumps({"note": "加急"}),
                                content_type="application/json", **writer_a), 200)  # fmt: skip
    assert changed["note"] == "加急"
    cancelled = ok(post(client_a, f"orders/{order['id']}/cancel", **writer_a), 200)
    assert cancelled["status"] == "cancelled"


def test_retried_posts_never_make_a_second_order_delivery_or_payment(client_a, tenant_a, shop_a, writer_a):
    first = post(client_a, "orders", order_body(shop_a), HTTP_IDEMPOTENCY_KEY="order-1", **writer_a)
    again = post(client_a, "orders", order_body(shop_a), HTTP_IDEMPOTENCY_KEY="order-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["number"] == first.json()["number"]
    assert in_tenant(tenant_a, SalesOrder.objects.count) == 1
    order_id = first.json()["id"]
    ok(post(client_a, f"orders/{order_id}/confirm", **writer_a), 200)
    line = first.json()["lines"][0]
    body = {"order": order_id, "lines": [{"line": line["id"], "quantity": "1"}]}
    one = post(client_a, "deliveries", body, HTTP_IDEMPOTENCY_KEY="delivery-1", **writer_a)
    two = post(client_a, "deliveries", body, HTTP_IDEMPOTENCY_KEY="delivery-1", **writer_a)
    assert (one.status_code, two.status_code, two.json()["id"]) == (201, 201, one.json()["id"])
    assert in_tenant(tenant_a, SalesDelivery.objects.count) == 1
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D("76")
    pay = {"customer": shop_a.customer.pk, "amount": "50", "method": "cash"}
    paid = post(client_a, "receipts", pay, HTTP_IDEMPOTENCY_KEY="pay-1", **writer_a)
    repaid = post(client_a, "receipts", pay, HTTP_IDEMPOTENCY_KEY="pay-1", **writer_a)
    assert (paid.status_code, repaid.status_code, repaid.json()["number"]) == (201, 201, paid.json()["number"])
    assert in_tenant(tenant_a, SalesReceipt.objects.count) == 1
    # The same key with another body is a conflict, not a second payment.
    assert (
        post(client_a, "receipts", {**pay, "amount": "60"}, HTTP_IDEMPOTENCY_KEY="pay-1", **writer_a).status_code == 409
    )
    assert in_tenant(tenant_a, SalesReceipt.objects.count) == 1


@pytest.mark.parametrize(
    ("url", "make_body", "status", "field"),
    [
        ("orders", lambda s, o, d: order_body(s, customer=s.supplier.pk), 400, "customer"),
        ("orders", lambda s, o, d: order_body(s, lines=[]), 400, "lines"),
        ("orders", lambda s, o, d: order_body(s, lines=[{"item": s.cola.pk, "quantity": "abc", "unit_price": "1"}]),
         400, "lines.0.quantity"),
        ("orders", lambda s, o, d: order_body(s, lines=[{"item": s.cola.pk, "quantity": "1", "unit_price": "1",
                                                        "vat_rate": "0.5"}]), 400, "lines.0.vat_rate"),
        ("orders", lambda s, o, d: order_body(s, date="yesterday"), 400, "date"),
        # Everything is delivered already.
        ("deliveries", lambda s, o, d: {"order": o["id"], "lines": [{"line": o["lines"][0]["id"], "quantity": "9"}]},
         409, "lines"),
        ("invoices", lambda s, o, d: {"order": o["id"], "lines": [{"line": 999999, "quantity": "1"}]},
         400, "lines.0.line"),
        ("invoices", lambda s, o, d: {"order": o["id"], "lines": [{"line": d["lines"][0]["id"], "quantity": "99"}]},
         409, "lines.0.quantity"),
        ("receipts", lambda s, o, d: {"customer": s.customer.pk, "amount": "-1", "method": "cash"}, 400, "amount"),
        ("receipts", lambda s, o, d: {"customer": s.customer.pk, "amount": "1", "method": "gold"}, 400, "method"),
        ("returns", lambda s, o, d: {"delivery": d["id"], "lines": [{"line": d["lines"][0]["id"], "quantity": "99"}]},
         409, "lines.0.quantity"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_changes_nothing(
    client_a, tenant_a, shop_a, writer_a, url, make_body, status, field
):
    order, delivery = delivered(client_a, shop_a, writer_a)
    order = ok(client_a.get(f"{BASE}/orders/{order['id']}", **writer_a), 200)
    before = in_tenant(tenant_a, documents_state)
    response = post(client_a, url, make_body(shop_a, order, delivery), **writer_a)
    assert response.status_code == status, response.content
    body = response.json()
    assert field in (body.get("field"), *body.get("errors", {}).keys(), *body.keys()), body
    assert in_tenant(tenant_a, documents_state) == before


def test_list_filters_are_checked(client_a, writer_a):
    assert client_a.get(f"{BASE}/orders", {"status": "lost"}, **writer_a).status_code == 400
    assert client_a.get(f"{BASE}/orders", {"date_from": "x"}, **writer_a).status_code == 400
    assert client_a.get(f"{BASE}/invoices", {"customer": "x"}, **writer_a).status_code == 400


def test_another_shop_sees_none_of_it(client_a, client_b, tenant_a, shop_a, writer_a, writer_b):
    order, delivery = delivered(client_a, shop_a, writer_a)
    line = delivery["lines"][0]
    invoice = ok(post(client_a, "invoices", {"order": order["id"], "lines": [{"line": line["id"], "quantity": "1"}]},
                      **writer_a))  # fmt: skip
    receipt = ok(post(client_a, "receipts", {"customer": shop_a.customer.pk, "amount": "5", "method": "cash"},
                      **writer_a))  # fmt: skip
    back = ok(post(client_a, "returns", {"delivery": delivery["id"], "lines": [{"line": line["id"], "quantity": "1"}]},
                   **writer_a))  # fmt: skip
    before = in_tenant(tenant_a, documents_state)
    for kind, doc in (("orders", order), ("deliveries", delivery), ("invoices", invoice), ("receipts", receipt),
                      ("returns", back)):  # fmt: skip
        assert client_b.get(f"{BASE}/{kind}/{doc['id']}", **writer_b).status_code == 404
        assert client_b.get(f"{BASE}/{kind}", **writer_b).json()["results"] == []
        assert client_b.get(f"{BASE}/{kind}/{doc['id']}", **writer_a).status_code == 401
    for kind, doc in (("deliveries", delivery), ("invoices", invoice), ("receipts", receipt), ("returns", back)):
        assert post(client_b, f"{kind}/{doc['id']}/reverse", **writer_b).status_code == 404
    assert post(client_b, f"orders/{order['id']}/close", **writer_b).status_code == 404
    # Beta cannot deliver alpha's order nor settle alpha's invoice (ids unknown in its schema).
    assert post(client_b, "deliveries", {"order": order["id"], "lines": [{"line": 1, "quantity": "1"}]},
                **writer_b).status_code == 400  # fmt: skip
    assert in_tenant(tenant_a, documents_state) == before


def test_roles_and_scopes(client_a, tenant_a, shop_a):
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get(f"{BASE}/orders", **reader).status_code == 200
    assert post(client_a, "orders", order_body(shop_a), **reader).status_code == 403
    keeper = login(client_a, tenant_a, make_user(tenant_a, "wh@alpha.test", Role.WAREHOUSE))
    assert keeper.get(f"{BASE}/orders").status_code == 200
    assert post(keeper, "orders", order_body(shop_a)).status_code == 403
    assert in_tenant(tenant_a, SalesOrder.objects.count) == 0
    seller = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    order = ok(post(seller, "orders", order_body(shop_a)))
    assert in_tenant(tenant_a, lambda: SalesOrder.objects.get().created_by.email) == "sales@alpha.test"
    assert ok(post(seller, f"orders/{order['id']}/confirm"), 200)["status"] == "confirmed"


def test_the_credit_limit_through_the_api(client_a, tenant_a, shop_a, writer_a):
    from modules.partners.models import Partner

    in_tenant(tenant_a, lambda: Partner.objects.filter(pk=shop_a.customer.pk).update(credit_limit=D("100")))
    order = ok(post(client_a, "orders", order_body(shop_a), **writer_a))
    refused = post(client_a, f"orders/{order['id']}/confirm", **writer_a)
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        409,
        "credit_limit_exceeded",
        "customer",
    )
    # An API key is nobody: it may not override.
    forced = post(client_a, f"orders/{order['id']}/confirm", {"override_credit_limit": True}, **writer_a)
    assert forced.status_code == 403
    owner = login(client_a, tenant_a, make_user(tenant_a, "boss@alpha.test", Role.OWNER))
    assert (
        ok(post(owner, f"orders/{order['id']}/confirm", {"override_credit_limit": True}), 200)["status"] == "confirmed"
    )


def test_the_schema_lists_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        op["operationId"]
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/sales/") and "retail" not in path
        for op in ops.values()
    }
    assert operations == {
        "sales_orders_list", "sales_orders_create", "sales_orders_retrieve", "sales_orders_update",
        "sales_orders_convert", "sales_orders_confirm", "sales_orders_cancel", "sales_orders_close",
        "sales_deliveries_list", "sales_deliveries_create", "sales_deliveries_retrieve", "sales_deliveries_reverse",
        "sales_invoices_list", "sales_invoices_create", "sales_invoices_retrieve", "sales_invoices_reverse",
        "sales_receipts_list", "sales_receipts_create", "sales_receipts_retrieve", "sales_receipts_reverse",
        "sales_returns_list", "sales_returns_create", "sales_returns_retrieve", "sales_returns_reverse",
    }  # fmt: skip


def test_the_order_list_queries_do_not_grow_with_orders(client_a, shop_a, writer_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(f"{BASE}/orders", **writer_a).status_code == 200
        return len(queries)

    for _ in range(2):
        ok(post(client_a, "orders", order_body(shop_a), **writer_a))
    few = count()
    for _ in range(3):
        ok(post(client_a, "orders", order_body(shop_a), **writer_a))
    assert count() == few
