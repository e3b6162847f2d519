"""/api/v1/stock/documents/: happy paths, bad input naming the field, isolation, permissions, idempotency."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.identity.roles import Role
from modules.stockops.models import StockDocument
from modules.stockops.services import today_in
from tests.stockops.conftest import (
    TZ,
    auth,
    backdated_receipt_confirmed,
    ledger_state,
    login,
    make_key,
    make_user,
    on_hand,
    shop_create,
)

pytestmark = pytest.mark.usefixtures("roles_synced")

URL = "/api/v1/stock/documents/"
TODAY = today_in(TZ)


def detail(pk, action=""):
    return f"{URL}{pk}" + (f"/{action}" if action else "")


def post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def patch(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


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


def receipt_body(shop, **overrides):
    line = {"item": shop.cola.pk, "unit": shop.case.pk, "quantity": "2", "unit_cost": "48.00", "location": shop.a.pk}
    line.update(overrides.pop("line", {}))
    return {"kind": "stock_in", "partner": shop.supplier.pk, "note": "赠品入库", "lines": [line], **overrides}


def run(client, headers, pk, *actions):
    for name in actions:
        response = post(client, detail(pk, name), **headers)
        assert response.status_code in (200, 201), response.json()
    return response


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def test_receive_transfer_and_list(client_a, tenant_a, shop_a, writer_a):
    created = post(client_a, URL, receipt_body(shop_a), **writer_a)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["number"], body["status"], body["date"], body["warehouse_code"]) == (
        f"QTRK{TODAY.year}00001",
        "draft",
        TODAY.isoformat(),
        "MAIN",
    )
    [line] = body["lines"]
    assert (line["quantity"], line["base_quantity"], line["unit_name"], line["location_code"]) == (
        "2.000000",
        "48.000000",
        "箱",
        "A",
    )
    posted = run(client_a, writer_a, body["id"], "confirm", "post").json()
    assert (posted["status"], posted["revalued"]) == ("posted", [])
    assert [(m["quantity"], m["unit_cost"], m["location_code"]) for m in posted["moves"]] == [
        ("48.000000", "2.000000", "A")
    ]

    transfer = post(
        client_a,
        URL,
        {
            "kind": "transfer",
            "target_warehouse": shop_a.second.pk,
            "lines": [
                {
                    "item": shop_a.cola.pk,
                    "unit": shop_a.bottle.pk,
                    "quantity": 30,
                    "location": shop_a.a.pk,
                    "target_location": shop_a.c.pk,
                },
            ],
        },  # fmt: skip
        **writer_a,
    )
    assert transfer.status_code == 201, transfer.json()
    moved = run(client_a, writer_a, transfer.json()["id"], "confirm", "post").json()
    assert [(m["warehouse_code"], m["location_code"], m["quantity"]) for m in moved["moves"]] == [
        ("MAIN", "A", "-30.000000"),
        ("WH2", "C", "30.000000"),
    ]
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main, shop_a.a)) == D("18")
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.second, shop_a.c)) == D("30")

    listed = client_a.get(URL, {"kind": "transfer"}, **writer_a).json()
    assert [d["number"] for d in listed["results"]] == [f"DB{TODAY.year}00001"]
    by_warehouse = client_a.get(URL, {"warehouse": shop_a.second.pk}, **writer_a).json()["results"]
    assert [d["kind"] for d in by_warehouse] == ["transfer"]
    by_item = client_a.get(URL, {"item": shop_a.cola.pk, "search": "QTRK"}, **writer_a).json()["results"]
    assert [d["kind"] for d in by_item] == ["stock_in"]
    assert client_a.get(URL, {"status": "draft"}, **writer_a).json()["results"] == []
    assert client_a.get(URL, {"date_to": (TODAY - timedelta(days=1)).isoformat()}, **writer_a).json()["count"] == 0


def test_reversal_restores_the_balances(client_a, tenant_a, shop_a, writer_a):
    body = post(client_a, URL, receipt_body(shop_a), **writer_a).json()
    run(client_a, writer_a, body["id"], "confirm", "post")
    reversal = run(client_a, writer_a, body["id"], "reverse")
    assert reversal.status_code == 201
    data = reversal.json()
    assert (data["number"], data["status"], data["reverses"]) == (f"QTRK{TODAY.year}00002", "posted", body["id"])
    assert [m["quantity"] for m in data["moves"]] == ["-48.000000"]
    original = client_a.get(detail(body["id"]), **writer_a).json()
    assert (original["status"], original["reversal"]) == ("posted", data["id"])
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main, shop_a.a)) == D("0")


def test_edit_a_draft_then_cancel_it(client_a, tenant_a, shop_a, writer_a):
    body = post(client_a, URL, receipt_body(shop_a), **writer_a).json()
    changed = patch(
        client_a,
        detail(body["id"]),
        {"note": "改", "lines": [{"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "3", "unit_cost": 1}]},
        **writer_a,
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["note"], [x["quantity"] for x in changed.json()["lines"]]) == ("改", ["3.000000"])
    cancelled = run(client_a, writer_a, body["id"], "cancel").json()
    assert cancelled["status"] == "cancelled"
    closed = patch(client_a, detail(body["id"]), {"note": "again"}, **writer_a)
    assert (closed.status_code, closed.json()["code"], closed.json()["field"]) == (409, "document_closed", "status")


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"line": {"unit": 999999}}, 400, "validation_error", "lines.0.unit"),
        ({"line": {"item": 999999}}, 400, "validation_error", "lines.0.item"),
        ({"line": {"quantity": "-2"}}, 400, "non_positive_quantity", "lines.0.quantity"),
        ({"line": {"quantity": "0.0000001"}}, 400, "too_many_places", "lines.0.quantity"),
        ({"line": {"location": "c"}}, 400, "wrong_warehouse", "lines.0.location"),
        ({"line": {"unit": "other"}}, 400, "unknown_unit", "lines.0.unit"),
        ({"kind": "count"}, 400, "validation_error", "kind"),
        ({"date": "2999-01-01"}, 400, "future_date", "date"),
        ({"lines": []}, 400, "no_lines", "lines"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    client_a, tenant_a, shop_a, writer_a, overrides, status, code, field
):
    line = overrides.get("line", {})
    if line.get("location") == "c":
        line["location"] = shop_a.c.pk
    if line.get("unit") == "other":
        line["unit"] = in_a(tenant_a, lambda: catalog.unit_create(name="筐")).pk
    before = in_a(tenant_a, ledger_state)
    response = post(client_a, URL, receipt_body(shop_a, **overrides), **writer_a)
    assert (response.status_code, response.json()["code"], response.json().get("field")) == (status, code, field)
    assert in_a(tenant_a, ledger_state) == before


def test_insufficient_stock_is_a_409_naming_the_line_and_changes_nothing(client_a, tenant_a, shop_a, writer_a):
    issue = {"kind": "stock_out", "lines": [{"item": shop_a.cola.pk, "unit": shop_a.case.pk, "quantity": "1"}]}
    body = post(client_a, URL, issue, **writer_a).json()
    run(client_a, writer_a, body["id"], "confirm")
    before = in_a(tenant_a, ledger_state)
    response = post(client_a, detail(body["id"], "post"), **writer_a)
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        409,
        "insufficient_stock",
        "lines.0.quantity",
    )
    assert in_a(tenant_a, ledger_state) == before
    assert client_a.get(detail(body["id"]), **writer_a).json()["status"] == "confirmed"


def test_revalued_documents_are_in_the_answer(client_a, tenant_a, shop_a, writer_a):
    issue, receipt = in_a(tenant_a, lambda: backdated_receipt_confirmed(shop_a))
    posted = post(client_a, detail(receipt.pk, "post"), **writer_a)
    assert posted.status_code == 200, posted.json()
    assert posted.json()["revalued"] == [
        {
            "source_type": "stock_out",
            "source_id": issue.pk,
            "reference": issue.number,
            "value_before": "-20.00",
            "value_after": "-26.00",
        }
    ]


def test_bad_list_filters_are_named(client_a, shop_a, writer_a):
    for params, field in (({"kind": "x"}, "kind"), ({"date_from": "03/01"}, "date_from"), ({"item": "a"}, "item")):
        response = client_a.get(URL, params, **writer_a)
        assert (response.status_code, response.json()["field"]) == (400, field)


def test_another_shop_cannot_see_or_act_on_a_document(
    client_a, client_b, tenant_a, tenant_b, shop_a, writer_a, writer_b
):
    body = post(client_a, URL, receipt_body(shop_a), **writer_a).json()
    before = in_a(tenant_a, ledger_state)
    assert in_a(tenant_b, lambda: StockDocument.objects.filter(pk=body["id"]).exists()) is False
    assert client_b.get(detail(body["id"]), **writer_b).status_code == 404
    assert client_b.get(URL, **writer_b).json()["results"] == []
    assert patch(client_b, detail(body["id"]), {"note": "x"}, **writer_b).status_code == 404
    for name in ("confirm", "post", "cancel", "reverse"):
        assert post(client_b, detail(body["id"], name), **writer_b).status_code == 404
    # Alpha's key on beta's host is not a key at all.
    assert client_b.get(detail(body["id"]), **writer_a).status_code == 401
    assert in_a(tenant_a, ledger_state) == before


def test_scopes_and_roles(client_a, tenant_a, shop_a):
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get(URL, **reader).status_code == 200
    assert post(client_a, URL, receipt_body(shop_a), **reader).status_code == 403
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert sales.get(URL).status_code == 200
    refused = post(sales, URL, receipt_body(shop_a))
    assert refused.status_code == 403
    assert in_a(tenant_a, StockDocument.objects.count) == 0
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    body = post(clerk, URL, receipt_body(shop_a)).json()
    assert run(clerk, {}, body["id"], "confirm", "post").json()["status"] == "posted"
    assert in_a(tenant_a, lambda: StockDocument.objects.get().created_by.email) == "clerk@alpha.test"


def test_creation_is_idempotent(client_a, tenant_a, shop_a, writer_a):
    first = post(client_a, URL, receipt_body(shop_a), HTTP_IDEMPOTENCY_KEY="doc-1", **writer_a)
    again = post(client_a, URL, receipt_body(shop_a), HTTP_IDEMPOTENCY_KEY="doc-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["number"] == first.json()["number"]
    assert in_a(tenant_a, StockDocument.objects.count) == 1


def test_the_schema_lists_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        op["operationId"] for path, ops in schema["paths"].items() if "/stock/documents" in path for op in ops.values()
    }
    assert operations == {
        "stock_documents_list",
        "stock_documents_create",
        "stock_documents_retrieve",
        "stock_documents_update",
        "stock_documents_confirm",
        "stock_documents_post",
        "stock_documents_cancel",
        "stock_documents_reverse",
    }


def test_the_list_costs_the_same_few_queries_for_more_documents(
    client_a, tenant_a, shop_a, writer_a, django_assert_max_num_queries
):
    for _ in range(2):
        post(client_a, URL, receipt_body(shop_a), **writer_a)
    with django_assert_max_num_queries(8) as few:
        client_a.get(URL, **writer_a)
    baseline = len(few.captured_queries)  # read now: every request clears the connection's query log
    for _ in range(5):
        post(client_a, URL, receipt_body(shop_a), **writer_a)
    with django_assert_max_num_queries(baseline):
        assert client_a.get(URL, **writer_a).json()["count"] == 7
