"""The stock query pages (htmx filters) and the stock settings page."""

from datetime import datetime

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.inventory.models import InventorySettings
from tests.inventory.conftest import login, make_user
from tests.inventory.worked import SHANGHAI, build

pytestmark = pytest.mark.usefixtures("roles_synced")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(tenant_a):
    return build(tenant_a, today=datetime.now(SHANGHAI).date())


def page(client, url, params=None, **headers) -> str:
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_on_hand_by_supplier_with_reserved_average_cost_and_history_links(owner_client_a, world):
    html = page(owner_client_a, "/stock/on-hand", {"supplier": world.supplier})
    assert 'data-item="COLA"' in html and 'data-item="TEA"' not in html and 'data-item="MILK"' not in html
    assert f'href="/stock/items/{world.cola}/moves?warehouse={world.main}"' in html
    # 13 in MAIN, 7 in W2; quantities print plainly (not 1.3E+1), average 3 from the pool.
    assert '<td class="num" id="total-on-hand">20</td>' in html
    assert '<td class="num" id="total-reserved">0</td>' in html
    cola_main = html[html.index(f'href="/stock/items/{world.cola}/moves?warehouse={world.main}"') :].split("</tr>")[0]
    assert ">13 瓶</td>" in cola_main and ">3</td>" in cola_main and ">39.00</td>" in cola_main
    assert '<td class="num" id="total-value">60.00</td>' in html
    assert f'<option value="{world.supplier}" selected>SUP1' in html


def test_on_hand_filter_change_swaps_only_the_results(owner_client_a, world):
    html = page(owner_client_a, "/stock/on-hand", {"warehouse": world.w2}, **HTMX)
    assert "<h1>" not in html and 'id="on-hand"' in html
    assert '<td class="num" id="total-value">21.00</td>' in html


def test_lots_page_soonest_first_and_flags(owner_client_a, world):
    html = page(owner_client_a, "/stock/lots")
    order = [html.index(f'data-lot="{code}"') for code in ("GONE", "SOON", "LATE", "NONE")]
    assert order == sorted(order)
    assert 'data-lot="GONE" data-status="expired"' in html
    assert 'data-lot="SOON" data-status="expiring"' in html
    assert 'data-lot="LATE" data-status="ok"' in html
    within = page(owner_client_a, "/stock/lots", {"within": "7"}, **HTMX)
    assert 'data-lot="SOON"' in within and 'data-lot="LATE"' not in within
    assert '<td class="num" id="total-value">24.00</td>' in within
    # A bad number is ignored rather than refused on the page.
    assert 'data-lot="LATE"' in page(owner_client_a, "/stock/lots", {"within": "-3"})


def test_as_of_page(owner_client_a, world):
    html = page(owner_client_a, "/stock/as-of", {"date": "2026-03-03"})
    assert '<td class="num" id="total-value">108.00</td>' in html
    assert 'value="2026-03-03"' in html
    html = page(owner_client_a, "/stock/as-of", {"date": "2026-03-04", "warehouse": world.main}, **HTMX)
    assert 'data-item="COLA"' in html and '<td class="num" id="total-value">' in html
    assert f"/stock/items/{world.cola}/moves?to=2026-03-04&amp;warehouse={world.main}" in html
    # Without a date: today, so everything that has moved.
    assert '<td class="num" id="total-value">128.00</td>' in page(owner_client_a, "/stock/as-of")


def test_item_history_page_with_opening_and_running_balances(owner_client_a, world):
    html = page(owner_client_a, f"/stock/items/{world.cola}/moves", {"warehouse": world.main, "from": "2026-03-03"})
    opening = html[html.index('id="opening"') :]
    assert ">20<" in opening[:400] and ">50.00<" in opening[:400] and ">10<" in opening[:400]
    rows = html.split("data-move=")[1:]
    assert len(rows) == 3
    assert "OUT-1" in rows[0] and ">-10.00</td>" in rows[0] and ">6</td>" in rows[0]
    assert "TR-1" in rows[1] and ">9</td>" in rows[1]
    assert "IN-3" in rows[2] and ">13</td>" in rows[2] and ">60.00</td>" in rows[2]
    assert ">test " in rows[0]  # the raw source type: nobody registered "test"


def test_history_links_a_registered_document_type(owner_client_a, world, monkeypatch):
    from modules.inventory import sources

    monkeypatch.setattr(sources, "_registry", {})
    sources.source_register("test", "测试单据", url_name="inventory:warehouse_detail")
    html = page(owner_client_a, f"/stock/items/{world.cola}/moves", {"to": "2026-03-01"})
    assert '测试单据 <a href="/stock/warehouses/1">IN-1</a>' in html


def test_history_page_of_an_unknown_item_is_404(owner_client_a, world):
    assert owner_client_a.get(f"/stock/items/{world.milk + 1000}/moves").status_code == 404


def test_catalog_item_page_links_the_stock_history(owner_client_a, world):
    assert f'href="/stock/items/{world.cola}/moves"' in page(owner_client_a, f"/catalog/items/{world.cola}")


def test_beta_pages_show_none_of_alphas_stock(owner_client_b, world):
    assert 'data-item="COLA"' not in page(owner_client_b, "/stock/on-hand", {"supplier": world.supplier})
    assert "data-lot=" not in page(owner_client_b, "/stock/lots")
    assert 'data-item="COLA"' not in page(owner_client_b, "/stock/as-of", {"date": "2026-03-05"})
    assert owner_client_b.get(f"/stock/items/{world.cola}/moves").status_code == 404


def test_pages_query_counts_are_capped(owner_client_a, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page(owner_client_a, "/stock/on-hand")
    # Two of them load the user's permissions, for the menu's entries that need one (Reports).
    with django_assert_max_num_queries(15):
        page(owner_client_a, f"/stock/items/{world.cola}/moves", {"warehouse": world.main, "from": "2026-03-02"})


# --- Settings ----------------------------------------------------------------------------------------


def saved(tenant):
    with schema_context(tenant.schema_name):
        row = InventorySettings.objects.filter(pk=1).first()
        return None if row is None else (row.allow_negative_stock, row.costing_method)


def test_settings_page_switches_to_fifo_before_any_move(owner_client_a, tenant_a, tenant_b):
    html = page(owner_client_a, "/stock/settings")
    assert '<select name="costing_method" id="id_costing_method">' in html
    response = owner_client_a.post("/stock/settings", {"costing_method": "fifo"})
    assert response.status_code == 302
    assert saved(tenant_a) == (False, "fifo")
    assert saved(tenant_b) is None
    # FIFO with negative stock allowed is refused, naming the field; nothing changes.
    response = owner_client_a.post("/stock/settings", {"costing_method": "fifo", "allow_negative_stock": "on"})
    assert response.status_code == 400
    assert 'id="id_allow_negative_stock-errors"' in response.content.decode()
    assert saved(tenant_a) == (False, "fifo")


def test_settings_page_locks_the_costing_method_once_stock_moved(owner_client_a, tenant_a, world):
    html = page(owner_client_a, "/stock/settings")
    select = html[html.index('<select name="costing_method"') :].split(">")[0]
    assert "disabled" in select and 'aria-describedby="id_costing_method_helptext"' in select
    assert 'id="id_costing_method_helptext"' in html
    response = owner_client_a.post("/stock/settings", {"costing_method": "fifo", "allow_negative_stock": "on"})
    assert response.status_code == 302
    assert saved(tenant_a) == (True, "average")


def test_settings_are_for_owner_and_manager_only(client_a, tenant_a):
    warehouse_user = make_user(tenant_a, "wh@alpha.test", Role.WAREHOUSE)
    login(client_a, tenant_a, warehouse_user)
    assert client_a.get("/stock/settings").status_code == 403
    assert client_a.post("/stock/settings", {"allow_negative_stock": "on"}).status_code == 403
    # Nor through the API, signed in; reading is fine.
    api = "/api/v1/stock/settings"
    assert client_a.patch(api, {"allow_negative_stock": True}, content_type="application/json").status_code == 403
    assert client_a.get(api).status_code == 200
    assert saved(tenant_a) is None
    assert 'href="/stock/settings"' not in page(client_a, "/stock/on-hand")
    manager = make_user(tenant_a, "mgr@alpha.test", Role.MANAGER)
    login(client_a, tenant_a, manager)
    assert 'href="/stock/settings"' in page(client_a, "/stock/on-hand")
    response = client_a.post("/stock/settings", {"allow_negative_stock": "on", "costing_method": "average"})
    assert response.status_code == 302
    assert saved(tenant_a) == (True, "average")


def test_pages_speak_chinese_and_english(owner_client_a, world):
    chinese = page(owner_client_a, f"/stock/items/{world.cola}/moves")
    assert "库存流水" in chinese and "期初结存" in chinese
    owner_client_a.cookies["django_language"] = "en"
    english = page(owner_client_a, "/stock/lots")
    assert "Lots and expiry" in english and "Expired" in english
