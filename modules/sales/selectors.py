"""Retail sale reads: the list by date, one sale with its lines, the day's takings by payment method."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from modules.sales.enums import PaymentMethod
from modules.sales.models import RetailSale, RetailSaleLine


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
