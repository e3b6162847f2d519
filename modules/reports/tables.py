"""The reports' columns, once for both outputs: the sortable HTML table and the XLSX export.

A column names a row attribute, its heading (in the request's language) and its kind, which decides
how a cell is written: text, a quantity, money (two places) or a percentage.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from modules.reports.selectors import SalesGroup


class Kind:
    TEXT = "text"
    QUANTITY = "quantity"
    MONEY = "money"
    PERCENT = "percent"


@dataclass(frozen=True)
class Column:
    name: str
    heading: str | Promise
    kind: str = Kind.TEXT
    # The row's link for this cell, or None.
    link: Callable[[object], str | None] | None = None

    @property
    def numeric(self) -> bool:
        return self.kind != Kind.TEXT


_CODE = Column("code", gettext_lazy("Code"))
_UNIT = Column("unit", gettext_lazy("Unit"))

STOCK_COLUMNS = [
    _CODE,
    Column("label", gettext_lazy("Item")),
    Column("category", gettext_lazy("Category")),
    _UNIT,
    Column("opening_quantity", gettext_lazy("Opening quantity"), Kind.QUANTITY),
    Column("opening_value", gettext_lazy("Opening value"), Kind.MONEY),
    Column("in_quantity", gettext_lazy("Quantity in"), Kind.QUANTITY),
    Column("in_value", gettext_lazy("Value in"), Kind.MONEY),
    Column("out_quantity", gettext_lazy("Quantity out"), Kind.QUANTITY),
    Column("out_value", gettext_lazy("Value out"), Kind.MONEY),
    Column("revaluation", gettext_lazy("Revaluation"), Kind.MONEY),
    Column("closing_quantity", gettext_lazy("Closing quantity"), Kind.QUANTITY),
    Column("closing_value", gettext_lazy("Closing value"), Kind.MONEY),
]

_SALES_FIGURES = [
    Column("quantity", gettext_lazy("Quantity"), Kind.QUANTITY),
    Column("net_amount", gettext_lazy("Net revenue"), Kind.MONEY),
    Column("cost", gettext_lazy("Cost"), Kind.MONEY),
    Column("margin", gettext_lazy("Gross margin"), Kind.MONEY),
    Column("margin_percent", gettext_lazy("Margin %"), Kind.PERCENT),
]

_GROUP_HEADINGS = {
    SalesGroup.ITEM: gettext_lazy("Item"),
    SalesGroup.CATEGORY: gettext_lazy("Category"),
    SalesGroup.CUSTOMER: gettext_lazy("Customer"),
    SalesGroup.SALESPERSON: gettext_lazy("Salesperson"),
    SalesGroup.DAY: gettext_lazy("Day"),
    SalesGroup.WEEK: gettext_lazy("Week"),
    SalesGroup.MONTH: gettext_lazy("Month"),
    "supplier": gettext_lazy("Supplier"),
}


def sales_columns(group: str) -> list[Column]:
    label = Column("label", _GROUP_HEADINGS[group])
    if group == SalesGroup.ITEM:
        return [_CODE, label, _UNIT, *_SALES_FIGURES]
    if group == SalesGroup.CUSTOMER:
        return [_CODE, label, *_SALES_FIGURES[1:]]
    if group in SalesGroup.PERIODS:
        return [Column("label", _GROUP_HEADINGS[group]), *_SALES_FIGURES[1:]]
    # A quantity summed over different items means nothing: left out of the other groupings.
    return [label, *_SALES_FIGURES[1:]]


def purchase_columns(group: str) -> list[Column]:
    figures = [
        Column("net_amount", gettext_lazy("Net amount"), Kind.MONEY),
        Column("tax_amount", gettext_lazy("VAT"), Kind.MONEY),
        Column("gross_amount", gettext_lazy("Amount with VAT"), Kind.MONEY),
    ]
    if group == "item":
        return [_CODE, Column("label", _GROUP_HEADINGS["item"]), _UNIT,
                Column("quantity", gettext_lazy("Quantity"), Kind.QUANTITY), *figures]  # fmt: skip
    return [_CODE, Column("label", _GROUP_HEADINGS["supplier"]), *figures]


# --- The HTML table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    label: str
    sort: str | None  # the sort parameter a click asks for; None: not sortable
    state: str  # "ascending", "descending" or "" (aria-sort)
    numeric: bool


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str
    label: str = ""  # the column's heading (a narrow screen shows it beside the value)
    url: str | None = None


def table(columns: list[Column], rows: list, totals: dict, sort: str | None, default: str) -> dict:
    """Headings (each a link that sorts by it, the second click reversing), rows of cells and the totals
    row, for templates/reports/_table.html."""
    current = sort or default
    headings = []
    for column in columns:
        name = column.name
        state = ""
        if current.removeprefix("-") == name:
            state = "descending" if current.startswith("-") else "ascending"
        # First click: text A→Z, figures largest first.
        first = name if not column.numeric else f"-{name}"
        toggled = (name if state == "descending" else f"-{name}") if state else first
        headings.append(Heading(str(column.heading), toggled, state, column.numeric))
    labels = [str(c.heading) for c in columns]
    body = [
        [
            Cell(getattr(row, c.name), c.kind, label, c.link(row) if c.link else None)
            for c, label in zip(columns, labels, strict=True)
        ]
        for row in rows
    ]
    foot = []
    for index, (column, label) in enumerate(zip(columns, labels, strict=True)):
        if column.name in totals:
            foot.append(Cell(totals.get(column.name), column.kind, label))
        else:
            foot.append(Cell(pgettext("report", "Total") if index == 0 else None, Kind.TEXT, label))
    return {"headings": headings, "rows": body, "totals": foot}


# --- XLSX ----------------------------------------------------------------------------------------------------

_FORMATS = {Kind.QUANTITY: "#,##0.######", Kind.MONEY: "#,##0.00", Kind.PERCENT: "0.0%"}
# Characters Excel refuses in a sheet's title, which is at most 31 long.
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _xlsx_value(value, kind: str):
    if value is None:
        return None
    if kind == Kind.PERCENT:
        return Decimal(value) / 100
    if isinstance(value, Decimal | int | float | str):
        return value
    return str(value)


def xlsx_bytes(*, title: str, columns: list[Column], rows: list, totals: dict) -> bytes:
    """One sheet titled `title`: a bold header row, a row per report row (numbers as numbers with
    their formats), a bold totals row; the header stays in view when scrolling."""
    book = Workbook()
    sheet = book.active
    sheet.title = title.translate(_TITLE_FORBIDDEN)[:31]
    bold = Font(bold=True)
    sheet.append([str(column.heading) for column in columns])
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append([_xlsx_value(getattr(row, column.name), column.kind) for column in columns])
    foot = table(columns, [], totals, None, columns[0].name)["totals"]
    sheet.append([_xlsx_value(cell.value, cell.kind) for cell in foot])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.kind in _FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = _FORMATS[column.kind]
        sheet.column_dimensions[letter].width = 14 if column.numeric else 24
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
