"""The vocabulary of purchasing: order statuses, the ledger's source type, numbering prefixes, error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The numbering's doc_type of a purchase order (采购订单 CG202600001).
PURCHASE_ORDER = "purchase_order"
PURCHASE_ORDER_PREFIX = "CG"
# The ledger's source_type and the numbering's doc_type of a receipt (采购入库 RK202600001).
PURCHASE_RECEIPT = "purchase_receipt"
PURCHASE_RECEIPT_PREFIX = "RK"
# The partner ledger's source_type and the numbering's doc_type of a supplier bill (采购发票 CGFP202600001).
PURCHASE_BILL = "purchase_bill"
PURCHASE_BILL_PREFIX = "CGFP"
# The partner ledger's source_type and the numbering's doc_type of a payment to a supplier (付款单 FK202600001).
PURCHASE_PAYMENT = "purchase_payment"
PURCHASE_PAYMENT_PREFIX = "FK"
# The ledger's and the partner ledger's source_type, the numbering's doc_type of a purchase return (采购退货
# CGTH202600001).
PURCHASE_RETURN = "purchase_return"
PURCHASE_RETURN_PREFIX = "CGTH"
# The partner ledger's kind of what we owe suppliers (应付).
PAYABLE = "payable"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTIALLY_RECEIVED = "partial", _("Partially received")
    RECEIVED = "received", pgettext_lazy("purchasing", "Received")
    # Nothing more will come: what is still outstanding is given up.
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    # Recorded, not processed: the money moves outside the system.
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")


class ErrorCode:
    REQUIRED = "required"
    NO_LINES = "no_lines"
    NON_POSITIVE_QUANTITY = "non_positive_quantity"
    INVALID_NUMBER = "invalid_number"
    TOO_MANY_PLACES = "too_many_places"
    INVALID_PRICE = "invalid_price"
    INVALID_DISCOUNT = "invalid_discount"
    INVALID_VAT_RATE = "invalid_vat_rate"
    WRONG_PARTNER = "wrong_partner"
    WRONG_WAREHOUSE = "wrong_warehouse"
    WRONG_LINE = "wrong_line"
    INACTIVE = "inactive"
    INVALID_DATE = "invalid_date"
    WRONG_STATUS = "wrong_status"
    OVER_RECEIPT = "over_receipt"
    LOT_REQUIRED = "lot_required"
    LOT_NOT_ALLOWED = "lot_not_allowed"
    LOT_EXPIRY_MISMATCH = "lot_expiry_mismatch"
    UNKNOWN_FIELD = "unknown_field"
    ALREADY_REVERSED = "already_reversed"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    IN_USE = "in_use"
    OVER_BILLING = "over_billing"
    FUTURE_DATE = "future_date"
    ALREADY_PAID = "already_paid"
    OVER_PAYMENT = "over_payment"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    WRONG_BILL = "wrong_bill"
    OVER_RETURN = "over_return"
