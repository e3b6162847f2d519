"""Report pages under /reports/: thin views over the selectors; `?export=xlsx` gives the same report as
a spreadsheet. Bad filters show their message with a 400."""

from dataclasses import replace
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.catalog.selectors import category_tree
from modules.identity.access import merchant_access
from modules.identity.selectors import user_list
from modules.inventory.selectors import warehouse_list
from modules.partners.selectors import partner_list
from modules.reports import filters, selectors, tables
from modules.reports.domain import Bucket, Preset, column_chart, rank_bars
from modules.reports.selectors import PurchaseGroup, SalesGroup

PERMISSION = "reports.view_report"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today(request) -> date:
    return today_in(request.tenant.timezone)


def _presets() -> list[tuple[str, str]]:
    return [
        (Preset.THIS_MONTH, _("This month")),
        (Preset.LAST_MONTH, _("Last month")),
        (Preset.THIS_YEAR, _("This year")),
        (Preset.CUSTOM, _("Custom")),
    ]


def _queries(request) -> dict:
    """The current filters as query strings: for sort links (without sort) and the export link."""
    params = request.GET.copy()
    params.pop("export", None)
    full = params.urlencode()
    params.pop("sort", None)
    query = params.urlencode()
    params.pop("group", None)
    tab_query = params.urlencode()
    return {
        "query": query + "&" if query else "",
        "export_query": full + "&" if full else "",
        "tab_query": tab_query + "&" if tab_query else "",
    }


def _xlsx(title: str, name: str, period, columns, rows, totals) -> HttpResponse:
    response = HttpResponse(
        tables.xlsx_bytes(title=title, columns=columns, rows=rows, totals=totals), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{period.date_from}-{period.date_to}.xlsx"'
    return response


def _page(request, template: str, context: dict, error: AppError | None):
    context.update(_queries(request))
    context["presets"] = _presets()
    context["error"] = error
    if request.htmx:
        # Only the results, the error (if any) in their place: htmx swaps in no 4xx response, and the
        # filters the user is changing must not turn into a stale page without a word.
        return render(request, f"reports/_{template}_results.html", context)
    return render(request, f"reports/{template}.html", context, status=error.status_code if error else 200)


@merchant_access(PERMISSION)
def index(request):
    today = _today(request)
    period = filters.period_param({}, today)
    by_day = selectors.sales_report(date_from=period.date_from, date_to=period.date_to, group=SalesGroup.DAY)
    purchases = selectors.purchases_report(
        date_from=period.date_from, date_to=period.date_to, group=PurchaseGroup.SUPPLIER
    )
    return render(
        request,
        "reports/index.html",
        {
            "period": period,
            "sales": by_day,
            "purchases": purchases,
            "chart": _period_chart(by_day),
        },
    )


def _period_chart(report):
    rows = sorted(report.rows, key=lambda row: row.key)
    # Short labels under the bars (11-26; 2026-11 by month); the bar's tooltip has the full one.
    short = "%Y-%m" if report.group == SalesGroup.MONTH else "%m-%d"
    return column_chart(
        [row.key.strftime(short) for row in rows], [row.net_amount for row in rows], [row.margin for row in rows]
    )


@merchant_access(PERMISSION)
def stock_summary(request):
    context = {"warehouses": warehouse_list(), "categories": category_tree(), "report": None}
    try:
        f = filters.stock_filters(request.GET, _today(request))
        report = selectors.stock_movement_summary(
            date_from=f.period.date_from, date_to=f.period.date_to, tz_name=request.tenant.timezone,
            warehouse_id=f.warehouse_id, category_id=f.category_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
    except AppError as error:
        return _page(request, "stock", context, error)
    columns = tables.STOCK_COLUMNS if f.warehouse_id else [c for c in tables.STOCK_COLUMNS if c.name != "revaluation"]
    # The item's code opens its moves over the same period (and warehouse).
    moves_query = f"?from={f.period.date_from}&to={f.period.date_to}"
    if f.warehouse_id:
        moves_query += f"&warehouse={f.warehouse_id}"
    columns = [
        replace(c, link=lambda row: reverse("inventory:item_moves", args=[row.item_id]) + moves_query)
        if c.name == "code"
        else c
        for c in columns
    ]
    if request.GET.get("export") == "xlsx":
        return _xlsx(_("Stock movement summary"), "stock-summary", f.period, columns, report.rows, report.totals)
    context.update(
        filters=f,
        report=report,
        table=tables.table(columns, report.rows, report.totals, f.sort, "code"),
    )
    return _page(request, "stock", context, None)


def _group_tabs(groups: list[tuple[str, str]], current: str) -> list[dict]:
    return [{"value": value, "label": label, "active": value == current} for value, label in groups]


@merchant_access(PERMISSION)
def sales(request):
    context = {
        "categories": category_tree(),
        "customers": partner_list(kind="customer", active=None),
        "salespeople": user_list(),
        "report": None,
    }
    try:
        f = filters.sales_filters(request.GET, _today(request))
        report = selectors.sales_report(
            date_from=f.period.date_from, date_to=f.period.date_to, group=f.group, category_id=f.category_id,
            customer_id=f.customer_id, salesperson_id=f.salesperson_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
    except AppError as error:
        context["tabs"] = _group_tabs(_sales_groups(), request.GET.get("group") or SalesGroup.ITEM)
        return _page(request, "sales", context, error)
    columns = tables.sales_columns(f.group)
    if request.GET.get("export") == "xlsx":
        title = _("Sales by %(group)s") % {"group": dict(_sales_groups())[f.group]}
        return _xlsx(title, f"sales-{f.group}", f.period, columns, report.rows, report.totals)
    default = "key" if f.group in SalesGroup.PERIODS else ("code" if f.group == SalesGroup.ITEM else "-net_amount")
    context.update(
        filters=f,
        report=report,
        table=tables.table(columns, report.rows, report.totals, f.sort, default),
        tabs=_group_tabs(_sales_groups(), f.group),
        chart=_period_chart(report) if f.group in SalesGroup.PERIODS else None,
        ranking=None
        if f.group in SalesGroup.PERIODS
        else rank_bars([row.label for row in report.rows], [row.net_amount for row in report.rows]),
    )
    return _page(request, "sales", context, None)


def _sales_groups() -> list[tuple[str, str]]:
    return [
        (SalesGroup.ITEM, _("item")),
        (SalesGroup.CATEGORY, _("category")),
        (SalesGroup.CUSTOMER, _("customer")),
        (SalesGroup.SALESPERSON, _("salesperson")),
        (Bucket.DAY, _("day")),
        (Bucket.WEEK, _("week")),
        (Bucket.MONTH, _("month")),
    ]


def _purchase_groups() -> list[tuple[str, str]]:
    return [(PurchaseGroup.SUPPLIER, _("supplier")), (PurchaseGroup.ITEM, _("item"))]


@merchant_access(PERMISSION)
def purchases(request):
    context = {
        "categories": category_tree(),
        "suppliers": partner_list(kind="supplier", active=None),
        "report": None,
    }
    try:
        f = filters.purchase_filters(request.GET, _today(request))
        report = selectors.purchases_report(
            date_from=f.period.date_from, date_to=f.period.date_to, group=f.group, supplier_id=f.supplier_id,
            category_id=f.category_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
    except AppError as error:
        context["tabs"] = _group_tabs(_purchase_groups(), request.GET.get("group") or PurchaseGroup.SUPPLIER)
        return _page(request, "purchases", context, error)
    columns = tables.purchase_columns(f.group)
    if request.GET.get("export") == "xlsx":
        title = _("Purchases by %(group)s") % {"group": dict(_purchase_groups())[f.group]}
        return _xlsx(title, f"purchases-{f.group}", f.period, columns, report.rows, report.totals)
    default = "code" if f.group == PurchaseGroup.ITEM else "-net_amount"
    context.update(
        filters=f,
        report=report,
        table=tables.table(columns, report.rows, report.totals, f.sort, default),
        tabs=_group_tabs(_purchase_groups(), f.group),
        ranking=rank_bars([row.label for row in report.rows], [row.net_amount for row in report.rows]),
    )
    return _page(request, "purchases", context, None)
