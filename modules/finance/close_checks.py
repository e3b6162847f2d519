"""Month-end close checks on the data of the stock modules (issue 5, item 4), registered with
`services.close_check_register` when the finance app is ready:

- `inventory.value`: the stock ledger's value at the month's last moment (inventory.stock_value_as_of)
  must equal the balance of 1405 库存商品 on the month's last day;
- `inventory.negative`: no item may be below zero at the month's end, nor any stock balance now;
- `stockops.drafts` / `stockcount.open`: no stock document or stock count dated in the month may be
  left unposted (draft or confirmed documents, counts being prepared or counted).

Finance reads the other modules through their selectors and models only; it writes nothing there.
"""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from modules.finance import chart
from modules.finance.enums import EntryStatus
from modules.finance.models import JournalLine, Period
from modules.finance.services import close_check_register

DEFAULT_TZ = "Asia/Shanghai"
LISTED = 20  # numbers named in a message; more are counted


def _month_end(period: Period) -> datetime:
    # The same last moment a document dated that day posts at (inventory.services.posting_time).
    tz = ZoneInfo(getattr(connection.tenant, "timezone", None) or DEFAULT_TZ)
    return datetime.combine(period.end, time(23, 59, 59, 999999), tzinfo=tz)


def _listed(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:LISTED])
    return shown if len(numbers) <= LISTED else f"{shown} … (+{len(numbers) - LISTED})"


def inventory_account_balance(*, date_to) -> Decimal:
    totals = JournalLine.objects.filter(
        entry__status=EntryStatus.POSTED, entry__date__lte=date_to, account__code=chart.INVENTORY
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or Decimal(0)) - (totals["c"] or Decimal(0))


def check_inventory_value(period: Period) -> list[str]:
    from modules.inventory.selectors import stock_value_as_of

    ledger = stock_value_as_of(at=_month_end(period)).value.quantize(Decimal("0.01"))
    account = inventory_account_balance(date_to=period.end)
    if ledger == account:
        return []
    return [
        _(
            "The stock ledger is worth %(ledger)s at the end of %(period)s but account %(code)s shows %(account)s"
            " (difference %(difference)s): post the missing documents or an opening entry first."
        )
        % {
            "ledger": ledger,
            "period": period,
            "code": chart.INVENTORY,
            "account": account,
            "difference": ledger - account,
        }
    ]


def check_negative_stock(period: Period) -> list[str]:
    from modules.inventory.models import StockBalance
    from modules.inventory.selectors import stock_value_as_of

    names = [
        f"{row.item_code} {row.item_name}" for row in stock_value_as_of(at=_month_end(period)).rows if row.quantity < 0
    ]
    negative_now = (
        StockBalance.objects.filter(on_hand__lt=0)
        .select_related("item")
        .order_by("item__code")
        .values_list("item__code", "item__name")
        .distinct()
    )
    for code, name in negative_now:
        label = f"{code} {name}"
        if label not in names:
            names.append(label)
    if not names:
        return []
    return [
        _("Stock is negative for %(items)s: post the missing receipts or a stock count first.")
        % {"items": _listed(names)}
    ]


def check_stock_documents(period: Period) -> list[str]:
    from modules.stockops.enums import DocumentStatus
    from modules.stockops.models import StockDocument

    numbers = list(
        StockDocument.objects.filter(
            status__in=[DocumentStatus.DRAFT, DocumentStatus.CONFIRMED], date__gte=period.start, date__lte=period.end
        )
        .order_by("date", "number")
        .values_list("number", flat=True)
    )
    if not numbers:
        return []
    return [
        _("%(count)s stock document(s) dated in this month are not posted: %(numbers)s. Post or cancel them.")
        % {"count": len(numbers), "numbers": _listed(numbers)}
    ]


def check_stock_counts(period: Period) -> list[str]:
    from modules.stockcount.models import CountStatus, StockCount

    numbers = list(
        StockCount.objects.filter(
            status__in=[CountStatus.DRAFT, CountStatus.COUNTING], date__gte=period.start, date__lte=period.end
        )
        .order_by("date", "number")
        .values_list("number", flat=True)
    )
    if not numbers:
        return []
    return [
        _("%(count)s stock count(s) dated in this month are still open: %(numbers)s. Post or cancel them.")
        % {"count": len(numbers), "numbers": _listed(numbers)}
    ]


def register() -> None:
    close_check_register(key="inventory.value", check=check_inventory_value)
    close_check_register(key="inventory.negative", check=check_negative_stock)
    close_check_register(key="stockops.drafts", check=check_stock_documents)
    close_check_register(key="stockcount.open", check=check_stock_counts)
