"""/api/v1/reports/...: the pages' figures as JSON with the read scope, bad filters a 400 naming the
parameter, isolation between shops."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from modules.sales import services as sales
from tests.reports.conftest import TZ, auth, buy, make_key, post, sell, shop_create, tea_create

pytestmark = pytest.mark.usefixtures("roles_synced")

MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def trade_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        shop = shop_create()
        tea = tea_create(shop)
        post(shop.cola, shop.main, "10", "5.00", on=date(2026, 2, 10))
        post(shop.cola, shop.main, "10", "6.00", on=date(2026, 3, 5))
        post(shop.cola, shop.main, "-5", on=date(2026, 3, 10))
        post(tea, shop.main, "20", "5.00", on=date(2026, 3, 6))
        buy(shop, (shop.cola, 24, "2.26"))
        sell(shop, (shop.cola, 4, "3.39"), (tea, 2, "11.30"), customer=shop.customer)
        return shop


@pytest.fixture
def reader_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read",))[1])


@pytest.fixture
def reader_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read",))[1])


def test_stock_summary(client_a, trade_a, reader_a):
    response = client_a.get("/api/v1/reports/stock-summary", MARCH, **reader_a)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["date_from"], body["date_to"], body["warehouse"]) == ("2026-03-01", "2026-03-31", None)
    cola = body["rows"][0]
    assert {k: cola[k] for k in ("code", "unit", "opening_quantity", "opening_value", "in_quantity", "in_value")} == {
        "code": "COLA", "unit": "瓶", "opening_quantity": "10.000000", "opening_value": "50.00",
        "in_quantity": "10.000000", "in_value": "60.00",
    }  # fmt: skip
    assert (cola["out_value"], cola["revaluation"], cola["closing_quantity"], cola["closing_value"]) == (
        "27.50", "0.00", "15.000000", "82.50"
    )  # fmt: skip
    assert body["totals"]["closing_value"] == "182.50" and body["totals"]["in_quantity"] == "30.000000"
    one = client_a.get("/api/v1/reports/stock-summary", {**MARCH, "warehouse": trade_a.second.pk}, **reader_a)
    assert one.json()["rows"] == [] and one.json()["warehouse"] == trade_a.second.pk


def test_sales_by_item_customer_and_day(client_a, trade_a, reader_a):
    body = client_a.get("/api/v1/reports/sales", **reader_a).json()
    assert body["group"] == "item"
    assert [(r["code"], r["quantity"], r["net_amount"], r["cost"], r["margin"], r["margin_percent"]) for r in
            body["rows"]] == [
        ("COLA", "4.000000", "12.00", "13.38", "-1.38", "-11.5"),
        ("TEA", "2.000000", "20.00", "10.00", "10.00", "50.0"),
    ]  # fmt: skip
    assert body["totals"] == {
        "quantity": "6.000000", "net_amount": "32.00", "cost": "23.38", "margin": "8.62", "margin_percent": "26.9"
    }  # fmt: skip
    by_customer = client_a.get("/api/v1/reports/sales", {"group": "customer"}, **reader_a).json()["rows"]
    assert [(r["key"], r["net_amount"]) for r in by_customer] == [(trade_a.customer.pk, "32.00")]
    today = sales.today_in(TZ).isoformat()
    by_day = client_a.get("/api/v1/reports/sales", {"group": "day", "date_from": today, "date_to": today}, **reader_a)
    assert [(r["key"], r["label"], r["net_amount"]) for r in by_day.json()["rows"]] == [(today, today, "32.00")]


def test_purchases(client_a, trade_a, reader_a):
    body = client_a.get("/api/v1/reports/purchases", {"group": "item", "period": "this_year"}, **reader_a).json()
    assert [(r["code"], r["quantity"], r["net_amount"], r["tax_amount"], r["gross_amount"]) for r in body["rows"]] == [
        ("COLA", "24.000000", "48.00", "6.24", "54.24")
    ]
    assert body["date_from"] == sales.today_in(TZ).replace(month=1, day=1).isoformat()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("stock-summary", {"period": "custom"}, "date_from"),
        ("stock-summary", {"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
        ("stock-summary", {"warehouse": "x"}, "warehouse"),
        ("stock-summary", {"category": "0"}, "category"),
        ("sales", {"group": "brand"}, "group"),
        ("sales", {"period": "yesterday"}, "period"),
        ("sales", {"customer": "1.5"}, "customer"),
        ("sales", {"sort": "-profit"}, "sort"),
        ("purchases", {"group": "customer"}, "group"),
        ("purchases", {"supplier": "abc"}, "supplier"),
        ("purchases", {"date_from": "2026/03/01", "date_to": "2026-03-31"}, "date_from"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(client_a, tenant_a, reader_a, path, params, field):
    response = client_a.get(f"/api/v1/reports/{path}", params, **reader_a)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


@pytest.mark.parametrize("path", ["stock-summary", "sales", "purchases"])
def test_isolation_beta_sees_none_of_alphas_figures(client_b, trade_a, reader_b, path):
    params = {"period": "this_year"} if path != "stock-summary" else MARCH
    body = client_b.get(f"/api/v1/reports/{path}", params, **reader_b).json()
    assert body["rows"] == []
    assert all(value in ("0.000000", "0.00", None) for value in body["totals"].values()), body["totals"]
    # Alpha's ids filter beta's (empty) data, they do not reach alpha's.
    body = client_b.get(f"/api/v1/reports/{path}", {**params, "item": trade_a.cola.pk}, **reader_b).json()
    assert body["rows"] == []


def test_alphas_key_does_not_open_betas_reports(client_b, tenant_a, reader_a):
    assert client_b.get("/api/v1/reports/sales", **reader_a).status_code in (401, 403)


def test_a_key_without_the_read_scope_is_refused(client_a, tenant_a):
    writer = auth(make_key(tenant_a, scopes=("write",))[1])
    response = client_a.get("/api/v1/reports/sales", **writer)
    assert response.status_code == 403


def test_anonymous_is_refused(client_a, tenant_a):
    assert client_a.get("/api/v1/reports/stock-summary").status_code in (401, 403)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("stock-summary", {**MARCH, "category": None}),
        ("sales", {"group": "customer"}),
        ("sales", {"group": "day", "period": "this_year"}),
        ("purchases", {"group": "item"}),
    ],
)
def test_query_count_does_not_grow_with_the_rows(
    client_a, trade_a, reader_a, django_assert_max_num_queries, path, params
):
    params = {name: value for name, value in params.items() if value is not None}
    client_a.get(f"/api/v1/reports/{path}", params, **reader_a)  # warm the per-process caches
    # the tenant's search_path, the key, the plan (API access), then the report: one query
    with django_assert_max_num_queries(4):
        response = client_a.get(f"/api/v1/reports/{path}", params, **reader_a)
    assert response.status_code == 200
