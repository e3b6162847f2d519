"""Stock counts (盘点) in a tenant's schema: the count document and its lines.

Writes go through `modules.stockcount.services`; the models hold structure and constraints so the
database refuses what a service forgot to check.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The ledger's source_type of a count's (and a reversal's) stock moves.
SOURCE_TYPE = "stock_count"


class CountStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COUNTING = "counting", _("Counting")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class CountScope(models.TextChoices):
    WAREHOUSE = "warehouse", _("Whole warehouse")
    LOCATION = "location", _("Location")
    CATEGORY = "category", _("Category")


class UncountedPolicy(models.TextChoices):
    """What posting did with lines nobody counted; recorded on the count for the auditor."""

    NONE = "", _("All lines counted")
    ZERO = "zero", _("Uncounted lines counted as zero")
    IGNORE = "ignore", _("Uncounted lines ignored")


class StockCount(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    date = models.DateField(_("date"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=CountScope.choices)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    include_zero_stock = models.BooleanField(_("include items with zero stock"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CountStatus.choices, default=CountStatus.DRAFT)
    uncounted_policy = models.CharField(
        _("uncounted lines"), max_length=10, choices=UncountedPolicy.choices, default="", blank=True
    )
    # A reversal (红冲) is a count of its own, posted at once, with no lines: its moves mirror the original's.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    frozen_at = models.DateTimeField(_("expected figures frozen at"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=CountScope.WAREHOUSE, location__isnull=True, category__isnull=True)
                    | Q(scope=CountScope.LOCATION, location__isnull=False, category__isnull=True)
                    | Q(scope=CountScope.CATEGORY, location__isnull=True, category__isnull=False)
                ),
                name="stockcount_scope_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CountStatus]), name="stockcount_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(status=CountStatus.POSTED), name="stockcount_reversal_posted"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class StockCountLine(models.Model):
    """One item × location × lot of a count: the on-hand frozen when counting began, and what was counted.

    `counted` is None until someone counts the line. A line `found` during counting was not expected
    (its expected quantity is 0).
    """

    count = models.ForeignKey(StockCount, verbose_name=_("stock count"), on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lot = models.ForeignKey(
        "inventory.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expected = models.DecimalField(_("expected"), max_digits=20, decimal_places=6)
    counted = models.DecimalField(_("counted"), max_digits=20, decimal_places=6, null=True, blank=True)
    found = models.BooleanField(_("found during the count"), default=False)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        constraints = [
            models.UniqueConstraint(
                fields=["count", "item", "location", "lot"], name="stockcount_line_key_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(counted__isnull=True) | Q(counted__gte=0), name="stockcount_line_counted_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count_id}: {self.item_id}"

    @property
    def difference(self) -> Decimal | None:
        """counted − expected; None while the line is not counted."""
        return None if self.counted is None else self.counted - self.expected
