"""The statements as PDFs through `modules.printing`'s layout (the shop's letterhead, the table whose header
repeats on every page, "第 x 页，共 y 页"): the trial balance, the balance sheet and the income statement.
They are reports, not documents with an id, so the views render them directly rather than registering a
builder by id."""

from datetime import date

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from modules.finance.selectors import StatementRow, TrialBalance
from modules.printing.builders import money
from modules.printing.domain import PrintColumn, PrintDocument
from modules.printing.render import pdf_render
from modules.printing.selectors import shop_header

INDENT = "\u3000"  # a full-width space per level, as the printed forms indent their lines


def _signatures() -> list:
    return [pgettext("print", "Prepared by"), pgettext("print", "Approved by")]


def trial_balance_document(tb: TrialBalance) -> PrintDocument:
    amount = lambda label: PrintColumn(label, 1.3, "right")  # noqa: E731
    rows = [
        [row.account.code, INDENT * (row.level - 1) + row.account.name,
         *(money(value) if value else "" for value in (row.opening_debit, row.opening_credit, row.debit, row.credit,
                                                      row.closing_debit, row.closing_credit))]
        for row in tb.rows
    ]  # fmt: skip
    t = tb.totals
    return PrintDocument(
        title=_("Trial balance"),
        number=f"{tb.date_from:%Y%m%d}-{tb.date_to:%Y%m%d}",
        date=tb.date_to,
        columns=[
            PrintColumn(pgettext("finance", "Code"), 1.1),
            PrintColumn(_("Account"), 2.2),
            amount(_("Opening debit")),
            amount(_("Opening credit")),
            amount(_("Debit")),
            amount(_("Credit")),
            amount(_("Closing debit")),
            amount(_("Closing credit")),
        ],  # fmt: skip
        rows=rows,
        meta=[(_("From"), tb.date_from.isoformat()), (_("To"), tb.date_to.isoformat())],
        totals=[
            (_("Opening balance") + " " + _("Debit"), money(t["opening_debit"])),
            (_("Opening balance") + " " + _("Credit"), money(t["opening_credit"])),
            (_("Debit"), money(t["debit"])),
            (_("Credit"), money(t["credit"])),
            (_("Closing debit"), money(t["closing_debit"])),
            (_("Closing credit"), money(t["closing_credit"])),
        ],
        notes="" if tb.balanced else _("The totals do not balance."),
        signatures=_signatures(),
    )


def _statement_document(
    *, title: str, code: str, number: str, on: date, rows: list[StatementRow], columns: tuple[str, str], meta
) -> PrintDocument:
    lines = [
        [INDENT * row.line.indent + str(row.line.label), str(row.line.number or ""),
         *((money(row.amounts[0]), money(row.amounts[1])) if row.amounts else ("", ""))]
        for row in rows
    ]  # fmt: skip
    return PrintDocument(
        title=f"{title} ({code})",
        number=number,
        date=on,
        columns=[
            PrintColumn(pgettext("finance", "Item"), 4),
            PrintColumn(pgettext("finance", "Line"), 0.7, "right"),
            PrintColumn(columns[0], 1.6, "right"),
            PrintColumn(columns[1], 1.6, "right"),
        ],  # fmt: skip
        rows=lines,
        meta=meta,
        signatures=_signatures(),
    )


def balance_sheet_document(rows: list[StatementRow], *, as_of: date) -> PrintDocument:
    return _statement_document(
        title=_("Balance sheet"), code="会小企01表", number=f"{as_of:%Y%m%d}", on=as_of, rows=rows,
        columns=(_("Closing balance"), _("Balance at the start of the year")), meta=[(_("As of"), as_of.isoformat())],
    )  # fmt: skip


def income_statement_document(rows: list[StatementRow], *, date_from: date, date_to: date) -> PrintDocument:
    return _statement_document(
        title=_("Income statement"), code="会小企02表", number=f"{date_from:%Y%m%d}-{date_to:%Y%m%d}", on=date_to,
        rows=rows, columns=(_("Amount for the dates"), _("Amount for the year to date")),
        meta=[(_("From"), date_from.isoformat()), (_("To"), date_to.isoformat())],
    )  # fmt: skip


def pdf_response(document: PrintDocument, *, tenant, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_render(document, shop=shop_header(tenant=tenant)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
