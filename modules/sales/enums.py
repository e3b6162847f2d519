"""The vocabulary of retail sales: payment methods, the ledger's source type and error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The ledger's source_type and the numbering's doc_type of a retail sale (零售单 LS202600001).
RETAIL_SALE = "retail_sale"
RETAIL_SALE_PREFIX = "LS"


class PaymentMethod(models.TextChoices):
    # Recorded, not processed: the shop takes the money with its own terminal or QR code.
    CASH = "cash", _("Cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("Bank card")


class ErrorCode:
    REQUIRED = "required"
    NO_LINES = "no_lines"
    NON_POSITIVE_QUANTITY = "non_positive_quantity"
    INVALID_NUMBER = "invalid_number"
    TOO_MANY_PLACES = "too_many_places"
    INVALID_PRICE = "invalid_price"
    INVALID_DISCOUNT = "invalid_discount"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    NOT_ALLOWED = "not_allowed"
    TENDERED_SHORT = "tendered_short"
    WRONG_PARTNER = "wrong_partner"
    WRONG_WAREHOUSE = "wrong_warehouse"
    INACTIVE = "inactive"
    ALREADY_REVERSED = "already_reversed"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    # The ledger's.
    INSUFFICIENT_STOCK = "insufficient_stock"


# --- Sales documents: the numbering's doc_type and prefix of each; deliveries and returns are also the
# ledger's source_type, invoices, receipts and returns the partner ledger's.
SALES_QUOTATION = "sales_quotation"
SALES_QUOTATION_PREFIX = "BJ"
SALES_ORDER = "sales_order"
SALES_ORDER_PREFIX = "XS"
SALES_DELIVERY = "sales_delivery"
SALES_DELIVERY_PREFIX = "CK"
SALES_INVOICE = "sales_invoice"
SALES_INVOICE_PREFIX = "XSFP"
SALES_RECEIPT = "sales_receipt"
SALES_RECEIPT_PREFIX = "SK"
SALES_RETURN = "sales_return"
SALES_RETURN_PREFIX = "XSTH"


class OrderStatus(models.TextChoices):
    # A quotation (报价单) is an order not yet agreed: it becomes a draft order when the customer accepts.
    QUOTATION = "quotation", _("Quotation")
    DRAFT = "draft", _("Draft")
    # Confirmed: the order's quantities are reserved in its warehouse.
    CONFIRMED = "confirmed", _("Confirmed")
    PARTIALLY_DELIVERED = "partial", _("Partially delivered")
    DELIVERED = "delivered", _("Delivered")
    # Nothing more will be delivered: what is still outstanding is given up (and its reservation let go).
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Progress(models.TextChoices):
    """How far one side of an order has got (delivered, invoiced, received)."""

    NONE = "none", _("Not yet")
    PARTIAL = "partial", _("Partly")
    FULL = "full", _("Fully")


class ReceiptMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("Bank card")
    OTHER = "other", _("Other")


class SalesErrorCode(ErrorCode):
    WRONG_STATUS = "wrong_status"
    WRONG_LINE = "wrong_line"
    WRONG_LOT = "wrong_lot"
    INVALID_VAT_RATE = "invalid_vat_rate"
    INVALID_DATE = "invalid_date"
    UNKNOWN_FIELD = "unknown_field"
    CREDIT_LIMIT = "credit_limit_exceeded"
    OVER_DELIVERY = "over_delivery"
    OVER_INVOICE = "over_invoice"
    OVER_RETURN = "over_return"
    OVER_PAYMENT = "over_payment"
    INVALID_AMOUNT = "invalid_amount"
    HAS_DEPENDENTS = "has_dependents"
    INSUFFICIENT_AVAILABLE = "insufficient_available"
