"""Reorder pages: rules with inline edit (htmx), adding a rule, the low-stock page and the dashboard card."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.inventory.templatetags.stock_format import price, qty
from modules.partners.services import partner_deactivate
from modules.reorder import services
from modules.reorder.models import LowStockSnapshot, ReorderRule
from tests.reorder.conftest import item, login, main_warehouse, make_user, receive, second_warehouse, supplier, supplies

pytestmark = pytest.mark.usefixtures("roles_synced")

HTMX = {"HTTP_HX_REQUEST": "true"}


def shop(tenant):
    """COLA (1 箱 = 24 瓶) low in MAIN, TEA fine; S1 supplies COLA."""
    with schema_context(tenant.schema_name):
        wh = main_warehouse()
        cola, tea, s1 = item("COLA", "可乐", packs=(("箱", 24),)), item("TEA", "绿茶"), supplier("S1", "农夫批发")
        supplies(s1, cola, "2.00")
        receive(cola, wh, 3)
        receive(tea, wh, 50)
        rule = services.reorder_rule_create(
            item_id=cola.pk, warehouse_id=wh.pk, minimum=5, reorder_point=10, maximum=40
        )
        services.reorder_rule_create(item_id=tea.pk, warehouse_id=wh.pk, minimum=0, reorder_point=10, maximum=60)
        return {"rule": rule.pk, "cola": cola.pk, "tea": tea.pk, "wh": wh.pk, "s1": s1.pk}


def levels(tenant, pk) -> tuple:
    with schema_context(tenant.schema_name):
        rule = ReorderRule.objects.get(pk=pk)
        return (rule.minimum, rule.reorder_point, rule.maximum, rule.preferred_supplier_id, rule.is_active)


def test_rules_page_lists_and_searches(owner_client_a, tenant_a, django_assert_max_num_queries):
    shop(tenant_a)
    owner_client_a.get("/stock/reorder/rules/")  # warm the per-process caches

    with django_assert_max_num_queries(12):
        page = owner_client_a.get("/stock/reorder/rules/", HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert 'data-rule="COLA@MAIN"' in html and 'data-rule="TEA@MAIN"' in html
    assert 'data-reorder-point="10"' in html and 'data-maximum="40"' in html
    found = owner_client_a.get("/stock/reorder/rules/", {"q": "绿茶"}, **HTMX).content.decode()
    assert 'data-rule="TEA@MAIN"' in found and 'data-rule="COLA@MAIN"' not in found
    assert "<html" not in found  # htmx gets the table only
    assert 'data-nav="reorder"' in html


def test_add_rule_with_the_picker_and_bad_input(owner_client_a, tenant_a):
    ids = shop(tenant_a)
    with schema_context(tenant_a.schema_name):
        wh2 = second_warehouse()
    form = owner_client_a.get("/stock/reorder/rules/new", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-lookup-url="/catalog/lookup"' in form
    values = {"item": ids["cola"], "warehouse": wh2.pk, "minimum": "5", "reorder_point": "10", "maximum": "30"}

    bad = owner_client_a.post("/stock/reorder/rules/new", {**values, "minimum": "11"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'data-error-for="minimum"' in html and "The minimum cannot be above the reorder point." in html
    assert f'<option value="{ids["cola"]}" selected>COLA 可乐</option>' in html  # the chosen item stays chosen
    duplicate = owner_client_a.post("/stock/reorder/rules/new", {**values, "warehouse": ids["wh"]})
    assert 'data-error-for="item"' in duplicate.content.decode()
    with schema_context(tenant_a.schema_name):
        assert ReorderRule.objects.count() == 2

    ok = owner_client_a.post("/stock/reorder/rules/new", {**values, "preferred_supplier": ids["s1"], "is_active": "on"})
    assert ok.status_code == 302
    with schema_context(tenant_a.schema_name):
        rule = ReorderRule.objects.get(warehouse=wh2)
    assert levels(tenant_a, rule.pk) == (D("5"), D("10"), D("30"), ids["s1"], True)


def test_inline_edit_and_delete(owner_client_a, tenant_a):
    ids = shop(tenant_a)
    url = f"/stock/reorder/rules/{ids['rule']}/edit"
    before = levels(tenant_a, ids["rule"])

    row_form = owner_client_a.get(url, **HTMX).content.decode()
    assert row_form.startswith("<tr") and 'data-editing="true"' in row_form and 'value="40"' in row_form

    bad = owner_client_a.post(
        url, {"minimum": "5", "reorder_point": "45", "maximum": "40"}, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    )
    assert bad.status_code == 200  # htmx swaps 2xx only: the row comes back with its error
    assert 'data-error-for="reorder_point"' in bad.content.decode()
    assert levels(tenant_a, ids["rule"]) == before

    saved = owner_client_a.post(
        url, {"minimum": "5", "reorder_point": "12", "maximum": "48", "is_active": "on"}, **HTMX
    )
    assert 'data-rule="COLA@MAIN"' in saved.content.decode() and 'data-maximum="48"' in saved.content.decode()
    assert levels(tenant_a, ids["rule"]) == (D("5"), D("12"), D("48"), None, True)
    cancel = owner_client_a.get(f"/stock/reorder/rules/{ids['rule']}", **HTMX).content.decode()
    assert 'data-reorder-point="12"' in cancel

    # Without JavaScript the editor is a page of its own.
    assert owner_client_a.post(url, {"minimum": "x", "reorder_point": "1", "maximum": "2"}).status_code == 400
    deleted = owner_client_a.post(f"/stock/reorder/rules/{ids['rule']}/delete", **HTMX)
    assert (deleted.status_code, deleted.content) == (200, b"")
    with schema_context(tenant_a.schema_name):
        assert not ReorderRule.objects.filter(pk=ids["rule"]).exists()


def test_editing_keeps_a_preferred_supplier_deactivated_since(owner_client_a, tenant_a):
    ids = shop(tenant_a)
    with schema_context(tenant_a.schema_name):
        services.reorder_rule_update(rule_id=ids["rule"], preferred_supplier_id=ids["s1"])
        partner_deactivate(partner_id=ids["s1"])
    url = f"/stock/reorder/rules/{ids['rule']}/edit"
    assert f'<option value="{ids["s1"]}" selected>S1 农夫批发</option>' in owner_client_a.get(url).content.decode()

    values = {
        "minimum": "5",
        "reorder_point": "10",
        "maximum": "44",
        "preferred_supplier": ids["s1"],
        "is_active": "on",
    }
    assert owner_client_a.post(url, values, **HTMX).status_code == 200
    assert levels(tenant_a, ids["rule"]) == (D("5"), D("10"), D("44"), ids["s1"], True)


def test_a_sales_clerk_may_look_but_not_change(client_a, tenant_a):
    ids = shop(tenant_a)
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    before = levels(tenant_a, ids["rule"])

    page = client_a.get("/stock/reorder/rules/").content.decode()
    assert 'data-rule="COLA@MAIN"' in page and 'data-action="edit"' not in page and 'data-action="add-rule"' not in page
    assert client_a.get("/stock/reorder/").status_code == 200
    assert 'data-action="recompute"' not in client_a.get("/stock/reorder/").content.decode()
    for url, data in [
        (f"/stock/reorder/rules/{ids['rule']}/edit", {"minimum": "0", "reorder_point": "1", "maximum": "2"}),
        (f"/stock/reorder/rules/{ids['rule']}/delete", {}),
        ("/stock/reorder/rules/new", {"item": ids["tea"], "warehouse": ids["wh"]}),
        ("/stock/reorder/refresh", {}),
    ]:
        assert client_a.post(url, data).status_code == 403, url
    assert levels(tenant_a, ids["rule"]) == before
    with schema_context(tenant_a.schema_name):
        assert not LowStockSnapshot.objects.exists()


def test_beta_cannot_reach_alphas_rules(owner_client_b, tenant_a, tenant_b):
    ids = shop(tenant_a)
    with schema_context(tenant_b.schema_name):
        assert not ReorderRule.objects.filter(pk=ids["rule"]).exists()
    before = levels(tenant_a, ids["rule"])

    assert owner_client_b.get(f"/stock/reorder/rules/{ids['rule']}/edit").status_code == 404
    edit = {"minimum": "0", "reorder_point": "1", "maximum": "2"}
    assert owner_client_b.post(f"/stock/reorder/rules/{ids['rule']}/edit", edit).status_code == 404
    assert owner_client_b.post(f"/stock/reorder/rules/{ids['rule']}/delete").status_code == 404
    assert 'data-rule="COLA@MAIN"' not in owner_client_b.get("/stock/reorder/rules/").content.decode()
    assert levels(tenant_a, ids["rule"]) == before


def test_low_stock_page_recompute_and_filters(owner_client_a, tenant_a):
    ids = shop(tenant_a)
    page = owner_client_a.get("/stock/reorder/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-computed-at=""' in page and 'data-line="COLA@MAIN"' not in page

    response = owner_client_a.post("/stock/reorder/refresh", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Location"]) == (302, "/stock/reorder/")

    page = owner_client_a.get("/stock/reorder/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-line="COLA@MAIN" data-severity="below_minimum" data-suggested="48"' in page
    assert 'data-purchase-units="2">2 箱</strong>' in page and 'data-supplier="S1"' in page
    assert "Recomputed: 1 line is low on stock." in page
    assert 'data-line="TEA@MAIN"' not in page
    filtered = owner_client_a.get("/stock/reorder/", {"supplier": 999_999}, **HTMX).content.decode()
    assert 'data-line="COLA@MAIN"' not in filtered and "<html" not in filtered
    assert 'data-line="COLA@MAIN"' in owner_client_a.get("/stock/reorder/", {"supplier": ids["s1"]}).content.decode()


def test_dashboard_card_reads_the_snapshot(owner_client_a, owner_client_b, tenant_a):
    shop(tenant_a)
    card = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-card="low-stock"' in card and "Not computed yet" in card

    with schema_context(tenant_a.schema_name):
        services.low_stock_snapshot_refresh()
        receive(item("MILK"), main_warehouse(), 1)  # later changes wait for the next computation

    html = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-low-stock-count="1"' in html and "1 item low on stock" in html
    assert 'data-below-minimum="1"' in html
    assert '<li data-line="COLA@MAIN" data-severity="below_minimum">' in html
    assert 'href="/stock/reorder/" data-action="low-stock"' in html
    assert "Computed at " in html
    beta = owner_client_b.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "COLA" not in beta and "Not computed yet" in beta


def test_pages_speak_chinese(owner_client_a, tenant_a):
    shop(tenant_a)
    with schema_context(tenant_a.schema_name):
        services.low_stock_snapshot_refresh()

    rules = owner_client_a.get("/stock/reorder/rules/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    low = owner_client_a.get("/stock/reorder/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    dashboard = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "再订货点" in rules and "补货规则" in rules
    assert "低于安全库存" in low and "建议订货" in low
    assert "库存不足" in dashboard


def test_pages_need_sign_in(client_a):
    assert client_a.get("/stock/reorder/rules/").status_code == 302
    assert client_a.get("/stock/reorder/").status_code == 302


def test_quantity_and_price_filters_never_show_exponents():
    assert [qty(D(v)) for v in ("100.000000", "1.500000", "0E-6")] == ["100", "1.5", "0"]
    assert [price(D(v)) for v in ("2.000000", "2.345000", "100")] == ["2.00", "2.345", "100.00"]
    assert qty(None) == price(None) == ""
