"""The replenishment page: filters, the reasons, ticked lines → draft purchase orders (once per form token),
bad input naming the row, roles and isolation."""

import re

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.partners.services import partner_create, supplier_item_set
from modules.purchasing.models import PurchaseOrder
from modules.reorder.services import reorder_rule_create
from tests.reorder.conftest import item, login, main_warehouse, make_user, receive, second_warehouse

pytestmark = pytest.mark.usefixtures("roles_synced")

PAGE = "/stock/reorder/suggestions/"
POST = "/stock/reorder/suggestions/orders"
HTMX = {"HTTP_HX_REQUEST": "true"}


def shop(tenant, prefix="W"):
    """COLA (by the 箱 of 24 from S1) and TEA (by the bottle from S2) both due in MAIN; MILK due in WH2."""
    with schema_context(tenant.schema_name):
        wh, wh2 = main_warehouse(), second_warehouse(f"{prefix}WH2")
        s1 = partner_create(code=f"{prefix}S1", name="可乐批发", is_supplier=True, lead_time_days=2)
        s2 = partner_create(code=f"{prefix}S2", name="茶叶批发", is_supplier=True)
        cola, tea, milk = item(f"{prefix}COLA", packs=(("箱", 24),)), item(f"{prefix}TEA"), item(f"{prefix}MILK")
        supplier_item_set(
            supplier_id=s1.pk, item_id=cola.pk, last_purchase_price="2", purchase_unit_id=cola.units.get().pk
        )
        supplier_item_set(supplier_id=s2.pk, item_id=tea.pk, last_purchase_price="5")
        supplier_item_set(supplier_id=s2.pk, item_id=milk.pk, last_purchase_price="3")
        receive(cola, wh, 10)
        for product, warehouse in ((cola, wh), (tea, wh), (milk, wh2)):
            reorder_rule_create(
                item_id=product.pk, warehouse_id=warehouse.pk, minimum="5", reorder_point="20", maximum="50"
            )
        return {"wh": wh, "wh2": wh2, "s1": s1, "s2": s2, "cola": cola, "tea": tea, "milk": milk}


def key(w, name, warehouse="wh"):
    return f"{w[name].pk}-{w[warehouse].pk}"


def orders(tenant) -> list[tuple]:
    with schema_context(tenant.schema_name):
        return [
            (po.supplier.code, po.warehouse.code, [(line.item.code, line.quantity) for line in po.lines.all()])
            for po in PurchaseOrder.objects.order_by("number").select_related("supplier", "warehouse")
        ]


def test_the_page_lists_due_lines_ticked_with_quantity_supplier_and_why(client_a, tenant_a, owner_a):
    w = shop(tenant_a)
    login(client_a, tenant_a, owner_a)

    response = client_a.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert set(re.findall(r'data-line="([^"]+)"', html)) == {"WCOLA@MAIN", "WTEA@MAIN", "WMILK@WWH2"}
    assert f'name="pick" value="{key(w, "cola")}" id="pick-{key(w, "cola")}" checked' in html
    assert f'name="qty-{key(w, "cola")}" id="qty-{key(w, "cola")}" value="2"' in html  # 40 → 2 箱
    assert 'data-supplier="WS1"' in html and 'id="create-orders"' in html
    assert html.count('<ol class="reasons">') == 3
    assert 'name="token"' in html


def test_filters_narrow_the_results_and_htmx_gets_only_the_table(client_a, tenant_a, owner_a):
    w = shop(tenant_a)
    login(client_a, tenant_a, owner_a)

    by_warehouse = client_a.get(PAGE, {"warehouse": w["wh2"].pk, "window": "90"}, **HTMX).content.decode()
    by_supplier = client_a.get(PAGE, {"supplier": w["s1"].pk, "window": "bogus"}).content.decode()

    assert "<html" not in by_warehouse
    assert re.findall(r'data-line="([^"]+)"', by_warehouse) == ["WMILK@WWH2"]
    assert 'name="window" value="90"' in by_warehouse
    assert re.findall(r'data-line="([^"]+)"', by_supplier) == ["WCOLA@MAIN"]
    assert 'name="window" value="30"' in by_supplier  # an unknown window falls back to 30 days


def test_ticked_lines_become_drafts_per_supplier_and_warehouse_and_a_repost_creates_nothing(
    client_a, tenant_a, owner_a
):
    w = shop(tenant_a)
    login(client_a, tenant_a, owner_a)
    form = {
        "token": "form-token-1",
        "window": "30",
        "pick": [key(w, "cola"), key(w, "tea"), key(w, "milk", "wh2")],
        f"qty-{key(w, 'cola')}": "3",
        f"qty-{key(w, 'tea')}": "40",
        f"qty-{key(w, 'milk', 'wh2')}": "45",
        f"supplier-{key(w, 'cola')}": str(w["s1"].pk),
        f"qty-{key(w, 'milk')}": "999",  # a line not ticked is ignored
    }

    first = client_a.post(POST, form)
    again = client_a.post(POST, form)

    assert first.status_code == 302 and first["Location"] == again["Location"]
    assert orders(tenant_a) == [
        ("WS1", "MAIN", [("WCOLA", 3)]),
        ("WS2", "MAIN", [("WTEA", 40)]),
        ("WS2", "WWH2", [("WMILK", 45)]),
    ]
    batch_page = client_a.get(first["Location"]).content.decode()
    with schema_context(tenant_a.schema_name):
        links = [f'href="/purchasing/{po.pk}"' for po in PurchaseOrder.objects.all()]
    assert all(link in batch_page for link in links), batch_page
    assert batch_page.count('<tr data-order="') == 3


def test_a_bad_quantity_names_the_row_keeps_the_input_and_writes_nothing(client_a, tenant_a, owner_a):
    w = shop(tenant_a)
    login(client_a, tenant_a, owner_a)
    form = {
        "token": "form-token-2",
        "warehouse": str(w["wh"].pk),  # the page was filtered to MAIN
        "pick": [key(w, "tea"), key(w, "cola")],
        f"qty-{key(w, 'tea')}": "40",
        f"qty-{key(w, 'cola')}": "1.5",  # whole 箱 only
        f"label-{key(w, 'cola')}": "WCOLA@MAIN",
    }

    response = client_a.post(POST, form)

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="suggestion-error">WCOLA@MAIN: ', html)
    assert f'name="qty-{key(w, "cola")}" id="qty-{key(w, "cola")}" value="1.5"' in html
    assert 'value="form-token-2"' in html
    assert set(re.findall(r'data-line="([^"]+)"', html)) == {"WCOLA@MAIN", "WTEA@MAIN"}  # still filtered
    assert orders(tenant_a) == []
    # Corrected and sent again with the same token: now the orders are made.
    assert client_a.post(POST, {**form, f"qty-{key(w, 'cola')}": "2"}).status_code == 302
    assert len(orders(tenant_a)) == 2


def test_nothing_ticked_is_refused(client_a, tenant_a, owner_a):
    shop(tenant_a)
    login(client_a, tenant_a, owner_a)

    response = client_a.post(POST, {"token": "t-empty"})

    assert response.status_code == 400 and 'id="suggestion-error"' in response.content.decode()


def test_a_role_that_may_not_order_sees_the_page_but_cannot_create_orders(client_a, tenant_a):
    w = shop(tenant_a)
    clerk = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(client_a, tenant_a, clerk)

    page = client_a.get(PAGE)
    post = client_a.post(POST, {"token": "t-role", "pick": [key(w, "tea")], f"qty-{key(w, 'tea')}": "1"})

    assert page.status_code == 200 and 'id="create-orders"' not in page.content.decode()
    assert post.status_code == 403
    assert orders(tenant_a) == []


def test_anonymous_users_are_sent_to_log_in(client_a, tenant_a):
    assert client_a.get(PAGE)["Location"].startswith("/accounts/login/")
    assert client_a.post(POST, {"token": "x"})["Location"].startswith("/accounts/login/")


def test_each_shop_sees_only_its_own_suggestions_and_batches(client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    w = shop(tenant_a, prefix="A")
    shop(tenant_b, prefix="B")
    login(client_a, tenant_a, owner_a)
    login(client_b, tenant_b, owner_b)
    created = client_a.post(POST, {"token": "iso", "pick": [key(w, "tea")], f"qty-{key(w, 'tea')}": "5"})

    seen_by_b = client_b.get(PAGE).content.decode()

    assert set(re.findall(r'data-line="([^"]+)"', seen_by_b)) == {"BCOLA@MAIN", "BTEA@MAIN", "BMILK@BWH2"}
    assert client_b.get(created["Location"]).status_code == 404
    assert orders(tenant_b) == []
