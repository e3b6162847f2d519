"""Retail sale reads: the list by date, one sale with its lines, the day's takings by payment method.
Sales document reads: orders (with their status at a glance), one order with its documents, deliveries,
invoices, receipts and returns; open invoices of a customer."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round

from modules.sales.domain import LineFigures, OrderFigures, OrderGlance, glance
from modules.sales.enums import PaymentMethod
from modules.sales.models import (
    RetailSale,
    RetailSaleLine,
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesOrderLine,
    SalesReceipt,
    SalesReceiptAllocation,
    SalesReturn,
    SalesReturnLine,
)


def retail_sale_list(
    *, date_from: date | None = None, date_to: date | None = None, payment_method: str | None = None
) -> QuerySet[RetailSale]:
    """Newest first."""
    qs = RetailSale.objects.select_related("warehouse", "customer", "reversal")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if payment_method:
        qs = qs.filter(payment_method=payment_method)
    return qs.order_by("-date", "-id")


def retail_sale_detail(*, sale_id: int) -> RetailSale | None:
    lines = RetailSaleLine.objects.select_related("item", "unit").order_by("position")
    return (
        RetailSale.objects.select_related("warehouse", "location", "customer", "created_by", "reverses", "reversal")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=sale_id)
        .first()
    )


def retail_takings(*, on: date) -> list[dict]:
    """One row per payment method (all of them, zero when unused): label, count of sales, total (refunds
    count as sales of a negative total, so the total is what the till holds)."""
    rows = {
        row["payment_method"]: row
        for row in RetailSale.objects.filter(date=on)
        .values("payment_method")
        .annotate(count=Count("id"), total=Sum("total"))
    }
    none = {"count": 0, "total": Decimal("0.00")}
    return [
        {
            "method": value,
            "label": label,
            "count": rows.get(value, none)["count"],
            "total": rows.get(value, none)["total"],
        }
        for value, label in PaymentMethod.choices
    ]


# --- Sales documents ----------------------------------------------------------------------------------

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _order_money():
    """Annotations: the gross total of the order's invoices and what receipts settled of them."""
    invoices = SalesInvoice.objects.filter(order=OuterRef("pk")).order_by().values("order")
    return {
        "invoiced_amount": Coalesce(
            Subquery(invoices.annotate(t=Sum("total_gross")).values("t")[:1], output_field=MONEY),
            Value(Decimal(0)),
            output_field=MONEY,
        ),
        "received_amount": Coalesce(
            Subquery(invoices.annotate(t=Sum("paid_amount")).values("t")[:1], output_field=MONEY),
            Value(Decimal(0)),
            output_field=MONEY,
        ),
    }


def sales_order_list(
    *,
    customer_id: int | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
) -> QuerySet[SalesOrder]:
    """Newest first, each with its lines (prefetched) and money figures, ready for `order_glance`."""
    qs = (
        SalesOrder.objects.select_related("customer", "warehouse", "salesperson")
        .prefetch_related(Prefetch("lines", queryset=SalesOrderLine.objects.order_by("position")))
        .annotate(**_order_money())
    )
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search) | Q(quotation_number__icontains=search) | Q(customer__name__icontains=search)
        )
    return qs.order_by("-date", "-id")


def sales_order_detail(*, order_id: int) -> SalesOrder | None:
    lines = SalesOrderLine.objects.select_related("item", "unit").order_by("position")
    deliveries = SalesDelivery.objects.select_related("location", "reverses").order_by("date", "id")
    invoices = SalesInvoice.objects.select_related("reverses").order_by("date", "id")
    returns = SalesReturn.objects.select_related("delivery", "reverses").order_by("date", "id")
    return (
        SalesOrder.objects.select_related("customer", "warehouse", "salesperson", "created_by", "credit_override_by")
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            Prefetch("deliveries", queryset=deliveries),
            Prefetch("invoices", queryset=invoices),
            Prefetch("returns", queryset=returns),
        )
        .annotate(**_order_money())
        .filter(pk=order_id)
        .first()
    )


def order_figures(order: SalesOrder) -> OrderFigures:
    """From the counters the services keep (the lines' and the invoices' paid amounts)."""
    money = getattr(order, "invoiced_amount", None)
    if money is None:
        totals = SalesInvoice.objects.filter(order=order).aggregate(
            invoiced=Coalesce(Sum("total_gross"), Value(Decimal(0)), output_field=MONEY),
            received=Coalesce(Sum("paid_amount"), Value(Decimal(0)), output_field=MONEY),
        )
        invoiced, received = totals["invoiced"], totals["received"]
    else:
        invoiced, received = order.invoiced_amount, order.received_amount
    return OrderFigures(
        lines=tuple(
            LineFigures(
                quantity=line.quantity,
                delivered=line.delivered_quantity,
                returned=line.returned_quantity,
                invoiced=line.invoiced_quantity,
                credited=line.credited_quantity,
                gross=line.gross,
            )
            for line in sorted(order.lines.all(), key=lambda line: line.position)
        ),
        invoiced_amount=invoiced,
        received_amount=received,
    )


def order_figures_from_documents(*, order_id: int) -> OrderFigures:
    """The same figures summed from the documents themselves (deliveries, invoices, receipts, returns and
    their reversals), ignoring the counters: what the property tests hold the counters to."""

    def per_line(model, line_path: str, column: str, **filters) -> dict[int, Decimal]:
        rows = (
            model.objects.filter(**{f"{line_path}__order_id": order_id}, **filters)
            .values(line_path)
            .annotate(total=Sum(column))
        )
        return {row[line_path]: row["total"] for row in rows}

    delivered = per_line(SalesDeliveryLine, "order_line", "quantity")
    returned = per_line(SalesReturnLine, "delivery_line__order_line", "quantity")
    credited = per_line(SalesReturnLine, "delivery_line__order_line", "credited_quantity")
    invoiced = per_line(SalesInvoiceLine, "delivery_line__order_line", "quantity")
    zero = Decimal(0)
    lines = tuple(
        LineFigures(
            quantity=quantity,
            delivered=delivered.get(pk, zero),
            returned=returned.get(pk, zero),
            invoiced=invoiced.get(pk, zero),
            credited=credited.get(pk, zero),
            gross=gross,
        )
        for pk, quantity, gross in SalesOrderLine.objects.filter(order_id=order_id)
        .order_by("position")
        .values_list("pk", "quantity", "gross")
    )
    invoiced_amount = SalesInvoiceLine.objects.filter(invoice__order_id=order_id).aggregate(t=Sum("gross"))["t"]
    received_amount = SalesReceiptAllocation.objects.filter(invoice__order_id=order_id).aggregate(t=Sum("amount"))["t"]
    return OrderFigures(lines=lines, invoiced_amount=invoiced_amount or zero, received_amount=received_amount or zero)


def order_glance(order: SalesOrder) -> OrderGlance:
    return glance(order_figures(order))


def sales_delivery_detail(*, delivery_id: int) -> SalesDelivery | None:
    lines = SalesDeliveryLine.objects.select_related("order_line__item", "order_line__unit", "lot", "move").order_by(
        "id"
    )
    return (
        SalesDelivery.objects.select_related(
            "order__customer", "order__warehouse", "location", "reverses", "created_by"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=delivery_id)
        .first()
    )


def sales_delivery_list(*, order_id: int | None = None, customer_id: int | None = None) -> QuerySet[SalesDelivery]:
    qs = SalesDelivery.objects.select_related("order__customer", "reverses", "reversal")
    if order_id:
        qs = qs.filter(order_id=order_id)
    if customer_id:
        qs = qs.filter(order__customer_id=customer_id)
    return qs.order_by("-date", "-id")


def sales_invoice_list(
    *, customer_id: int | None = None, order_id: int | None = None, open_only: bool = False
) -> QuerySet[SalesInvoice]:
    qs = SalesInvoice.objects.select_related("customer", "order", "reverses", "reversal")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if order_id:
        qs = qs.filter(order_id=order_id)
    if open_only:
        qs = qs.filter(reverses__isnull=True, reversal__isnull=True, paid_amount__lt=F("total_gross"))
    return qs.order_by("-date", "-id")


def sales_invoice_detail(*, invoice_id: int) -> SalesInvoice | None:
    lines = SalesInvoiceLine.objects.select_related(
        "delivery_line__delivery", "delivery_line__order_line__item", "delivery_line__order_line__unit"
    ).order_by("id")
    allocations = SalesReceiptAllocation.objects.select_related("receipt").order_by("id")
    return (
        SalesInvoice.objects.select_related("customer", "order", "reverses", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines), Prefetch("allocations", queryset=allocations))
        .filter(pk=invoice_id)
        .first()
    )


def sales_receipt_list(*, customer_id: int | None = None) -> QuerySet[SalesReceipt]:
    qs = SalesReceipt.objects.select_related("customer", "reverses", "reversal")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-date", "-id")


def sales_receipt_detail(*, receipt_id: int) -> SalesReceipt | None:
    allocations = SalesReceiptAllocation.objects.select_related("invoice").order_by("id")
    return (
        SalesReceipt.objects.select_related("customer", "reverses", "created_by")
        .prefetch_related(Prefetch("allocations", queryset=allocations))
        .filter(pk=receipt_id)
        .first()
    )


def sales_return_list(*, customer_id: int | None = None, order_id: int | None = None) -> QuerySet[SalesReturn]:
    qs = SalesReturn.objects.select_related("customer", "order", "delivery", "reverses", "reversal")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if order_id:
        qs = qs.filter(order_id=order_id)
    return qs.order_by("-date", "-id")


def sales_return_detail(*, return_id: int) -> SalesReturn | None:
    lines = SalesReturnLine.objects.select_related(
        "delivery_line__order_line__item", "delivery_line__order_line__unit", "delivery_line__lot"
    ).order_by("id")
    return (
        SalesReturn.objects.select_related("customer", "order", "delivery", "reverses", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=return_id)
        .first()
    )


# --- Rows for the trade reports -----------------------------------------------------------------------
# The reports (modules.reports.sources) take a sales source as a QuerySet naming the columns date,
# item_id, customer_id, salesperson_id, base_quantity, net_amount (without VAT) and cost (the stock value
# the moves took out); reversals and returns are negative rows. These two are that, for deliveries and
# returns; the reports register them (they sit downstream of sales).


def delivery_report_rows(date_from: date, date_to: date) -> QuerySet:
    """A row per delivery line (a reversal's lines are negative): its share of the order line's net, and
    the value its stock move took out."""
    return (
        SalesDeliveryLine.objects.filter(delivery__date__range=(date_from, date_to))
        .order_by()
        .values(
            "base_quantity",
            date=F("delivery__date"),
            item_id=F("order_line__item_id"),
            customer_id=F("delivery__order__customer_id"),
            salesperson_id=F("delivery__order__salesperson_id"),
            net_amount=Round(F("order_line__net") * F("base_quantity") / F("order_line__base_quantity"), 2),
            cost=Coalesce(-F("move__value"), Value(Decimal(0)), output_field=MONEY),
        )
    )


def return_report_rows(date_from: date, date_to: date) -> QuerySet:
    """A row per return line, negative (a return's reversal positive again): the goods' share of the order
    line's net, and the value they came back at. A QuerySet (from the returns, joined to their lines once),
    so the reports run it inside their own query."""
    return (
        SalesReturn.objects.filter(date__range=(date_from, date_to))
        .order_by()
        .values(
            "date",
            "customer_id",
            item_id=F("lines__delivery_line__order_line__item_id"),
            salesperson_id=F("order__salesperson_id"),
            base_quantity=-F("lines__base_quantity"),
            net_amount=-Round(
                F("lines__delivery_line__order_line__net")
                * F("lines__base_quantity")
                / F("lines__delivery_line__order_line__base_quantity"),
                2,
            ),
            cost=-Round(F("lines__base_quantity") * F("lines__unit_cost"), 2),
        )
    )
