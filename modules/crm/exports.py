"""A customer's statement (对账单) as an XLSX workbook: dates as dates and amounts as numbers, so the
customer's accountant can add them up."""

from io import BytesIO

from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from modules.partnerledger.selectors import Statement
from modules.partners.models import Partner

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
# The row of the column headings; the opening balance is on the next row, the documents after it.
HEADER_ROW = 5
COLUMNS = 7


def statement_xlsx(*, statement: Statement, partner: Partner, shop_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = pgettext("crm", "Statement")[:31]
    sheet.append([pgettext("crm", "Statement of account")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([pgettext("crm", "From"), shop_name])
    sheet.append([pgettext("crm", "Customer"), f"{partner.code} {partner.name}"])
    sheet.append([pgettext("crm", "Period"), statement.date_from, statement.date_to])
    sheet.append(
        [
            pgettext("crm", "Date"),
            pgettext("crm", "Number"),
            pgettext("crm", "Document"),
            pgettext("crm", "Memo"),
            pgettext("crm", "Debit"),
            pgettext("crm", "Credit"),
            pgettext("crm", "Balance"),
        ]
    )
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    sheet.append([statement.date_from, "", pgettext("crm", "Opening balance"), "", None, None, statement.opening])
    for line in statement.lines:
        sheet.append([line.date, line.number, line.label, line.memo, line.debit, line.credit, line.balance])
    sheet.append(
        [statement.date_to, "", pgettext("crm", "Closing balance"), "", statement.total_debit, statement.total_credit,
         statement.closing]
    )  # fmt: skip
    sheet["B4"].number_format = sheet["C4"].number_format = DATE_FORMAT
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        row[0].number_format = DATE_FORMAT
        for cell in row[4:COLUMNS]:
            cell.number_format = MONEY_FORMAT
    for letter, width in zip("ABCDEFG", (12, 18, 16, 30, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
