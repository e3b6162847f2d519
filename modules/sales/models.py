"""Retail sales (零售单) and their lines, in a tenant's schema.

A retail sale is posted the moment it is made (no draft): it has a number, posted stock moves and is
never edited or deleted. A refund of the whole sale is its reversal (红冲): a further sale pointing at it
through `reverses`, with the quantities and amounts negated. Writes go through `modules.sales.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.sales.enums import PaymentMethod


class RetailSale(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    # A date in the tenant's time zone: the day of the sale.
    date = models.DateField(_("date"))
    posted_at = models.DateTimeField(_("posted at"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "inventory.Location", verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # None: a walk-in customer.
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    payment_method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    # Tax-inclusive, as Chinese retail prices are.
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    # Cash only: what the customer handed over, and the change given back.
    tendered = models.DecimalField(_("tendered"), max_digits=14, decimal_places=2, null=True, blank=True)
    change = models.DecimalField(_("change"), max_digits=14, decimal_places=2, default=0)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [("reverse_retailsale", _("Can refund (reverse) retail sales"))]
        verbose_name = _("retail sale")
        verbose_name_plural = _("retail sales")
        indexes = [models.Index(fields=["date", "payment_method"], name="sales_retail_date_method")]
        constraints = [
            models.CheckConstraint(condition=Q(payment_method__in=PaymentMethod.values), name="sales_retail_method"),
            # A reversal's total is the refund: negative (or zero).
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, total__gte=0) | Q(reverses__isnull=False, total__lte=0),
                name="sales_retail_total_sign",
            ),
            models.CheckConstraint(condition=Q(change__gte=0), name="sales_retail_change_gte_0"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, payment_method=PaymentMethod.CASH, tendered__gte=models.F("total"))
                | Q(tendered__isnull=True, change=0)
                & (~Q(payment_method=PaymentMethod.CASH) | Q(reverses__isnull=False)),
                name="sales_retail_tendered_cash_only",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RetailSaleLine(models.Model):
    """`quantity` of `unit` at `unit_price` (per that unit, tax-inclusive) less `discount`: `amount`.
    A reversal's lines are the original's with quantity, base quantity, discount and amount negated."""

    sale = models.ForeignKey(RetailSale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    discount = models.DecimalField(_("discount"), max_digits=14, decimal_places=2, default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["sale", "position"]
        verbose_name = _("retail sale line")
        verbose_name_plural = _("retail sale lines")
        constraints = [
            models.UniqueConstraint(fields=["sale", "position"], name="sales_retail_line_position_unique"),
            # Negative on a reversal's lines, as are their discount and amount.
            models.CheckConstraint(condition=~Q(quantity=0), name="sales_retail_line_quantity_nonzero"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sales_retail_line_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.sale_id}#{self.position} {self.item_id} {self.quantity}"
