"""The reports' query parameters, read the same way by the pages and the API: bad input is an AppError
naming the parameter (a 400), never silently ignored."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.reports.domain import Period, period_resolve
from modules.reports.selectors import PurchaseGroup, SalesGroup


def int_param(query, name: str) -> int | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        raise AppError("invalid_filter", _("Enter a whole number."), field=name) from None
    if number < 1:
        raise AppError("invalid_filter", _("Enter a whole number of at least %(n)s.") % {"n": 1}, field=name)
    return number


def choice_param(query, name: str, choices: tuple[str, ...], default: str) -> str:
    raw = query.get(name) or default
    if raw not in choices:
        raise AppError("invalid_filter", _("Choose one of the listed values."), field=name)
    return raw


def period_param(query, today: date) -> Period:
    return period_resolve(
        preset=query.get("period"), date_from=query.get("date_from"), date_to=query.get("date_to"), today=today
    )


@dataclass(frozen=True)
class StockFilters:
    period: Period
    warehouse_id: int | None
    category_id: int | None
    item_id: int | None
    sort: str | None


@dataclass(frozen=True)
class SalesFilters:
    period: Period
    group: str
    category_id: int | None
    customer_id: int | None
    salesperson_id: int | None
    item_id: int | None
    sort: str | None


@dataclass(frozen=True)
class PurchaseFilters:
    period: Period
    group: str
    supplier_id: int | None
    category_id: int | None
    item_id: int | None
    sort: str | None


def stock_filters(query, today: date) -> StockFilters:
    return StockFilters(
        period_param(query, today),
        int_param(query, "warehouse"),
        int_param(query, "category"),
        int_param(query, "item"),
        query.get("sort") or None,
    )


def sales_filters(query, today: date, *, group: str | None = None) -> SalesFilters:
    return SalesFilters(
        period_param(query, today),
        group or choice_param(query, "group", SalesGroup.ALL, SalesGroup.ITEM),
        int_param(query, "category"),
        int_param(query, "customer"),
        int_param(query, "salesperson"),
        int_param(query, "item"),
        query.get("sort") or None,
    )


def purchase_filters(query, today: date) -> PurchaseFilters:
    return PurchaseFilters(
        period_param(query, today),
        choice_param(query, "group", PurchaseGroup.ALL, PurchaseGroup.SUPPLIER),
        int_param(query, "supplier"),
        int_param(query, "category"),
        int_param(query, "item"),
        query.get("sort") or None,
    )
