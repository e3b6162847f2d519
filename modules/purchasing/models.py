"""Purchase orders (采购订单) with their lines, and the receipts (采购入库) posted against them.

An order is edited only as a draft; once confirmed, goods are received against it (each receipt posts its
stock moves at once) and the lines count what has arrived. Writes go through `modules.purchasing.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.purchasing.enums import OrderStatus, PaymentMethod


class Reversible:
    """A posted document that a further document of its kind may reverse (红冲) through `reverses`."""

    @property
    def reversed_by(self):
        """The reversal of this document, or None (the reverse one-to-one raises when there is none)."""
        return getattr(self, "reversal", None)

    @property
    def standing(self) -> bool:
        return self.reverses_id is None and self.reversed_by is None


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
    total_gross = models.DecimalField(pgettext_lazy("purchasing", "total"), max_digits=14, decimal_places=2, default=0)
    # What the order's bills add up to (reversals included), kept by the bill services.
    billed_amount = models.DecimalField(_("billed"), max_digits=14, decimal_places=2, default=0)
    # What payments allocated to the order's bills add up to, kept by the payment services.
    paid_amount = models.DecimalField(pgettext_lazy("purchasing", "paid"), max_digits=14, decimal_places=2, default=0)
    # What returns of the order's goods add up to (reversals included), kept by the return services.
    returned_amount = models.DecimalField(_("returned"), max_digits=14, decimal_places=2, default=0)
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
    billed_quantity = models.DecimalField(_("billed"), max_digits=20, decimal_places=6, default=0)
    returned_quantity = models.DecimalField(_("returned"), max_digits=20, decimal_places=6, default=0)

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
            models.CheckConstraint(condition=Q(billed_quantity__gte=0), name="purchasing_order_line_billed_gte_0"),
            models.CheckConstraint(condition=Q(returned_quantity__gte=0), name="purchasing_order_line_returned_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.position} {self.item_id} {self.quantity}"

    @property
    def outstanding(self):
        return self.quantity - self.received_quantity


class PurchaseReceipt(Reversible, models.Model):
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
    # What of it supplier bills have billed (their reversals taken off), in the order line's unit.
    billed_quantity = models.DecimalField(_("billed"), max_digits=20, decimal_places=6, default=0)
    # What of it has been sent back (their reversals taken off), in the order line's unit.
    returned_quantity = models.DecimalField(_("returned"), max_digits=20, decimal_places=6, default=0)

    class Meta:
        ordering = ["receipt", "id"]
        verbose_name = _("purchase receipt line")
        verbose_name_plural = _("purchase receipt lines")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="purchasing_receipt_line_quantity_nonzero"),
            models.CheckConstraint(
                condition=Q(billed_quantity=0) | Q(billed_quantity__gt=0, billed_quantity__lte=models.F("quantity")),
                name="purchasing_receipt_line_billed_range",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity=0)
                | Q(returned_quantity__gt=0, returned_quantity__lte=models.F("quantity")),
                name="purchasing_receipt_line_returned_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.order_line_id} {self.quantity}"


class PurchaseBill(Reversible, models.Model):
    """A supplier's bill (采购发票/应付单) for goods received against one order, posted when saved: it raises
    what we owe the supplier. Its lines name the receipt lines they bill; where quantity or price differ
    from what was received or ordered, the line (and the bill) is flagged. A reversal is a further bill
    that `reverses` it, its lines negated. `paid_amount` counts the payments allocated to it."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    supplier = models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(PurchaseOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="bills")
    date = models.DateField(_("date"))
    # The supplier's own invoice number (发票号), as printed on their 增值税发票.
    invoice_number = models.CharField(_("supplier invoice number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    prices_include_vat = models.BooleanField(_("prices include VAT"))
    total_net = models.DecimalField(_("net total"), max_digits=14, decimal_places=2, default=0)
    total_tax = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2, default=0)
    total_gross = models.DecimalField(pgettext_lazy("purchasing", "total"), max_digits=14, decimal_places=2, default=0)
    # Σ (billed price − order price) × quantity, in the order's VAT basis; 0 when the prices agree.
    price_difference = models.DecimalField(_("price difference"), max_digits=14, decimal_places=2, default=0)
    has_differences = models.BooleanField(_("differences"), default=False)
    paid_amount = models.DecimalField(pgettext_lazy("purchasing", "paid"), max_digits=14, decimal_places=2, default=0)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
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

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("supplier bill")
        verbose_name_plural = _("supplier bills")
        indexes = [models.Index(fields=["supplier", "date"], name="purchasing_bill_supplier_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, total_gross__gte=0, paid_amount__gte=0)
                | Q(reverses__isnull=False, total_gross__lte=0, paid_amount=0),
                name="purchasing_bill_sign",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=models.F("total_gross")) | Q(reverses__isnull=False),
                name="purchasing_bill_paid_le_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self):
        return self.total_gross - self.paid_amount


class PurchaseBillLine(models.Model):
    """`quantity` (in the order line's unit, < 0 on a reversal) of a receipt line at `unit_price` per that
    unit, with or without VAT as the bill says. `open_quantity`: what of the receipt line was not yet billed
    when this line was; `order_price`: the order line's price after its discount."""

    bill = models.ForeignKey(PurchaseBill, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    receipt_line = models.ForeignKey(
        PurchaseReceiptLine, verbose_name=_("receipt line"), on_delete=models.PROTECT, related_name="bill_lines"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=3, decimal_places=2)
    net = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("amount with tax"), max_digits=14, decimal_places=2)
    open_quantity = models.DecimalField(_("not yet billed"), max_digits=20, decimal_places=6)
    order_price = models.DecimalField(_("order price"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["bill", "position"]
        verbose_name = _("supplier bill line")
        verbose_name_plural = _("supplier bill lines")
        constraints = [
            models.UniqueConstraint(fields=["bill", "position"], name="purchasing_bill_line_position_unique"),
            models.CheckConstraint(condition=~Q(quantity=0), name="purchasing_bill_line_quantity_nonzero"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="purchasing_bill_line_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}#{self.position} {self.quantity}"

    @property
    def quantity_difference(self):
        """Billed less than was open to bill (< 0), on the original bill's lines; 0 when they agree."""
        return self.quantity - self.open_quantity if self.quantity > 0 else 0

    @property
    def price_difference(self):
        return self.unit_price - self.order_price


class PurchasePayment(Reversible, models.Model):
    """Money paid to a supplier (付款单), posted when saved: it lowers what we owe them and is allocated to
    one or more of their bills. `method` and `account` are recorded, not processed. A reversal is a further
    payment that `reverses` it, its amount and allocations negated."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    supplier = models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    # The account paid from or to (a bank account number, a WeChat or Alipay id), as the merchant writes it.
    account = models.CharField(_("account"), max_length=64, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
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

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("supplier payment")
        verbose_name_plural = _("supplier payments")
        indexes = [models.Index(fields=["supplier", "date"], name="purchasing_pay_supplier_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="purchasing_payment_sign",
            ),
            models.CheckConstraint(condition=Q(method__in=PaymentMethod.values), name="purchasing_payment_method"),
        ]

    def __str__(self) -> str:
        return self.number


class PurchasePaymentAllocation(models.Model):
    """The part of a payment that settles one bill (< 0 on a reversal)."""

    payment = models.ForeignKey(PurchasePayment, on_delete=models.CASCADE, related_name="allocations")
    bill = models.ForeignKey(
        PurchaseBill, verbose_name=_("supplier bill"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["payment", "id"]
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.UniqueConstraint(fields=["payment", "bill"], name="purchasing_allocation_bill_once"),
            models.CheckConstraint(condition=~Q(amount=0), name="purchasing_allocation_amount_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id} {self.amount}"


class PurchaseReturn(Reversible, models.Model):
    """Goods sent back to a supplier (采购退货), posted when saved: from a receipt (its lines name the receipt
    lines, priced as ordered) or free-standing (any items at the prices given). The goods leave at the
    costing method's cost; what we owe the supplier falls by the return's total. A reversal is a further
    return that `reverses` it, its lines negated."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    supplier = models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    receipt = models.ForeignKey(
        PurchaseReceipt,
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    posted_at = models.DateTimeField(_("posted at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    prices_include_vat = models.BooleanField(_("prices include VAT"))
    total_net = models.DecimalField(_("net total"), max_digits=14, decimal_places=2, default=0)
    total_tax = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2, default=0)
    total_gross = models.DecimalField(pgettext_lazy("purchasing", "total"), max_digits=14, decimal_places=2, default=0)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
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

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("purchase return")
        verbose_name_plural = _("purchase returns")
        indexes = [models.Index(fields=["supplier", "date"], name="purchasing_ret_supplier_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, total_gross__gte=0) | Q(reverses__isnull=False, total_gross__lte=0),
                name="purchasing_return_sign",
            ),
            models.CheckConstraint(
                condition=Q(receipt__isnull=True) | Q(order__isnull=False), name="purchasing_return_receipt_order"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseReturnLine(models.Model):
    """`quantity` of `unit` (< 0 on a reversal) at `unit_price` per that unit; `unit_cost`: what the goods
    left the ledger at, per base unit."""

    purchase_return = models.ForeignKey(PurchaseReturn, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    receipt_line = models.ForeignKey(
        PurchaseReceiptLine,
        verbose_name=_("receipt line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_lines",
    )
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=3, decimal_places=2)
    net = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("amount with tax"), max_digits=14, decimal_places=2)
    lot = models.ForeignKey(
        "inventory.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6, default=0)

    class Meta:
        ordering = ["purchase_return", "position"]
        verbose_name = _("purchase return line")
        verbose_name_plural = _("purchase return lines")
        constraints = [
            models.UniqueConstraint(
                fields=["purchase_return", "position"], name="purchasing_return_line_position_unique"
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="purchasing_return_line_quantity_nonzero"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="purchasing_return_line_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.purchase_return_id}#{self.position} {self.item_id} {self.quantity}"
