"""The demo shop's prices: every rule of price_quote has an example, and a second run adds nothing."""

from datetime import date
from decimal import Decimal as D

from django.utils import translation

from modules.partners.models import PriceTier
from modules.partners.services import partner_create
from modules.pricing.demo import demo_pricing_seed
from modules.pricing.models import PriceList, PriceListItem
from modules.pricing.selectors import price_quote
from tests.pricing.conftest import shop_create

TODAY = date(2026, 11, 11)


def test_demo_prices_show_every_rule(in_tenant_a):
    shop = shop_create()
    PriceList.objects.all().delete()  # the demo makes its own lists
    # 3 items × 4 tier lists, and cola's case on the retail list and as a wholesale break.
    assert demo_pricing_seed(today=TODAY) == 14
    assert demo_pricing_seed(today=TODAY) == 0
    assert (PriceList.objects.count(), PriceListItem.objects.count()) == (5, 14)
    tier1 = partner_create(code="C5", name="一级客户", is_customer=True, price_tier=PriceTier.TIER1)
    wholesale = shop.wholesale_customer

    def summary(item, customer=None, **kwargs):
        q = price_quote(item=item, customer=customer, on=TODAY, **kwargs)
        return q.unit_price, q.reason

    with translation.override("zh-hans"):
        assert summary(shop.chips, wholesale) == (D("3.20"), "客户专价")  # the first item's customer price
        assert summary(shop.chips, tier1) == (D("3.80"), "一级价")
        # 饮料 (the first department) is 8 % off: off the list price, the case price, the break.
        assert summary(shop.juice, wholesale) == (D("4.14"), "促销: 店庆 -8%")
        assert summary(shop.cola, unit=shop.case) == (D("73.42"), "促销: 店庆 -8%")  # 79.80 less 8 %
        assert summary(shop.cola, wholesale, unit=shop.case, quantity=D(10)) == (D("65.69"), "促销: 店庆 -8%")
        assert summary(shop.chips) == (D("4.00"), "商品售价")
