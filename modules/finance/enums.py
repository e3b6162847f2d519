"""The vocabulary of the books: account types and sides, entry and period statuses, source types, error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The source_type of a voucher keyed in by hand (记账凭证); documents use their own (e.g. "purchase_receipt").
MANUAL = "manual"
# The source_type of the year-end entries that carry profit and loss into 本年利润 and 利润分配.
CLOSING = "closing"
# The source_type of an opening-balance entry (期初余额, modules/finance/opening.py); its source_id is the
# balance date as YYYYMMDD, so one date has at most one open opening entry.
OPENING = "opening"


class AccountType(models.TextChoices):
    """The five classes of the 小企业会计准则 chart; the first digit of a template code says which."""

    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    COST = "cost", _("Cost")
    PROFIT_LOSS = "profit_loss", _("Profit and loss")


class Side(models.TextChoices):
    DEBIT = "debit", _("Debit")
    CREDIT = "credit", pgettext_lazy("finance", "Credit")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("finance", "Draft")
    POSTED = "posted", pgettext_lazy("finance", "Posted")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finance", "Open")
    CLOSED = "closed", pgettext_lazy("finance", "Closed")


class PeriodAction(models.TextChoices):
    CLOSE = "close", pgettext_lazy("finance", "Closed")
    REOPEN = "reopen", pgettext_lazy("finance", "Reopened")


class ErrorCode:
    REQUIRED = "required"
    INVALID_CODE = "invalid_code"
    CODE_TAKEN = "code_taken"
    WRONG_PARENT = "wrong_parent"
    ACCOUNT_USED = "account_used"
    TEMPLATE_ACCOUNT = "template_account"
    NOT_POSTABLE = "not_postable"
    UNKNOWN_ACCOUNT = "unknown_account"
    INACTIVE = "inactive"
    NO_LINES = "no_lines"
    ONE_SIDE = "one_side"
    UNBALANCED = "unbalanced"
    INVALID_DATE = "invalid_date"
    PERIOD_CLOSED = "period_closed"
    WRONG_STATUS = "wrong_status"
    SAME_USER = "same_user"
    NOT_ALLOWED = "not_allowed"
    ALREADY_REVERSED = "already_reversed"
    DOCUMENT_ENTRY = "document_entry"
    NOTHING_TO_REVERSE = "nothing_to_reverse"
    CLOSE_CHECKS_FAILED = "close_checks_failed"
    PERIOD_ORDER = "period_order"
    REASON_REQUIRED = "reason_required"
    FILE_TOO_LARGE = "file_too_large"
    FILE_REQUIRED = "file_required"
    TOO_LONG = "too_long"
    UNKNOWN_PARTNER = "unknown_partner"
    INVALID_TAXPAYER_KIND = "invalid_taxpayer_kind"
    INVALID_VAT_RATE = "invalid_vat_rate"
    PARTNER_REQUIRED = "partner_required"
    WRONG_PARTNER = "wrong_partner"
    DUPLICATE_LINE = "duplicate_line"
    LEDGER_MISMATCH = "ledger_mismatch"
    OPENING_EXISTS = "opening_exists"
    FUTURE_DATE = "future_date"


class TaxpayerKind(models.TextChoices):
    """增值税纳税人: a general taxpayer (一般纳税人) deducts input VAT; a small-scale one (小规模纳税人) charges
    the levy rate on sales and deducts nothing."""

    GENERAL = "general", _("General taxpayer (一般纳税人)")
    SMALL_SCALE = "small_scale", _("Small-scale taxpayer (小规模纳税人)")


# The VAT rates each kind of taxpayer charges, in percent.
VAT_RATES = {
    TaxpayerKind.GENERAL: ("13", "9", "6", "0"),
    TaxpayerKind.SMALL_SCALE: ("3", "1"),
}
