"""price_quote: each rule of the order (customer price > promotion > quantity break > tier list > item
price), units, tax-exclusive lists, ties, and bad input."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing import services
from modules.pricing.enums import PriceSource
from modules.pricing.selectors import price_quote
from tests.pricing.conftest import DAY, item, unit


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def quote(shop, *, item=None, **kwargs):
    kwargs.setdefault("on", DAY)
    return price_quote(item=item or shop.cola, **kwargs)


def entry(price_list, item_, price, *, unit_=None, min_quantity="0"):
    return services.price_list_item_set(
        price_list_id=price_list.pk,
        item_id=item_.pk,
        unit_id=unit_.pk if unit_ else None,
        min_quantity=min_quantity,
        price=price,
    )[0]


def promotion(name, *, item_=None, category=None, percent=None, fixed=None, days=(0, 0), active=True):
    return services.promotion_create(
        name=name,
        item_id=item_.pk if item_ else None,
        category_id=category.pk if category else None,
        kind="percent_off" if percent is not None else "fixed_price",
        percent_off=percent,
        fixed_price=fixed,
        valid_from=DAY + timedelta(days=days[0]),
        valid_to=DAY + timedelta(days=days[1]),
        is_active=active,
    )


def summary(q):
    return (q.unit_price, q.source, q.reason, q.list_price)


# --- Rule 5: the item's sale price ----------------------------------------------------------------------


def test_without_any_list_the_item_sale_price(shop):
    assert summary(quote(shop)) == (D("3.50"), PriceSource.ITEM_PRICE, "Item sale price", D("3.50"))


def test_item_sale_price_converted_to_the_line_unit(shop):
    q = quote(shop, unit=shop.case, quantity=D(2))
    assert (q.unit_price, q.list_price, q.unit) == (D("84.000000"), D("84.000000"), shop.case)


# --- Rule 4: the customer's tier list -------------------------------------------------------------------


def test_walk_in_and_retail_tier_use_the_retail_list(shop):
    row = entry(shop.walk_in_list, shop.cola, "3.20")
    entry(shop.wholesale_list, shop.cola, "2.80")
    for customer in (None, shop.retail_customer):
        q = quote(shop, customer=customer)
        assert summary(q) == (D("3.20"), PriceSource.PRICE_LIST, "零售价", D("3.20"))
        assert q.source_id == row.pk


def test_wholesale_customer_uses_the_wholesale_list(shop):
    entry(shop.walk_in_list, shop.cola, "3.20")
    entry(shop.wholesale_list, shop.cola, "2.80")
    assert summary(quote(shop, customer=shop.wholesale_customer)) == (
        D("2.80"),
        PriceSource.PRICE_LIST,
        "批发价",
        D("2.80"),
    )


def test_no_fall_back_to_another_tier_list(shop):
    entry(shop.walk_in_list, shop.cola, "3.20")  # the wholesale list has no cola
    assert quote(shop, customer=shop.wholesale_customer).source == PriceSource.ITEM_PRICE


def test_a_tier_without_a_list_and_an_inactive_list_count_as_none(shop):
    tier1 = partner_create(code="C3", name="一级", is_customer=True, price_tier=PriceTier.TIER1)
    assert quote(shop, customer=tier1).source == PriceSource.ITEM_PRICE
    entry(shop.wholesale_list, shop.cola, "2.80")
    services.price_list_update(price_list_id=shop.wholesale_list.pk, is_active=False)
    assert summary(quote(shop, customer=shop.wholesale_customer))[:2] == (D("3.50"), PriceSource.ITEM_PRICE)


def test_tax_exclusive_list_gets_the_items_vat(shop):
    entry(shop.wholesale_list, shop.cola, "10.00")
    services.price_list_update(price_list_id=shop.wholesale_list.pk, tax_inclusive=False)
    q = quote(shop, customer=shop.wholesale_customer)
    assert (q.unit_price, q.list_price) == (D("11.30"), D("11.30"))


# --- Rule 3: quantity breaks ----------------------------------------------------------------------------


def test_quantity_break_from_its_minimum_on(shop):
    entry(shop.wholesale_list, shop.cola, "2.80")
    entry(shop.wholesale_list, shop.cola, "2.60", min_quantity="10")
    best = entry(shop.wholesale_list, shop.cola, "2.40", min_quantity="50")
    c = shop.wholesale_customer
    assert summary(quote(shop, customer=c, quantity=D("9.5"))) == (
        D("2.80"),
        PriceSource.PRICE_LIST,
        "批发价",
        D("2.80"),
    )
    assert summary(quote(shop, customer=c, quantity=D(10))) == (
        D("2.60"),
        PriceSource.QUANTITY_BREAK,
        "批发价 ≥ 10 瓶",
        D("2.80"),
    )
    q = quote(shop, customer=c, quantity=D(80))
    assert (q.unit_price, q.reason, q.source_id) == (D("2.40"), "批发价 ≥ 50 瓶", best.pk)


def test_quantity_break_without_a_plain_entry_lists_the_item_price(shop):
    entry(shop.wholesale_list, shop.cola, "2.60", min_quantity="10")
    c = shop.wholesale_customer
    assert summary(quote(shop, customer=c, quantity=D(3)))[:2] == (D("3.50"), PriceSource.ITEM_PRICE)
    assert summary(quote(shop, customer=c, quantity=D(12))) == (
        D("2.60"),
        PriceSource.QUANTITY_BREAK,
        "批发价 ≥ 10 瓶",
        D("3.50"),
    )


def test_base_unit_break_applies_to_a_case_line_by_its_base_quantity(shop):
    entry(shop.wholesale_list, shop.cola, "3.00", min_quantity="48")
    c = shop.wholesale_customer
    q = quote(shop, customer=c, unit=shop.case, quantity=D(2))  # 48 bottles
    assert (q.unit_price, q.source, q.reason) == (D("72.000000"), PriceSource.QUANTITY_BREAK, "批发价 ≥ 48 瓶")
    assert quote(shop, customer=c, unit=shop.case, quantity=D(1)).source == PriceSource.ITEM_PRICE


def test_a_units_own_price_beats_the_converted_base_price(shop):
    entry(shop.walk_in_list, shop.cola, "3.50")
    entry(shop.walk_in_list, shop.cola, "80.00", unit_=shop.case)
    q = quote(shop, unit=shop.case)
    assert (q.unit_price, q.source, q.list_price) == (D("80.00"), PriceSource.PRICE_LIST, D("80.00"))


def test_a_units_own_breaks_that_do_not_apply_fall_back_to_the_base_price(shop):
    entry(shop.walk_in_list, shop.cola, "3.40")
    entry(shop.walk_in_list, shop.cola, "75.00", unit_=shop.case, min_quantity="10")
    assert summary(quote(shop, unit=shop.case, quantity=D(2)))[:2] == (D("81.600000"), PriceSource.PRICE_LIST)
    assert summary(quote(shop, unit=shop.case, quantity=D(10))) == (
        D("75.00"),
        PriceSource.QUANTITY_BREAK,
        "零售价 ≥ 10 箱",
        D("81.600000"),
    )


# --- Rule 2: promotions ---------------------------------------------------------------------------------


def test_percent_promotion_comes_off_the_break_price_and_beats_it(shop):
    entry(shop.wholesale_list, shop.cola, "2.80")
    entry(shop.wholesale_list, shop.cola, "2.60", min_quantity="10")
    promo = promotion("双十一", item_=shop.cola, percent="10")
    q = quote(shop, customer=shop.wholesale_customer, quantity=D(10))
    assert summary(q) == (D("2.34"), PriceSource.PROMOTION, "Promotion: 双十一 -10%", D("2.80"))
    assert q.source_id == promo.pk


def test_fixed_price_promotion_beats_even_a_lower_break(shop):
    entry(shop.wholesale_list, shop.cola, "2.00", min_quantity="10")
    promotion("清仓", item_=shop.cola, fixed="2.50")
    q = quote(shop, customer=shop.wholesale_customer, quantity=D(10))
    assert summary(q) == (D("2.50"), PriceSource.PROMOTION, "Promotion: 清仓, special price", D("3.50"))
    # A fixed price is per base unit: a case is 24 of them.
    assert quote(shop, unit=shop.case).unit_price == D("60.000000")


def test_promotion_valid_from_and_to_inclusive_and_active_only(shop):
    promotion("周末", item_=shop.cola, percent="20", days=(-2, 0))
    promotion("停用", item_=shop.cola, percent="50", active=False)
    assert quote(shop, on=DAY).unit_price == D("2.80")
    assert quote(shop, on=DAY - timedelta(days=2)).unit_price == D("2.80")
    assert quote(shop, on=DAY - timedelta(days=3)).source == PriceSource.ITEM_PRICE
    assert quote(shop, on=DAY + timedelta(days=1)).source == PriceSource.ITEM_PRICE


def test_category_promotion_covers_its_subcategories_only(shop):
    promotion("饮料节", category=shop.drinks, percent="10")
    assert quote(shop).unit_price == D("3.15")  # cola is under 饮料 › 碳酸饮料
    assert quote(shop, item=shop.juice).unit_price == D("4.50")
    assert quote(shop, item=shop.chips).source == PriceSource.ITEM_PRICE
    promotion("汽水", category=shop.soda, percent="20")
    assert quote(shop, item=shop.juice).unit_price == D("4.50")  # the soda promotion is below juice's category


def test_several_promotions_the_lowest_price_wins(shop):
    promotion("品类", category=shop.drinks, percent="30")
    promotion("单品", item_=shop.cola, percent="10")
    q = quote(shop)
    assert (q.unit_price, q.reason) == (D("2.45"), "Promotion: 品类 -30%")


def test_promotion_tie_item_beats_category_then_the_older_wins(shop):
    promotion("品类", category=shop.drinks, fixed="3.00")
    item_promo = promotion("单品", item_=shop.cola, percent="14.29")  # 3.50 × 0.8571 = 3.00
    later = promotion("单品二", item_=shop.cola, fixed="3.00")
    q = quote(shop)
    assert (q.unit_price, q.source_id) == (D("3.00"), item_promo.pk)
    services.promotion_delete(promotion_id=item_promo.pk)
    assert quote(shop).source_id == later.pk


# --- Rule 1: customer prices ----------------------------------------------------------------------------


def test_customer_price_beats_a_lower_promotion(shop):
    entry(shop.walk_in_list, shop.cola, "3.20")
    services.customer_price_set(customer_id=shop.retail_customer.pk, item_id=shop.cola.pk, price="3.30")
    promotion("双十一", item_=shop.cola, percent="50")
    assert summary(quote(shop, customer=shop.retail_customer)) == (
        D("3.30"),
        PriceSource.CUSTOMER_PRICE,
        "Customer price",
        D("3.20"),
    )
    other = partner_create(code="C9", name="别人", is_customer=True)
    assert quote(shop, customer=other).source == PriceSource.PROMOTION
    assert quote(shop).source == PriceSource.PROMOTION


def test_customer_price_per_unit_own_first_then_converted(shop):
    c = shop.retail_customer
    services.customer_price_set(customer_id=c.pk, item_id=shop.cola.pk, price="3.00")
    assert quote(shop, customer=c, unit=shop.case).unit_price == D("72.000000")
    services.customer_price_set(customer_id=c.pk, item_id=shop.cola.pk, unit_id=shop.case.pk, price="70.00")
    assert quote(shop, customer=c, unit=shop.case).unit_price == D("70.00")
    assert quote(shop, customer=c).unit_price == D("3.00")


# --- Bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [D(0), D(-1), "abc", "1.0000001"])
def test_bad_quantity_names_the_field(shop, quantity):
    with pytest.raises(AppError) as error:
        quote(shop, quantity=quantity)
    assert error.value.field == "quantity"


def test_a_unit_not_of_the_item_and_a_partner_not_a_customer_are_refused(shop):
    with pytest.raises(AppError) as error:
        quote(shop, item=shop.juice, unit=shop.case)
    assert error.value.field == "unit"
    supplier = partner_create(code="S1", name="供应商", is_supplier=True)
    with pytest.raises(AppError) as error:
        quote(shop, customer=supplier)
    assert (error.value.field, error.value.code) == ("customer", "not_a_customer")


def test_reasons_in_chinese(shop):
    entry(shop.wholesale_list, shop.cola, "2.60", min_quantity="10")
    with translation.override("zh-hans"):
        assert quote(shop, customer=shop.wholesale_customer, quantity=D(10)).reason == "批发价 ≥ 10 瓶"
        assert quote(shop).reason == "商品售价"
        promotion("双十一", item_=shop.cola, percent="10")
        assert quote(shop).reason == "促销: 双十一 -10%"
        services.customer_price_set(customer_id=shop.retail_customer.pk, item_id=shop.cola.pk, price="3")
        assert quote(shop, customer=shop.retail_customer).reason == "客户专价"


def test_units_helper_is_used(shop):
    # A kilogram item priced per 0.5 kg unit: conversion keeps 6 places exactly.
    rice = item("RICE", price="0.35", base="克", packs=(("半斤", "250"),))
    assert quote(shop, item=rice, unit=unit("半斤")).unit_price == D("87.500000")
