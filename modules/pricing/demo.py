"""Prices for the demo shop (called by onboarding's demo hook): a list per price tier, quantity breaks by
the case, a promotion running around today and a customer's own price, so every rule of `price_quote` can
be seen at the counter. Goes through the services; a no-op once the shop has price lists."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from modules.catalog.models import Category, Item, ItemUnit
from modules.partners.models import Partner, PriceTier
from modules.pricing import services
from modules.pricing.domain import percent_change
from modules.pricing.models import PriceList

# Share of the sale price per tier (%), and how many items get list prices (a demo needs no more).
TIER_PERCENT = {
    PriceTier.WHOLESALE: Decimal(-10),
    PriceTier.TIER1: Decimal(-5),
    PriceTier.TIER2: Decimal(-3),
    PriceTier.TIER3: Decimal(-2),
}
TIER_NAMES = {
    PriceTier.RETAIL: "零售价",
    PriceTier.WHOLESALE: "批发价",
    PriceTier.TIER1: "一级价",
    PriceTier.TIER2: "二级价",
    PriceTier.TIER3: "三级价",
}
ITEMS = 60


@transaction.atomic
def demo_pricing_seed(*, today: date | None = None) -> int:
    """Seed the current schema's prices; returns the number of list entries made (0: seeded already)."""
    if PriceList.objects.exists():
        return 0
    today = today or date.today()
    lists = {tier: services.price_list_create(tier=tier, name=name) for tier, name in TIER_NAMES.items()}
    items = list(Item.objects.filter(is_active=True, sale_price__gt=0).order_by("code")[:ITEMS])
    largest_pack = {row.item_id: row for row in ItemUnit.objects.filter(item__in=items).order_by("item_id", "factor")}
    made = 0
    for item in items:
        for tier, percent in TIER_PERCENT.items():
            price = percent_change(item.sale_price, percent)
            services.price_list_item_set(price_list_id=lists[tier].pk, item_id=item.pk, price=price)
            made += 1
        pack = largest_pack.get(item.pk)
        if pack is not None:
            # A case costs less than its bottles at the counter, and wholesale buyers of 10 cases get more off.
            case_price = percent_change(item.sale_price * pack.factor, Decimal(-5))
            services.price_list_item_set(
                price_list_id=lists[PriceTier.RETAIL].pk, item_id=item.pk, unit_id=pack.unit_id, price=case_price
            )
            services.price_list_item_set(
                price_list_id=lists[PriceTier.WHOLESALE].pk,
                item_id=item.pk,
                unit_id=pack.unit_id,
                min_quantity=Decimal(10),
                price=percent_change(item.sale_price * pack.factor, Decimal(-15)),
            )
            made += 2
    category = Category.objects.filter(parent__isnull=True).order_by("pk").first()  # the first department
    if category is not None:
        services.promotion_create(
            name="店庆",
            category_id=category.pk,
            kind="percent_off",
            percent_off=Decimal(8),
            valid_from=today - timedelta(days=7),
            valid_to=today + timedelta(days=23),
        )
    customer = Partner.objects.filter(is_customer=True, price_tier=PriceTier.WHOLESALE).order_by("code").first()
    if customer is not None and items:
        price = percent_change(items[0].sale_price, Decimal(-20))
        services.customer_price_set(customer_id=customer.pk, item_id=items[0].pk, price=price)
    return made
