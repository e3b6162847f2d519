"""/api/v1/stock/reorder/: rules CRUD, the live low-stock list and the snapshot; scopes, roles, isolation."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.reorder import services
from modules.reorder.models import ReorderRule
from tests.reorder.conftest import auth, item, login, main_warehouse, make_key, make_user, receive, supplier, supplies

pytestmark = pytest.mark.usefixtures("roles_synced")

RULES = "/api/v1/stock/reorder/rules"
LOW = "/api/v1/stock/reorder/low-stock"
SNAPSHOT = "/api/v1/stock/reorder/low-stock/snapshot"


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def patch(client, url, body, **extra):
    return client.patch(url, json.dumps(body), content_type="application/json", **extra)


def shop(tenant, code="COLA", stock=3):
    """An item with a supplier and some stock in the main warehouse."""
    with schema_context(tenant.schema_name):
        product, wh, s1 = item(code, packs=(("箱", 24),)), main_warehouse(), supplier("S1")
        supplies(s1, product, "2.5")
        receive(product, wh, stock)
        return {"item": product.pk, "wh": wh.pk, "supplier": s1.pk}


def rule_state(tenant) -> list[tuple]:
    with schema_context(tenant.schema_name):
        return list(
            ReorderRule.objects.order_by("pk").values_list(
                "item__code", "minimum", "reorder_point", "maximum", "preferred_supplier_id", "is_active"
            )
        )


def test_rules_crud_with_a_key(client_a, tenant_a):
    ids = shop(tenant_a)
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    body = {"item_id": ids["item"], "warehouse_id": ids["wh"], "minimum": "5", "reorder_point": "10", "maximum": "40"}

    created = post(client_a, RULES, body, HTTP_IDEMPOTENCY_KEY="rule-1", **auth(secret))
    assert created.status_code == 201, created.json()
    rule = created.json()
    assert (rule["item_code"], rule["unit"], rule["warehouse_code"], rule["reorder_point"], rule["is_active"]) == (
        "COLA",
        "瓶",
        "MAIN",
        "10.000000",
        True,
    )
    url = f"{RULES}/{rule['id']}"
    assert client_a.get(url, **auth(secret)).json()["maximum"] == "40.000000"
    listed = client_a.get(RULES, {"warehouse": ids["wh"], "active": "true"}, **auth(secret)).json()
    assert [row["id"] for row in listed["results"]] == [rule["id"]]
    assert client_a.get(RULES, {"active": "false"}, **auth(secret)).json()["results"] == []

    changed = patch(client_a, url, {"maximum": "48", "preferred_supplier_id": ids["supplier"]}, **auth(secret))
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["maximum"], changed.json()["preferred_supplier_code"]) == ("48.000000", "S1")

    assert client_a.delete(url, **auth(secret)).status_code == 204
    assert client_a.get(url, **auth(secret)).status_code == 404
    assert rule_state(tenant_a) == []


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"minimum": "11"}, "minimum"),
        ({"maximum": "10"}, "maximum"),
        ({"reorder_point": "-1"}, "reorder_point"),
        ({"maximum": "abc"}, "maximum"),
        ({"maximum": "1.0000001"}, "maximum"),
        ({"item_id": 999_999}, "item_id"),
        ({"warehouse_id": None}, "warehouse_id"),
        ({"preferred_supplier_id": 999_999}, "preferred_supplier_id"),
        ({"reorder_point": None}, "reorder_point"),
        ({"levels": "x"}, "levels"),
    ],
)
def test_create_bad_input_names_the_field_and_creates_nothing(owner_client_a, tenant_a, changes, field):
    ids = shop(tenant_a)
    body = {"item_id": ids["item"], "warehouse_id": ids["wh"], "minimum": "5", "reorder_point": "10", "maximum": "40"}

    response = post(owner_client_a, RULES, {**body, **changes})

    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert rule_state(tenant_a) == []


def test_duplicate_and_bad_updates_change_nothing(owner_client_a, tenant_a):
    ids = shop(tenant_a)
    body = {"item_id": ids["item"], "warehouse_id": ids["wh"], "minimum": "5", "reorder_point": "10", "maximum": "40"}
    rule_id = post(owner_client_a, RULES, body).json()["id"]
    before = rule_state(tenant_a)

    duplicate = post(owner_client_a, RULES, {**body, "maximum": "50"})
    assert (duplicate.status_code, duplicate.json()["code"], duplicate.json()["field"]) == (
        400,
        "duplicate_rule",
        "item_id",
    )
    for changes, field in [
        ({"reorder_point": "40"}, "reorder_point"),
        ({"minimum": "-0.5"}, "minimum"),
        ({"item_id": ids["item"]}, "item_id"),  # a rule's item is fixed
        ({"preferred_supplier_id": 999_999}, "preferred_supplier_id"),
    ]:
        response = patch(owner_client_a, f"{RULES}/{rule_id}", changes)
        assert (response.status_code, response.json()["field"]) == (400, field), response.json()
    assert rule_state(tenant_a) == before


def test_scopes_and_roles_guard_the_writes(client_a, tenant_a):
    ids = shop(tenant_a)
    with schema_context(tenant_a.schema_name):
        rule = services.reorder_rule_create(
            item_id=ids["item"], warehouse_id=ids["wh"], minimum=0, reorder_point=1, maximum=5
        )
    before = rule_state(tenant_a)
    _key, read_only = make_key(tenant_a, scopes=("read",))
    assert client_a.get(RULES, **auth(read_only)).status_code == 200
    assert client_a.get(LOW, **auth(read_only)).status_code == 200
    assert patch(client_a, f"{RULES}/{rule.pk}", {"maximum": "9"}, **auth(read_only)).status_code == 403
    assert client_a.delete(f"{RULES}/{rule.pk}", **auth(read_only)).status_code == 403

    # A sales clerk may look but not change; a warehouse keeper may change.
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert client_a.get(f"{RULES}/{rule.pk}").status_code == 200
    assert patch(client_a, f"{RULES}/{rule.pk}", {"maximum": "9"}).status_code == 403
    assert client_a.delete(f"{RULES}/{rule.pk}").status_code == 403
    assert rule_state(tenant_a) == before
    login(client_a, tenant_a, make_user(tenant_a, "keeper@alpha.test", Role.WAREHOUSE))
    assert patch(client_a, f"{RULES}/{rule.pk}", {"maximum": "9"}).status_code == 200
    assert rule_state(tenant_a)[0][3] == D("9")


def test_beta_cannot_see_or_change_alphas_rules_or_low_stock(client_a, client_b, tenant_a, tenant_b):
    ids = shop(tenant_a)
    with schema_context(tenant_a.schema_name):
        rule = services.reorder_rule_create(
            item_id=ids["item"], warehouse_id=ids["wh"], minimum=0, reorder_point=5, maximum=10
        )
        services.low_stock_snapshot_refresh()
    with schema_context(tenant_b.schema_name):
        assert not ReorderRule.objects.filter(pk=rule.pk).exists()
    before = rule_state(tenant_a)
    _key, secret_b = make_key(tenant_b, scopes=("read", "write"))
    url = f"{RULES}/{rule.pk}"

    assert client_b.get(url, **auth(secret_b)).status_code == 404
    assert patch(client_b, url, {"maximum": "99"}, **auth(secret_b)).status_code == 404
    assert client_b.delete(url, **auth(secret_b)).status_code == 404
    assert client_b.get(RULES, **auth(secret_b)).json()["results"] == []
    assert client_b.get(LOW, {"warehouse": ids["wh"]}, **auth(secret_b)).json()["results"] == []
    assert client_b.get(LOW, **auth(secret_b)).json()["results"] == []
    snapshot_b = client_b.get(SNAPSHOT, **auth(secret_b)).json()
    assert (snapshot_b["computed_at"], snapshot_b["results"]) == (None, [])
    assert rule_state(tenant_a) == before

    _key, secret_a = make_key(tenant_a, scopes=("read",))
    assert [row["item_code"] for row in client_a.get(LOW, **auth(secret_a)).json()["results"]] == ["COLA"]


def test_low_stock_list_filters_and_suggestion(client_a, tenant_a, django_assert_max_num_queries):
    ids = shop(tenant_a, stock=3)
    with schema_context(tenant_a.schema_name):
        services.reorder_rule_create(
            item_id=ids["item"], warehouse_id=ids["wh"], minimum=5, reorder_point=10, maximum=40
        )
        for n in range(20):
            other = item(f"X{n:02}")
            services.reorder_rule_create(
                item_id=other.pk, warehouse_id=ids["wh"], minimum=0, reorder_point=1, maximum=2
            )
    _key, secret = make_key(tenant_a, scopes=("read",))
    client_a.get(LOW, **auth(secret))  # warm the key's per-process caches

    with django_assert_max_num_queries(6):
        response = client_a.get(LOW, {"supplier": ids["supplier"], "limit": 5}, **auth(secret))

    assert response.status_code == 200
    [line] = response.json()["results"]
    assert {k: line[k] for k in ("item_code", "available", "severity", "suggested_quantity", "purchase_unit")} == {
        "item_code": "COLA",
        "available": "3.000000",
        "severity": "below_minimum",
        "suggested_quantity": "48.000000",
        "purchase_unit": "箱",
    }
    assert (line["suggested_purchase_units"], line["supplier_code"], line["last_price"], line["estimated_amount"]) == (
        "2",
        "S1",
        "2.500000",
        "120.00",
    )
    assert client_a.get(LOW, {"limit": 5}, **auth(secret)).json()["count"] == 21
    bad = client_a.get(LOW, {"category": "drinks"}, **auth(secret))
    assert (bad.status_code, bad.json()["field"]) == (400, "category")


def test_snapshot_is_what_was_stored_until_recomputed(client_a, tenant_a):
    ids = shop(tenant_a, stock=3)
    _key, secret = make_key(tenant_a, scopes=("read",))
    assert client_a.get(SNAPSHOT, **auth(secret)).json() == {
        "computed_at": None,
        "line_count": 0,
        "item_count": 0,
        "below_minimum_count": 0,
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    with schema_context(tenant_a.schema_name):
        services.reorder_rule_create(item_id=ids["item"], warehouse_id=ids["wh"], minimum=0, reorder_point=5, maximum=9)
        services.low_stock_snapshot_refresh()
        receive(item("TEA"), main_warehouse(), 1)  # changes after the computation are not in the snapshot

    body = client_a.get(SNAPSHOT, {"warehouse": ids["wh"]}, **auth(secret)).json()

    assert body["computed_at"] is not None
    assert (body["line_count"], body["item_count"], body["below_minimum_count"], body["count"]) == (1, 1, 0, 1)
    assert [(line["item_code"], line["suggested_quantity"]) for line in body["results"]] == [("COLA", "24.000000")]
    assert client_a.get(SNAPSHOT, {"supplier": 999_999}, **auth(secret)).json()["results"] == []


def test_schema_names_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        (path, method): spec["operationId"]
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/stock/reorder/")
        for method, spec in methods.items()
    }
    assert operations == {
        ("/api/v1/stock/reorder/rules", "get"): "stock_reorder_rules_list",
        ("/api/v1/stock/reorder/rules", "post"): "stock_reorder_rules_create",
        ("/api/v1/stock/reorder/rules/{id}", "get"): "stock_reorder_rules_retrieve",
        ("/api/v1/stock/reorder/rules/{id}", "patch"): "stock_reorder_rules_update",
        ("/api/v1/stock/reorder/rules/{id}", "delete"): "stock_reorder_rules_delete",
        ("/api/v1/stock/reorder/low-stock", "get"): "stock_low_stock_list",
        ("/api/v1/stock/reorder/low-stock/snapshot", "get"): "stock_low_stock_snapshot_retrieve",
        ("/api/v1/stock/reorder/suggestions", "get"): "stock_reorder_suggestions_list",
        ("/api/v1/stock/reorder/suggestions/orders", "post"): "stock_reorder_suggestion_orders_create",
    }
