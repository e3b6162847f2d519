"""The vocabulary of stock documents: kinds, statuses, adjustment reasons and error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    # The value is also the ledger's source_type and the numbering's doc_type.
    STOCK_IN = "stock_in", _("Other receipt")
    STOCK_OUT = "stock_out", _("Other issue")
    TRANSFER = "transfer", _("Transfer")
    ADJUSTMENT = "adjustment", _("Adjustment")


# Number prefixes (其它入库 QTRK, 其它出库 QTCK, 调拨 DB, 调整 TZ): QTRK202600001.
KIND_PREFIX = {
    DocumentKind.STOCK_IN: "QTRK",
    DocumentKind.STOCK_OUT: "QTCK",
    DocumentKind.TRANSFER: "DB",
    DocumentKind.ADJUSTMENT: "TZ",
}


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", pgettext_lazy("stock document", "Confirmed")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class AdjustmentReason(models.TextChoices):
    DAMAGE = "damage", _("Damage")
    LOSS = "loss", _("Loss")
    EXPIRY = "expiry", _("Expiry")
    FOUND = "found", _("Found")
    CORRECTION = "correction", _("Correction")
    OTHER = "other", _("Other")


class ErrorCode:
    DOCUMENT_CLOSED = "document_closed"
    WRONG_STATUS = "wrong_status"
    NO_LINES = "no_lines"
    INVALID_KIND = "invalid_kind"
    INVALID_REASON = "invalid_reason"
    REASON_REQUIRED = "reason_required"
    NOT_ALLOWED = "not_allowed"
    REQUIRED = "required"
    NON_POSITIVE_QUANTITY = "non_positive_quantity"
    ZERO_QUANTITY = "zero_quantity"
    INVALID_COST = "invalid_cost"
    WRONG_WAREHOUSE = "wrong_warehouse"
    SAME_PLACE = "same_place"
    LOT_REQUIRED = "lot_required"
    UNKNOWN_LOT = "unknown_lot"
    LOT_EXPIRY_MISMATCH = "lot_expiry_mismatch"
    WRONG_PARTNER = "wrong_partner"
    ALREADY_REVERSED = "already_reversed"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    REVERSAL_BEFORE_ORIGINAL = "reversal_before_original"
    TOO_LONG = "too_long"
    # The ledger's: short now, or short at a later move of the place after a backdated posting.
    INSUFFICIENT_STOCK = "insufficient_stock"
    INSUFFICIENT_STOCK_LATER = "insufficient_stock_later"
