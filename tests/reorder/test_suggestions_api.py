"""/api/v1/stock/reorder/suggestions and …/suggestions/orders: shapes, bad input, idempotency, roles, isolation."""

import json

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.partners.services import partner_create, supplier_item_set
from modules.purchasing.models import PurchaseOrder
from modules.reorder.models import ReplenishmentBatch
from modules.reorder.services import reorder_rule_create
from tests.reorder.conftest import auth, item, login, main_warehouse, make_key, make_user, receive

pytestmark = pytest.mark.usefixtures("roles_synced")

SUGGESTIONS = "/api/v1/stock/reorder/suggestions"
ORDERS = "/api/v1/stock/reorder/suggestions/orders"


def post(client, body, **extra):
    return client.post(ORDERS, json.dumps(body), content_type="application/json", **extra)


def shop(tenant, code="SAPI"):
    """An item sold by the box (24) from a supplier with a 3-day lead time, 10 on hand, rule 5/20/50."""
    with schema_context(tenant.schema_name):
        wh = main_warehouse()
        acme = partner_create(code=f"{code}-S", name="甲", is_supplier=True, lead_time_days=3)
        cola = item(code, packs=(("箱", 24),))
        supplier_item_set(
            supplier_id=acme.pk, item_id=cola.pk, last_purchase_price="2.5", purchase_unit_id=cola.units.get().pk
        )
        receive(cola, wh, 10)
        reorder_rule_create(item_id=cola.pk, warehouse_id=wh.pk, minimum="5", reorder_point="20", maximum="50")
        return {"item": cola.pk, "wh": wh.pk, "supplier": acme.pk}


def orders_in(tenant) -> int:
    with schema_context(tenant.schema_name):
        return PurchaseOrder.objects.count()


def test_suggestions_list_with_the_formulas_steps_and_reasons(client_a, tenant_a):
    ids = shop(tenant_a)
    _key, secret = make_key(tenant_a)

    response = client_a.get(SUGGESTIONS, {"window": "7"}, **auth(secret))

    assert response.status_code == 200, response.json()
    (line,) = response.json()["results"]
    assert (line["item_id"], line["warehouse_id"], line["supplier_id"], line["window_days"]) == (
        ids["item"],
        ids["wh"],
        ids["supplier"],
        7,
    )
    assert (line["position"], line["trigger"], line["target"], line["suggested_quantity"]) == (
        "10.000000",
        "20.000000",
        "50.000000",
        "48.000000",
    )
    assert (line["order_unit"], line["order_quantity"], line["unit_price"], line["lead_time_days"]) == (
        "箱",
        "2.000000",
        "60.000000",
        3,
    )
    assert len(line["reasons"]) >= 4 and all(isinstance(reason, str) for reason in line["reasons"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"window": "14"}, "window"),
        ({"window": "x"}, "window"),
        ({"warehouse": "x"}, "warehouse"),
        ({"review_days": "-1"}, "review_days"),
        ({"all": "maybe"}, "all"),
    ],
)
def test_bad_filters_are_a_400_naming_them(client_a, tenant_a, params, field):
    _key, secret = make_key(tenant_a)

    response = client_a.get(SUGGESTIONS, params, **auth(secret))

    assert (response.status_code, response.json()["field"]) == (400, field)


def test_posting_accepted_lines_creates_drafts_and_a_retry_with_the_key_creates_nothing(client_a, tenant_a):
    ids = shop(tenant_a)
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    body = {"lines": [{"item_id": ids["item"], "warehouse_id": ids["wh"], "quantity": "2"}], "window_days": 30}

    first = post(client_a, body, HTTP_IDEMPOTENCY_KEY="replen-1", **auth(secret))
    again = post(client_a, body, HTTP_IDEMPOTENCY_KEY="replen-1", **auth(secret))

    assert first.status_code == 201, first.json()
    (order,) = first.json()["orders"]
    assert (order["status"], order["supplier_id"], order["warehouse_id"], order["total_gross"]) == (
        "draft",
        ids["supplier"],
        ids["wh"],
        "120.00",
    )
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert orders_in(tenant_a) == 1
    with schema_context(tenant_a.schema_name):
        assert ReplenishmentBatch.objects.get().window_days == 30


def test_the_same_key_with_another_body_is_a_conflict_and_creates_nothing(client_a, tenant_a):
    ids = shop(tenant_a)
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    line = {"item_id": ids["item"], "warehouse_id": ids["wh"], "quantity": "2"}
    post(client_a, {"lines": [line]}, HTTP_IDEMPOTENCY_KEY="replen-2", **auth(secret))

    other = post(client_a, {"lines": [{**line, "quantity": "3"}]}, HTTP_IDEMPOTENCY_KEY="replen-2", **auth(secret))

    assert other.status_code == 409
    assert orders_in(tenant_a) == 1


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "-1"}, "lines.0.quantity"),
        ({"quantity": "1.5"}, "lines.0.quantity"),
        ({"item_id": "abc"}, "lines.0.item_id"),
        ({"warehouse_id": 999999}, "lines.0.warehouse_id"),
        ({"supplier_id": 999999}, "lines.0.supplier_id"),
        ({"colour": "red"}, "lines.0.colour"),
    ],
)
def test_bad_lines_are_a_400_naming_the_line_and_write_nothing(client_a, tenant_a, line, field):
    ids = shop(tenant_a)
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    body = {"lines": [{"item_id": ids["item"], "warehouse_id": ids["wh"], "quantity": "2", **line}]}

    response = post(client_a, body, HTTP_IDEMPOTENCY_KEY="bad-line", **auth(secret))

    assert (response.status_code, response.json()["field"]) == (400, field), response.json()
    assert orders_in(tenant_a) == 0


def test_no_lines_and_unknown_fields_are_refused(client_a, tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read", "write"))

    empty = post(client_a, {"lines": []}, **auth(secret))
    unknown = post(client_a, {"lines": [], "supplier": 1}, **auth(secret))
    window = post(client_a, {"lines": [], "window_days": 14}, **auth(secret))

    assert (empty.status_code, empty.json()["field"]) == (400, "lines")
    assert (unknown.status_code, unknown.json()["field"]) == (400, "supplier")
    assert (window.status_code, window.json()["field"]) == (400, "window_days")


def test_a_read_key_and_a_role_without_purchasing_cannot_create_orders(client_a, tenant_a):
    ids = shop(tenant_a)
    _key, read_only = make_key(tenant_a, scopes=("read",))
    cashier = make_user(tenant_a, "clerk@alpha.test", Role.SALES)
    body = {"lines": [{"item_id": ids["item"], "warehouse_id": ids["wh"], "quantity": "1"}]}

    by_key = post(client_a, body, **auth(read_only))
    login(client_a, tenant_a, cashier)
    by_cashier = post(client_a, body)
    seen_by_cashier = client_a.get(SUGGESTIONS)

    assert (by_key.status_code, by_cashier.status_code, seen_by_cashier.status_code) == (403, 403, 200)
    assert orders_in(tenant_a) == 0


def test_a_shop_sees_and_orders_only_its_own(client_a, client_b, tenant_a, tenant_b):
    ids_a = shop(tenant_a, code="SISO-A")
    shop(tenant_b, code="SISO-B")
    _key, secret_b = make_key(tenant_b, scopes=("read", "write"))
    _key, secret_a = make_key(tenant_a, scopes=("read", "write"))

    seen_by_b = client_b.get(SUGGESTIONS, **auth(secret_b)).json()["results"]
    a_key_on_b = client_b.get(SUGGESTIONS, **auth(secret_a))
    ordered_by_b = post(
        client_b,
        {"lines": [{"item_id": ids_a["item"], "warehouse_id": ids_a["wh"], "quantity": "1"}]},
        **auth(secret_b),
    )

    assert [line["item_code"] for line in seen_by_b] == ["SISO-B"]
    assert a_key_on_b.status_code in (401, 403)
    # Alpha's ids mean nothing (or something else) in beta: never an order in alpha.
    assert orders_in(tenant_a) == 0
    assert ordered_by_b.status_code in (201, 400)
