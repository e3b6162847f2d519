"""The live low-stock list: available quantity per warehouse, suggestions, suppliers, filters, two queries."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from modules.catalog import services as catalog
from modules.inventory.models import StockBalance
from modules.inventory.services import location_create
from modules.partners.services import partner_deactivate, supplier_item_update
from modules.reorder import services
from modules.reorder.selectors import low_stock
from tests.reorder.conftest import issue, item, main_warehouse, receive, second_warehouse, supplier, supplies

pytestmark = pytest.mark.usefixtures("in_tenant_a")


def rule(item_, warehouse, minimum, reorder_point, maximum, **kwargs):
    return services.reorder_rule_create(
        item_id=item_.pk,
        warehouse_id=warehouse.pk,
        minimum=minimum,
        reorder_point=reorder_point,
        maximum=maximum,
        **kwargs,
    )


def summary(lines) -> list[tuple]:
    return [(line.item.code, line.warehouse.code, line.available, line.severity) for line in lines]


def test_available_is_on_hand_minus_reserved_over_the_warehouses_locations():
    cola, wh, wh2 = item("COLA"), main_warehouse(), second_warehouse()
    zone = location_create(warehouse=wh, code="A")
    receive(cola, wh, 6)
    receive(cola, wh, 6, location=zone)
    receive(cola, wh2, 100)  # another warehouse's stock does not help MAIN
    issue(cola, wh, 1, location=zone)
    # Nothing reserves stock yet (sales orders will): set a reservation as they will.
    StockBalance.objects.filter(item=cola, warehouse=wh, location=zone).update(reserved=D("2"))
    rule(cola, wh, 0, 9, 20)

    assert summary(low_stock()) == [("COLA", "MAIN", D("9"), "reorder")]

    StockBalance.objects.filter(item=cola, warehouse=wh, location=zone).update(reserved=D("1"))
    assert low_stock() == []  # 10 available is above the reorder point of 9


def test_no_stock_at_all_is_low_and_inactive_rules_items_and_warehouses_are_ignored():
    wh, wh2 = main_warehouse(), second_warehouse()
    empty, paused, retired, elsewhere = item("EMPTY"), item("PAUSED"), item("RETIRED"), item("ELSEWHERE")
    rule(empty, wh, 0, 0, 5)
    rule(paused, wh, 0, 1, 5, is_active=False)
    rule(retired, wh, 0, 1, 5)
    catalog.item_deactivate(item=retired)
    rule(elsewhere, wh2, 0, 1, 5)
    wh2.is_active = False
    wh2.save()

    assert summary(low_stock()) == [("EMPTY", "MAIN", D("0"), "reorder")]


def test_suggestion_in_whole_purchase_units_and_severity_order():
    wh = main_warehouse()
    # 1 箱 = 24 瓶 and 1 提 = 6 瓶: the 箱 (the largest unit) is what is ordered.
    cola = item("COLA", packs=(("提", 6), ("箱", 24)))
    tea = item("TEA")
    rice = item("RICE", base="千克", packs=(("袋", D("0.5")),))  # a unit smaller than the base is no pack
    receive(cola, wh, 10)
    receive(tea, wh, 3)
    receive(rice, wh, D("1.5"))
    rule(cola, wh, 5, 12, 40)  # 30 missing → 2 箱
    rule(tea, wh, 4, 6, 20)  # 3 < 4: below minimum
    rule(rice, wh, 0, 2, D("5.25"))

    lines = low_stock()

    assert summary(lines) == [
        ("TEA", "MAIN", D("3"), "below_minimum"),
        ("COLA", "MAIN", D("10"), "reorder"),  # 10/40 of its maximum left
        ("RICE", "MAIN", D("1.5"), "reorder"),  # 1.5/5.25
    ]
    tea_line, cola_line, rice_line = lines
    assert (cola_line.suggested_quantity, cola_line.purchase_unit, cola_line.suggested_purchase_units) == (
        D("48"),
        "箱",
        D("2"),
    )
    assert cola_line.purchase_unit_factor == D("24")
    assert (tea_line.suggested_quantity, tea_line.purchase_unit, tea_line.suggested_purchase_units) == (
        D("17"),
        "",
        None,
    )
    assert (rice_line.suggested_quantity, rice_line.purchase_unit) == (D("3.75"), "")


def test_supplier_is_the_preferred_one_else_the_only_or_most_recent_with_its_last_price():
    wh = main_warehouse()
    solo, many, chosen, nobody = item("SOLO"), item("MANY"), item("CHOSEN"), item("NOBODY")
    s1, s2, s3 = supplier("S1"), supplier("S2"), supplier("S3")
    supplies(s1, solo, "2.5")
    older = supplies(s1, many, "3.1")
    supplies(s2, many, "2.9")
    supplies(s1, chosen, "1.1")
    for product in (solo, many, chosen, nobody):
        rule(product, wh, 0, 1, 10, preferred_supplier_id=s3.pk if product is chosen else None)

    by_item = {line.item.code: line for line in low_stock()}

    def seen(code):
        line = by_item[code]
        return (line.supplier.code if line.supplier else None, line.supplier_preferred, line.last_price)

    assert seen("SOLO") == ("S1", False, D("2.5"))
    assert seen("MANY") == ("S2", False, D("2.9"))  # the most recently updated supplier item
    assert seen("CHOSEN") == ("S3", True, None)  # preferred, though it has no price for the item yet
    assert seen("NOBODY") == (None, False, None)
    assert by_item["SOLO"].estimated_amount == D("25.00")

    supplier_item_update(supplier_id=s1.pk, supplier_item_id=older.pk, last_purchase_price="3.0")
    partner_deactivate(partner_id=s3.pk)  # a deactivated preferred supplier falls back to the default
    by_item = {line.item.code: line for line in low_stock()}
    assert seen("MANY") == ("S1", False, D("3.0"))
    assert seen("CHOSEN") == ("S1", False, D("1.1"))


def test_filters_by_warehouse_category_subtree_and_supplier():
    wh, wh2 = main_warehouse(), second_warehouse()
    drinks = catalog.category_create(name="饮料")
    soda = catalog.category_create(name="汽水", parent=drinks)
    snacks = catalog.category_create(name="零食")
    cola, chips = item("COLA", category=soda), item("CHIPS", category=snacks)
    s1, s2 = supplier("S1"), supplier("S2")
    supplies(s1, cola)
    supplies(s2, chips)
    rule(cola, wh, 0, 1, 10)
    rule(cola, wh2, 0, 1, 10)
    rule(chips, wh, 0, 1, 10)

    assert summary(low_stock(warehouse_id=wh2.pk)) == [("COLA", "WH2", D("0"), "reorder")]
    assert [line.item.code for line in low_stock(category_id=drinks.pk)] == ["COLA", "COLA"]
    assert [line.item.code for line in low_stock(category_id=snacks.pk)] == ["CHIPS"]
    assert [line.item.code for line in low_stock(supplier_id=s2.pk)] == ["CHIPS"]
    assert low_stock(warehouse_id=wh2.pk, supplier_id=s2.pk) == []
    assert low_stock(category_id=999_999) == []


def test_two_queries_whatever_the_number_of_rules(django_assert_max_num_queries):
    wh, wh2 = main_warehouse(), second_warehouse()
    category = catalog.category_create(name="饮料")
    suppliers = [supplier(f"S{n}") for n in range(3)]
    for n in range(30):
        product = item(f"I{n:02}", packs=(("箱", 12),), category=category)
        supplies(suppliers[n % 3], product, "1.5")
        if n % 2:
            receive(product, wh, n)
        rule(product, wh, 2, 10, 40, preferred_supplier_id=suppliers[0].pk if n % 5 == 0 else None)
        rule(product, wh2, 0, 1, 10)

    with django_assert_max_num_queries(2):
        lines = low_stock()
    with django_assert_max_num_queries(2):
        filtered = low_stock(category_id=category.pk, supplier_id=suppliers[1].pk, warehouse_id=wh.pk)

    # wh: the 15 without stock and I01..I09 odd (available ≤ 10); wh2: all 30 (nothing there).
    assert len(lines) == 15 + 5 + 30
    assert {line.supplier.code for line in filtered} == {"S1"}
    assert all(line.supplier is not None and line.warehouse.code == "MAIN" for line in filtered)


def test_snapshot_refresh_replaces_the_lines():
    wh = main_warehouse()
    cola, tea = item("COLA"), item("TEA")
    rule(cola, wh, 1, 2, 10)
    rule(tea, wh, 0, 2, 10)
    receive(tea, wh, 1)
    then = timezone.now()

    first = services.low_stock_snapshot_refresh(now=then)
    assert (first.computed_at, first.line_count, first.item_count, first.below_minimum_count) == (then, 2, 2, 1)
    assert [(a.position, a.item.code, a.severity) for a in first.alerts.all()] == [
        (0, "COLA", "below_minimum"),
        (1, "TEA", "reorder"),
    ]

    receive(cola, wh, 5)
    second = services.low_stock_snapshot_refresh()
    assert second.pk == first.pk
    assert second.computed_at > then
    assert [(a.item.code, a.available) for a in second.alerts.all()] == [("TEA", D("1"))]
