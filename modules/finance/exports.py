"""Statements as XLSX workbooks (openpyxl): one sheet, a title row, headers, numbers as numbers."""

from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from modules.finance import accountant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0.00;-#,##0.00;""'


def xlsx_response(
    *, filename: str, title: str, headers: list[str], rows: Iterable[list], first_amount_column: int = 3
) -> HttpResponse:
    """`first_amount_column` (1 = A): numbers from there on take the money format; the columns before it hold
    codes and labels (a sheet whose amounts start in B, such as the general ledger's, says 2)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([str(header) for header in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))  # Decimals are written as numbers, exactly
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float | int) and cell.column >= first_amount_column:
                cell.number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 36
    for letter in "CDEFGH":
        sheet.column_dimensions[letter].width = 16
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV = "text/csv; charset=utf-8"


def voucher_export_response(*, year: int, month: int, file: str) -> HttpResponse:
    """A month's posted vouchers for the accountant's software, `file` "xlsx" or "csv"."""
    rows = accountant.voucher_export_rows(year=year, month=month)
    if file == "csv":
        response = HttpResponse(accountant.voucher_export_csv(rows), content_type=CSV)
    else:
        response = HttpResponse(accountant.voucher_export_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vouchers-{year}-{month:02d}.{file}"'
    return response
