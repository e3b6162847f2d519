"""Suppliers and customers of one tenant (one party may be both), and who supplies which item."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PriceTier(models.TextChoices):
    RETAIL = "retail", pgettext_lazy("price tier", "Retail")
    WHOLESALE = "wholesale", pgettext_lazy("price tier", "Wholesale")
    TIER1 = "tier1", pgettext_lazy("price tier", "Tier 1")
    TIER2 = "tier2", pgettext_lazy("price tier", "Tier 2")
    TIER3 = "tier3", pgettext_lazy("price tier", "Tier 3")


class Partner(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Computed from `name` by the services, for 拼音首字母 search.
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, db_index=True)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_customer = models.BooleanField(_("customer"), default=False)
    taxpayer_id = models.CharField(_("taxpayer id"), max_length=20, blank=True)
    bank_name = models.CharField(_("bank name"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    # Days from ordering to the goods arriving, unless a supplier item says otherwise (replenishment uses it).
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    price_tier = models.CharField(_("price tier"), max_length=16, choices=PriceTier.choices, default=PriceTier.RETAIL)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_supplier=True) | Q(is_customer=True), name="partners_partner_has_a_kind"
            ),
            models.CheckConstraint(condition=Q(credit_limit__gte=0), name="partners_partner_credit_limit_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=Q(is_primary=True), name="partners_contact_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierItem(models.Model):
    """Which supplier supplies which item, under the supplier's own code, at the price last paid."""

    supplier = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="supplier_items")
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    supplier_item_code = models.CharField(_("supplier item code"), max_length=64, blank=True)
    last_purchase_price = models.DecimalField(
        _("last purchase price"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    # None: the supplier's own lead time (Partner.lead_time_days).
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    # The unit (of this item) the supplier sells in, e.g. 箱 of 24: replenishment orders whole ones. None: any.
    purchase_unit = models.ForeignKey(
        "catalog.ItemUnit",
        verbose_name=_("purchase unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["supplier_id", "item_id"]
        verbose_name = _("supplier item")
        verbose_name_plural = _("supplier items")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "item"], name="partners_supplier_item_unique"),
            models.CheckConstraint(
                condition=Q(last_purchase_price__gte=0) | Q(last_purchase_price__isnull=True),
                name="partners_supplier_item_price_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id}:{self.item_id}"
