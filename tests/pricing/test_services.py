"""Pricing writes: lists and entries, customer prices, promotions, and the bulk change by percentage
(preview, apply all or nothing, refused when the prices moved since the preview)."""

from datetime import date
from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError, Conflict
from modules.catalog.models import Item
from modules.catalog.services import category_create, item_update
from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing import services
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, Promotion
from tests.pricing.conftest import item


def entries(price_list) -> list[tuple]:
    return list(
        PriceListItem.objects.filter(price_list=price_list)
        .order_by("item__code", "unit__name", "min_quantity")
        .values_list("item__code", "unit__name", "min_quantity", "price")
    )


def test_price_list_entry_set_is_an_upsert_per_unit_and_minimum(shop):
    first, created = services.price_list_item_set(
        price_list_id=shop.walk_in_list.pk, item_id=shop.cola.pk, price="3.20"
    )
    again, created_again = services.price_list_item_set(
        price_list_id=shop.walk_in_list.pk, item_id=shop.cola.pk, price="3.30", min_quantity="0"
    )
    services.price_list_item_set(
        price_list_id=shop.walk_in_list.pk, item_id=shop.cola.pk, unit_id=shop.case.pk, price="80", min_quantity="5"
    )
    assert (created, created_again, first.pk == again.pk) == (True, False, True)
    assert entries(shop.walk_in_list) == [
        ("COLA", "瓶", D("0"), D("3.30")),
        ("COLA", "箱", D("5"), D("80.00")),
    ]


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"price": "-1"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"price": ""}, "price"),
        ({"min_quantity": "-2"}, "min_quantity"),
        ({"unit_id": "__juice_case__"}, "unit_id"),
        ({"item_id": 999999}, "item_id"),
        ({"item_id": "x"}, "item_id"),
        ({"price_list_id": 999999}, "price_list_id"),
    ],
)
def test_price_list_entry_bad_input_names_the_field_and_writes_nothing(shop, changes, field):
    values = {"price_list_id": shop.walk_in_list.pk, "item_id": shop.cola.pk, "price": "3"}
    values.update(changes)
    if values.get("unit_id") == "__juice_case__":  # a unit, but not one of juice's
        values.update(item_id=shop.juice.pk, unit_id=shop.case.pk)
    with pytest.raises(AppError) as error:
        services.price_list_item_set(**values)
    assert error.value.field == field
    assert PriceListItem.objects.count() == 0


def test_price_list_one_per_tier_and_its_fields(shop):
    with pytest.raises(AppError) as error:
        services.price_list_create(tier=PriceTier.WHOLESALE, name="又一个")
    assert (error.value.code, error.value.field) == ("duplicate", "tier")
    with pytest.raises(AppError) as error:
        services.price_list_create(tier="vip", name="VIP")
    assert error.value.field == "tier"
    tier1 = services.price_list_create(tier=PriceTier.TIER1, name="一级价", tax_inclusive=False)
    assert (tier1.currency, tier1.tax_inclusive, tier1.is_active) == ("CNY", False, True)
    with pytest.raises(AppError) as error:
        services.price_list_update(price_list_id=tier1.pk, tier=PriceTier.TIER2)
    assert error.value.field == "tier"
    with pytest.raises(AppError) as error:
        services.price_list_update(price_list_id=tier1.pk, name="  ")
    assert error.value.field == "name"
    assert PriceList.objects.get(pk=tier1.pk).name == "一级价"


def test_customer_price_only_for_customers(shop):
    supplier = partner_create(code="S1", name="供应商", is_supplier=True)
    with pytest.raises(AppError) as error:
        services.customer_price_set(customer_id=supplier.pk, item_id=shop.cola.pk, price="3")
    assert (error.value.code, error.value.field) == ("not_a_customer", "customer_id")
    row, created = services.customer_price_set(customer_id=shop.retail_customer.pk, item_id=shop.cola.pk, price="3")
    assert created and row.unit == shop.bottle
    services.customer_price_update(customer_price_id=row.pk, price="2.9")
    assert CustomerPrice.objects.get().price == D("2.90")
    services.customer_price_delete(customer_price_id=row.pk)
    assert CustomerPrice.objects.count() == 0
    with pytest.raises(AppError):
        services.customer_price_delete(customer_price_id=row.pk)


def _promotion(shop, **changes):
    values = {
        "name": "双十一",
        "item_id": shop.cola.pk,
        "kind": "percent_off",
        "percent_off": "10",
        "valid_from": "2026-11-01",
        "valid_to": "2026-11-11",
    }
    values.update(changes)
    return services.promotion_create(**values)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"item_id": None}, "item_id"),
        ({"category_id": "__drinks__"}, "category_id"),
        ({"kind": "bogo"}, "kind"),
        ({"percent_off": "100"}, "percent_off"),
        ({"percent_off": "0"}, "percent_off"),
        ({"kind": "fixed_price", "fixed_price": None}, "fixed_price"),
        ({"valid_to": "2026-10-31"}, "valid_to"),
        ({"valid_from": "11/01/2026"}, "valid_from"),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_promotion_bad_input_names_the_field(shop, changes, field):
    if changes.get("category_id") == "__drinks__":
        changes["category_id"] = shop.drinks.pk
    with pytest.raises(AppError) as error:
        _promotion(shop, **changes)
    assert error.value.field == field
    assert Promotion.objects.count() == 0


def test_promotion_update_switches_kind_and_scope(shop):
    promotion = _promotion(shop)
    services.promotion_update(promotion_id=promotion.pk, kind="fixed_price", fixed_price="2.99")
    services.promotion_update(promotion_id=promotion.pk, category_id=shop.drinks.pk)
    promotion.refresh_from_db()
    assert (promotion.kind, promotion.fixed_price, promotion.percent_off) == ("fixed_price", D("2.99"), None)
    assert (promotion.item_id, promotion.category_id) == (None, shop.drinks.pk)
    with pytest.raises(AppError) as error:
        services.promotion_update(promotion_id=promotion.pk, valid_from=date(2026, 12, 1))
    assert error.value.field == "valid_to"
    promotion.refresh_from_db()
    assert promotion.valid_from == date(2026, 11, 1)


# --- Bulk change ----------------------------------------------------------------------------------------


def _bulk_shop(shop):
    fizzy = category_create(name="果味", parent=shop.soda)  # a grandchild of 饮料
    orange = item("ORANGE", price="2.99", category=fizzy)
    free = item("FREE", price="0", category=shop.drinks)
    return orange, free


def test_bulk_preview_covers_subcategories_rounds_to_cents_and_writes_nothing(shop):
    _bulk_shop(shop)
    change = services.price_bulk_change_preview(category_id=shop.drinks.pk, percent="10")
    assert [(r.item.code, r.min_quantity, r.old_price, r.new_price) for r in change.rows] == [
        ("COLA", None, D("3.50"), D("3.85")),
        ("JUICE", None, D("5.00"), D("5.50")),
        ("ORANGE", None, D("2.99"), D("3.29")),  # 3.289 rounds half up; FREE stays 0 and is not listed
    ]
    assert Item.objects.get(code="COLA").sale_price == D("3.50")


def test_bulk_apply_item_prices_of_one_subtree_only(shop):
    _bulk_shop(shop)
    preview = services.price_bulk_change_preview(category_id=shop.soda.pk, percent="-5")
    applied = services.price_bulk_change_apply(category_id=shop.soda.pk, percent="-5", digest=preview.digest)
    assert applied.digest == preview.digest
    prices = dict(Item.objects.values_list("code", "sale_price"))
    assert prices == {"COLA": D("3.33"), "ORANGE": D("2.84"), "JUICE": D("5.00"), "FREE": D("0"), "CHIPS": D("4.00")}


def test_bulk_apply_on_a_price_list_changes_its_entries_only(shop):
    for price_list, price in ((shop.wholesale_list, "2.80"), (shop.walk_in_list, "3.20")):
        services.price_list_item_set(price_list_id=price_list.pk, item_id=shop.cola.pk, price=price)
    services.price_list_item_set(
        price_list_id=shop.wholesale_list.pk, item_id=shop.cola.pk, price="2.50", min_quantity="10"
    )
    services.price_list_item_set(price_list_id=shop.wholesale_list.pk, item_id=shop.chips.pk, price="3.00")
    services.price_bulk_change_apply(category_id=shop.drinks.pk, percent="12.5", price_list_id=shop.wholesale_list.pk)
    assert entries(shop.wholesale_list) == [
        ("CHIPS", "袋", D("0"), D("3.00")),
        ("COLA", "瓶", D("0"), D("3.15")),
        ("COLA", "瓶", D("10"), D("2.81")),  # 2.8125
    ]
    assert entries(shop.walk_in_list) == [("COLA", "瓶", D("0"), D("3.20"))]
    assert Item.objects.get(code="COLA").sale_price == D("3.50")


def test_bulk_apply_refuses_a_stale_preview_and_changes_nothing(shop):
    preview = services.price_bulk_change_preview(category_id=shop.drinks.pk, percent="10")
    item_update(item=shop.juice, sale_price=D("6.00"))  # someone changed a price meanwhile
    with pytest.raises(Conflict) as error:
        services.price_bulk_change_apply(category_id=shop.drinks.pk, percent="10", digest=preview.digest)
    assert (error.value.code, error.value.field, error.value.status_code) == ("preview_stale", "digest", 409)
    assert dict(Item.objects.filter(category__isnull=False).values_list("code", "sale_price")) == {
        "COLA": D("3.50"),
        "JUICE": D("6.00"),
        "CHIPS": D("4.00"),
    }


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"percent": "0"}, "percent"),
        ({"percent": "-100"}, "percent"),
        ({"percent": "abc"}, "percent"),
        ({"percent": "1.005"}, "percent"),
        ({"category_id": 999999}, "category_id"),
        ({"category_id": None}, "category_id"),
        ({"price_list_id": 999999}, "price_list_id"),
    ],
)
def test_bulk_bad_input_names_the_field(shop, changes, field):
    values = {"category_id": shop.drinks.pk, "percent": "10", **changes}
    with pytest.raises(AppError) as error:
        services.price_bulk_change_apply(**values)
    assert error.value.field == field
    assert Item.objects.get(code="COLA").sale_price == D("3.50")
