from django_tenants.utils import schema_context

from modules.catalog.models import Category, Item, Unit
from tests.api.conftest import login
from tests.catalog.conftest import make_item, make_user


def form_body(**overrides):
    body = {
        "code": "C1", "name": "可口可乐", "category": "", "brand": "", "base_unit": "", "vat_rate": "0.13",
        "purchase_price": "2.00", "sale_price": "3.50", "shelf_life_days": "", "barcodes": "", "units": "",
    }  # fmt: skip
    body.update(overrides)
    return body


def unit_id(tenant, name="瓶"):
    with schema_context(tenant.schema_name):
        return Unit.objects.get_or_create(name=name)[0].pk


def test_anonymous_goes_to_login(client_a):
    response = client_a.get("/catalog/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_list_with_live_search_and_pagination(owner_client_a, tenant_a):
    make_item(tenant_a, barcodes=["6901234567892"])
    make_item(tenant_a, code="WATER", name="农夫山泉")
    page = owner_client_a.get("/catalog/")
    assert page.status_code == 200
    assert 'data-item="COLA"' in page.content.decode()
    assert 'data-nav="catalog"' in page.content.decode()
    partial = owner_client_a.get("/catalog/", {"q": "nfsq"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text
    assert 'data-item="WATER"' in text and 'data-item="COLA"' not in text
    by_barcode = owner_client_a.get("/catalog/", {"q": "6901234567892"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-item="COLA"' in by_barcode and 'data-item="WATER"' not in by_barcode
    for i in range(30):
        make_item(tenant_a, code=f"P{i:02d}", name="x")
    second = owner_client_a.get("/catalog/", {"page": 2}).content.decode()
    assert second.count("data-item=") == 32 - 25


def test_create_item_through_the_form(owner_client_a, tenant_a):
    unit_id(tenant_a, "箱")
    body = form_body(base_unit=unit_id(tenant_a), barcodes="6901234567892\nX-1", units="箱 = 24")
    response = owner_client_a.post("/catalog/items/new", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(tenant_a.schema_name):
        item = Item.objects.get(code="C1")
        assert item.pinyin_initials == "kkkl"
        assert sorted(item.barcodes.values_list("code", flat=True)) == ["6901234567892", "X-1"]
        assert [(iu.unit.name, iu.factor) for iu in item.units.all()] == [("箱", 24)]


def test_form_shows_the_service_error_on_the_field_and_writes_nothing(owner_client_a, tenant_a):
    make_item(tenant_a, barcodes=["6901234567892"])
    response = owner_client_a.post(
        "/catalog/items/new", form_body(code="NEW", base_unit=unit_id(tenant_a), barcodes="6901234567892")
    )
    assert response.status_code == 200
    assert 'id="id_barcodes-errors"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert list(Item.objects.values_list("code", flat=True)) == ["COLA"]


def test_edit_item_is_all_or_nothing(owner_client_a, tenant_a):
    item = make_item(tenant_a)
    make_item(tenant_a, code="OTHER", barcodes=["6901234567892"])
    body = form_body(code="COLA", name="雪碧", base_unit=unit_id(tenant_a), barcodes="6901234567892")
    assert owner_client_a.post(f"/catalog/items/{item.pk}", body).status_code == 200
    with schema_context(tenant_a.schema_name):
        item.refresh_from_db()
        assert item.name == "可口可乐"
    body["barcodes"] = "12345"
    assert owner_client_a.post(f"/catalog/items/{item.pk}", body).status_code == 302
    with schema_context(tenant_a.schema_name):
        item.refresh_from_db()
        assert (item.name, item.pinyin_initials) == ("雪碧", "xb")


def test_sales_user_reads_but_cannot_write(client_a, tenant_a):
    item = make_item(tenant_a)
    login(client_a, tenant_a, make_user(tenant_a, "sales-web@alpha.test", "sales"))
    assert client_a.get("/catalog/").status_code == 200
    assert client_a.get("/catalog/items/new").status_code == 403
    assert client_a.post(f"/catalog/items/{item.pk}/active").status_code == 403
    assert client_a.post("/catalog/categories/add", {"add-name": "x"}).status_code == 403
    assert client_a.post("/catalog/units/add", {"name": "x"}).status_code == 403
    with schema_context(tenant_a.schema_name):
        assert Category.objects.count() == 0
        assert list(Unit.objects.values_list("name", flat=True)) == ["瓶"]
        assert Item.objects.get(pk=item.pk).is_active is True


def test_category_tree_add_rename_move(owner_client_a, tenant_a):
    owner_client_a.post("/catalog/categories/add", {"add-name": "饮料", "add-parent": ""})
    with schema_context(tenant_a.schema_name):
        drinks = Category.objects.get(name="饮料")
    owner_client_a.post("/catalog/categories/add", {"add-name": "汽水", "add-parent": str(drinks.pk)})
    with schema_context(tenant_a.schema_name):
        soda = Category.objects.get(name="汽水")
    assert soda.parent_id == drinks.pk
    page = owner_client_a.get("/catalog/categories").content.decode()
    assert 'data-category="汽水"' in page
    owner_client_a.post(f"/catalog/categories/{soda.pk}", {"name": "碳酸饮料", "parent": str(drinks.pk)})
    # moving a category under its own child is refused
    response = owner_client_a.post(f"/catalog/categories/{drinks.pk}", {"name": "饮料", "parent": str(soda.pk)})
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        soda.refresh_from_db()
        drinks.refresh_from_db()
        assert (soda.name, soda.parent_id) == ("碳酸饮料", drinks.pk)
        assert drinks.parent_id is None
    owner_client_a.post(f"/catalog/categories/{soda.pk}", {"name": "碳酸饮料", "parent": ""})
    with schema_context(tenant_a.schema_name):
        soda.refresh_from_db()
        assert soda.parent_id is None


def test_beta_cannot_reach_alphas_item_pages(owner_client_b, tenant_a):
    item = make_item(tenant_a)
    assert owner_client_b.get(f"/catalog/items/{item.pk}").status_code == 404
    assert owner_client_b.post(f"/catalog/items/{item.pk}/active").status_code == 404
    assert 'data-item="COLA"' not in owner_client_b.get("/catalog/").content.decode()
    with schema_context(tenant_a.schema_name):
        item.refresh_from_db()
        assert item.is_active is True


def test_pages_in_chinese_and_english(owner_client_a, tenant_a):
    make_item(tenant_a)
    zh = owner_client_a.get("/catalog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新建商品" in zh and "编码、名称、拼音首字母或条码" in zh
    from django.utils import translation

    with translation.override("en"):
        en = owner_client_a.get("/catalog/categories", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add a category" in en


def test_units_and_brands_can_be_added_on_the_web(owner_client_a, tenant_a):
    assert owner_client_a.post("/catalog/units/add", {"name": "箱"}).status_code == 302
    owner_client_a.post("/catalog/units/add", {"name": "箱"})  # a duplicate is refused with a message
    assert owner_client_a.post("/catalog/brands/add", {"name": "可口可乐"}).status_code == 302
    page = owner_client_a.get("/catalog/categories").content.decode()
    assert 'id="unit-add"' in page
    with schema_context(tenant_a.schema_name):
        from modules.catalog.models import Brand

        assert list(Unit.objects.values_list("name", flat=True)) == ["箱"]
        assert list(Brand.objects.values_list("name", flat=True)) == ["可口可乐"]


def test_list_query_count_is_capped(owner_client_a, tenant_a, django_assert_max_num_queries):
    for i in range(15):
        make_item(tenant_a, code=f"Q{i:02d}", name=f"商品{i}", barcodes=[f"QB{i}"])
    owner_client_a.get("/catalog/")
    with django_assert_max_num_queries(14):
        response = owner_client_a.get("/catalog/")
    assert response.status_code == 200


def test_variants_on_the_web(owner_client_a, tenant_a):
    item = make_item(tenant_a)
    response = owner_client_a.post(f"/catalog/items/{item.pk}/variants", {"attributes": "颜色：红，蓝\n尺码: L"})
    assert response.status_code == 302
    page = owner_client_a.get(f"/catalog/items/{item.pk}").content.decode()
    assert 'data-variant="COLA-1"' in page and 'data-variant="COLA-2"' in page
    owner_client_a.post(f"/catalog/items/{item.pk}/variants", {"attributes": "颜色: 红\n尺码: L"})  # duplicate
    with schema_context(tenant_a.schema_name):
        assert sorted(Item.objects.filter(variant_of=item).values_list("name", flat=True)) == [
            "可口可乐 红 L",
            "可口可乐 蓝 L",
        ]


def test_lookup_for_scanners_finds_by_barcode_and_stays_in_the_tenant(owner_client_a, owner_client_b, tenant_a):
    make_item(tenant_a, barcodes=["6901234567892"])
    make_item(tenant_a, code="WATER", name="农夫山泉")
    data = owner_client_a.get("/catalog/lookup", {"q": "6901234567892"}).json()
    assert [i["code"] for i in data["items"]] == ["COLA"]
    assert [i["code"] for i in owner_client_a.get("/catalog/lookup", {"q": "nfsq"}).json()["items"]] == ["WATER"]
    assert owner_client_b.get("/catalog/lookup", {"q": "6901234567892"}).json() == {"items": []}


def test_create_with_category_and_brand(owner_client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        from modules.catalog import services

        drinks = services.category_create(name="饮料")
        brand = services.brand_create(name="可口可乐")
    body = form_body(base_unit=unit_id(tenant_a), category=str(drinks.pk), brand=str(brand.pk), shelf_life_days="365")
    assert owner_client_a.post("/catalog/items/new", body).status_code == 302
    html = owner_client_a.get("/catalog/", {"category": drinks.pk}).content.decode()
    assert 'data-item="C1"' in html
    with schema_context(tenant_a.schema_name):
        item = Item.objects.get(code="C1")
        assert (item.category_id, item.brand_id, item.shelf_life_days) == (drinks.pk, brand.pk, 365)
