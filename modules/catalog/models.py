"""Catalog data in a tenant's schema: units, categories, brands, items, their extra units and barcodes.

Writes go through `modules.catalog.services`; the models only hold structure and constraints, so the
database refuses what a service forgot to check (duplicate code, duplicate barcode, factor <= 0).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

VAT_RATES = [Decimal("0.13"), Decimal("0.09"), Decimal("0.06"), Decimal("0.03"), Decimal("0.01"), Decimal("0.00")]
VAT_RATE_CHOICES = [(rate, f"{int(rate * 100)}%") for rate in VAT_RATES]


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="catalog_category_name_unique_in_parent"),
            # NULL parents are distinct in a unique constraint, so roots need their own one.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="catalog_category_root_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    base_unit = models.ForeignKey(Unit, verbose_name=_("base unit"), on_delete=models.PROTECT, related_name="+")
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=3, decimal_places=2, choices=VAT_RATE_CHOICES, default=Decimal("0.13")
    )
    purchase_price = models.DecimalField(_("purchase price"), max_digits=14, decimal_places=2, default=Decimal("0"))
    sale_price = models.DecimalField(_("sale price"), max_digits=14, decimal_places=2, default=Decimal("0"))
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    lot_tracked = models.BooleanField(_("lot tracking"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    pinyin_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, db_index=True)
    variant_of = models.ForeignKey(
        "self", verbose_name=_("variant of"), null=True, blank=True, on_delete=models.PROTECT, related_name="variants"
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(condition=Q(purchase_price__gte=0), name="catalog_item_purchase_price_gte_0"),
            models.CheckConstraint(condition=Q(sale_price__gte=0), name="catalog_item_sale_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemUnit(models.Model):
    """A further unit of an item: 1 `unit` = `factor` base units (1 箱 = 24 瓶)."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    factor = models.DecimalField(_("factor"), max_digits=18, decimal_places=6)

    class Meta:
        ordering = ["factor", "id"]
        verbose_name = _("item unit")
        verbose_name_plural = _("item units")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="catalog_itemunit_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_itemunit_factor_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} = {self.factor}"


class Barcode(models.Model):
    """A barcode of an item; one printed on a package (a case of 24) names that unit, so a scan counts 24."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="barcodes")
    code = models.CharField(_("barcode"), max_length=64, unique=True)
    # None: the barcode of one base unit. Otherwise one of the item's further units (an ItemUnit's unit).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")

    def __str__(self) -> str:
        return self.code
