"""The supplier's lead time (default) and a supplier item's own lead time and purchase unit."""

import pytest
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.partners.services import partner_create, partner_update, supplier_item_set, supplier_item_update
from tests.reorder.conftest import auth, item, login, make_key, supplier


@pytest.mark.usefixtures("in_tenant_a")
def test_a_supplier_has_a_lead_time_that_its_items_inherit_unless_they_set_their_own():
    acme = partner_create(code="LT1", name="快运", is_supplier=True, lead_time_days=5)
    cola = item("LTCOLA", packs=(("箱", 24),))
    box = cola.units.get(unit__name="箱")

    row = supplier_item_set(supplier_id=acme.pk, item_id=cola.pk, lead_time_days="", purchase_unit_id=box.pk)

    assert (acme.lead_time_days, row.lead_time_days, row.purchase_unit_id) == (5, None, box.pk)
    row = supplier_item_update(supplier_id=acme.pk, supplier_item_id=row.pk, lead_time_days=2)
    assert row.lead_time_days == 2
    assert partner_update(partner_id=acme.pk, lead_time_days=None).lead_time_days == 0


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"lead_time_days": -1}, "lead_time_days", "must_not_be_negative"),
        ({"lead_time_days": "soon"}, "lead_time_days", "invalid"),
        ({"lead_time_days": 400}, "lead_time_days", "invalid"),
        ({"purchase_unit_id": "x"}, "purchase_unit_id", "invalid"),
    ],
)
@pytest.mark.usefixtures("in_tenant_a")
def test_bad_supplier_item_values_are_refused_naming_the_field(changes, field, code):
    acme = supplier("LT2")
    cola = item("LTCOLA2")
    row = supplier_item_set(supplier_id=acme.pk, item_id=cola.pk, last_purchase_price="2.5")

    with pytest.raises(AppError) as caught:
        supplier_item_update(supplier_id=acme.pk, supplier_item_id=row.pk, **changes)

    assert (caught.value.field, caught.value.code) == (field, code)
    row.refresh_from_db()
    assert (row.lead_time_days, row.purchase_unit_id) == (None, None)


@pytest.mark.usefixtures("in_tenant_a")
def test_a_purchase_unit_must_be_one_of_the_items_own_units():
    acme = supplier("LT3")
    cola = item("LTCOLA3")
    other = item("LTOTHER", packs=(("箱", 12),))

    with pytest.raises(AppError) as caught:
        supplier_item_set(supplier_id=acme.pk, item_id=cola.pk, purchase_unit_id=other.units.get().pk)

    assert caught.value.field == "purchase_unit_id"
    assert cola.pk not in {row.item_id for row in acme.supplier_items.all()}


def test_api_shows_and_sets_lead_times(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        acme = partner_create(code="LT4", name="慢运", is_supplier=True, lead_time_days=9)
        cola = item("LTCOLA4", packs=(("箱", 6),))
        box = cola.units.get()
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    headers = auth(secret)

    detail = client_a.get(f"/api/v1/partners/{acme.pk}", **headers)
    created = client_a.post(
        f"/api/v1/partners/{acme.pk}/items",
        {"item_id": cola.pk, "lead_time_days": 3, "purchase_unit_id": box.pk},
        content_type="application/json",
        **headers,
    )
    bad = client_a.post(
        f"/api/v1/partners/{acme.pk}/items",
        {"item_id": cola.pk, "lead_time_days": -2},
        content_type="application/json",
        **headers,
    )

    assert detail.json()["lead_time_days"] == 9
    assert (created.json()["lead_time_days"], created.json()["purchase_unit"]) == (3, "箱")
    assert (bad.status_code, bad.json()["field"]) == (400, "lead_time_days")


def test_the_partner_form_sets_the_suppliers_lead_time_and_the_page_shows_it(client_a, tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        acme = partner_create(code="LT5", name="表单供应商", is_supplier=True)
    login(client_a, tenant_a, owner_a)
    form = {"code": "LT5", "name": "表单供应商", "is_supplier": "on", "payment_terms_days": "0", "credit_limit": "0"}

    saved = client_a.post(f"/partners/{acme.pk}/edit/", {**form, "price_tier": "retail", "lead_time_days": "6"})
    refused = client_a.post(f"/partners/{acme.pk}/edit/", {**form, "price_tier": "retail", "lead_time_days": "-1"})

    assert saved.status_code == 302
    assert refused.status_code == 200 and 'id="id_lead_time_days-errors"' in refused.content.decode()
    with schema_context(tenant_a.schema_name):
        acme.refresh_from_db()
    assert acme.lead_time_days == 6
    assert "<dd data-lead-time>6</dd>" in client_a.get(f"/partners/{acme.pk}/").content.decode()
