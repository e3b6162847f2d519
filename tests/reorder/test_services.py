"""Rules: the levels' order, the references, one rule per item × warehouse; bad input writes nothing."""

from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.partners.services import partner_create, partner_deactivate
from modules.reorder import services
from modules.reorder.models import ReorderRule
from tests.reorder.conftest import item, main_warehouse, second_warehouse, supplier

pytestmark = pytest.mark.usefixtures("in_tenant_a")


def levels(rule) -> tuple:
    rule.refresh_from_db()
    return (rule.minimum, rule.reorder_point, rule.maximum, rule.preferred_supplier_id, rule.is_active)


def test_create_stores_levels_in_base_units():
    cola, wh, s1 = item("COLA"), main_warehouse(), supplier("S1")
    rule = services.reorder_rule_create(
        item_id=cola.pk, warehouse_id=wh.pk, minimum="5", reorder_point="10.5", maximum=40, preferred_supplier_id=s1.pk
    )
    assert levels(rule) == (D("5"), D("10.5"), D("40"), s1.pk, True)


@pytest.mark.parametrize(
    "changes,field,code",
    [
        ({"minimum": "11"}, "minimum", "minimum_above_reorder_point"),
        ({"maximum": "10"}, "maximum", "maximum_not_above_reorder_point"),
        ({"reorder_point": "-1"}, "reorder_point", "must_not_be_negative"),
        ({"maximum": "abc"}, "maximum", "invalid_number"),
        ({"minimum": "0.0000001"}, "minimum", "too_many_places"),
        ({"maximum": None}, "maximum", "required"),
        ({"item_id": 999_999}, "item_id", "not_found"),
        ({"item_id": "x"}, "item_id", "invalid_number"),
        ({"warehouse_id": 999_999}, "warehouse_id", "not_found"),
        ({"preferred_supplier_id": 999_999}, "preferred_supplier_id", "not_found"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(changes, field, code):
    cola, wh = item("COLA"), main_warehouse()
    values = {"item_id": cola.pk, "warehouse_id": wh.pk, "minimum": "5", "reorder_point": "10", "maximum": "40"}
    with pytest.raises(AppError) as caught:
        services.reorder_rule_create(**{**values, **changes})
    assert (caught.value.field, caught.value.code) == (field, code)
    assert ReorderRule.objects.count() == 0


def test_create_refuses_customers_inactive_things_and_a_second_rule_for_the_pair():
    cola, wh = item("COLA"), main_warehouse()
    customer = partner_create(code="C1", name="客户", is_customer=True)
    gone = supplier("S9")
    partner_deactivate(partner_id=gone.pk)
    old = item("OLD")
    catalog.item_deactivate(item=old)
    closed = second_warehouse("CLOSED")
    closed.is_active = False
    closed.save()
    values = {"item_id": cola.pk, "warehouse_id": wh.pk, "minimum": "0", "reorder_point": "1", "maximum": "2"}
    for changes, field, code in [
        ({"preferred_supplier_id": customer.pk}, "preferred_supplier_id", "partner_not_a_supplier"),
        ({"preferred_supplier_id": gone.pk}, "preferred_supplier_id", "inactive"),
        ({"item_id": old.pk}, "item_id", "inactive"),
        ({"warehouse_id": closed.pk}, "warehouse_id", "inactive"),
    ]:
        with pytest.raises(AppError) as caught:
            services.reorder_rule_create(**{**values, **changes})
        assert (caught.value.field, caught.value.code) == (field, code)
    assert ReorderRule.objects.count() == 0

    services.reorder_rule_create(**values)
    with pytest.raises(AppError) as caught:
        services.reorder_rule_create(**{**values, "maximum": "99"})
    assert (caught.value.field, caught.value.code) == ("item_id", "duplicate_rule")
    # The same item in another warehouse is another rule.
    services.reorder_rule_create(**{**values, "warehouse_id": second_warehouse().pk})
    assert ReorderRule.objects.count() == 2


def test_update_checks_the_merged_levels_and_blames_the_changed_field():
    cola, wh, s1 = item("COLA"), main_warehouse(), supplier("S1")
    rule = services.reorder_rule_create(
        item_id=cola.pk, warehouse_id=wh.pk, minimum="5", reorder_point="10", maximum="40", preferred_supplier_id=s1.pk
    )
    for changes, field in [
        ({"reorder_point": "40"}, "reorder_point"),
        ({"reorder_point": "4"}, "reorder_point"),
        # A form sends all three levels: the one whose value moved is blamed.
        ({"minimum": "5", "reorder_point": "40.0", "maximum": "40"}, "reorder_point"),
        ({"maximum": "10"}, "maximum"),
        ({"minimum": "10.5"}, "minimum"),
        ({"minimum": "1", "maximum": "x"}, "maximum"),
        ({"item_id": cola.pk}, "item_id"),
        ({"preferred_supplier_id": 999_999}, "preferred_supplier_id"),
    ]:
        with pytest.raises(AppError) as caught:
            services.reorder_rule_update(rule_id=rule.pk, **changes)
        assert caught.value.field == field, changes
        assert levels(rule) == (D("5"), D("10"), D("40"), s1.pk, True)

    # A supplier deactivated since it was chosen does not block changing the levels; choosing it anew would.
    partner_deactivate(partner_id=s1.pk)
    services.reorder_rule_update(rule_id=rule.pk, maximum="50", preferred_supplier_id=s1.pk)
    assert levels(rule) == (D("5"), D("10"), D("50"), s1.pk, True)
    services.reorder_rule_update(rule_id=rule.pk, reorder_point="20", maximum="60", preferred_supplier_id=None)
    with pytest.raises(AppError) as caught:
        services.reorder_rule_update(rule_id=rule.pk, preferred_supplier_id=s1.pk)
    assert (caught.value.field, caught.value.code) == ("preferred_supplier_id", "inactive")
    assert levels(rule) == (D("5"), D("20"), D("60"), None, True)
    services.reorder_rule_update(rule_id=rule.pk, is_active=False)
    assert levels(rule)[-1] is False


def test_delete_and_unknown_rule():
    rule = services.reorder_rule_create(
        item_id=item("COLA").pk, warehouse_id=main_warehouse().pk, minimum=0, reorder_point=1, maximum=2
    )
    services.reorder_rule_delete(rule_id=rule.pk)
    assert ReorderRule.objects.count() == 0
    for call in (
        lambda: services.reorder_rule_delete(rule_id=rule.pk),
        lambda: services.reorder_rule_update(rule_id=rule.pk, maximum="3"),
    ):
        with pytest.raises(AppError) as caught:
            call()
        assert (caught.value.status_code, caught.value.field) == (404, "rule_id")


def test_database_refuses_levels_out_of_order_even_without_the_service():
    from django.db import IntegrityError, transaction

    cola, wh = item("COLA"), main_warehouse()
    for bad in [{"minimum": D("2"), "reorder_point": D("1")}, {"reorder_point": D("3"), "maximum": D("3")}]:
        values = {"minimum": D("0"), "reorder_point": D("1"), "maximum": D("3"), **bad}
        with pytest.raises(IntegrityError), transaction.atomic():
            ReorderRule.objects.create(item=cola, warehouse=wh, **values)
    assert ReorderRule.objects.count() == 0
