"""Price data in a tenant's schema: price lists per price tier with their entries (quantity breaks
included), customer-specific prices, promotions, and the tenant's selling checks.

Writes go through `modules.pricing.services`; how a price is chosen is `selectors.price_quote`.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from modules.partners.models import PriceTier
from modules.pricing.enums import CheckMode, PromotionKind


def _price(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2)


class PriceList(models.Model):
    """The prices of one price tier (零售价, 批发价, 一级/二级/三级价): a customer's tier picks the list."""

    tier = models.CharField(_("price tier"), max_length=16, choices=PriceTier.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", editable=False)
    # Chinese shops quote tax-inclusive (含税) prices; a tax-exclusive list has the item's VAT added on a quote.
    tax_inclusive = models.BooleanField(_("tax-inclusive"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tier"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=PriceTier.values), name="pricing_list_tier_valid"),
            # One currency for now: the shop's books are in CNY.
            models.CheckConstraint(condition=Q(currency="CNY"), name="pricing_list_currency_cny"),
        ]

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    """The price of one item in one unit on a list; `min_quantity` > 0 makes it a quantity break (≥ that
    many of `unit`), 0 is the price for any quantity."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    min_quantity = models.DecimalField(_("minimum quantity"), max_digits=20, decimal_places=6, default=Decimal(0))
    price = _price(_("price"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price_list", "item__code", "unit", "min_quantity"]
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "item", "unit", "min_quantity"], name="pricing_list_item_unique"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricing_list_item_price_gte_0"),
            models.CheckConstraint(condition=Q(min_quantity__gte=0), name="pricing_list_item_min_qty_gte_0"),
        ]
        indexes = [models.Index(fields=["item", "price_list"], name="pricing_list_item_item")]

    def __str__(self) -> str:
        return f"{self.price_list_id}:{self.item_id}/{self.unit_id}≥{self.min_quantity}"


class CustomerPrice(models.Model):
    """A price agreed with one customer (客户专价) for an item in a unit; it beats every other rule."""

    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    price = _price(_("price"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["customer__code", "item__code", "unit"]
        verbose_name = _("customer price")
        verbose_name_plural = _("customer prices")
        constraints = [
            models.UniqueConstraint(fields=["customer", "item", "unit"], name="pricing_customer_price_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricing_customer_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.item_id}/{self.unit_id}"


class Promotion(models.Model):
    """A promotion (促销) of one item or of a category with its subcategories, from one date to another
    (both included, in the shop's time zone): a percentage off, or a fixed price per base unit."""

    name = models.CharField(_("name"), max_length=100)
    item = models.ForeignKey(
        "catalog.Item", verbose_name=_("item"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PromotionKind.choices)
    percent_off = models.DecimalField(_("percent off"), max_digits=5, decimal_places=2, null=True, blank=True)
    fixed_price = models.DecimalField(_("fixed price"), max_digits=14, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from", "name", "id"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(category__isnull=True))
                | (Q(item__isnull=True) & Q(category__isnull=False)),
                name="pricing_promotion_item_xor_category",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PromotionKind.PERCENT_OFF, percent_off__gt=0, percent_off__lt=100, fixed_price__isnull=True)
                    | Q(kind=PromotionKind.FIXED_PRICE, fixed_price__gte=0, percent_off__isnull=True)
                ),
                name="pricing_promotion_kind_value",
            ),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="pricing_promotion_dates"),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="pricing_promotion_dates_idx")]

    def __str__(self) -> str:
        return self.name


class PricingSettings(models.Model):
    """The tenant's selling checks: one row (pk 1), created on first change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    below_cost = models.CharField(
        _("selling below cost"), max_length=8, choices=CheckMode.choices, default=CheckMode.WARN
    )
    beyond_stock = models.CharField(
        _("selling beyond available stock"), max_length=8, choices=CheckMode.choices, default=CheckMode.WARN
    )

    class Meta:
        verbose_name = _("pricing settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="pricing_settings_singleton"),
            models.CheckConstraint(condition=Q(below_cost__in=CheckMode.values), name="pricing_settings_below_cost"),
            models.CheckConstraint(
                condition=Q(beyond_stock__in=CheckMode.values), name="pricing_settings_beyond_stock"
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
