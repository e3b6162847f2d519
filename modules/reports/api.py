"""Reports under /api/v1/reports/: the same figures as the pages, as JSON; they need the "read" scope.
Bad filters are a 400 naming the parameter."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from jxc.api.base import ApiView
from jxc.api.permissions import HasScope
from jxc.kernel.numbers import today_in
from modules.reports import filters, selectors
from modules.reports.domain import Preset
from modules.reports.selectors import PurchaseGroup, SalesGroup

_QUANTITY = Decimal("0.000001")
_MONEY = Decimal("0.01")


def _json(name: str, value):
    """Figures as strings like the rest of the API: quantities with 6 places, money with 2, a margin
    percentage with 1; dates as YYYY-MM-DD."""
    if isinstance(value, Decimal):
        if name.endswith("quantity") or name == "quantity":
            return str(value.quantize(_QUANTITY))
        if name == "margin_percent":
            return str(value)
        return str(value.quantize(_MONEY))
    if isinstance(value, date):
        return value.isoformat()
    return value


def _body(report, period, **extra) -> dict:
    return {
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        **extra,
        "rows": [{name: _json(name, value) for name, value in asdict(row).items()} for row in report.rows],
        "totals": {name: _json(name, value) for name, value in report.totals.items()},
    }


_PERIOD = [
    OpenApiParameter("period", str, enum=list(Preset.ALL), description="Default this_month; custom needs both dates."),
    OpenApiParameter("date_from", date, description="YYYY-MM-DD, included."),
    OpenApiParameter("date_to", date, description="YYYY-MM-DD, included."),
    OpenApiParameter("sort", str, description='A row field, "-" first for descending.'),
]


class _ReportView(ApiView):
    permission_classes = [HasScope]

    def today(self, request) -> date:
        return today_in(request.tenant.timezone)


class StockSummaryView(_ReportView):
    """进销存汇总: per item, opening, in, out and closing quantity and value over the period, from the
    stock ledger; with a warehouse, `revaluation` is the change of its value no move of its own made."""

    @extend_schema(
        operation_id="reports_stock_summary",
        parameters=[*_PERIOD, *(OpenApiParameter(n, int) for n in ("warehouse", "category", "item"))],
        responses=OpenApiTypes.OBJECT,
        tags=["reports"],
    )
    def get(self, request):
        f = filters.stock_filters(request.query_params, self.today(request))
        report = selectors.stock_movement_summary(
            date_from=f.period.date_from, date_to=f.period.date_to, tz_name=request.tenant.timezone,
            warehouse_id=f.warehouse_id, category_id=f.category_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
        return Response(_body(report, f.period, warehouse=f.warehouse_id))


class SalesReportView(_ReportView):
    """Sales of every kind of sales document, by item, category, customer, salesperson, day, week or month:
    quantity, net revenue (without VAT), cost (from the stock ledger), gross margin and margin %."""

    @extend_schema(
        operation_id="reports_sales",
        parameters=[
            OpenApiParameter("group", str, enum=list(SalesGroup.ALL), description="Default item."),
            *_PERIOD,
            *(OpenApiParameter(n, int) for n in ("category", "customer", "salesperson", "item")),
        ],
        responses=OpenApiTypes.OBJECT,
        tags=["reports"],
    )
    def get(self, request):
        f = filters.sales_filters(request.query_params, self.today(request))
        report = selectors.sales_report(
            date_from=f.period.date_from, date_to=f.period.date_to, group=f.group, category_id=f.category_id,
            customer_id=f.customer_id, salesperson_id=f.salesperson_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
        return Response(_body(report, f.period, group=f.group))


class PurchasesReportView(_ReportView):
    """Purchases (goods received, returns deducted) by supplier or item: quantity, net, VAT, with VAT."""

    @extend_schema(
        operation_id="reports_purchases",
        parameters=[
            OpenApiParameter("group", str, enum=list(PurchaseGroup.ALL), description="Default supplier."),
            *_PERIOD,
            *(OpenApiParameter(n, int) for n in ("supplier", "category", "item")),
        ],
        responses=OpenApiTypes.OBJECT,
        tags=["reports"],
    )
    def get(self, request):
        f = filters.purchase_filters(request.query_params, self.today(request))
        report = selectors.purchases_report(
            date_from=f.period.date_from, date_to=f.period.date_to, group=f.group, supplier_id=f.supplier_id,
            category_id=f.category_id, item_id=f.item_id, sort=f.sort,
        )  # fmt: skip
        return Response(_body(report, f.period, group=f.group))
