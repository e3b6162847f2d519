from django_tenants.utils import schema_context

from modules.catalog.models import Barcode, Item
from tests.catalog.conftest import auth, make_item, make_key, make_user

ITEMS = "/api/v1/catalog/items"
UNITS = "/api/v1/catalog/units"
CATEGORIES = "/api/v1/catalog/categories"


def item_codes(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return list(Item.objects.order_by("code").values_list("code", flat=True))


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_create_item_with_units_and_barcodes(owner_client_a, tenant_a):
    assert post(owner_client_a, UNITS, {"name": "瓶"}).status_code == 201
    assert post(owner_client_a, UNITS, {"name": "箱"}).status_code == 201
    body = {
        "code": "C1", "name": "可口可乐", "base_unit": "瓶", "vat_rate": "0.13", "sale_price": "3.50",
        "barcodes": ["6901234567892"], "units": [{"unit": "箱", "factor": "24"}],
    }  # fmt: skip
    response = post(owner_client_a, ITEMS, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["pinyin_initials"] == "kkkl"
    assert data["barcodes"] == ["6901234567892"]
    assert data["units"] == [{"unit": "箱", "factor": "24.000000"}]
    assert data["sale_price"] == "3.50"


def test_errors_name_the_field_and_write_nothing(owner_client_a, tenant_a):
    make_item(tenant_a, barcodes=["6901234567892"])
    response = post(
        owner_client_a, ITEMS, {"code": "C2", "name": "x", "base_unit": "瓶", "barcodes": ["6901234567892"]}
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("duplicate_barcode", "barcodes")
    response = post(owner_client_a, ITEMS, {"code": "C2", "name": "x", "base_unit": "吨"})
    assert response.status_code == 400
    assert response.json()["field"] == "base_unit"
    response = post(
        owner_client_a, ITEMS, {"code": "C2", "name": "x", "base_unit": "瓶", "units": [{"unit": "瓶", "factor": "0"}]}
    )
    assert response.status_code == 400
    assert response.json()["field"] in ("factor", "unit")
    assert item_codes(tenant_a) == ["COLA"]


def test_list_filters_and_search(owner_client_a, tenant_a, django_assert_max_num_queries):
    make_item(tenant_a, barcodes=["6901234567892"])
    make_item(tenant_a, code="WATER", name="农夫山泉")
    for i in range(10):
        make_item(tenant_a, code=f"X{i}", name=f"商品{i}", barcodes=[f"B{i}"])
    with django_assert_max_num_queries(12):
        response = owner_client_a.get(ITEMS)
    assert response.status_code == 200
    assert response.json()["count"] == 12
    assert [i["code"] for i in owner_client_a.get(ITEMS, {"search": "nfsq"}).json()["results"]] == ["WATER"]
    assert [i["code"] for i in owner_client_a.get(ITEMS, {"search": "6901234567892"}).json()["results"]] == ["COLA"]


def test_category_filter_includes_descendants(owner_client_a, tenant_a):
    drinks = post(owner_client_a, CATEGORIES, {"name": "饮料"}).json()
    soda = post(owner_client_a, CATEGORIES, {"name": "汽水", "parent": drinks["id"]}).json()
    item = make_item(tenant_a)
    make_item(tenant_a, code="OTHER", name="其它")
    assert (
        owner_client_a.patch(
            ITEMS + f"/{item.pk}", {"category": soda["id"]}, content_type="application/json"
        ).status_code
        == 200
    )
    codes = [i["code"] for i in owner_client_a.get(ITEMS, {"category": drinks["id"]}).json()["results"]]
    assert codes == ["COLA"]
    response = owner_client_a.patch(
        CATEGORIES + f"/{drinks['id']}", {"parent": soda["id"]}, content_type="application/json"
    )
    assert (response.status_code, response.json()["field"]) == (400, "parent")


def test_deactivate_and_no_delete(owner_client_a, tenant_a):
    item = make_item(tenant_a)
    assert owner_client_a.delete(ITEMS + f"/{item.pk}").status_code == 405
    response = post(owner_client_a, ITEMS + f"/{item.pk}/deactivate", {})
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert [i["code"] for i in owner_client_a.get(ITEMS, {"active": "true"}).json()["results"]] == []


def test_barcode_lookup(owner_client_a, tenant_a):
    make_item(tenant_a, barcodes=["6901234567892"])
    response = owner_client_a.get("/api/v1/catalog/barcodes/6901234567892")
    assert response.status_code == 200
    assert response.json()["code"] == "COLA"
    assert owner_client_a.get("/api/v1/catalog/barcodes/000").status_code == 404


def test_scopes_read_key_cannot_write(client_a, tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read",))
    make_item(tenant_a)
    assert client_a.get(ITEMS, **auth(secret)).status_code == 200
    response = post(client_a, ITEMS, {"code": "N", "name": "n", "base_unit": "瓶"}, **auth(secret))
    assert response.status_code == 403
    assert item_codes(tenant_a) == ["COLA"]
    _key, writer = make_key(tenant_a, scopes=("read", "write"))
    assert post(client_a, ITEMS, {"code": "N", "name": "n", "base_unit": "瓶"}, **auth(writer)).status_code == 201


def test_sales_user_reads_but_cannot_write(client_a, tenant_a):
    from tests.api.conftest import login

    make_item(tenant_a)
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", "sales"))
    assert client_a.get(ITEMS).status_code == 200
    assert post(client_a, ITEMS, {"code": "N", "name": "n", "base_unit": "瓶"}).status_code == 403
    assert item_codes(tenant_a) == ["COLA"]


def test_beta_cannot_see_or_change_alphas_items(client_b, owner_client_b, tenant_a, tenant_b):
    item = make_item(tenant_a, barcodes=["6901234567892"])
    _key, secret = make_key(tenant_b, scopes=("read", "write"))
    for headers in ({}, auth(secret)):
        client = owner_client_b if not headers else client_b
        assert client.get(ITEMS, **headers).json()["count"] == 0
        assert client.get(ITEMS + f"/{item.pk}", **headers).status_code == 404
        assert client.get("/api/v1/catalog/barcodes/6901234567892", **headers).status_code == 404
        response = client.patch(ITEMS + f"/{item.pk}", {"name": "hacked"}, content_type="application/json", **headers)
        assert response.status_code == 404
        assert post(client, ITEMS + f"/{item.pk}/deactivate", {}, **headers).status_code == 404
    with schema_context(tenant_a.schema_name):
        item.refresh_from_db()
        assert (item.name, item.is_active) == ("可口可乐", True)


def test_same_barcode_in_alpha_and_beta(tenant_a, tenant_b):
    make_item(tenant_a, barcodes=["6901234567892"])
    make_item(tenant_b, barcodes=["6901234567892"])
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            assert Barcode.objects.filter(code="6901234567892").count() == 1


def test_create_is_idempotent(owner_client_a, tenant_a):
    make_item(tenant_a, code="SEED")
    body = {"code": "IDEM", "name": "n", "base_unit": "瓶"}
    first = post(owner_client_a, ITEMS, body, HTTP_IDEMPOTENCY_KEY="cat-1")
    replay = post(owner_client_a, ITEMS, body, HTTP_IDEMPOTENCY_KEY="cat-1")
    assert first.status_code == replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert item_codes(tenant_a) == ["IDEM", "SEED"]


def test_plan_limit_through_the_api(owner_client_a, tenant_a, monkeypatch):
    from modules.catalog import api

    make_item(tenant_a)
    monkeypatch.setattr(api, "_max_items", lambda request: 1)
    response = post(owner_client_a, ITEMS, {"code": "N", "name": "n", "base_unit": "瓶"})
    assert (response.status_code, response.json()["code"]) == (400, "plan_limit_items")
    assert item_codes(tenant_a) == ["COLA"]


def test_schema_lists_catalog_paths(client_a):
    response = client_a.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/catalog/items" in text
    assert "/api/v1/catalog/barcodes/{code}" in text


def test_update_is_all_or_nothing(owner_client_a, tenant_a):
    item = make_item(tenant_a)
    make_item(tenant_a, code="OTHER", barcodes=["6901234567892"])
    response = owner_client_a.patch(
        ITEMS + f"/{item.pk}", {"name": "雪碧", "barcodes": ["6901234567892"]}, content_type="application/json"
    )
    assert (response.status_code, response.json()["field"]) == (400, "barcodes")
    with schema_context(tenant_a.schema_name):
        item.refresh_from_db()
        assert item.name == "可口可乐"


def test_variants_through_the_api(owner_client_a, tenant_a):
    item = make_item(tenant_a)
    response = post(owner_client_a, ITEMS + f"/{item.pk}/variants", {"attributes": {"颜色": ["红", "蓝"]}})
    assert response.status_code == 201
    assert [(v["code"], v["attributes"], v["variant_of"]) for v in response.json()] == [
        ("COLA-1", {"颜色": "红"}, item.pk),
        ("COLA-2", {"颜色": "蓝"}, item.pk),
    ]


def test_beta_cannot_see_or_change_alphas_categories_and_units(owner_client_a, owner_client_b, tenant_a):
    drinks = post(owner_client_a, CATEGORIES, {"name": "饮料"}).json()
    post(owner_client_a, UNITS, {"name": "瓶"})
    assert owner_client_b.get(CATEGORIES).json() == []
    assert owner_client_b.get(UNITS).json() == []
    response = owner_client_b.patch(CATEGORIES + f"/{drinks['id']}", {"name": "x"}, content_type="application/json")
    assert response.status_code == 404
    response = post(owner_client_b, ITEMS, {"code": "B1", "name": "b", "base_unit": "瓶", "category": drinks["id"]})
    assert response.status_code == 400
    assert response.json()["field"] in ("base_unit", "category")
    assert [c["name"] for c in owner_client_a.get(CATEGORIES).json()] == ["饮料"]
