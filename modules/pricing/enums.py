"""Codes of the pricing module: where a quoted price came from, the settings' choices, the error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Who may change prices, promotions and the selling checks: the roles holding the pricing app in full (the
# owner and the manager, identity.roles); every role may read them.
MANAGE_PERMISSION = "pricing.change_pricelist"


class PriceSource(models.TextChoices):
    """Where a quoted price came from, strongest first (see selectors.price_quote)."""

    CUSTOMER_PRICE = "customer_price", _("Customer price")
    PROMOTION = "promotion", _("Promotion")
    QUANTITY_BREAK = "quantity_break", _("Quantity break")
    PRICE_LIST = "price_list", _("Price list")
    ITEM_PRICE = "item_price", _("Item sale price")


class PromotionKind(models.TextChoices):
    PERCENT_OFF = "percent_off", _("Percent off")
    FIXED_PRICE = "fixed_price", _("Fixed price")


class CheckMode(models.TextChoices):
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")


class WarningCode(models.TextChoices):
    BELOW_COST = "below_cost", _("Below cost")
    BEYOND_STOCK = "beyond_stock", _("Beyond available stock")


class Code:
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_NUMBER = "invalid_number"
    NOT_FOUND = "not_found"
    INACTIVE = "inactive"
    NOT_A_CUSTOMER = "not_a_customer"
    DUPLICATE = "duplicate"
    UNKNOWN_FIELD = "unknown_field"
    BELOW_COST = "below_cost"
    BEYOND_STOCK = "beyond_stock"
    PREVIEW_STALE = "preview_stale"
