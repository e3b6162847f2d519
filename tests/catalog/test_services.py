from decimal import Decimal

import pytest

from jxc.kernel.errors import AppError
from modules.catalog import selectors, services
from modules.catalog.models import Barcode, Category, Item, ItemUnit, Unit


@pytest.fixture
def bottle(in_tenant_a):
    return services.unit_create(name="瓶")


@pytest.fixture
def case(in_tenant_a):
    return services.unit_create(name="箱")


@pytest.fixture
def cola(bottle):
    return services.item_create(code="COLA", name="可口可乐", base_unit=bottle, max_items=None)


def test_item_create_computes_pinyin_and_stores_barcodes_and_units(bottle, case):
    item = services.item_create(
        code="C1",
        name="可口可乐",
        base_unit=bottle,
        max_items=None,
        sale_price=Decimal("3.5"),
        barcodes=["6901234567892", "X-1"],
        units=[(case, Decimal("24"))],
    )
    item.refresh_from_db()
    assert item.pinyin_initials == "kkkl"
    assert item.sale_price == Decimal("3.50")
    assert sorted(item.barcodes.values_list("code", flat=True)) == ["6901234567892", "X-1"]
    assert services.quantity_to_base(item, case, Decimal("2")) == Decimal("48")
    assert services.quantity_to_base(item, bottle, 5) == Decimal("5")


def test_duplicate_code_is_refused_and_nothing_written(cola, bottle):
    with pytest.raises(AppError) as err:
        services.item_create(code="COLA", name="x", base_unit=bottle, max_items=None, barcodes=["A1"])
    assert (err.value.code, err.value.field) == ("duplicate_code", "code")
    assert Item.objects.count() == 1
    assert Barcode.objects.count() == 0


def test_duplicate_barcode_rolls_back_the_whole_item(cola, bottle):
    services.barcode_add(item=cola, code="6901234567892")
    with pytest.raises(AppError) as err:
        services.item_create(code="NEW", name="x", base_unit=bottle, max_items=None, barcodes=["6901234567892"])
    assert (err.value.code, err.value.field) == ("duplicate_barcode", "barcodes")
    assert list(Item.objects.values_list("code", flat=True)) == ["COLA"]


def test_bad_ean_check_digit_is_refused(cola):
    with pytest.raises(AppError) as err:
        services.barcode_add(item=cola, code="6901234567891")
    assert (err.value.code, err.value.field) == ("invalid_barcode", "barcodes")
    assert Barcode.objects.count() == 0


def test_unknown_unit_and_bad_factor(cola, case, bottle):
    with pytest.raises(AppError) as err:
        services.quantity_to_base(cola, case, 1)
    assert (err.value.code, err.value.field) == ("unknown_unit", "unit")
    for factor in (Decimal("0"), Decimal("-1"), Decimal("0.0000001")):
        with pytest.raises(AppError) as err:
            services.item_unit_set(item=cola, unit=case, factor=factor)
        assert (err.value.code, err.value.field) == ("invalid_factor", "factor")
    with pytest.raises(AppError) as err:
        services.item_unit_set(item=cola, unit=None, factor=Decimal("2"))
    assert err.value.field == "unit"
    assert ItemUnit.objects.count() == 0


def test_inexact_conversion_names_the_field(cola, case):
    services.item_unit_set(item=cola, unit=case, factor=Decimal("0.333333"))
    with pytest.raises(AppError) as err:
        services.quantity_to_base(cola, case, Decimal("0.0001"))
    assert (err.value.code, err.value.field) == ("inexact_conversion", "quantity")


def test_bad_vat_and_price(bottle):
    with pytest.raises(AppError) as err:
        services.item_create(code="V", name="x", base_unit=bottle, max_items=None, vat_rate=Decimal("0.17"))
    assert err.value.field == "vat_rate"
    with pytest.raises(AppError) as err:
        services.item_create(code="V", name="x", base_unit=bottle, max_items=None, sale_price=Decimal("1.234"))
    assert err.value.field == "sale_price"
    assert Item.objects.count() == 0


def test_plan_limit(bottle):
    services.item_create(code="A", name="a", base_unit=bottle, max_items=1)
    with pytest.raises(AppError) as err:
        services.item_create(code="B", name="b", base_unit=bottle, max_items=1)
    assert err.value.code == "plan_limit_items"
    assert Item.objects.count() == 1


def test_category_tree_refuses_cycles_and_sibling_duplicates(in_tenant_a):
    drinks = services.category_create(name="饮料")
    soda = services.category_create(name="碳酸饮料", parent=drinks)
    with pytest.raises(AppError) as err:
        services.category_create(name="碳酸饮料", parent=drinks)
    assert (err.value.code, err.value.field) == ("duplicate_category", "name")
    with pytest.raises(AppError) as err:
        services.category_create(name="饮料")
    assert err.value.code == "duplicate_category"
    with pytest.raises(AppError) as err:
        services.category_move(category=drinks, parent=soda)
    assert (err.value.code, err.value.field) == ("category_cycle", "parent")
    drinks.refresh_from_db()
    assert drinks.parent_id is None
    assert Category.objects.count() == 2
    assert selectors.category_descendant_ids(category_id=drinks.pk) == [drinks.pk, soda.pk]


def test_search_by_code_name_pinyin_barcode_and_category(cola, bottle):
    drinks = services.category_create(name="饮料")
    soda = services.category_create(name="汽水", parent=drinks)
    services.item_update(item=cola, category=soda)
    services.barcode_add(item=cola, code="6901234567892")
    other = services.item_create(code="WATER", name="农夫山泉", base_unit=bottle, max_items=None)
    for q in ("cola", "可口", "KKKL", "6901234567892"):
        assert list(selectors.item_list(q=q)) == [cola], q
    assert list(selectors.item_list(q="nfsq")) == [other]
    assert list(selectors.item_list(category_id=drinks.pk)) == [cola]
    assert selectors.item_by_barcode(code="6901234567892") == cola
    assert selectors.item_by_barcode(code="nope") is None


def test_update_recomputes_pinyin_and_deactivate(cola):
    services.item_update(item=cola, name="雪碧")
    cola.refresh_from_db()
    assert cola.pinyin_initials == "xb"
    services.item_deactivate(item=cola)
    cola.refresh_from_db()
    assert cola.is_active is False


def test_variants_cartesian_product(cola):
    variants = services.item_variants_generate(item=cola, attributes={"颜色": ["红", "蓝"], "尺码": ["L", "M"]})
    assert [v.code for v in variants] == ["COLA-1", "COLA-2", "COLA-3", "COLA-4"]
    assert variants[0].attributes == {"颜色": "红", "尺码": "L"}
    assert variants[0].name == "可口可乐 红 L"
    assert variants[0].variant_of == cola
    with pytest.raises(AppError) as err:
        services.item_variants_generate(item=cola, attributes={"颜色": ["红"], "尺码": ["L"]})
    assert (err.value.code, err.value.field) == ("duplicate_variant", "attributes")
    assert Item.objects.count() == 5


def test_units_are_unique(in_tenant_a):
    services.unit_create(name="kg")
    with pytest.raises(AppError) as err:
        services.unit_create(name="kg")
    assert (err.value.code, err.value.field) == ("duplicate_unit", "name")
    assert Unit.objects.count() == 1


def test_base_unit_cannot_become_one_of_its_further_units(cola, case):
    services.item_unit_set(item=cola, unit=case, factor=Decimal("24"))
    with pytest.raises(AppError) as err:
        services.item_update(item=cola, base_unit=case)
    assert (err.value.code, err.value.field) == ("base_unit_repeated", "base_unit")
    cola.refresh_from_db()
    assert cola.base_unit.name == "瓶"


def test_quantity_to_base_is_a_selector_too(cola, case):
    services.item_unit_set(item=cola, unit=case, factor=Decimal("12.5"))
    assert selectors.quantity_to_base(cola, case, "3") == Decimal("37.5")
    with pytest.raises(AppError) as err:
        selectors.quantity_to_base(cola, case, "abc")
    assert err.value.field == "quantity"
