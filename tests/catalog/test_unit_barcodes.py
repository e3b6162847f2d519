"""Barcodes printed on a package (a case of 24): a scan of one stands for the package's factor of base units."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.catalog import selectors, services
from modules.catalog.models import Barcode, Item, Unit
from tests.catalog.test_web import form_body, unit_id

CASE_CODE = "6901234567809"


@pytest.fixture
def cola(in_tenant_a):
    bottle = services.unit_create(name="瓶")
    case = services.unit_create(name="箱")
    return services.item_create(
        code="COLA", name="可乐", base_unit=bottle, max_items=None, units=[(case, Decimal("24"))],
        barcodes=["6901234567892", CASE_CODE], barcode_units={CASE_CODE: case},
    )  # fmt: skip


def test_barcode_scan_gives_the_item_and_the_quantity_of_one_scan(cola):
    single = selectors.barcode_scan(code="6901234567892")
    case = selectors.barcode_scan(code=f" {CASE_CODE} ")
    assert (single.item, single.unit.name, single.quantity) == (cola, "瓶", Decimal("1"))
    assert (case.item, case.unit.name, case.quantity) == (cola, "箱", Decimal("24"))
    assert selectors.barcode_scan(code="0000") is None


def test_a_barcode_unit_must_be_a_unit_of_the_item(cola):
    crate = services.unit_create(name="筐")
    with pytest.raises(AppError) as error:
        services.barcode_add(item=cola, code="X-2", unit=crate)
    assert (error.value.code, error.value.field) == ("unknown_unit", "barcodes")
    assert not Barcode.objects.filter(code="X-2").exists()
    # The base unit is stored as "no unit".
    assert services.barcode_add(item=cola, code="X-3", unit=cola.base_unit).unit is None


def test_a_unit_with_a_barcode_cannot_be_removed_and_replace_sets_units(cola):
    case = Unit.objects.get(name="箱")
    with pytest.raises(AppError) as error:
        services.item_unit_remove(item=cola, unit=case)
    assert (error.value.code, error.value.field) == ("unit_has_barcode", "units")
    assert cola.units.count() == 1
    # Without units, kept barcodes keep theirs; with them, each listed barcode gets the one given.
    services.item_barcodes_replace(item=cola, codes=["6901234567892", CASE_CODE])
    assert Barcode.objects.get(code=CASE_CODE).unit == case
    services.item_barcodes_replace(item=cola, codes=[CASE_CODE], units={})
    assert list(cola.barcodes.values_list("code", "unit")) == [(CASE_CODE, None)]
    services.item_unit_remove(item=cola, unit=case)
    assert cola.units.count() == 0


def test_item_form_reads_and_writes_package_barcodes(owner_client_a, tenant_a):
    unit_id(tenant_a, "箱")
    body = form_body(base_unit=unit_id(tenant_a), barcodes=f"6901234567892\n{CASE_CODE} 箱", units="箱 = 24")
    assert owner_client_a.post("/catalog/items/new", body).status_code == 302
    with schema_context(tenant_a.schema_name):
        item = Item.objects.get(code="C1")
        assert sorted((b.code, b.unit.name if b.unit else None) for b in item.barcodes.all()) == [
            (CASE_CODE, "箱"),
            ("6901234567892", None),
        ]
    page = owner_client_a.get(f"/catalog/items/{item.pk}").content.decode()
    assert f"{CASE_CODE} 箱" in page
    bad = owner_client_a.post(f"/catalog/items/{item.pk}", {**body, "barcodes": f"{CASE_CODE} 桶"})
    assert bad.status_code == 200 and "桶" in bad.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Barcode.objects.get(code=CASE_CODE).unit.name == "箱"
