"""Pricing pages: lists and entries, customer prices, promotions, the bulk change with its preview, the
selling checks, the htmx line fragment; roles, bad input (400 naming the field, nothing written) and
tenant isolation."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog.models import Item
from modules.identity.roles import Role
from modules.partners.services import partner_create, supplier_item_set
from modules.pricing import services
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, PricingSettings, Promotion
from tests.pricing.conftest import login, make_user, receive, shop_create

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def world(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def html(response) -> str:
    return response.content.decode()


def test_index_lists_and_adding_a_list(owner_client_a, tenant_a, world):
    page = owner_client_a.get("/pricing/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-list="wholesale"' in html(page) and "批发价" in html(page)
    created = owner_client_a.post("/pricing/lists/new", {"tier": "tier1", "name": "一级价", "tax_inclusive": "on"})
    tier1 = in_a(tenant_a, lambda: PriceList.objects.get(tier="tier1"))
    assert created.status_code == 302 and created["Location"] == f"/pricing/lists/{tier1.pk}/"
    taken = owner_client_a.post("/pricing/lists/new", {"tier": "tier1", "name": "又一个"})
    assert taken.status_code == 400
    assert 'data-error-for="tier"' in html(taken)
    assert in_a(tenant_a, PriceList.objects.count) == 3


def test_entries_set_bad_input_and_delete(owner_client_a, tenant_a, world):
    url = f"/pricing/lists/{world.wholesale_list.pk}/"
    saved = owner_client_a.post(
        f"{url}entries", {"item": world.cola.pk, "unit": world.case.pk, "min_quantity": "5", "price": "60"}
    )
    assert saved.status_code == 302
    bad = owner_client_a.post(f"{url}entries", {"item": world.cola.pk, "price": "-1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert 'data-error-for="price"' in html(bad) and "The price cannot be negative." in html(bad)
    wrong_unit = owner_client_a.post(f"{url}entries", {"item": world.juice.pk, "unit": world.case.pk, "price": "1"})
    assert wrong_unit.status_code == 400 and 'data-error-for="unit"' in html(wrong_unit)
    entry = in_a(tenant_a, PriceListItem.objects.get)
    assert (entry.item_id, entry.unit_id, entry.min_quantity, entry.price) == (
        world.cola.pk,
        world.case.pk,
        D(5),
        D("60.00"),
    )
    page = owner_client_a.get(url)
    assert 'data-entry="COLA/箱/5"' in html(page)
    found = owner_client_a.get(url, {"q": "juice"}, HTTP_HX_REQUEST="true")
    assert "COLA" not in html(found) and "<table" in html(found) and "<html" not in html(found)
    gone = owner_client_a.post(f"{url}entries/{entry.pk}/delete", HTTP_HX_REQUEST="true")
    assert (gone.status_code, gone.content) == (200, b"")
    assert in_a(tenant_a, PriceListItem.objects.count) == 0


def test_list_edit(owner_client_a, tenant_a, world):
    url = f"/pricing/lists/{world.wholesale_list.pk}/edit"
    assert owner_client_a.post(url, {"name": "批发二"}).status_code == 302
    price_list = in_a(tenant_a, lambda: PriceList.objects.get(pk=world.wholesale_list.pk))
    assert (price_list.name, price_list.tax_inclusive, price_list.is_active) == ("批发二", False, False)
    assert owner_client_a.post(url, {"name": ""}).status_code == 400


def test_customer_prices_page(owner_client_a, tenant_a, world):
    body = {"customer": world.retail_customer.pk, "item": world.cola.pk, "price": "3.10"}
    saved = owner_client_a.post("/pricing/customer-prices/set", body)
    assert (
        saved.status_code == 302
        and saved["Location"] == f"/pricing/customer-prices/?customer={world.retail_customer.pk}"
    )
    page = owner_client_a.get(saved["Location"])
    assert 'data-customer-price="C1/COLA/瓶"' in html(page)
    bad = owner_client_a.post("/pricing/customer-prices/set", {**body, "price": "abc"})
    assert bad.status_code == 400 and 'data-error-for="price"' in html(bad)
    row = in_a(tenant_a, CustomerPrice.objects.get)
    assert row.price == D("3.10")
    assert owner_client_a.post(f"/pricing/customer-prices/{row.pk}/delete").status_code == 302
    assert in_a(tenant_a, CustomerPrice.objects.count) == 0


def test_promotions_page_create_toggle_delete(owner_client_a, tenant_a, world):
    body = {
        "name": "双十一",
        "category": world.drinks.pk,
        "kind": "percent_off",
        "percent_off": "10",
        "valid_from": "2026-11-11",
        "valid_to": "2026-11-11",
        "is_active": "on",
    }
    assert owner_client_a.post("/pricing/promotions/new", body).status_code == 302
    bad = owner_client_a.post("/pricing/promotions/new", {**body, "percent_off": "150"})
    assert bad.status_code == 400 and 'data-error-for="percent_off"' in html(bad)
    neither = owner_client_a.post("/pricing/promotions/new", {**body, "category": ""})
    assert neither.status_code == 400 and 'data-error-for="item"' in html(neither)
    promotion = in_a(tenant_a, Promotion.objects.get)
    page = owner_client_a.get("/pricing/promotions/")
    assert 'data-promotion="双十一"' in html(page)
    row = owner_client_a.post(f"/pricing/promotions/{promotion.pk}/toggle", HTTP_HX_REQUEST="true")
    assert 'data-state="paused"' in html(row)
    assert in_a(tenant_a, lambda: Promotion.objects.get().is_active) is False
    assert owner_client_a.post(f"/pricing/promotions/{promotion.pk}/delete").status_code == 302
    assert in_a(tenant_a, Promotion.objects.count) == 0


def test_bulk_change_preview_then_apply(owner_client_a, tenant_a, world):
    body = {"category": world.drinks.pk, "target": "item", "percent": "10"}
    preview = owner_client_a.post("/pricing/bulk-change", {**body, "action": "preview"})
    assert preview.status_code == 200
    assert 'data-bulk-row="COLA"' in html(preview) and 'data-new-price="3.85"' in html(preview)
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.50")
    digest = html(preview).split('name="digest" value="')[1].split('"')[0]
    applied = owner_client_a.post("/pricing/bulk-change", {**body, "action": "apply", "digest": digest})
    assert applied.status_code == 302
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.85")
    stale = owner_client_a.post(
        "/pricing/bulk-change", {**body, "action": "apply", "digest": digest}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert stale.status_code == 400 and "preview again" in html(stale)
    assert in_a(tenant_a, lambda: Item.objects.get(code="COLA").sale_price) == D("3.85")
    bad = owner_client_a.post("/pricing/bulk-change", {**body, "percent": "-100", "action": "preview"})
    assert bad.status_code == 400 and 'data-error-for="percent"' in html(bad)


def test_settings_page(owner_client_a, tenant_a, world):
    assert owner_client_a.get("/pricing/settings").status_code == 200
    assert owner_client_a.post("/pricing/settings", {"below_cost": "block", "beyond_stock": "warn"}).status_code == 302
    assert in_a(tenant_a, lambda: PricingSettings.objects.get().below_cost) == "block"
    assert owner_client_a.post("/pricing/settings", {"below_cost": "maybe", "beyond_stock": "warn"}).status_code == 400


def test_line_fragment_price_reason_cost_last_price_warnings(owner_client_a, tenant_a, world):
    def setup():
        receive(world.cola, world.warehouse, 30, cost="3.20")
        supplier = partner_create(code="S1", name="可乐厂", is_supplier=True)
        supplier_item_set(supplier_id=supplier.pk, item_id=world.cola.pk, last_purchase_price=D("3.50"))
        services.price_list_item_set(
            price_list_id=world.wholesale_list.pk, item_id=world.cola.pk, price="3.40", min_quantity="24"
        )
        services.pricing_settings_update(beyond_stock="block")

    in_a(tenant_a, setup)
    params = {"item": world.cola.pk, "unit": world.case.pk, "quantity": "2", "customer": world.wholesale_customer.pk}
    page = owner_client_a.get("/pricing/line", params, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = html(page)
    assert page.status_code == 200 and "<html" not in text
    assert "<strong data-price>81.60</strong>" in text and "批发价 ≥ 24 瓶" in text
    assert "<span data-cost>76.80</span>" in text  # 3.20 × 24
    assert "84.00 (可乐厂)" in text  # the last purchase price per case
    assert "data-available>30 瓶" in text
    # 81.60 a case is 3.40 a bottle, 3.009 net of VAT: below the cost of 3.20; 48 bottles > 30: beyond stock.
    assert 'data-warning="below_cost"' in text
    assert 'data-warning="beyond_stock" data-field="quantity" data-blocking="true"' in text


@pytest.mark.parametrize(
    "params,field",
    [({}, "item"), ({"item": "x"}, "item"), ({"quantity": "-1"}, "quantity"), ({"unit": "__case__"}, "unit")],
)
def test_line_fragment_bad_input_names_the_field(owner_client_a, world, params, field):
    if params.get("unit") == "__case__":
        params = {"item": world.juice.pk, "unit": world.case.pk}
    elif params and "item" not in params:
        params = {"item": world.cola.pk, **params}
    page = owner_client_a.get("/pricing/line", params, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert f'data-error-for="{field}"' in html(page)


def test_sales_role_may_look_but_not_change(client_a, tenant_a, world):
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert sales.get("/pricing/").status_code == 200
    page = sales.get(f"/pricing/lists/{world.wholesale_list.pk}/")
    assert page.status_code == 200 and 'id="entry-form"' not in html(page)
    assert sales.get("/pricing/line", {"item": world.cola.pk}).status_code == 200
    for url in ("/pricing/bulk-change", "/pricing/settings"):
        assert sales.get(url).status_code == 403, url
    denied = sales.post(f"/pricing/lists/{world.wholesale_list.pk}/entries", {"item": world.cola.pk, "price": "1"})
    assert denied.status_code == 403
    assert sales.post("/pricing/lists/new", {"tier": "tier2", "name": "x"}).status_code == 403
    assert in_a(tenant_a, lambda: (PriceListItem.objects.count(), PriceList.objects.count())) == (0, 2)


def test_anonymous_goes_to_login(client_a, world):
    for url in ("/pricing/", "/pricing/line", "/pricing/promotions/"):
        response = client_a.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


def test_isolation_between_tenants(owner_client_b, tenant_a, world):
    entry = in_a(
        tenant_a,
        lambda: services.price_list_item_set(price_list_id=world.wholesale_list.pk, item_id=world.cola.pk, price="3")[
            0
        ],
    )
    promotion = in_a(
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
    assert owner_client_b.get(f"/pricing/lists/{world.wholesale_list.pk}/").status_code == 404
    assert owner_client_b.post(f"/pricing/lists/{world.wholesale_list.pk}/entries/{entry.pk}/delete").status_code == 404
    assert owner_client_b.post(f"/pricing/promotions/{promotion.pk}/delete").status_code == 404
    assert owner_client_b.post(f"/pricing/promotions/{promotion.pk}/toggle").status_code == 404
    page = owner_client_b.get("/pricing/promotions/")
    assert 'data-promotion="A"' not in html(page)
    fragment = owner_client_b.get("/pricing/line", {"item": world.cola.pk})
    assert 'data-error-for="item"' in html(fragment)
    assert in_a(tenant_a, lambda: (PriceListItem.objects.count(), Promotion.objects.count())) == (1, 1)


def test_line_fragment_reads_a_formset_row_by_its_prefix(owner_client_a, world):
    params = {
        "prefix": "lines-2-",
        "lines-2-item": world.cola.pk,
        "lines-2-unit": world.case.pk,
        "lines-2-quantity": "3",
        "lines-2-unit_price": "90",
        "customer": world.wholesale_customer.pk,  # the document's, without the prefix
        "item": world.juice.pk,  # the row's own item wins
    }
    text = html(owner_client_a.get("/pricing/line", params, HTTP_HX_REQUEST="true"))
    assert 'data-unit-price="84.00"' in text and 'data-source="item_price"' in text
    assert 'data-warning="beyond_stock"' in text
