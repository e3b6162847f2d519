import json
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.partners.models import SupplierItem
from modules.partners.selectors import item_suppliers, supplier_items
from modules.partners.services import (
    partner_create,
    partner_deactivate,
    supplier_item_remove,
    supplier_item_set,
    supplier_item_update,
)
from tests.api.conftest import auth, login, make_key


def make_item(code="I001", name="可口可乐 330ml"):
    unit, _ = Unit.objects.get_or_create(name="瓶")
    return Item.objects.create(code=code, name=name, base_unit=unit)


def make_supplier(code="S001", **kwargs):
    kwargs.setdefault("is_supplier", True)
    return partner_create(code=code, name=f"供应商{code}", **kwargs)


@pytest.mark.usefixtures("in_tenant_a")
class TestServices:
    def test_set_is_an_upsert_per_supplier_and_item(self):
        supplier, item = make_supplier(), make_item()
        first = supplier_item_set(supplier_id=supplier.pk, item_id=item.pk, supplier_item_code="KO-1")
        again = supplier_item_set(
            supplier_id=supplier.pk, item_id=item.pk, supplier_item_code="KO-2", last_purchase_price="2.123456"
        )
        assert first.pk == again.pk
        row = SupplierItem.objects.get()
        assert (row.supplier_item_code, row.last_purchase_price) == ("KO-2", Decimal("2.123456"))

    @pytest.mark.parametrize(
        "price,code",
        [("-1", "must_not_be_negative"), ("1.0000001", "invalid"), ("abc", "invalid"), ("Infinity", "invalid")],
    )
    def test_bad_price_names_the_field_and_writes_nothing(self, price, code):
        supplier, item = make_supplier(), make_item()
        with pytest.raises(AppError) as caught:
            supplier_item_set(supplier_id=supplier.pk, item_id=item.pk, last_purchase_price=price)
        assert (caught.value.field, caught.value.code) == ("last_purchase_price", code)
        assert SupplierItem.objects.count() == 0

    def test_customer_only_partner_and_unknown_item_are_refused(self):
        customer = partner_create(code="C001", name="客户", is_customer=True)
        item = make_item()
        with pytest.raises(AppError) as caught:
            supplier_item_set(supplier_id=customer.pk, item_id=item.pk)
        assert (caught.value.field, caught.value.code) == ("supplier_id", "partner_not_a_supplier")
        with pytest.raises(AppError) as caught:
            supplier_item_set(supplier_id=make_supplier().pk, item_id=999999)
        assert caught.value.field == "item_id"
        assert SupplierItem.objects.count() == 0

    def test_update_remove_and_suppliers_of_an_item(self):
        cheap, dear, gone = make_supplier("S1"), make_supplier("S2"), make_supplier("S3")
        item, other = make_item(), make_item("I002", "雪碧")
        row = supplier_item_set(supplier_id=dear.pk, item_id=item.pk, last_purchase_price="3")
        supplier_item_set(supplier_id=cheap.pk, item_id=item.pk, last_purchase_price="2.5")
        supplier_item_set(supplier_id=gone.pk, item_id=item.pk, last_purchase_price="1")
        supplier_item_set(supplier_id=cheap.pk, item_id=other.pk)
        partner_deactivate(partner_id=gone.pk)
        assert [r.supplier.code for r in item_suppliers(item_id=item.pk)] == ["S1", "S2"]
        assert [r.supplier.code for r in item_suppliers(item_id=item.pk, active_only=False)] == ["S3", "S1", "S2"]
        assert [r.item.code for r in supplier_items(supplier_id=cheap.pk)] == ["I001", "I002"]
        supplier_item_update(supplier_id=dear.pk, supplier_item_id=row.pk, last_purchase_price="2.000001")
        row.refresh_from_db()
        assert row.last_purchase_price == Decimal("2.000001")
        with pytest.raises(AppError):
            supplier_item_update(supplier_id=cheap.pk, supplier_item_id=row.pk, supplier_item_code="x")
        supplier_item_remove(supplier_id=dear.pk, supplier_item_id=row.pk)
        assert SupplierItem.objects.filter(supplier=dear).count() == 0


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_api_and_isolation(client_a, client_b, tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        supplier, item = make_supplier(), make_item()
    _k, secret_a = make_key(tenant_a, scopes=("read", "write"))
    _k, secret_b = make_key(tenant_b, scopes=("read", "write"))
    url = f"/api/v1/partners/{supplier.pk}/items"
    response = post(
        client_a,
        url,
        {"item_id": item.pk, "supplier_item_code": "KO", "last_purchase_price": "2.5"},
        HTTP_IDEMPOTENCY_KEY="si-1",
        **auth(secret_a),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["item_code"], body["last_purchase_price"]) == ("I001", "2.500000")
    bad = post(client_a, url, {"item_id": item.pk, "last_purchase_price": "-2"}, **auth(secret_a))
    assert (bad.status_code, bad.json()["field"]) == (400, "last_purchase_price")
    listed = client_a.get(url, **auth(secret_a)).json()
    assert [row["supplier_item_code"] for row in listed["results"]] == ["KO"]
    # beta cannot read or change alpha's supplier items
    assert client_b.get(url, **auth(secret_b)).status_code == 404
    assert post(client_b, url, {"item_id": item.pk}, **auth(secret_b)).status_code == 404
    assert client_b.delete(f"{url}/{body['id']}", **auth(secret_b)).status_code == 404
    with schema_context(tenant_a.schema_name):
        row = SupplierItem.objects.get()
        assert (row.supplier_item_code, row.last_purchase_price) == ("KO", Decimal("2.500000"))
    response = client_a.patch(
        f"{url}/{body['id']}",
        data=json.dumps({"supplier_item_code": "KO-9"}),
        content_type="application/json",
        **auth(secret_a),
    )
    assert (response.status_code, response.json()["supplier_item_code"]) == (200, "KO-9")
    assert client_a.delete(f"{url}/{body['id']}", **auth(secret_a)).status_code == 204


def test_detail_page_shows_supplier_items(client_a, tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        supplier, item = make_supplier(), make_item()
        supplier_item_set(supplier_id=supplier.pk, item_id=item.pk, supplier_item_code="KO", last_purchase_price="2.5")
    login(client_a, tenant_a, owner_a)
    html = client_a.get(f"/partners/{supplier.pk}/").content.decode()
    assert 'data-supplier-item="I001"' in html and "2.500000" in html


def test_item_suppliers_api_and_isolation(client_a, client_b, tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        supplier, item = make_supplier(), make_item()
        supplier_item_set(supplier_id=supplier.pk, item_id=item.pk, supplier_item_code="KO", last_purchase_price="2")
    _k, secret_a = make_key(tenant_a, scopes=("read",))
    _k, secret_b = make_key(tenant_b, scopes=("read",))
    response = client_a.get("/api/v1/partners/item-suppliers", {"item_id": item.pk}, **auth(secret_a))
    assert response.status_code == 200, response.content
    assert [(row["supplier_code"], row["last_purchase_price"]) for row in response.json()] == [("S001", "2.000000")]
    bad = client_a.get("/api/v1/partners/item-suppliers", {"item_id": "x"}, **auth(secret_a))
    assert (bad.status_code, bad.json()["field"]) == (400, "item_id")
    beta = client_b.get("/api/v1/partners/item-suppliers", {"item_id": item.pk}, **auth(secret_b))
    assert (beta.status_code, beta.json()) == (200, [])
