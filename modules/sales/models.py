"""Retail sales (零售单) and the sales documents (quotations and orders, deliveries, invoices, receipts of
payment, returns) with their lines, in a tenant's schema.

Retail sales:

A retail sale is posted the moment it is made (no draft): it has a number, posted stock moves and is
never edited or deleted. A refund of the whole sale is its reversal (红冲): a further sale pointing at it
through `reverses`, with the quantities and amounts negated. Writes go through `modules.sales.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jxc.kernel.numbers import cents
from modules.sales.enums import OrderStatus, PaymentMethod, ReceiptMethod


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
    # The pricing engine's rule ("price_list", "customer_price", ...; "manual" for a typed price) and why.
    price_source = models.CharField(_("price source"), max_length=64, blank=True, default="", db_default="")
    price_reason = models.CharField(_("price reason"), max_length=128, blank=True, default="", db_default="")
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


# --- Sales documents -------------------------------------------------------------------------------
# Posted documents (deliveries, invoices, receipts, returns) are never edited: a correction is their
# reversal (红冲), a further document of the same kind pointing at it through `reverses` whose lines
# (or allocations) are the original's negated. So what has been delivered, invoiced, paid or returned is
# always the plain sum over the documents, reversals included; the counters on the lines are that sum
# kept up to date by the services (and checked against it by the property tests).


class SalesOrder(models.Model):
    """A quotation (status quotation, number BJ…) or an order (XS…): the same document at two stages."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    # The number it had as a quotation, kept when it became an order.
    quotation_number = models.CharField(_("quotation number"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Dates in the tenant's time zone.
    date = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Chinese prices are usually tax-inclusive (含税), as at the retail counter.
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    total_net = models.DecimalField(_("net total"), max_digits=14, decimal_places=2, default=0)
    total_tax = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2, default=0)
    total_gross = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    # Who let the order through beyond the customer's credit limit, if anyone did.
    credit_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("credit limit overridden by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [
            ("override_credit_limit", _("Can confirm sales orders beyond the customer's credit limit")),
            ("deliver_salesorder", _("Can deliver goods against sales orders")),
        ]
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        indexes = [
            models.Index(fields=["status", "date"], name="sales_order_status_date"),
            models.Index(fields=["customer", "date"], name="sales_order_customer_date"),
        ]
        constraints = [models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="sales_order_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_quotation(self) -> bool:
        return self.status == OrderStatus.QUOTATION


class SalesOrderLine(models.Model):
    """`quantity` of `unit` at `unit_price` (per that unit; with or without VAT as the order says) less
    `discount_percent`: `net` + `tax` = `gross`. The counters count in `unit` too: delivered (net of
    delivery reversals), returned, invoiced (net of invoice reversals) and credited (returned after being
    invoiced, so credited on the receivable)."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    # Where the price came from ("manual", "list: Wholesale", ...), shown on the line.
    price_source = models.CharField(_("price source"), max_length=64, blank=True, default="manual")
    # Why, in words, as the pricing engine gave it ("客户专价", "批发价 ≥ 10 瓶"); empty for a typed price.
    price_reason = models.CharField(_("price reason"), max_length=128, blank=True, default="", db_default="")
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, default=0)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=3, decimal_places=2)
    net = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("amount with tax"), max_digits=14, decimal_places=2)
    delivered_quantity = models.DecimalField(_("delivered"), max_digits=20, decimal_places=6, default=0)
    returned_quantity = models.DecimalField(_("returned"), max_digits=20, decimal_places=6, default=0)
    invoiced_quantity = models.DecimalField(_("invoiced"), max_digits=20, decimal_places=6, default=0)
    credited_quantity = models.DecimalField(_("credited"), max_digits=20, decimal_places=6, default=0)

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="sales_order_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_order_line_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sales_order_line_price_gte_0"),
            models.CheckConstraint(
                condition=Q(delivered_quantity__gte=0, delivered_quantity__lte=models.F("quantity")),
                name="sales_order_line_delivered_range",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0, returned_quantity__lte=models.F("delivered_quantity")),
                name="sales_order_line_returned_range",
            ),
            models.CheckConstraint(
                condition=Q(credited_quantity__gte=0, credited_quantity__lte=models.F("invoiced_quantity")),
                name="sales_order_line_credited_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.position} {self.item_id} {self.quantity}"

    @property
    def outstanding(self):
        """Still to deliver."""
        return self.quantity - self.delivered_quantity

    def gross_of(self, quantity):
        """The gross amount of `quantity` (in the line's unit) of this line, at the line's effective price."""
        return cents(self.gross * quantity / self.quantity)

    def net_of(self, quantity):
        return cents(self.net * quantity / self.quantity)


class SalesDelivery(models.Model):
    """Goods delivered against an order (销售出库 / 发货单), posted when saved: never edited."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    order = models.ForeignKey(SalesOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="deliveries")
    date = models.DateField(_("date"))
    posted_at = models.DateTimeField(_("posted at"))
    location = models.ForeignKey(
        "inventory.Location", verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
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
        permissions = [("reverse_salesdelivery", _("Can reverse sales deliveries"))]
        verbose_name = _("sales delivery")
        verbose_name_plural = _("sales deliveries")

    def __str__(self) -> str:
        return self.number


class SalesDeliveryLine(models.Model):
    """One lot (or none) of one order line: a line picked from several lots is several lines. `move` is
    the stock move it posted (its unit cost is what a return brings the goods back at). The counters
    count what was invoiced, returned and credited of it, in the order line's unit."""

    delivery = models.ForeignKey(SalesDelivery, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(SalesOrderLine, on_delete=models.PROTECT, related_name="delivery_lines")
    # In the order line's unit; negative on a reversal's lines.
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    lot = models.ForeignKey(
        "inventory.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    move = models.ForeignKey(
        "inventory.StockMove", verbose_name=_("stock move"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    invoiced_quantity = models.DecimalField(_("invoiced"), max_digits=20, decimal_places=6, default=0)
    returned_quantity = models.DecimalField(_("returned"), max_digits=20, decimal_places=6, default=0)
    credited_quantity = models.DecimalField(_("credited"), max_digits=20, decimal_places=6, default=0)

    class Meta:
        ordering = ["delivery", "id"]
        verbose_name = _("sales delivery line")
        verbose_name_plural = _("sales delivery lines")
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="sales_delivery_line_quantity_nonzero")]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.order_line_id} {self.quantity}"

    @property
    def invoiceable(self):
        """Delivered, not returned before being invoiced, and not invoiced yet."""
        return self.quantity - (self.returned_quantity - self.credited_quantity) - self.invoiced_quantity

    @property
    def returnable(self):
        return self.quantity - self.returned_quantity


class SalesInvoice(models.Model):
    """A sales invoice (销售发票 / 应收单) of delivered goods: raises what the customer owes (posted when saved)."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(SalesOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoices")
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    total_net = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    total_tax = models.DecimalField(_("tax total"), max_digits=14, decimal_places=2)
    total_gross = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    # Settled by receipts of payment (net of their reversals).
    paid_amount = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=0)
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
        permissions = [("reverse_salesinvoice", _("Can reverse sales invoices"))]
        verbose_name = _("sales invoice")
        verbose_name_plural = _("sales invoices")
        indexes = [models.Index(fields=["customer", "date"], name="sales_invoice_customer_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, total_gross__gte=0) | Q(reverses__isnull=False, total_gross__lte=0),
                name="sales_invoice_total_sign",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0, paid_amount__lte=models.F("total_gross")) | Q(reverses__isnull=False),
                name="sales_invoice_paid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self):
        return self.total_gross - self.paid_amount


class SalesInvoiceLine(models.Model):
    invoice = models.ForeignKey(SalesInvoice, on_delete=models.CASCADE, related_name="lines")
    delivery_line = models.ForeignKey(SalesDeliveryLine, on_delete=models.PROTECT, related_name="invoice_lines")
    # In the order line's unit; negative on a reversal's lines, as are the amounts.
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    net = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("amount with tax"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoice", "id"]
        verbose_name = _("sales invoice line")
        verbose_name_plural = _("sales invoice lines")
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="sales_invoice_line_quantity_nonzero")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.delivery_line_id} {self.quantity}"


class SalesReceipt(models.Model):
    """Money received from a customer (收款单): lowers what they owe, settling one or more invoices (partly or
    wholly); what is not allocated stays on account."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    method = models.CharField(_("payment method"), max_length=16, choices=ReceiptMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reference = models.CharField(pgettext_lazy("sales", "reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
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
        permissions = [("reverse_salesreceipt", _("Can reverse receipts of payment"))]
        verbose_name = _("receipt of payment")
        verbose_name_plural = _("receipts of payment")
        constraints = [
            models.CheckConstraint(condition=Q(method__in=ReceiptMethod.values), name="sales_receipt_method"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="sales_receipt_amount_sign",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SalesReceiptAllocation(models.Model):
    """How much of a receipt settles one invoice (negative on a reversal's)."""

    receipt = models.ForeignKey(SalesReceipt, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(SalesInvoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["receipt", "id"]
        verbose_name = _("receipt allocation")
        verbose_name_plural = _("receipt allocations")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="sales_allocation_amount_nonzero"),
            models.UniqueConstraint(fields=["receipt", "invoice"], name="sales_allocation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.invoice_id} {self.amount}"


class SalesReturn(models.Model):
    """Goods a customer sent back from a delivery (销售退货): back into stock at the cost they left with, and
    the part already invoiced credited on the receivable."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    delivery = models.ForeignKey(
        SalesDelivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="returns"
    )
    order = models.ForeignKey(SalesOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns")
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    posted_at = models.DateTimeField(_("posted at"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Credited on the receivable (with tax): the returned quantity that had been invoiced, at the line's price.
    credit_amount = models.DecimalField(_("credit"), max_digits=14, decimal_places=2)
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
        permissions = [("reverse_salesreturn", _("Can reverse sales returns"))]
        verbose_name = _("sales return")
        verbose_name_plural = _("sales returns")

    def __str__(self) -> str:
        return self.number


class SalesReturnLine(models.Model):
    sales_return = models.ForeignKey(SalesReturn, on_delete=models.CASCADE, related_name="lines")
    delivery_line = models.ForeignKey(SalesDeliveryLine, on_delete=models.PROTECT, related_name="return_lines")
    # In the order line's unit; negative on a reversal's lines, as are the credited quantity and amount.
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    # The part of `quantity` that had been invoiced, and its credit.
    credited_quantity = models.DecimalField(_("credited"), max_digits=20, decimal_places=6)
    credit_amount = models.DecimalField(_("credit"), max_digits=14, decimal_places=2)
    # What the goods came back at: the delivery move's unit cost.
    unit_cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["sales_return", "id"]
        verbose_name = _("sales return line")
        verbose_name_plural = _("sales return lines")
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="sales_return_line_quantity_nonzero")]

    def __str__(self) -> str:
        return f"{self.sales_return_id} {self.delivery_line_id} {self.quantity}"
