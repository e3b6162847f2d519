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
