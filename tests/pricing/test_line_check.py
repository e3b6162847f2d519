"""sale_line_facts / sale_line_check: last purchase price, current cost, available stock, and the
below-cost and beyond-stock warnings, which block by tenant setting."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.inventory.reservations import ReserveLine, stock_reserve
from modules.partners.services import partner_create, supplier_item_set
from modules.pricing import services
from modules.pricing.enums import WarningCode
from modules.pricing.selectors import pricing_settings, sale_line_check, sale_line_facts, sale_line_review
from tests.pricing.conftest import receive


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_facts_of_an_item_never_bought(shop):
    facts = sale_line_facts(item=shop.cola, warehouse=shop.warehouse)
    assert (facts.last_purchase_price, facts.last_supplier, facts.unit_cost, facts.available) == (None, None, None, 0)
    # Nothing known about the cost: no below-cost warning; no stock: beyond stock.
    warnings = sale_line_check(item=shop.cola, warehouse=shop.warehouse, unit_price=D("0.01"), base_quantity=D(1))
    assert [w.code for w in warnings] == [WarningCode.BEYOND_STOCK]


def test_facts_last_purchase_price_cost_and_available_net_of_reservations(shop):
    s1 = partner_create(code="S1", name="甲", is_supplier=True)
    s2 = partner_create(code="S2", name="乙", is_supplier=True)
    supplier_item_set(supplier_id=s1.pk, item_id=shop.cola.pk, last_purchase_price=D("2.10"))
    supplier_item_set(supplier_id=s2.pk, item_id=shop.cola.pk, last_purchase_price=D("2.30"))
    receive(shop.cola, shop.warehouse, 10, cost="2.00")
    receive(shop.cola, shop.warehouse, 10, cost="2.50")
    stock_reserve(lines=[ReserveLine(shop.cola, shop.warehouse, D(4))], source_type="test_order", source_id=1)
    facts = sale_line_facts(item=shop.cola, warehouse=shop.warehouse)
    assert (facts.last_purchase_price, facts.last_supplier, facts.unit_cost, facts.available) == (
        D("2.300000"),
        s2,
        D("2.250000"),
        D("16"),
    )


def test_no_warnings_at_or_above_cost_within_stock(shop):
    receive(shop.cola, shop.warehouse, 10, cost="2.00")
    # 2.26 with 13 % VAT is 2.00 net: exactly the cost is not below it.
    assert sale_line_check(item=shop.cola, warehouse=shop.warehouse, unit_price=D("2.26"), base_quantity=D(10)) == []


def test_below_cost_compares_the_price_net_of_vat_per_base_unit(shop):
    receive(shop.cola, shop.warehouse, 100, cost="2.00")
    [warning] = sale_line_check(item=shop.cola, warehouse=shop.warehouse, unit_price=D("2.25"), base_quantity=D(1))
    assert (warning.code, warning.field, warning.blocking) == (WarningCode.BELOW_COST, "unit_price", False)
    assert warning.message == "Below cost: 1.99115 per 瓶 net of VAT, the cost is 2."
    # Per case: 24 × 2.26 = 54.24 is at cost, 54.00 is below.
    check = {"item": shop.cola, "warehouse": shop.warehouse, "base_quantity": D(24), "unit": shop.case}
    assert sale_line_check(unit_price=D("54.24"), **check) == []
    assert [w.code for w in sale_line_check(unit_price=D("54.00"), **check)] == [WarningCode.BELOW_COST]


def test_beyond_available_stock_names_the_quantity(shop):
    receive(shop.cola, shop.warehouse, 5, cost="2.00")
    [warning] = sale_line_check(
        item=shop.cola, warehouse=shop.warehouse, unit_price=D("3.50"), base_quantity=D(6), field_prefix="lines[1]."
    )
    assert (warning.code, warning.field) == (WarningCode.BEYOND_STOCK, "lines[1].quantity")
    assert warning.message == "Beyond available stock: 6 瓶 wanted, 5 available in Main warehouse."


def test_block_settings_raise_naming_the_line_field(shop):
    receive(shop.cola, shop.warehouse, 5, cost="2.00")
    services.pricing_settings_update(below_cost="block")
    with pytest.raises(AppError) as error:
        sale_line_check(
            item=shop.cola, warehouse=shop.warehouse, unit_price=D("1"), base_quantity=D(9), field_prefix="lines[0]."
        )
    # Below cost is checked first.
    assert (error.value.code, error.value.field) == ("below_cost", "lines[0].unit_price")
    # Beyond stock still only warns.
    [warning] = sale_line_check(item=shop.cola, warehouse=shop.warehouse, unit_price=D("3"), base_quantity=D(9))
    assert warning.code == WarningCode.BEYOND_STOCK
    services.pricing_settings_update(below_cost="warn", beyond_stock="block")
    with pytest.raises(AppError) as error:
        sale_line_check(item=shop.cola, warehouse=shop.warehouse, unit_price=D("3"), base_quantity=D(9))
    assert (error.value.code, error.value.field) == ("beyond_stock", "quantity")
    assert "5 available" in str(error.value.message)


def test_review_flags_a_blocking_warning_without_raising(shop):
    services.pricing_settings_update(beyond_stock="block")
    review = sale_line_review(item=shop.cola, warehouse=shop.warehouse, unit_price=D("3"), base_quantity=D(1))
    assert [(w.code, w.blocking) for w in review.warnings] == [(WarningCode.BEYOND_STOCK, True)]


def test_settings_default_to_warn_and_refuse_other_values(shop):
    assert (pricing_settings().below_cost, pricing_settings().beyond_stock) == ("warn", "warn")
    with pytest.raises(AppError) as error:
        services.pricing_settings_update(beyond_stock="ignore")
    assert error.value.field == "beyond_stock"
    assert pricing_settings().pk == 1 and pricing_settings()._state.adding  # nothing was saved


def test_bad_numbers_name_the_line_field(shop):
    with pytest.raises(AppError) as error:
        sale_line_check(
            item=shop.cola, warehouse=shop.warehouse, unit_price="abc", base_quantity=D(1), field_prefix="lines[3]."
        )
    assert error.value.field == "lines[3].unit_price"
