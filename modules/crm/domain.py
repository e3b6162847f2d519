"""Pure rules of the customers module (no database): when a receivable is overdue, a statement's period,
how the customer list sorts."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.crm.enums import BalanceSort, ErrorCode

ZERO = Decimal("0.00")
# A statement covers at most this many days: enough for several years, small enough to print.
STATEMENT_MAX_DAYS = 366 * 5


def overdue_cutoff(*, on: date, terms_days: int) -> date:
    """The last document date that is past due on `on`: a document dated d falls due on d + terms and is
    overdue the day after. With no terms (0 days) anything dated before today is overdue."""
    return on - timedelta(days=terms_days + 1)


def overdue_amount(*, balance_at_cutoff: Decimal, credits_since: Iterable[Decimal]) -> Decimal:
    """What is still unpaid of the balance that was already due at the cutoff.

    Money received (and return credits) since the cutoff pays the oldest debt first (先进先出), so it
    lowers the past-due part before any newer invoice; what remains of it, if anything, is overdue."""
    return max(ZERO, balance_at_cutoff - sum(credits_since, ZERO))


def period_check(*, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """A statement's period, both days given, in order, and not too long; else an AppError naming the field."""
    if date_from is None:
        raise AppError(ErrorCode.REQUIRED, _("Enter the first day."), field="date_from")
    if date_to is None:
        raise AppError(ErrorCode.REQUIRED, _("Enter the last day."), field="date_to")
    if date_to < date_from:
        raise AppError(ErrorCode.DATE_RANGE, _("The last day is before the first day."), field="date_to")
    if (date_to - date_from).days >= STATEMENT_MAX_DAYS:
        raise AppError(ErrorCode.DATE_RANGE, _("A statement covers at most five years."), field="date_to")
    return date_from, date_to


def sort_parse(value: str | None) -> tuple[str, bool]:
    """`code`, `-balance`…: the key and whether descending; else an AppError naming `sort`."""
    value = (value or BalanceSort.CODE).strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in BalanceSort.values:
        allowed = ", ".join(BalanceSort.values)
        raise AppError(ErrorCode.INVALID_SORT, _("Sort by one of: %(values)s.") % {"values": allowed}, field="sort")
    return key, descending
