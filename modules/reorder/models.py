"""Reorder data in a tenant's schema: the stock levels per item × warehouse, and the last low-stock snapshot.

Rules are settings (created, changed and deleted through `modules.reorder.services`). The snapshot is a
derived cache that the daily task replaces, so the dashboard can read it cheaply.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.reorder.domain import Severity, estimated_amount


def _quantity(label):
    return models.DecimalField(label, max_digits=20, decimal_places=6)


class ReorderRule(models.Model):
    """When to reorder an item in a warehouse and how much: levels in the item's base unit (see domain)."""

    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="+"
    )
    minimum = _quantity(_("minimum"))
    reorder_point = _quantity(_("reorder point"))
    maximum = _quantity(_("maximum"))
    # None: the item's most recently updated active supplier (partners' SupplierItem) is used.
    preferred_supplier = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("preferred supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item__code", "warehouse__code"]
        verbose_name = _("reorder rule")
        verbose_name_plural = _("reorder rules")
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="reorder_rule_item_warehouse_unique"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="reorder_rule_minimum_gte_0"),
            models.CheckConstraint(
                condition=Q(minimum__lte=F("reorder_point")), name="reorder_rule_minimum_lte_reorder_point"
            ),
            models.CheckConstraint(
                condition=Q(maximum__gt=F("reorder_point")), name="reorder_rule_maximum_gt_reorder_point"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.warehouse_id}"


class LowStockSnapshot(models.Model):
    """The tenant's last low-stock computation: one row (pk 1), its lines replaced on every run."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    computed_at = models.DateTimeField(_("computed at"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    item_count = models.PositiveIntegerField(pgettext_lazy("number of items", "items"), default=0)
    below_minimum_count = models.PositiveIntegerField(_("below minimum"), default=0)

    class Meta:
        verbose_name = _("low-stock snapshot")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="reorder_snapshot_singleton")]

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M}"


class LowStockAlert(models.Model):
    """One low item × warehouse as computed at the snapshot's time, with the suggestion made then."""

    snapshot = models.ForeignKey(LowStockSnapshot, on_delete=models.CASCADE, related_name="alerts")
    position = models.PositiveIntegerField()  # most urgent first
    rule = models.ForeignKey(ReorderRule, null=True, on_delete=models.SET_NULL, related_name="+")
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="+"
    )
    available = _quantity(_("available"))
    minimum = _quantity(_("minimum"))
    reorder_point = _quantity(_("reorder point"))
    maximum = _quantity(_("maximum"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    suggested_quantity = _quantity(_("suggested quantity"))
    purchase_unit = models.CharField(_("purchase unit"), max_length=20, blank=True)
    purchase_unit_factor = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    suggested_purchase_units = models.DecimalField(max_digits=20, decimal_places=0, null=True)
    supplier = models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier_preferred = models.BooleanField(default=False)
    last_price = models.DecimalField(_("last purchase price"), max_digits=20, decimal_places=6, null=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")

    def __str__(self) -> str:
        return f"{self.item_id}@{self.warehouse_id}: {self.available}"

    @property
    def estimated_amount(self):
        return estimated_amount(quantity=self.suggested_quantity, unit_price=self.last_price)


class ReplenishmentBatch(models.Model):
    """One accepted set of suggestions turned into draft purchase orders. Its token (the page's form token,
    or the API's Idempotency-Key) is unique, so posting the same set again creates nothing new."""

    token = models.CharField(_("token"), max_length=300, unique=True)
    window_days = models.PositiveSmallIntegerField(_("sales window (days)"), null=True, blank=True)
    orders = models.ManyToManyField("purchasing.PurchaseOrder", verbose_name=_("purchase orders"), related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("replenishment batch")
        verbose_name_plural = _("replenishment batches")

    def __str__(self) -> str:
        return f"#{self.pk}"
