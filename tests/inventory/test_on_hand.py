from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.inventory import selectors, services
from modules.inventory.services import MoveLine, stock_moves_post
from tests.inventory.conftest import auth, make_key

pytestmark = pytest.mark.usefixtures("roles_synced")

ON_HAND = "/api/v1/stock/on-hand"
AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def stock_alpha(tenant):
    with schema_context(tenant.schema_name):
        unit = catalog.unit_create(name="瓶")
        drinks = catalog.category_create(name="饮料")
        soda = catalog.category_create(name="汽水", parent=drinks)
        cola = catalog.item_create(code="COLA", name="可乐", base_unit=unit, max_items=None, category=soda)
        tea = catalog.item_create(code="TEA", name="茶", base_unit=unit, max_items=None)
        wh = services.warehouse_default_ensure()
        zone = services.location_create(warehouse=wh, code="A")
        shelf = services.location_create(warehouse=wh, code="A1", parent=zone)
        stock_moves_post(
            lines=[MoveLine(cola, wh, D("12"), D("2.50"), shelf), MoveLine(tea, wh, D("5"), D("4.00"))],
            posted_at=AT,
            source_type="test",
            source_id=1,
        )
        return {"drinks": drinks.pk, "zone": zone.pk, "cola": cola.pk, "wh": wh.pk}


def test_on_hand_selector_filters_and_totals(tenant_a, in_tenant_a):
    ids = stock_alpha(tenant_a)
    assert [b.item.code for b in selectors.stock_on_hand()] == ["COLA", "TEA"]
    by_category = selectors.stock_on_hand(category_id=ids["drinks"])
    assert [(b.item.code, b.on_hand, b.available, b.value) for b in by_category] == [
        ("COLA", D("12"), D("12"), D("30.00"))
    ]
    assert [b.item.code for b in selectors.stock_on_hand(location_id=ids["zone"])] == ["COLA"]
    totals = selectors.stock_on_hand_totals(selectors.stock_on_hand())
    assert (totals["on_hand"], totals["available"], totals["value"]) == (D("17"), D("17"), D("50.00"))


def test_on_hand_api_with_filters_and_isolation(client_a, client_b, tenant_a, tenant_b):
    ids = stock_alpha(tenant_a)
    _key, secret = make_key(tenant_a, scopes=("read",))
    response = client_a.get(ON_HAND, {"category": ids["drinks"]}, **auth(secret))
    assert response.status_code == 200, response.json()
    [row] = response.json()["results"]
    assert (row["item_code"], row["on_hand"], row["value"], row["location_code"]) == (
        "COLA",
        "12.000000",
        "30.00",
        "A1",
    )
    assert client_a.get(ON_HAND, {"warehouse": "x"}, **auth(secret)).json()["field"] == "warehouse"
    # beta, asking with alpha's ids, sees none of alpha's stock.
    _key_b, secret_b = make_key(tenant_b, scopes=("read",))
    response = client_b.get(ON_HAND, {"item": ids["cola"], "warehouse": ids["wh"]}, **auth(secret_b))
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert client_b.get(ON_HAND, **auth(secret_b)).json()["results"] == []


def test_on_hand_page(owner_client_a, owner_client_b, tenant_a):
    ids = stock_alpha(tenant_a)
    page = owner_client_a.get("/stock/on-hand", {"category": ids["drinks"]}).content.decode()
    assert 'data-item="COLA"' in page and 'data-item="TEA"' not in page
    assert '<td class="num" id="total-value">30.00</td>' in page
    page = owner_client_a.get("/stock/on-hand").content.decode()
    assert '<td class="num" id="total-value">50.00</td>' in page
    beta = owner_client_b.get("/stock/on-hand", {"warehouse": ids["wh"]}).content.decode()
    assert 'data-item="COLA"' not in beta
