"""Trade report reads: the stock movement summary (进销存汇总) from the stock ledger, sales with cost
and gross margin, and purchases, over a period. Every figure is aggregated in SQL (GROUP BY over the
moves or over the registered sources' rows); Python only names, totals and sorts the grouped rows.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Category, Item, Unit
from modules.catalog.selectors import category_descendant_ids
from modules.inventory.models import ItemValuation, MoveRole, StockMove
from modules.partners.models import Partner
from modules.reports import sources
from modules.reports.domain import Bucket, bucket_starts, margin_percent

ZERO = Decimal("0")
ZERO_MONEY = Decimal("0.00")


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _period_bounds(date_from: date, date_to: date, tz_name: str) -> tuple[datetime, datetime]:
    """The first and the last moment of the period in the shop's time zone (a document dated a day
    posts at the latest at that day's last moment: inventory.services.posting_time)."""
    tz = ZoneInfo(tz_name)
    return datetime.combine(date_from, time.min, tzinfo=tz), datetime.combine(date_to, time.max, tzinfo=tz)


def _categories(category_id: int | None) -> list[int] | None:
    return category_descendant_ids(category_id=category_id) if category_id is not None else None


def rows_sorted(rows: list, sort: str | None, allowed: tuple[str, ...], default: str) -> list:
    """`rows` ordered by `sort` ("field" or "-field", one of `allowed`); empty values last either way."""
    sort = sort or default
    name = sort.removeprefix("-")
    if name not in allowed:
        raise AppError("invalid_filter", _("Choose one of the listed columns to sort by."), field="sort")
    descending = sort.startswith("-")
    present = [row for row in rows if getattr(row, name) is not None]
    missing = [row for row in rows if getattr(row, name) is None]
    return sorted(present, key=lambda row: getattr(row, name), reverse=descending) + missing


def _totals(rows: list, names: tuple[str, ...]) -> dict[str, Decimal]:
    return {name: sum((getattr(row, name) for row in rows), ZERO) for name in names}


# --- 进销存汇总: the stock movement summary ---------------------------------------------------------------


@dataclass(frozen=True)
class StockSummaryRow:
    item_id: int
    code: str
    label: str
    unit: str
    category: str
    opening_quantity: Decimal
    opening_value: Decimal
    in_quantity: Decimal
    in_value: Decimal
    out_quantity: Decimal
    out_value: Decimal
    # One warehouse only: the change of its stock's value that no move of its own made (the item's
    # average moved with receipts elsewhere). Always 0 over all warehouses.
    revaluation: Decimal
    closing_quantity: Decimal
    closing_value: Decimal


STOCK_FIGURES = (
    "opening_quantity",
    "opening_value",
    "in_quantity",
    "in_value",
    "out_quantity",
    "out_value",
    "revaluation",
    "closing_quantity",
    "closing_value",
)
STOCK_SORTS = ("code", "label", "category", *STOCK_FIGURES)


@dataclass(frozen=True)
class StockSummary:
    date_from: date
    date_to: date
    warehouse_id: int | None
    rows: list[StockSummaryRow]
    totals: dict[str, Decimal]


# A move counts as "in" when it brings stock in, and a reversal (红冲) counts where the move it mirrors
# did: the reversal of a receipt is a negative "in", not an "out".
_INWARD = f"(CASE WHEN m.role = '{MoveRole.REVERSAL.value}' THEN m.quantity < 0 ELSE m.quantity > 0 END)"
_MOVES = StockMove._meta.db_table

_SUMMARY_ITEMS = f"""
items AS (
    SELECT i.id, i.code, i.name, u.name AS unit, COALESCE(c.name, '') AS category
    FROM {ItemValuation._meta.db_table} v
    JOIN {Item._meta.db_table} i ON i.id = v.item_id
    JOIN {Unit._meta.db_table} u ON u.id = i.base_unit_id
    LEFT JOIN {Category._meta.db_table} c ON c.id = i.category_id
    WHERE (%(categories)s::bigint[] IS NULL OR i.category_id = ANY(%(categories)s::bigint[]))
      AND (%(item)s::bigint IS NULL OR i.id = %(item)s)
)"""


def _pool_at(comparison: str, bound: str) -> str:
    """The item's cost pool after its latest move `posted_at {comparison} {bound}` (ledger order)."""
    return f"""
        SELECT p.balance_quantity, p.balance_value FROM {_MOVES} p
        WHERE p.item_id = items.id AND p.posted_at {comparison} %({bound})s
        ORDER BY p.posted_at DESC, p.id DESC LIMIT 1"""


# All warehouses: the pool's own running balances give opening and closing (one index probe each);
# the period's moves are summed by item; transfers move stock between places, not in or out.
_SUMMARY_ALL_SQL = f"""
WITH {_SUMMARY_ITEMS},
period AS (
    SELECT m.item_id,
           SUM(m.quantity) FILTER (WHERE {_INWARD}) AS in_q, SUM(m.value) FILTER (WHERE {_INWARD}) AS in_v,
           -SUM(m.quantity) FILTER (WHERE NOT {_INWARD}) AS out_q, -SUM(m.value) FILTER (WHERE NOT {_INWARD}) AS out_v
    FROM {_MOVES} m
    WHERE m.item_id IN (SELECT id FROM items) AND m.posted_at >= %(start)s AND m.posted_at <= %(end)s
      AND m.role <> '{MoveRole.TRANSFER.value}'
    GROUP BY m.item_id
)
SELECT items.id, items.code, items.name, items.unit, items.category,
       COALESCE(o.balance_quantity, 0), COALESCE(o.balance_value, 0),
       COALESCE(period.in_q, 0), COALESCE(period.in_v, 0), COALESCE(period.out_q, 0), COALESCE(period.out_v, 0),
       0::numeric, COALESCE(c.balance_quantity, 0), COALESCE(c.balance_value, 0)
FROM items
LEFT JOIN period ON period.item_id = items.id
LEFT JOIN LATERAL ({_pool_at("<", "start")}) o ON true
LEFT JOIN LATERAL ({_pool_at("<=", "end")}) c ON true
ORDER BY items.code"""

# One warehouse: its quantities are sums of its own moves (transfers in and out included); its value
# at a time is that quantity at the item pool's exact average then, as the stock pages value it.
_SUMMARY_WAREHOUSE_SQL = f"""
WITH {_SUMMARY_ITEMS},
here AS (
    SELECT m.item_id,
           SUM(m.quantity) FILTER (WHERE m.posted_at < %(start)s) AS opening_q,
           SUM(m.quantity) FILTER (WHERE m.posted_at >= %(start)s AND {_INWARD}) AS in_q,
           SUM(m.value) FILTER (WHERE m.posted_at >= %(start)s AND {_INWARD}) AS in_v,
           -SUM(m.quantity) FILTER (WHERE m.posted_at >= %(start)s AND NOT {_INWARD}) AS out_q,
           -SUM(m.value) FILTER (WHERE m.posted_at >= %(start)s AND NOT {_INWARD}) AS out_v
    FROM {_MOVES} m
    WHERE m.warehouse_id = %(warehouse)s AND m.item_id IN (SELECT id FROM items) AND m.posted_at <= %(end)s
    GROUP BY m.item_id
), figures AS (
    SELECT items.*, COALESCE(here.opening_q, 0) AS opening_q,
           COALESCE(here.in_q, 0) AS in_q, COALESCE(here.in_v, 0) AS in_v,
           COALESCE(here.out_q, 0) AS out_q, COALESCE(here.out_v, 0) AS out_v,
           o.balance_quantity AS o_pool_q, o.balance_value AS o_pool_v,
           c.balance_quantity AS c_pool_q, c.balance_value AS c_pool_v
    FROM items
    JOIN here ON here.item_id = items.id
    LEFT JOIN LATERAL ({_pool_at("<", "start")}) o ON true
    LEFT JOIN LATERAL ({_pool_at("<=", "end")}) c ON true
), valued AS (
    SELECT figures.*, opening_q + in_q - out_q AS closing_q,
           CASE WHEN o_pool_q > 0 THEN ROUND(opening_q * o_pool_v / o_pool_q, 2) ELSE 0 END AS opening_v,
           CASE WHEN c_pool_q > 0 THEN ROUND((opening_q + in_q - out_q) * c_pool_v / c_pool_q, 2) ELSE 0 END
               AS closing_v
    FROM figures
)
SELECT id, code, name, unit, category, opening_q, opening_v, in_q, in_v, out_q, out_v,
       closing_v - opening_v - in_v + out_v, closing_q, closing_v
FROM valued
ORDER BY code"""


def stock_movement_summary(
    *,
    date_from: date,
    date_to: date,
    tz_name: str,
    warehouse_id: int | None = None,
    category_id: int | None = None,
    item_id: int | None = None,
    sort: str | None = None,
) -> StockSummary:
    """Per item: stock at the start of the period (opening), what came in and went out during it, and
    at its end (closing), quantities in the base unit and values at cost, with totals. Items that
    neither had stock nor moved are left out.

    Over all warehouses the figures are the item's cost pool (docs/stock.md): opening + in − out =
    closing, for quantities and values, exactly. For one warehouse the quantities reconcile the same
    way; its value is its quantity at the pool's average (as on the stock pages), so a receipt at
    another price elsewhere re-values it: that difference is `revaluation`, and opening + in − out +
    revaluation = closing."""
    start, end = _period_bounds(date_from, date_to, tz_name)
    params = {
        "start": start,
        "end": end,
        "warehouse": warehouse_id,
        "item": item_id,
        "categories": _categories(category_id),
    }
    sql = _SUMMARY_ALL_SQL if warehouse_id is None else _SUMMARY_WAREHOUSE_SQL
    rows = [
        StockSummaryRow(*row)
        for row in _fetch(sql, params)
        # row[5:] are the figures: opening, in, out, revaluation, closing.
        if any(value != 0 for value in row[5:])
    ]
    rows = rows_sorted(rows, sort, STOCK_SORTS, "code")
    return StockSummary(date_from, date_to, warehouse_id, rows, _totals(rows, STOCK_FIGURES))


# --- Sales --------------------------------------------------------------------------------------------------


class SalesGroup:
    ITEM = "item"
    CATEGORY = "category"
    CUSTOMER = "customer"
    SALESPERSON = "salesperson"
    DAY = Bucket.DAY
    WEEK = Bucket.WEEK
    MONTH = Bucket.MONTH
    ALL = (ITEM, CATEGORY, CUSTOMER, SALESPERSON, DAY, WEEK, MONTH)
    PERIODS = (DAY, WEEK, MONTH)


@dataclass(frozen=True)
class SalesRow:
    key: int | date | None  # the item, category, customer or user id (None: none), or the bucket's first day
    code: str
    label: str
    unit: str
    quantity: Decimal
    net_amount: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None


SALES_FIGURES = ("quantity", "net_amount", "cost", "margin")
SALES_SORTS = ("key", "code", "label", *SALES_FIGURES, "margin_percent")


@dataclass(frozen=True)
class SalesReport:
    date_from: date
    date_to: date
    group: str
    rows: list[SalesRow]
    totals: dict[str, Decimal | None]


_USERS = get_user_model()._meta.db_table

# Per grouping: the key expression over the union `src` (with the item `i`), and the label's join.
_SALES_KEYS = {
    SalesGroup.ITEM: (
        "src.item_id",
        f"""SELECT g.key, k.code, k.name, u.name FROM grouped g
            JOIN {Item._meta.db_table} k ON k.id = g.key JOIN {Unit._meta.db_table} u ON u.id = k.base_unit_id""",
    ),
    SalesGroup.CATEGORY: (
        "i.category_id",
        f"SELECT g.key, '', k.name, '' FROM grouped g LEFT JOIN {Category._meta.db_table} k ON k.id = g.key",
    ),
    SalesGroup.CUSTOMER: (
        "src.customer_id",
        f"SELECT g.key, k.code, k.name, '' FROM grouped g LEFT JOIN {Partner._meta.db_table} k ON k.id = g.key",
    ),
    SalesGroup.SALESPERSON: (
        "src.salesperson_id",
        f"""SELECT g.key, '',
                   COALESCE(NULLIF(TRIM(k.first_name || ' ' || k.last_name), ''), NULLIF(k.email, ''), k.username), ''
            FROM grouped g LEFT JOIN {_USERS} k ON k.id = g.key""",
    ),
}


def _item_join(needed: bool) -> str:
    """The item of each source row, joined only for what needs it (its category)."""
    return f"JOIN {Item._meta.db_table} i ON i.id = src.item_id" if needed else ""


def _filters(conditions: list[str], params: list, **filters) -> str:
    for column, value in filters.items():
        if value is None:
            continue
        if isinstance(value, list):
            conditions.append(f"{column} = ANY(%s)")
        else:
            conditions.append(f"{column} = %s")
        params.append(value)
    return " AND ".join(conditions) if conditions else "true"


def sales_report(
    *,
    date_from: date,
    date_to: date,
    group: str,
    category_id: int | None = None,
    customer_id: int | None = None,
    salesperson_id: int | None = None,
    item_id: int | None = None,
    sort: str | None = None,
) -> SalesReport:
    """Sales of every registered source (sources.sales_source_register) dated in the period, grouped by
    item, category, customer, salesperson, or day / week / month: base quantity, net revenue (without
    VAT), cost (from the ledger), gross margin and margin %. By period every bucket of the period is
    listed, quiet ones with zeros. One query."""
    if group not in SalesGroup.ALL:
        raise AppError("invalid_filter", _("Choose one of the listed groupings."), field="group")
    union, params = sources.union_sql(sources.sales_sources(), sources.SALES_COLUMNS, date_from, date_to)
    if group in SalesGroup.PERIODS:
        key = f"date_trunc('{group}', src.date)::date"
        labelled = "SELECT g.key, '', '', '' FROM grouped g"
    else:
        key, labelled = _SALES_KEYS[group]
    where = _filters(
        [],
        params,
        **{
            "i.category_id": _categories(category_id),
            "src.customer_id": customer_id,
            "src.salesperson_id": salesperson_id,
            "src.item_id": item_id,
        },
    )
    sql = f"""
        WITH src AS ({union}),
        grouped AS (
            SELECT {key} AS key, SUM(src.base_quantity) AS quantity, SUM(src.net_amount) AS net_amount,
                   SUM(src.cost) AS cost
            FROM src {_item_join(group == SalesGroup.CATEGORY or category_id is not None)}
            WHERE {where}
            GROUP BY 1
        ), labels AS ({labelled})
        SELECT labels.*, g.quantity, g.net_amount, g.cost FROM grouped g
        JOIN labels ON labels.key IS NOT DISTINCT FROM g.key"""
    fetched = {row[0]: row for row in _fetch(sql, params)}
    if group in SalesGroup.PERIODS:
        keys = bucket_starts(date_from, date_to, group)
        fetched = {k: fetched.get(k, (k, "", "", "", ZERO, ZERO_MONEY, ZERO_MONEY)) for k in keys}
    rows = [_sales_row(group, *row) for row in fetched.values()]
    default = "key" if group in SalesGroup.PERIODS else ("code" if group == SalesGroup.ITEM else "-net_amount")
    rows = rows_sorted(rows, sort, SALES_SORTS, default)
    totals: dict[str, Decimal | None] = dict(_totals(rows, SALES_FIGURES))
    totals["margin_percent"] = margin_percent(totals["net_amount"], totals["margin"])
    return SalesReport(date_from, date_to, group, rows, totals)


def _sales_row(group, key, code, label, unit, quantity, net, cost) -> SalesRow:
    net, cost = net or ZERO_MONEY, cost or ZERO_MONEY
    if key is None:
        label = {
            SalesGroup.CATEGORY: _("No category"),
            SalesGroup.CUSTOMER: _("Walk-in customers"),
            SalesGroup.SALESPERSON: _("Nobody recorded"),
        }.get(group, "")
    if group in SalesGroup.PERIODS:
        label = key.isoformat() if group == SalesGroup.DAY else _bucket_label(key, group)
    return SalesRow(key, code or "", label or "", unit or "", quantity or ZERO, net, cost, net - cost,
                    margin_percent(net, net - cost))  # fmt: skip


def _bucket_label(start: date, group: str) -> str:
    if group == SalesGroup.MONTH:
        return start.strftime("%Y-%m")
    return _("Week of %(date)s") % {"date": start.isoformat()}


# --- Purchases ----------------------------------------------------------------------------------------------


class PurchaseGroup:
    SUPPLIER = "supplier"
    ITEM = "item"
    ALL = (SUPPLIER, ITEM)


@dataclass(frozen=True)
class PurchaseRow:
    key: int
    code: str
    label: str
    unit: str
    quantity: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


PURCHASE_FIGURES = ("quantity", "net_amount", "tax_amount", "gross_amount")
PURCHASE_SORTS = ("code", "label", *PURCHASE_FIGURES)


@dataclass(frozen=True)
class PurchaseReport:
    date_from: date
    date_to: date
    group: str
    rows: list[PurchaseRow]
    totals: dict[str, Decimal]


_PURCHASE_KEYS = {
    PurchaseGroup.ITEM: _SALES_KEYS[SalesGroup.ITEM],
    PurchaseGroup.SUPPLIER: (
        "src.supplier_id",
        f"SELECT g.key, k.code, k.name, '' FROM grouped g JOIN {Partner._meta.db_table} k ON k.id = g.key",
    ),
}


def purchases_report(
    *,
    date_from: date,
    date_to: date,
    group: str,
    supplier_id: int | None = None,
    category_id: int | None = None,
    item_id: int | None = None,
    sort: str | None = None,
) -> PurchaseReport:
    """Purchases of every registered source (sources.purchase_source_register) dated in the period, by
    supplier or by item: base quantity, net amount, VAT and the amount with VAT. One query."""
    if group not in PurchaseGroup.ALL:
        raise AppError("invalid_filter", _("Choose one of the listed groupings."), field="group")
    union, params = sources.union_sql(sources.purchase_sources(), sources.PURCHASE_COLUMNS, date_from, date_to)
    key, labelled = _PURCHASE_KEYS[group]
    where = _filters(
        [],
        params,
        **{"i.category_id": _categories(category_id), "src.supplier_id": supplier_id, "src.item_id": item_id},
    )
    sql = f"""
        WITH src AS ({union}),
        grouped AS (
            SELECT {key} AS key, SUM(src.base_quantity) AS quantity, SUM(src.net_amount) AS net_amount,
                   SUM(src.tax_amount) AS tax_amount
            FROM src {_item_join(category_id is not None)}
            WHERE {where}
            GROUP BY 1
        ), labels AS ({labelled})
        SELECT labels.*, g.quantity, g.net_amount, g.tax_amount FROM grouped g JOIN labels ON labels.key = g.key"""
    rows = [
        PurchaseRow(key, code or "", label, unit or "", quantity, net, tax, net + tax)
        for key, code, label, unit, quantity, net, tax in _fetch(sql, params)
    ]
    rows = rows_sorted(rows, sort, PURCHASE_SORTS, "code" if group == PurchaseGroup.ITEM else "-net_amount")
    return PurchaseReport(date_from, date_to, group, rows, _totals(rows, PURCHASE_FIGURES))
