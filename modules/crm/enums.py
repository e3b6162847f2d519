"""The vocabulary of the customers module: kinds of follow-up, list sort orders, error codes, permissions."""

from django.db import models
from django.utils.translation import pgettext_lazy

# The customers module's own permissions (identity.roles: every role reads, the owner, manager, purchasing and
# sales write follow-ups).
VIEW_PERMISSION = "crm.view_followup"
WRITE_PERMISSION = "crm.change_followup"
# The partner ledger's side a customer's balance lives on.
RECEIVABLE = "receivable"


class FollowUpKind(models.TextChoices):
    CALL = "call", pgettext_lazy("follow-up kind", "Phone call")
    VISIT = "visit", pgettext_lazy("follow-up kind", "Visit")
    WECHAT = "wechat", pgettext_lazy("follow-up kind", "WeChat")
    EMAIL = "email", pgettext_lazy("follow-up kind", "Email")
    OTHER = "other", pgettext_lazy("follow-up kind", "Other")


class BalanceSort(models.TextChoices):
    """How the customer list with balances may be sorted ("-" prefix: descending)."""

    CODE = "code", pgettext_lazy("sort", "Code")
    NAME = "name", pgettext_lazy("sort", "Name")
    BALANCE = "balance", pgettext_lazy("sort", "Open balance")
    OVERDUE = "overdue", pgettext_lazy("sort", "Overdue")


class ErrorCode:
    NOT_FOUND = "not_found"
    NOT_A_CUSTOMER = "not_a_customer"
    REQUIRED = "required"
    INVALID_KIND = "invalid_kind"
    INVALID_DATE = "invalid_date"
    DATE_RANGE = "date_range"
    TOO_LONG = "too_long"
    INVALID_SORT = "invalid_sort"
