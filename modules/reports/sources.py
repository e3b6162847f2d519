"""Where the trade reports read sales and purchases from: a registry of sources, one per document kind.

Each document app (or the reports, for apps that cannot know about them) registers a function that
gives the rows of its documents dated in a period; the reports union every source's rows in SQL and
aggregate them there (GROUP BY), so a source is a query, not a Python loop.

    sales_source_register(name: str, fn: Callable[[date, date], SourceRows]) -> None
        fn(date_from, date_to) -> rows dated date_from..date_to (both included, the shop's dates) with
        the columns SALES_COLUMNS, in this order:
            date (date), item_id (int), customer_id (int | None), salesperson_id (int | None: a user),
            base_quantity (Decimal, in the item's base unit), net_amount (Decimal, without VAT),
            cost (Decimal, the stock value the document's moves took out; from the ledger)
        Refunds, returns and reversals are rows with negative quantity, amount and cost.

    purchase_source_register(name: str, fn: Callable[[date, date], SourceRows]) -> None
        the same, with the columns PURCHASE_COLUMNS:
            date, item_id, supplier_id (int), base_quantity, net_amount (without VAT), tax_amount
        Purchase returns are rows with negative quantity and amounts.

`SourceRows` is any one of:
- a `SourceQuery(sql, params)`: a SELECT whose output columns are *named* as above (positional %s
  parameters), best for aggregates the ORM names awkwardly;
- a Django QuerySet whose SELECT names its columns so (`.values(...)` of fields and annotations with
  those names);
- a list of tuples in the column order above (small sources; sent as arrays, still summed in SQL).

Registering a name again replaces the earlier function.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from modules.catalog.models import Item
from modules.inventory.models import StockMove
from modules.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from modules.sales.enums import RETAIL_SALE
from modules.sales.models import RetailSale, RetailSaleLine

SALES_COLUMNS = ("date", "item_id", "customer_id", "salesperson_id", "base_quantity", "net_amount", "cost")
PURCHASE_COLUMNS = ("date", "item_id", "supplier_id", "base_quantity", "net_amount", "tax_amount")

# The SQL type of each column, for rows given as a list (PostgreSQL needs to know what an array holds).
_TYPES = {
    "date": "date",
    "item_id": "bigint",
    "customer_id": "bigint",
    "salesperson_id": "bigint",
    "supplier_id": "bigint",
    "base_quantity": "numeric",
    "net_amount": "numeric",
    "cost": "numeric",
    "tax_amount": "numeric",
}


@dataclass(frozen=True)
class SourceQuery:
    sql: str
    params: Sequence = field(default_factory=tuple)


SourceRows = SourceQuery | QuerySet | list[tuple]
SourceFn = Callable[[date, date], SourceRows]

_sales: dict[str, SourceFn] = {}
_purchases: dict[str, SourceFn] = {}


def sales_source_register(name: str, fn: SourceFn) -> None:
    """Add (or replace) the sales source `name`: `fn(date_from, date_to)` gives rows of SALES_COLUMNS."""
    _sales[name] = fn


def sales_source_unregister(name: str) -> None:
    _sales.pop(name, None)


def purchase_source_register(name: str, fn: SourceFn) -> None:
    """Add (or replace) the purchase source `name`: `fn(date_from, date_to)` gives rows of PURCHASE_COLUMNS."""
    _purchases[name] = fn


def purchase_source_unregister(name: str) -> None:
    _purchases.pop(name, None)


def sales_sources() -> dict[str, SourceFn]:
    return dict(_sales)


def purchase_sources() -> dict[str, SourceFn]:
    return dict(_purchases)


def union_sql(
    sources: dict[str, SourceFn], columns: tuple[str, ...], date_from: date, date_to: date
) -> tuple[str, list]:
    """One SELECT of `columns` over every source's rows in the period (UNION ALL), with its parameters.

    With no source (or none with rows) it is an empty SELECT of the same columns, so the caller's
    GROUP BY still runs and gives nothing."""
    parts, params = [], []
    for name, fn in sorted(sources.items()):
        compiled = _compiled(name, fn(date_from, date_to), columns)
        if compiled is not None:
            parts.append(compiled[0])
            params.extend(compiled[1])
    if not parts:
        empty = ", ".join(f"NULL::{_TYPES[column]} AS {column}" for column in columns)
        return f"SELECT {empty} WHERE false", []
    return " UNION ALL ".join(f"({part})" for part in parts), params


def _compiled(name: str, rows: SourceRows, columns: tuple[str, ...]) -> tuple[str, list] | None:
    # Cast to the contract's types: an untyped NULL (a QuerySet's Value(None)) would be text to a UNION.
    names = ", ".join(f"CAST(src.{column} AS {_TYPES[column]}) AS {column}" for column in columns)
    if isinstance(rows, SourceQuery):
        return f"SELECT {names} FROM ({rows.sql}) AS src", list(rows.params)
    if isinstance(rows, QuerySet):
        sql, params = rows.query.sql_with_params()
        return f"SELECT {names} FROM ({sql}) AS src", list(params)
    if isinstance(rows, list | tuple):
        if not rows:
            return None
        arrays = [list(values) for values in zip(*rows, strict=True)]
        if len(arrays) != len(columns):
            raise TypeError(f"report source {name!r}: rows need the {len(columns)} columns {columns}")
        unnest = ", ".join(f"%s::{_TYPES[column]}[]" for column in columns)
        return f"SELECT {names} FROM unnest({unnest}) AS src({', '.join(columns)})", arrays
    raise TypeError(f"report source {name!r} returned {type(rows).__name__}: give a SourceQuery, QuerySet or list")


# --- The sources the reports know themselves ---------------------------------------------------------------


def retail_sales(date_from: date, date_to: date) -> SourceQuery:
    """Retail sales (零售单): a row per line, tax-inclusive, so its net is amount / (1 + the item's VAT
    rate), rounded to cents per line; and a row per stock move of the sales, carrying the cost (the
    ledger's value, negated) with no quantity or amount. The report sums both, so a sale's cost is
    exactly what its moves took out of stock, however its lines were split over lots. A refund (红冲) is
    a sale of its own, dated the day of the refund, with negative lines and moves coming back: negative
    rows. Two plain scans, no join of lines to moves."""
    sales = RetailSale._meta.db_table
    sql = f"""
        SELECT s.date AS date, l.item_id AS item_id, s.customer_id AS customer_id,
               s.created_by_id AS salesperson_id, l.base_quantity AS base_quantity,
               ROUND(l.amount / (1 + i.vat_rate), 2) AS net_amount, 0 AS cost
        FROM {sales} s
        JOIN {RetailSaleLine._meta.db_table} l ON l.sale_id = s.id
        JOIN {Item._meta.db_table} i ON i.id = l.item_id
        WHERE s.date BETWEEN %s AND %s
        UNION ALL
        SELECT s.date, m.item_id, s.customer_id, s.created_by_id, 0, 0, -m.value
        FROM {sales} s
        JOIN {StockMove._meta.db_table} m ON m.source_type = %s AND m.source_id = s.id
        WHERE s.date BETWEEN %s AND %s"""
    return SourceQuery(sql, (date_from, date_to, RETAIL_SALE, date_from, date_to))


def purchase_receipts(date_from: date, date_to: date) -> SourceQuery:
    """Purchase receipts (采购入库): each receipt line's share of its order line's net and tax (the
    received base quantity over the ordered one), rounded to cents."""
    sql = f"""
        SELECT r.date AS date, ol.item_id AS item_id, o.supplier_id AS supplier_id,
               rl.base_quantity AS base_quantity,
               ROUND(ol.net * rl.base_quantity / ol.base_quantity, 2) AS net_amount,
               ROUND(ol.tax * rl.base_quantity / ol.base_quantity, 2) AS tax_amount
        FROM {PurchaseReceiptLine._meta.db_table} rl
        JOIN {PurchaseReceipt._meta.db_table} r ON r.id = rl.receipt_id
        JOIN {PurchaseOrderLine._meta.db_table} ol ON ol.id = rl.order_line_id
        JOIN {PurchaseOrder._meta.db_table} o ON o.id = ol.order_id
        WHERE r.date BETWEEN %s AND %s"""
    return SourceQuery(sql, (date_from, date_to))


def purchase_returns(date_from: date, date_to: date) -> SourceQuery:
    """Purchase returns (采购退货, from a receipt or free-standing): negative rows of each line's base quantity,
    net and VAT, on the return's date. A reversal (红冲) of a return has negated lines, so its rows come out
    positive and the two cancel."""
    sql = f"""
        SELECT r.date AS date, l.item_id AS item_id, r.supplier_id AS supplier_id,
               -l.base_quantity AS base_quantity, -l.net AS net_amount, -l.tax AS tax_amount
        FROM {PurchaseReturnLine._meta.db_table} l
        JOIN {PurchaseReturn._meta.db_table} r ON r.id = l.purchase_return_id
        WHERE r.date BETWEEN %s AND %s"""
    return SourceQuery(sql, (date_from, date_to))
