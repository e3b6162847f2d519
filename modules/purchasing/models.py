"""Purchase orders (采购订单) with their lines, and the receipts (采购入库) posted against them.

An order is edited only as a draft; once confirmed, goods are received against it (each receipt posts its
stock moves at once) and the lines count what has arrived. Writes go through `modules.purchasing.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modules.purchasing.enums import OrderStatus


class PurchasingSettings(models.Model):
    """The tenant's purchasing settings: one row (pk 1), created on first change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    # Chinese suppliers quote tax-inclusive (含税) prices.
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)

    class Meta:
        verbose_name = _("purchasing settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="purchasing_settings_singleton")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class PurchaseOrder(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    supplier = models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    # Dates in the tenant's time zone.
    date = models.DateField(_("date"))
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The setting when the order was made, so later changes of it do not re-price old orders.
    prices_include_vat = models.BooleanField(_("prices include VAT"))
    total_net = models.DecimalField(_("net total"), max_digits=14, decimal_places=2, default=0)
    total_tax = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2, default=0)
    total_gross = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [("receive_purchaseorder", _("Can receive goods against purchase orders"))]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        indexes = [models.Index(fields=["status", "date"], name="purchasing_order_status_date")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="purchasing_order_status"),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    """`quantity` of `unit` at `unit_price` (per that unit; with or without VAT as the order says) less
    `discount_percent`: `net` + `tax` = `gross`. `received_quantity` counts in `unit` too."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=3, decimal_places=2)
    net = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("amount with tax"), max_digits=14, decimal_places=2)
    received_quantity = models.DecimalField(_("received"), max_digits=20, decimal_places=6, default=0)

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="purchasing_order_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="purchasing_order_line_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="purchasing_order_line_price_gte_0"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0, received_quantity__lte=models.F("quantity")),
                name="purchasing_order_line_received_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.position} {self.item_id} {self.quantity}"

    @property
    def outstanding(self):
        return self.quantity - self.received_quantity


class PurchaseReceipt(models.Model):
    """Goods received against an order, posted when saved: never edited. A reversal (红冲) is a further
    receipt with its own number that `reverses` the original, its lines' quantities negated."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    order = models.ForeignKey(PurchaseOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="receipts")
    date = models.DateField(_("date"))
    posted_at = models.DateTimeField(_("posted at"))
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [("reverse_purchasereceipt", _("Can reverse purchase receipts"))]
        verbose_name = _("purchase receipt")
        verbose_name_plural = _("purchase receipts")

    def __str__(self) -> str:
        return self.number


class PurchaseReceiptLine(models.Model):
    """`quantity` < 0 on the lines of a reversal."""

    receipt = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    # In the order line's unit.
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    # Net of VAT, per base unit: the ledger's incoming cost.
    unit_cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6)
    lot = models.ForeignKey(
        "inventory.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["receipt", "id"]
        verbose_name = _("purchase receipt line")
        verbose_name_plural = _("purchase receipt lines")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="purchasing_receipt_line_quantity_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.order_line_id} {self.quantity}"
