"""Stock operation documents (其它入库, 其它出库, 调拨, 调整) and their lines, in a tenant's schema.

Writes go through `modules.stockops.services`. A document with a number is never deleted; a posted
one is never edited (it is reversed by a further document that points at it through `reverses`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.stockops.enums import AdjustmentReason, DocumentKind, DocumentStatus


class StockDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    # A date in the tenant's time zone; the ledger posting time follows from it (inventory.posting_time).
    date = models.DateField(_("date"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    # Transfers only: where the goods go.
    target_warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("target warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=AdjustmentReason.choices, blank=True)
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(pgettext_lazy("stock document", "confirmed at"), null=True, blank=True)
    # When the moves take effect in the ledger (may be in the past for a backdated document).
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("stock document")
        verbose_name_plural = _("stock documents")
        permissions = [("post_stockdocument", _("Can post and reverse stock documents"))]
        indexes = [models.Index(fields=["kind", "status", "date"], name="stockops_doc_kind_status_date")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="stockops_doc_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="stockops_doc_status_valid"),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.TRANSFER, target_warehouse__isnull=False)
                | (~Q(kind=DocumentKind.TRANSFER) & Q(target_warehouse__isnull=True)),
                name="stockops_doc_target_only_for_transfers",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.ADJUSTMENT, reason__in=AdjustmentReason.values)
                | (~Q(kind=DocumentKind.ADJUSTMENT) & Q(reason="")),
                name="stockops_doc_reason_only_for_adjustments",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.POSTED, posted_at__isnull=False)
                | (~Q(status=DocumentStatus.POSTED) & Q(posted_at__isnull=True)),
                name="stockops_doc_posted_at_iff_posted",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class StockDocumentLine(models.Model):
    """One line as entered: `quantity` of `unit` (signed only on adjustments) and its base-unit equivalent."""

    document = models.ForeignKey(StockDocument, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    base_quantity = models.DecimalField(_("quantity in base unit"), max_digits=20, decimal_places=6)
    # Per entered unit; receipts need it, positive adjustment lines may leave it empty (the average cost).
    unit_cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6, null=True, blank=True)
    location = models.ForeignKey(
        "inventory.Location", verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Transfers only: the location in the target warehouse.
    target_location = models.ForeignKey(
        "inventory.Location", verbose_name=_("target location"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    lot_code = models.CharField(_("lot"), max_length=64, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    # The ledger's lot, found or created when the document is posted.
    lot = models.ForeignKey(
        "inventory.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "position"]
        verbose_name = _("stock document line")
        verbose_name_plural = _("stock document lines")
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="stockops_line_position_unique"),
            models.CheckConstraint(condition=~Q(quantity=0), name="stockops_line_quantity_nonzero"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="stockops_line_unit_cost_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.position} {self.item_id} {self.quantity}"
