from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.inventory import services as inventory
from modules.inventory.models import StockBalance, StockMove
from modules.stockcount.models import CountStatus, StockCount, StockCountLine
from tests.stockcount.conftest import (
    CHIPS_BARCODE,
    COLA_BARCODE,
    COLA_CASE_BARCODE,
    auth,
    login,
    make_key,
    make_user,
    shop_build,
)

pytestmark = pytest.mark.usefixtures("roles_synced")
COUNTS = "/api/v1/stock/counts/"


def url(count_id, action: str = "") -> str:
    return f"/api/v1/stock/counts/{count_id}" + (f"/{action}" if action else "")


def post(client, path, body=None, **extra):
    return client.post(path, body or {}, content_type="application/json", **extra)


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_build()


@pytest.fixture
def writer_a(tenant_a) -> dict:
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def counting(client_a, writer_a, shop_a) -> dict:
    created = post(client_a, COUNTS, {"warehouse": shop_a.wh.pk, "scope": "warehouse"}, **writer_a).json()
    return post(client_a, url(created["id"], "freeze"), **writer_a).json()


def lines_by_key(count: dict) -> dict[tuple, dict]:
    return {(line["item_code"], line["location_code"]): line for line in count["lines"]}


def db_count(tenant, count_id) -> tuple[str, list]:
    with schema_context(tenant.schema_name):
        count = StockCount.objects.get(pk=count_id)
        return count.status, list(count.lines.order_by("id").values_list("counted", flat=True))


def test_create_freeze_count_scan_and_post_through_the_api(client_a, tenant_a, shop_a, writer_a):
    response = post(client_a, COUNTS, {"warehouse": shop_a.wh.pk, "scope": "location", "location": shop_a.zone_a.pk,
                                       "note": "A 区"}, **writer_a)  # fmt: skip
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["status"], created["scope"], created["location_code"], created["lines"]) == (
        "draft", "location", "A", [],
    )  # fmt: skip
    assert created["number"].startswith("PD")
    frozen = post(client_a, url(created["id"], "freeze"), **writer_a).json()
    lines = lines_by_key(frozen)
    assert frozen["status"] == "counting" and frozen["summary"] == {
        "lines": 2, "counted": 0, "uncounted": 2, "differences": 0,
    }  # fmt: skip
    assert (lines[("COLA", "A1")]["expected"], lines[("COLA", "A1")]["counted"]) == ("30.000000", None)

    scan = post(client_a, url(created["id"], "scan"), {"barcode": COLA_CASE_BARCODE}, **writer_a)
    assert scan.status_code == 200, scan.json()
    assert (scan.json()["added"], scan.json()["created"], scan.json()["line"]["counted"]) == (
        "24.000000", False, "24.000000",
    )  # fmt: skip
    body = {"lines": [{"line": lines[("COLA", "A1")]["id"], "counted": "1", "unit": "箱"},
                      {"line": lines[("CHIPS", "A1")]["id"], "counted": 7}]}  # fmt: skip
    counted = post(client_a, url(created["id"], "counted"), body, **writer_a)
    assert counted.status_code == 200, counted.json()
    assert [(row["item_code"], row["difference"]) for row in counted.json()] == [
        ("CHIPS", "-1.000000"),
        ("COLA", "-6.000000"),
    ]
    found = post(client_a, url(created["id"], "lines"), {"item": shop_a.tea.pk, "location": shop_a.shelf_a1.pk,
                                                          "counted": "2"}, **writer_a)  # fmt: skip
    assert found.status_code == 201 and found.json()["found"] is True

    differences = client_a.get(url(created["id"]), {"only": "differences"}, **writer_a).json()
    assert [line["item_code"] for line in differences["lines"]] == ["CHIPS", "COLA", "TEA"]
    posted = post(client_a, url(created["id"], "post"), **writer_a)
    assert posted.status_code == 200, posted.json()
    assert posted.json()["count"]["status"] == "posted" and posted.json()["revalued"] == []
    with schema_context(tenant_a.schema_name):
        moves = StockMove.objects.filter(source_type="stock_count", source_id=created["id"]).order_by("id")
        assert [(m.item.code, m.quantity) for m in moves] == [("CHIPS", D("-1")), ("COLA", D("-6")), ("TEA", D("2"))]
        assert StockBalance.objects.get(item=shop_a.cola, location=shop_a.shelf_a1).on_hand == D("24")

    reversed_ = post(client_a, url(created["id"], "reverse"), **writer_a)
    assert reversed_.status_code == 201, reversed_.json()
    reversal = reversed_.json()["count"]
    assert (reversal["reverses"], reversal["reverses_number"], reversal["status"]) == (
        created["id"], created["number"], "posted",
    )  # fmt: skip
    assert client_a.get(url(created["id"]), **writer_a).json()["reversed_by"] == reversal["number"]
    with schema_context(tenant_a.schema_name):
        assert StockBalance.objects.get(item=shop_a.cola, location=shop_a.shelf_a1).on_hand == D("30")
    listed = client_a.get(COUNTS, {"status": "posted"}, **writer_a).json()["results"]
    assert {row["number"] for row in listed} == {created["number"], reversal["number"]}


def test_post_refuses_uncounted_lines_unless_told_what_to_do(client_a, tenant_a, writer_a, counting):
    response = post(client_a, url(counting["id"], "post"), **writer_a)
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        409,
        "uncounted_lines",
        "uncounted",
    )
    assert "TEA 茶" in response.json()["message"]
    bad = post(client_a, url(counting["id"], "post"), {"uncounted": "maybe"}, **writer_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "uncounted")
    assert db_count(tenant_a, counting["id"])[0] == CountStatus.COUNTING
    zero = post(client_a, url(counting["id"], "post"), {"uncounted": "zero"}, **writer_a).json()["count"]
    assert zero["uncounted_policy"] == "zero" and {line["counted"] for line in zero["lines"]} == {"0.000000"}
    closed = post(client_a, url(counting["id"], "cancel"), **writer_a)
    assert (closed.status_code, closed.json()["code"], closed.json()["field"]) == (409, "invalid_status", "status")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"scope": "warehouse"}, "validation_error", "warehouse"),
        ({"warehouse": 99999, "scope": "warehouse"}, "validation_error", "warehouse"),
        ({"scope": "shelf"}, "validation_error", "scope"),
        ({"scope": "location"}, "required", "location"),
        ({"scope": "location", "location": "other"}, "wrong_warehouse", "location"),
        ({"scope": "warehouse", "include_zero_stock": True}, "zero_stock_needs_category", "include_zero_stock"),
        ({"scope": "warehouse", "date": "2999-01-01"}, "future_date", "date"),
    ],
)
def test_create_bad_input_names_the_field_and_creates_nothing(client_a, tenant_a, shop_a, writer_a, body, code, field):
    body = dict(body)
    if "scope" in body and "warehouse" not in body and field != "warehouse":
        body["warehouse"] = shop_a.wh.pk
    if body.get("location") == "other":
        body["location"] = shop_a.zone_a.pk
        body["warehouse"] = shop_a.other_wh.pk
    response = post(client_a, COUNTS, body, **writer_a)
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    with schema_context(tenant_a.schema_name):
        assert StockCount.objects.count() == 0


@pytest.mark.parametrize(
    ("counted", "code"), [("abc", "invalid_number"), ("-2", "negative_quantity"), ("1.1234567", "too_many_places")]
)
def test_counted_bad_input_names_the_line_and_changes_nothing(client_a, tenant_a, writer_a, counting, counted, code):
    ids = [line["id"] for line in counting["lines"]]
    body = {"lines": [{"line": ids[0], "counted": "5"}, {"line": ids[1], "counted": counted}]}
    response = post(client_a, url(counting["id"], "counted"), body, **writer_a)
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (400, code, "lines.1.counted")
    assert db_count(tenant_a, counting["id"])[1] == [None] * 4


def test_counted_scan_and_add_refusals(client_a, tenant_a, shop_a, writer_a, counting):
    cases = [
        ("counted", {"lines": [{"line": 99999, "counted": "1"}]}, "unknown_line", "lines.0.line"),
        ("counted", {"lines": [{"line": counting["lines"][0]["id"], "counted": "1", "unit": "桶"}]}, "validation_error",
         "lines.0.unit"),
        ("counted", {"lines": []}, "no_lines", "lines"),
        ("scan", {"barcode": "0000"}, "unknown_barcode", "barcode"),
        ("scan", {"barcode": COLA_BARCODE}, "ambiguous_barcode", "barcode"),
        ("scan", {"barcode": CHIPS_BARCODE, "location": "other"}, "wrong_warehouse", "location"),
        ("lines", {"item": shop_a.tea.pk, "counted": "1"}, "duplicate_line", "item"),
        ("lines", {"item": shop_a.tea.pk, "counted": "x"}, "invalid_number", "counted"),
    ]  # fmt: skip
    with schema_context(tenant_a.schema_name):
        other_location = inventory.location_create(warehouse=shop_a.other_wh, code="Z").pk
    for action, body, code, field in cases:
        if body.get("location") == "other":
            body["location"] = other_location
        response = post(client_a, url(counting["id"], action), body, **writer_a)
        assert response.status_code == 400, (action, response.json())
        assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert db_count(tenant_a, counting["id"])[1] == [None] * 4


def test_a_closed_count_refuses_counting(client_a, tenant_a, writer_a, counting):
    post(client_a, url(counting["id"], "cancel"), **writer_a)
    line_id = counting["lines"][0]["id"]
    attempts = [("counted", {"lines": [{"line": line_id, "counted": "1"}]}), ("scan", {"barcode": CHIPS_BARCODE}),
                ("freeze", {}), ("post", {}), ("reverse", {})]  # fmt: skip
    for action, body in attempts:
        response = post(client_a, url(counting["id"], action), body, **writer_a)
        assert (response.status_code, response.json()["field"]) == (409, "status"), action
    assert db_count(tenant_a, counting["id"]) == (CountStatus.CANCELLED, [None] * 4)


def test_scopes_and_model_permissions(client_a, tenant_a, shop_a, counting):
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get(url(counting["id"]), **reader).status_code == 200
    assert post(client_a, url(counting["id"], "freeze"), **reader).status_code == 403
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", "sales"))
    assert sales.get(COUNTS).status_code == 200
    response = post(sales, url(counting["id"], "scan"), {"barcode": CHIPS_BARCODE})
    assert response.status_code == 403
    assert post(sales, COUNTS, {"warehouse": shop_a.wh.pk, "scope": "warehouse"}).status_code == 403
    staff = login(client_a, tenant_a, make_user(tenant_a, "wh@alpha.test", "warehouse"))
    assert post(staff, url(counting["id"], "scan"), {"barcode": CHIPS_BARCODE}).status_code == 200
    with schema_context(tenant_a.schema_name):
        assert StockCountLine.objects.get(count_id=counting["id"], item=shop_a.chips).counted == D("1")


def test_beta_cannot_see_or_change_alphas_count(client_a, client_b, tenant_a, tenant_b, counting):
    beta = auth(make_key(tenant_b, scopes=("read", "write"))[1])
    line_id = counting["lines"][0]["id"]
    assert client_b.get(url(counting["id"]), **beta).status_code == 404
    assert client_b.get(COUNTS, **beta).json()["results"] == []
    bodies = {"counted": {"lines": [{"line": line_id, "counted": "1"}]}, "scan": {"barcode": CHIPS_BARCODE},
              "lines": {"item": 1, "counted": "1"}}  # fmt: skip
    for action in ("freeze", "counted", "scan", "lines", "post", "cancel", "reverse"):
        response = post(client_b, url(counting["id"], action), bodies.get(action, {}), **beta)
        assert response.status_code == 404, action
    assert db_count(tenant_a, counting["id"]) == (CountStatus.COUNTING, [None] * 4)


def test_reads_cost_a_fixed_number_of_queries(client_a, shop_a, writer_a, counting, django_assert_max_num_queries):
    client_a.get(COUNTS, **writer_a)  # warm the per-process caches (key lookup, translations)
    with django_assert_max_num_queries(6):
        response = client_a.get(url(counting["id"]), **writer_a)
    assert response.status_code == 200 and len(response.json()["lines"]) == 4
    for _ in range(3):
        post(client_a, COUNTS, {"warehouse": shop_a.wh.pk, "scope": "warehouse"}, **writer_a)
    with django_assert_max_num_queries(6):
        response = client_a.get(COUNTS, **writer_a)
    assert response.json()["count"] == 4
    bad = client_a.get(url(counting["id"]), {"only": "everything"}, **writer_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "only")


def test_schema_lists_the_count_endpoints(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "stock_counts_list", "stock_counts_create", "stock_counts_retrieve", "stock_counts_freeze",
        "stock_counts_counted_set", "stock_counts_lines_add", "stock_counts_scan", "stock_counts_post",
        "stock_counts_cancel", "stock_counts_reverse",
    } <= operations  # fmt: skip
    assert "/api/v1/stock/counts/{id}/scan" in schema["paths"]
