import pytest
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.inventory import selectors, services
from modules.inventory.models import Location, Warehouse
from tests.inventory.conftest import auth, make_key

# alpha and beta were created before the inventory app existed: give their roles its permissions.
pytestmark = pytest.mark.usefixtures("roles_synced")

WAREHOUSES = "/api/v1/stock/warehouses"


def codes(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return list(Warehouse.objects.order_by("code").values_list("code", flat=True))


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_default_warehouse_is_created_once(in_tenant_a):
    first = services.warehouse_default_ensure()
    second = services.warehouse_default_ensure()
    assert first.pk == second.pk
    assert first.is_default is True
    assert first.code == "MAIN"
    assert Warehouse.objects.filter(is_default=True).count() == 1


def test_default_warehouse_cannot_be_deactivated(in_tenant_a):
    warehouse = services.warehouse_default_ensure()
    with pytest.raises(AppError) as error:
        services.warehouse_update(warehouse=warehouse, is_active=False)
    assert error.value.field == "is_active"
    warehouse.refresh_from_db()
    assert warehouse.is_active is True


def test_create_checks_code_and_plan_limit(in_tenant_a):
    services.warehouse_create(code="WH2", name="二号仓", max_warehouses=2)
    with pytest.raises(AppError) as error:
        services.warehouse_create(code="WH3", name="三号仓", max_warehouses=2)
    assert error.value.code == "plan_limit_warehouses"
    with pytest.raises(AppError) as error:
        services.warehouse_create(code="WH2", name="again", max_warehouses=None)
    assert error.value.code == "duplicate_code"
    assert list(Warehouse.objects.order_by("code").values_list("code", flat=True)) == ["MAIN", "WH2"]


def test_location_tree_kinds_and_codes(in_tenant_a):
    warehouse = services.warehouse_default_ensure()
    other = services.warehouse_create(code="WH2", name="二号仓", max_warehouses=None)
    zone = services.location_create(warehouse=warehouse, code="A")
    shelf = services.location_create(warehouse=warehouse, code="A-01", parent=zone)
    bin_ = services.location_create(warehouse=warehouse, code="A-01-1", parent=shelf)
    services.location_create(warehouse=warehouse, code="B")
    assert (zone.kind, shelf.kind, bin_.kind) == ("zone", "shelf", "bin")
    assert [(loc.code, depth) for loc, depth in selectors.location_tree(warehouse=warehouse)] == [
        ("A", 0), ("A-01", 1), ("A-01-1", 2), ("B", 0)
    ]  # fmt: skip
    # The same code in another warehouse is fine; within one it is not.
    services.location_create(warehouse=other, code="A")
    for kwargs, field, code in [
        ({"code": "A"}, "code", "duplicate_code"),
        ({"code": "X", "parent": bin_}, "parent", "too_deep"),
        ({"code": "X", "kind": "bin"}, "kind", "wrong_kind"),
        ({"code": "X", "kind": "shed"}, "kind", "invalid_kind"),
    ]:
        with pytest.raises(AppError) as error:
            services.location_create(warehouse=warehouse, **kwargs)
        assert (error.value.field, error.value.code) == (field, code)
    with pytest.raises(AppError) as error:
        services.location_create(warehouse=other, code="Y", parent=zone)
    assert error.value.field == "parent"
    assert Location.objects.count() == 5


@pytest.fixture
def unlimited(monkeypatch):
    from modules.inventory import api, views

    monkeypatch.setattr(api, "max_warehouses", lambda request: None)
    monkeypatch.setattr(views, "_max_warehouses", lambda request: None)


def test_plan_limit_through_the_api_and_web(owner_client_a, tenant_a, monkeypatch):
    from modules.inventory import api, views

    monkeypatch.setattr(api, "max_warehouses", lambda request: 1)
    monkeypatch.setattr(views, "_max_warehouses", lambda request: 1)
    response = post(owner_client_a, WAREHOUSES, {"code": "SH2", "name": "浦东仓"})
    assert (response.status_code, response.json()["code"]) == (400, "plan_limit_warehouses")
    response = owner_client_a.post("/stock/warehouses/new", {"code": "W2", "name": "二号仓"})
    assert response.status_code == 200
    assert codes(tenant_a) == ["MAIN"]


def test_api_warehouses_and_locations(owner_client_a, tenant_a, unlimited):
    response = owner_client_a.get(WAREHOUSES)
    assert response.status_code == 200
    assert [w["code"] for w in response.json()["results"]] == ["MAIN"]
    response = post(owner_client_a, WAREHOUSES, {"code": "SH2", "name": "浦东仓", "address": "上海浦东"})
    assert response.status_code == 201, response.json()
    wid = response.json()["id"]
    zone = post(owner_client_a, f"{WAREHOUSES}/{wid}/locations", {"code": "A"})
    assert zone.status_code == 201, zone.json()
    assert zone.json()["kind"] == "zone"
    shelf = post(owner_client_a, f"{WAREHOUSES}/{wid}/locations", {"code": "A1", "parent": zone.json()["id"]})
    assert shelf.json()["kind"] == "shelf"
    listed = owner_client_a.get(f"{WAREHOUSES}/{wid}/locations").json()
    assert [(row["code"], row["depth"]) for row in listed] == [("A", 0), ("A1", 1)]
    bad = post(owner_client_a, f"{WAREHOUSES}/{wid}/locations", {"code": "A"})
    assert bad.status_code == 400
    assert "code" in str(bad.json())
    patched = owner_client_a.patch(f"{WAREHOUSES}/{wid}", {"name": "浦东新仓"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["name"] == "浦东新仓"


def test_api_scopes(client_a, tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read",))
    assert client_a.get(WAREHOUSES, **auth(secret)).status_code == 200
    assert post(client_a, WAREHOUSES, {"code": "X", "name": "x"}, **auth(secret)).status_code == 403
    assert codes(tenant_a) == ["MAIN"]


def test_beta_cannot_reach_alpha_warehouse(owner_client_a, owner_client_b, tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        alpha = services.warehouse_create(code="ALPHA", name="阿尔法仓", max_warehouses=None)
        services.location_create(warehouse=alpha, code="Z1")
    with schema_context(tenant_b.schema_name):
        services.warehouse_default_ensure()
    assert [w["code"] for w in owner_client_b.get(WAREHOUSES).json()["results"]] == ["MAIN"]
    # alpha's warehouse id does not exist in beta's schema (beta has only its default warehouse).
    with schema_context(tenant_b.schema_name):
        assert not Warehouse.objects.filter(pk=alpha.pk).exists()
    assert owner_client_b.get(f"/stock/warehouses/{alpha.pk}").status_code == 404
    assert owner_client_b.get(f"{WAREHOUSES}/{alpha.pk}").status_code == 404
    assert owner_client_b.get(f"{WAREHOUSES}/{alpha.pk}/locations").status_code == 404
    assert post(owner_client_b, f"{WAREHOUSES}/{alpha.pk}/locations", {"code": "EVIL"}).status_code == 404
    with schema_context(tenant_a.schema_name):
        assert list(Location.objects.filter(warehouse=alpha).values_list("code", flat=True)) == ["Z1"]


def test_web_pages(owner_client_a, tenant_a, unlimited):
    response = owner_client_a.get("/stock/")
    assert response.status_code == 200
    assert 'data-warehouse="MAIN"' in response.content.decode()
    response = owner_client_a.post("/stock/warehouses/new", {"code": "W2", "name": "二号仓", "is_active": "on"})
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        w2 = Warehouse.objects.get(code="W2")
    response = owner_client_a.post(f"/stock/warehouses/{w2.pk}/locations", {"code": "A", "kind": "zone"})
    assert response.status_code == 302
    page = owner_client_a.get(f"/stock/warehouses/{w2.pk}").content.decode()
    assert 'data-location="A"' in page
    bad = owner_client_a.post(f"/stock/warehouses/{w2.pk}/locations", {"code": "B", "kind": "bin"})
    assert bad.status_code == 400
    edit = owner_client_a.post(f"/stock/warehouses/{w2.pk}/edit", {"code": "W2", "name": "新二号仓"})
    assert edit.status_code == 302
    with schema_context(tenant_a.schema_name):
        w2.refresh_from_db()
        assert (w2.name, w2.is_active) == ("新二号仓", False)
        assert Location.objects.filter(warehouse=w2).count() == 1
    # The Stock entry of the shop navigation is a live link now.
    assert 'href="/stock/"' in owner_client_a.get("/").content.decode()


def test_pages_need_sign_in(client_a):
    assert client_a.get("/stock/").status_code == 302


def test_pages_in_chinese_and_english(owner_client_a):
    chinese = owner_client_a.get("/stock/").content.decode()
    english = owner_client_a.get("/stock/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>仓库</h1>" in chinese and "现存量" in chinese
    assert "<h1>Warehouses</h1>" in english and "Stock on hand" in english
