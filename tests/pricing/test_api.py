"""/api/v1/pricing/: CRUD of lists, entries, customer prices and promotions; the quote; the bulk change;
settings. Scopes and roles, Idempotency-Key replays, bad input (4xx naming the field, nothing written) and
tenant isolation."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog.models import Item
from modules.identity.roles import Role
from modules.pricing import services
from modules.pricing.models import CustomerPrice, PriceListItem, PricingSettings, Promotion
from tests.pricing.conftest import auth, login, make_key, make_user, receive, shop_create

pytestmark = pytest.mark.usefixtures("roles_synced")

BASE = "/api/v1/pricing"


def post(client, url, body, **extra):
    return client.post(f"{BASE}/{url}", json.dumps(body), content_type="application/json", **extra)


def patch(client, url, body, **extra):
    return client.patch(f"{BASE}/{url}", json.dumps(body), content_type="application/json", **extra)


def get(client, url, params=None, **extra):
    return client.get(f"{BASE}/{url}", params or {}, **extra)


@pytest.fixture
def world(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


@pytest.fixture
def writer(tenant_a):
    return make_key(tenant_a, scopes=("read", "write"))[1]


@pytest.fixture
def reader(tenant_a):
    return make_key(tenant_a, scopes=("read",))[1]


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def test_list_entries_crud_and_quote(client_a, tenant_a, world, writer):
    body = {"price_list_id": world.wholesale_list.pk, "item_id": world.cola.pk, "price": "2.80"}
    created = post(client_a, "list-items", body, HTTP_IDEMPOTENCY_KEY="e-1", **auth(writer))
    assert created.status_code == 201, created.json()
    row = created.json()
    assert (row["item_code"], row["unit"], row["min_quantity"], row["price"]) == ("COLA", "瓶", "0.000000", "2.80")
    again = post(client_a, "list-items", {**body, "price": "2.70"}, HTTP_IDEMPOTENCY_KEY="e-2", **auth(writer))
    assert (again.status_code, again.json()["id"], again.json()["price"]) == (200, row["id"], "2.70")
    brk = post(
        client_a,
        "list-items",
        {**body, "price": "2.50", "min_quantity": "10"},
        HTTP_IDEMPOTENCY_KEY="e-3",
        **auth(writer),
    )
    assert brk.status_code == 201
    listed = get(client_a, "list-items", {"price_list": world.wholesale_list.pk}, **auth(writer)).json()
    assert [(r["min_quantity"], r["price"]) for r in listed["results"]] == [("0.000000", "2.70"), ("10.000000", "2.50")]

    quote = get(
        client_a,
        "quote",
        {"item": world.cola.pk, "customer": world.wholesale_customer.pk, "quantity": "12"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **auth(writer),
    )
    assert quote.status_code == 200, quote.json()
    q = quote.json()
    assert (q["unit_price"], q["source"], q["reason"], q["list_price"], q["unit"]) == (
        "2.500000",
        "quantity_break",
        "批发价 ≥ 10 瓶",
        "2.700000",
        "瓶",
    )
    assert (q["unit_cost"], q["last_purchase_price"], q["available"]) == (None, None, "0.000000")
    assert [w["code"] for w in q["warnings"]] == ["beyond_stock"]

    assert patch(client_a, f"list-items/{row['id']}", {"price": "2.75"}, **auth(writer)).json()["price"] == "2.75"
    assert client_a.delete(f"{BASE}/list-items/{brk.json()['id']}", **auth(writer)).status_code == 204
    assert in_a(tenant_a, lambda: list(PriceListItem.objects.values_list("price", flat=True))) == [D("2.75")]


def test_quote_per_case_with_cost_last_price_and_a_checked_price(client_a, tenant_a, world, reader):
    def stock():
        receive(world.cola, world.warehouse, 100, cost="2.00")
        from modules.partners.services import partner_create, supplier_item_set

        supplier = partner_create(code="S1", name="供应商", is_supplier=True)
        supplier_item_set(supplier_id=supplier.pk, item_id=world.cola.pk, last_purchase_price=D("2.26"))

    in_a(tenant_a, stock)
    params = {"item": world.cola.pk, "unit": world.case.pk, "quantity": "5", "unit_price": "50"}
    q = get(client_a, "quote", params, HTTP_ACCEPT_LANGUAGE="en", **auth(reader)).json()
    assert (q["unit_price"], q["checked_price"], q["source"], q["reason"]) == (
        "84.000000",
        "50.000000",
        "item_price",
        "Item sale price",
    )
    assert (q["unit_cost"], q["last_purchase_price"], q["base_quantity"], q["available"]) == (
        "48.000000",
        "54.240000",
        "120.000000",
        "100.000000",
    )
    assert [(w["code"], w["field"], w["blocking"]) for w in q["warnings"]] == [
        ("below_cost", "unit_price", False),
        ("beyond_stock", "quantity", False),
    ]


@pytest.mark.parametrize(
    "params,field",
    [
        ({}, "item"),
        ({"item": "x"}, "item"),
        ({"item": 999999}, "item"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"unit": 999999}, "unit"),
        ({"customer": 999999}, "customer"),
        ({"date": "2026-13-01"}, "date"),
        ({"unit_price": "-1"}, "unit_price"),
        ({"warehouse": "main"}, "warehouse"),
    ],
)
def test_quote_bad_input_is_a_400_naming_the_field(client_a, world, reader, params, field):
    if params and "item" not in params:
        params = {"item": world.cola.pk, **params}
    response = get(client_a, "quote", params, **auth(reader))
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field


def test_quote_unit_of_another_item_and_a_supplier_as_customer(client_a, tenant_a, world, reader):
    response = get(client_a, "quote", {"item": world.juice.pk, "unit": world.case.pk}, **auth(reader))
    assert (response.status_code, response.json()["field"]) == (400, "unit")


def test_customer_prices_and_promotions_crud(client_a, tenant_a, world, writer):
    body = {"customer_id": world.retail_customer.pk, "item_id": world.cola.pk, "unit_id": world.case.pk, "price": "70"}
    created = post(client_a, "customer-prices", body, HTTP_IDEMPOTENCY_KEY="c-1", **auth(writer))
    assert created.status_code == 201, created.json()
    assert (created.json()["customer_code"], created.json()["unit"], created.json()["price"]) == ("C1", "箱", "70.00")
    cid = created.json()["id"]
    assert patch(client_a, f"customer-prices/{cid}", {"price": "69"}, **auth(writer)).json()["price"] == "69.00"
    listed = get(client_a, "customer-prices", {"customer": world.retail_customer.pk}, **auth(writer)).json()
    assert [r["id"] for r in listed["results"]] == [cid]

    promo = {
        "name": "双十一",
        "category_id": world.drinks.pk,
        "kind": "percent_off",
        "percent_off": "10",
        "valid_from": "2026-11-11",
        "valid_to": "2026-11-11",
    }
    made = post(client_a, "promotions", promo, HTTP_IDEMPOTENCY_KEY="p-1", **auth(writer))
    assert made.status_code == 201, made.json()
    pid = made.json()["id"]
    assert [p["id"] for p in get(client_a, "promotions", {"on": "2026-11-11"}, **auth(writer)).json()["results"]] == [
        pid
    ]
    assert get(client_a, "promotions", {"on": "2026-11-12"}, **auth(writer)).json()["results"] == []
    changed = patch(client_a, f"promotions/{pid}", {"kind": "fixed_price", "fixed_price": "3"}, **auth(writer))
    assert (changed.json()["kind"], changed.json()["fixed_price"], changed.json()["percent_off"]) == (
        "fixed_price",
        "3.00",
        None,
    )
    assert client_a.delete(f"{BASE}/promotions/{pid}", **auth(writer)).status_code == 204
    assert client_a.delete(f"{BASE}/customer-prices/{cid}", **auth(writer)).status_code == 204
    assert in_a(tenant_a, lambda: (Promotion.objects.count(), CustomerPrice.objects.count())) == (0, 0)


@pytest.mark.parametrize(
    "url,body,field",
    [
        ("list-items", {"item_id": "__cola__", "price": "1"}, "price_list_id"),
        ("list-items", {"price_list_id": "__list__", "item_id": "__cola__", "price": "-1"}, "price"),
        ("list-items", {"price_list_id": "__list__", "item_id": "__cola__", "price": "1", "colour": "red"}, "colour"),
        ("customer-prices", {"customer_id": 999999, "item_id": "__cola__", "price": "1"}, "customer_id"),
        (
            "promotions",
            {
                "name": "x",
                "kind": "percent_off",
                "percent_off": "10",
                "valid_from": "2026-01-02",
                "valid_to": "2026-01-01",
                "item_id": "__cola__",
            },
            "valid_to",
        ),
        ("lists", {"tier": "wholesale", "name": "又一个"}, "tier"),
        ("bulk-change", {"category_id": "__drinks__", "percent": "-100"}, "percent"),
    ],
)
def test_bad_posts_are_400s_naming_the_field_and_write_nothing(client_a, tenant_a, world, writer, url, body, field):
    ids = {"__cola__": world.cola.pk, "__list__": world.wholesale_list.pk, "__drinks__": world.drinks.pk}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}

    def state():
        return (
            PriceListItem.objects.count(),
            CustomerPrice.objects.count(),
            Promotion.objects.count(),
            list(Item.objects.order_by("pk").values_list("sale_price", flat=True)),
        )

    before = in_a(tenant_a, state)
    response = post(client_a, url, body, **auth(writer))
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert in_a(tenant_a, state) == before


def test_bulk_change_preview_then_apply_with_its_digest(client_a, tenant_a, world, writer):
    body = {"category_id": world.drinks.pk, "percent": "10"}
    preview = post(client_a, "bulk-change/preview", body, **auth(writer)).json()
    assert (preview["applied"], preview["count"]) == (False, 2)
    assert [(r["item_code"], r["old_price"], r["new_price"]) for r in preview["rows"]] == [
        ("COLA", "3.50", "3.85"),
        ("JUICE", "5.00", "5.50"),
    ]
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.50")
    applied = post(
        client_a, "bulk-change", {**body, "digest": preview["digest"]}, HTTP_IDEMPOTENCY_KEY="b-1", **auth(writer)
    )
    assert (applied.status_code, applied.json()["applied"]) == (200, True)
    # A retry with the same key replays the answer instead of raising the prices again.
    replay = post(
        client_a, "bulk-change", {**body, "digest": preview["digest"]}, HTTP_IDEMPOTENCY_KEY="b-1", **auth(writer)
    )
    assert (replay.status_code, replay.json()) == (200, applied.json())
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.85")
    # The old preview is stale now.
    stale = post(client_a, "bulk-change", {**body, "digest": preview["digest"]}, **auth(writer))
    assert (stale.status_code, stale.json()["code"], stale.json()["field"]) == (409, "preview_stale", "digest")
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.85")


def test_idempotent_create_replays_and_a_new_key_upserts(client_a, tenant_a, world, writer):
    body = {
        "name": "周末",
        "item_id": world.cola.pk,
        "kind": "fixed_price",
        "fixed_price": "3",
        "valid_from": "2026-11-14",
        "valid_to": "2026-11-15",
    }
    first = post(client_a, "promotions", body, HTTP_IDEMPOTENCY_KEY="promo-1", **auth(writer))
    second = post(client_a, "promotions", body, HTTP_IDEMPOTENCY_KEY="promo-1", **auth(writer))
    assert (first.status_code, second.status_code, second.json()["id"]) == (201, 201, first.json()["id"])
    assert second["Idempotent-Replayed"] == "true"
    assert in_a(tenant_a, Promotion.objects.count) == 1
    other = post(client_a, "promotions", {**body, "name": "别的"}, HTTP_IDEMPOTENCY_KEY="promo-1", **auth(writer))
    assert other.status_code == 409
    assert in_a(tenant_a, Promotion.objects.count) == 1


def test_settings_read_and_change(client_a, tenant_a, world, writer, reader):
    assert get(client_a, "settings", **auth(reader)).json() == {"below_cost": "warn", "beyond_stock": "warn"}
    changed = patch(client_a, "settings", {"beyond_stock": "block"}, **auth(writer))
    assert changed.json() == {"below_cost": "warn", "beyond_stock": "block"}
    bad = patch(client_a, "settings", {"below_cost": "ignore"}, **auth(writer))
    assert (bad.status_code, "below_cost" in json.dumps(bad.json())) == (400, True)
    assert in_a(tenant_a, lambda: PricingSettings.objects.get().below_cost) == "warn"


def test_scopes_and_roles(client_a, tenant_a, world, reader):
    body = {"price_list_id": world.wholesale_list.pk, "item_id": world.cola.pk, "price": "2.80"}
    assert post(client_a, "list-items", body, **auth(reader)).status_code == 403
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert get(sales, "quote", {"item": world.cola.pk}).status_code == 200
    assert get(sales, "list-items").status_code == 200
    assert post(sales, "list-items", body).status_code == 403
    assert patch(sales, "settings", {"below_cost": "block"}).status_code == 403
    manager = login(client_a, tenant_a, make_user(tenant_a, "manager@alpha.test", Role.MANAGER))
    assert post(manager, "list-items", body).status_code == 201
    assert in_a(tenant_a, PriceListItem.objects.count) == 1


def test_isolation_between_tenants(client_a, client_b, tenant_a, tenant_b, world, writer):
    entry = in_a(
        tenant_a,
        lambda: services.price_list_item_set(
            price_list_id=world.wholesale_list.pk, item_id=world.cola.pk, price="2.80"
        )[0],
    )
    promo = in_a(
        tenant_a,
        lambda: services.promotion_create(
            name="A",
            item_id=world.cola.pk,
            kind="percent_off",
            percent_off="5",
            valid_from="2026-01-01",
            valid_to="2026-12-31",
        ),
    )
    secret_b = make_key(tenant_b, scopes=("read", "write"))[1]
    # Alpha's key does not open beta's host, and beta sees none of alpha's rows.
    assert get(client_b, "list-items", **auth(writer)).status_code in (401, 403)
    for url in ("lists", "list-items", "customer-prices", "promotions"):
        assert get(client_b, url, **auth(secret_b)).json()["results"] == [], url
    assert get(client_b, f"list-items/{entry.pk}", **auth(secret_b)).status_code == 404
    assert patch(client_b, f"promotions/{promo.pk}", {"name": "B"}, **auth(secret_b)).status_code == 404
    assert client_b.delete(f"{BASE}/list-items/{entry.pk}", **auth(secret_b)).status_code == 404
    quote = get(client_b, "quote", {"item": world.cola.pk}, **auth(secret_b))
    assert (quote.status_code, quote.json()["field"]) in ((400, "item"),)
    bulk = post(client_b, "bulk-change", {"category_id": world.drinks.pk, "percent": "10"}, **auth(secret_b))
    assert (bulk.status_code, bulk.json()["field"]) == (400, "category_id")
    assert in_a(tenant_a, lambda: (PriceListItem.objects.get().price, Promotion.objects.get().name)) == (D("2.80"), "A")
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.50")


def test_query_counts_do_not_grow_with_rows(client_a, tenant_a, world, reader, django_assert_max_num_queries):
    def many():
        for price in ("2.80", "2.70", "2.60"):
            for min_quantity in ("0", "10", "20", "30"):
                services.price_list_item_set(
                    price_list_id=world.wholesale_list.pk, item_id=world.cola.pk, price=price, min_quantity=min_quantity
                )
                services.price_list_item_set(
                    price_list_id=world.walk_in_list.pk, item_id=world.juice.pk, price=price, min_quantity=min_quantity
                )
            services.promotion_create(
                name=f"P{price}",
                category_id=world.drinks.pk,
                kind="percent_off",
                percent_off="5",
                valid_from="2026-01-01",
                valid_to="2026-12-31",
            )

    in_a(tenant_a, many)
    with django_assert_max_num_queries(7):
        listed = get(client_a, "list-items", **auth(reader))
    assert listed.json()["count"] == 8
    with django_assert_max_num_queries(5):
        promos = get(client_a, "promotions", **auth(reader))
    assert promos.json()["count"] == 3
    with django_assert_max_num_queries(15):
        quote = get(
            client_a,
            "quote",
            {"item": world.cola.pk, "customer": world.wholesale_customer.pk, "date": "2026-06-01"},
            **auth(reader),
        )
    assert quote.json()["source"] == "promotion"
