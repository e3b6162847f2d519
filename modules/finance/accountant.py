"""A month's posted vouchers for the accountant's own software (用友, 金蝶, 速达 and the like import a sheet of
this shape): one row per journal line, headed in Chinese whatever the user's language, as XLSX or as CSV in
UTF-8 with a byte-order mark (so that Excel opens it in the right encoding). The layout is documented in
docs/finance.md (Accountant export)."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count
from openpyxl import Workbook

from modules.finance.enums import EntryStatus
from modules.finance.models import JournalEntry

# The columns, in order; their names are what the importing software maps.
COLUMNS = (
    "凭证日期", "凭证字", "凭证号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "辅助核算(往来单位)",
    "附件数", "制单人", "审核人",
)  # fmt: skip
# 记账凭证 — one word for every voucher (no separate 收/付/转 series).
VOUCHER_WORD = "记"
# Who prepared an entry posted by a document or the year-end close, which no person keyed in.
SYSTEM_PREPARER = "系统"


@dataclass(frozen=True)
class ExportRow:
    date: date
    word: str
    number: int
    memo: str
    account_code: str
    account_name: str
    debit: Decimal | None
    credit: Decimal | None
    partner: str
    attachments: int
    prepared_by: str
    approved_by: str

    def cells(self) -> list:
        return [
            self.date, self.word, self.number, self.memo, self.account_code, self.account_name, self.debit,
            self.credit, self.partner, self.attachments, self.prepared_by, self.approved_by,
        ]  # fmt: skip


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def voucher_export_rows(*, year: int, month: int) -> list[ExportRow]:
    """Every line of the month's posted entries, by voucher number then line. A reversal's red figures stay
    negative on the side of the line they negate. A line's memo, or else its entry's, is the 摘要."""
    entries = (
        JournalEntry.objects.filter(period__year=year, period__month=month, status=EntryStatus.POSTED)
        .select_related("created_by", "posted_by")
        .prefetch_related("lines__account", "lines__partner")
        .annotate(attachment_count=Count("attachments"))
        .order_by("number")
    )
    rows = []
    for entry in entries:
        number = int(entry.number.rpartition("-")[2])
        preparer = _person(entry.created_by) or SYSTEM_PREPARER
        approver = _person(entry.posted_by)
        for line in entry.lines.all():
            rows.append(
                ExportRow(
                    date=entry.date,
                    word=VOUCHER_WORD,
                    number=number,
                    memo=line.memo or entry.memo,
                    account_code=line.account.code,
                    account_name=line.account.name_zh,
                    debit=line.debit if line.debit else None,
                    credit=line.credit if line.credit else None,
                    partner=line.partner.name if line.partner_id else "",
                    attachments=entry.attachment_count,
                    prepared_by=preparer,
                    approved_by=approver,
                )  # fmt: skip
            )
    return rows


def voucher_export_xlsx(rows: list[ExportRow]) -> bytes:
    """The header on the first row, one line a row: dates as dates, amounts as numbers (two places)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "凭证"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row.cells())
        for column in (4, 6, 9, 11, 12):  # text typed by people stays text, never a formula
            cell = sheet.cell(sheet.max_row, column)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
        for column in (7, 8):
            sheet.cell(sheet.max_row, column).number_format = "0.00"
    for letter, width in zip("ABCDEFGHIJKL", (12, 6, 8, 30, 12, 20, 14, 14, 24, 8, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def voucher_export_csv(rows: list[ExportRow]) -> bytes:
    """UTF-8 with a byte-order mark, comma-separated, CRLF line ends; dates as YYYY-MM-DD, amounts with two
    places (empty on the other side)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = row.cells()
        cells[0] = row.date.isoformat()
        cells[6] = f"{row.debit:.2f}" if row.debit is not None else ""
        cells[7] = f"{row.credit:.2f}" if row.credit is not None else ""
        writer.writerow(cells)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
