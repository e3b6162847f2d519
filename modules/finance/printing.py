"""The statements as PDFs through `modules.printing`'s layout (the shop's letterhead, the table whose header
repeats on every page, "第 x 页，共 y 页"): the trial balance, the balance sheet, the income statement, the
general ledger (总账), the account detail (明细账) and the cash and bank journal (现金/银行日记账). They are
reports, not documents with an id, so the views render them directly rather than registering a builder by id."""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from modules.finance import chart
from modules.finance.cash_journal import CashJournal
from modules.finance.selectors import AccountDetail, GeneralLedger, StatementRow, TrialBalance
from modules.printing.builders import money
from modules.printing.domain import PrintColumn, PrintDocument
from modules.printing.render import pdf_render
from modules.printing.selectors import shop_header

INDENT = "\u3000"  # a full-width space per level, as the printed forms indent their lines


# Words other modules translate their own way ("Credit" is 冲减金额 in sales, "Account" 账户 in purchasing,
# "Prepared by" 制单人 on documents) take the finance context: the catalog of the app listed first wins.
def _signatures() -> list:
    return [pgettext("finance", "Prepared by"), pgettext("finance", "Approved by")]


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
            PrintColumn(pgettext("finance", "Account"), 2.2),
            amount(_("Opening debit")),
            amount(_("Opening credit")),
            amount(_("Debit")),
            amount(pgettext("finance", "Credit")),
            amount(_("Closing debit")),
            amount(_("Closing credit")),
        ],  # fmt: skip
        rows=rows,
        meta=[(_("From"), tb.date_from.isoformat()), (_("To"), tb.date_to.isoformat())],
        totals=[
            (pgettext("finance", "Opening balance") + " " + _("Debit"), money(t["opening_debit"])),
            (pgettext("finance", "Opening balance") + " " + pgettext("finance", "Credit"), money(t["opening_credit"])),
            (_("Debit"), money(t["debit"])),
            (pgettext("finance", "Credit"), money(t["credit"])),
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


def _side(value: Decimal) -> str:
    # A debit or credit of nothing is left blank, as on the screen; a balance always shows its figure.
    return money(value) if value else ""


def _account_meta(account) -> tuple[str, str]:
    return (pgettext("finance", "Account"), f"{account.code} {account.name}")


def general_ledger_document(ledger: GeneralLedger, *, year: int) -> PrintDocument:
    """总账: the year's opening balance, each month's debits, credits and balance, the year's totals."""
    rows = [
        [pgettext("finance", "Opening balance"), "", "", money(ledger.opening)],
        *([str(month.period), _side(month.debit), _side(month.credit), money(month.closing)]
          for month in ledger.months),
        [pgettext("finance", "Total"), money(ledger.debit), money(ledger.credit), money(ledger.closing)],
    ]  # fmt: skip
    return PrintDocument(
        title=_("General ledger"),
        number=f"{ledger.account.code}-{year}",
        date=date(year, 12, 31),
        columns=[
            PrintColumn(_("Period"), 2),
            PrintColumn(_("Debit"), 1.5, "right"),
            PrintColumn(pgettext("finance", "Credit"), 1.5, "right"),
            PrintColumn(_("Balance (debit − credit)"), 1.5, "right"),
        ],
        rows=rows,
        meta=[_account_meta(ledger.account), (_("Year"), str(year))],
        signatures=_signatures(),
    )


def _dated_meta(account, date_from: date, date_to: date) -> list:
    return [_account_meta(account), (_("From"), date_from.isoformat()), (_("To"), date_to.isoformat())]


def account_detail_document(detail: AccountDetail) -> PrintDocument:
    """明细账: the opening balance, every line with its running balance, the dates' totals and the closing."""
    rows = [
        [detail.date_from.isoformat(), "", pgettext("finance", "Opening balance"), "", "", money(detail.opening)],
        *([line.date.isoformat(), line.number, line.memo, _side(line.debit), _side(line.credit), money(line.balance)]
          for line in detail.lines),
        [detail.date_to.isoformat(), "", pgettext("finance", "Total"), money(detail.debit), money(detail.credit),
         money(detail.closing)],
    ]  # fmt: skip
    return PrintDocument(
        title=_("Account detail"),
        number=f"{detail.account.code}-{detail.date_from:%Y%m%d}-{detail.date_to:%Y%m%d}",
        date=detail.date_to,
        columns=[
            PrintColumn(_("Date"), 1.1),
            PrintColumn(pgettext("finance", "Number"), 1.2),
            PrintColumn(_("Memo"), 3),
            PrintColumn(_("Debit"), 1.3, "right"),
            PrintColumn(pgettext("finance", "Credit"), 1.3, "right"),
            PrintColumn(_("Balance (debit − credit)"), 1.4, "right"),
        ],
        rows=rows,
        meta=_dated_meta(detail.account, detail.date_from, detail.date_to),
        signatures=_signatures(),
    )


def _cash_title(code: str) -> str:
    # The book's usual name: 现金日记账 for 1001, 银行日记账 for 1002; 1012 (other monetary funds) has none.
    return {chart.CASH: _("Cash journal"), chart.BANK: _("Bank journal")}.get(code) or _("Cash and bank journal")


def cash_journal_document(journal: CashJournal) -> PrintDocument:
    """现金日记账 / 银行日记账: the columns of the page, from the opening balance to the closing."""
    rows = [
        [journal.date_from.isoformat(), "", pgettext("finance", "Opening balance"), "", "", "", "",
         money(journal.opening)],
        *([line.date.isoformat(), line.number, line.memo, line.partner, " ".join(line.counter_accounts),
           _side(line.debit), _side(line.credit), money(line.balance)] for line in journal.lines),
        [journal.date_to.isoformat(), "", pgettext("finance", "Total"), "", "", money(journal.debit),
         money(journal.credit), money(journal.closing)],
    ]  # fmt: skip
    return PrintDocument(
        title=_cash_title(journal.account.code),
        number=f"{journal.account.code}-{journal.date_from:%Y%m%d}-{journal.date_to:%Y%m%d}",
        date=journal.date_to,
        columns=[
            PrintColumn(_("Date"), 1.1),
            PrintColumn(pgettext("finance", "Number"), 1.2),
            PrintColumn(_("Memo"), 2.2),
            PrintColumn(_("Partner"), 1.6),
            PrintColumn(_("Counter accounts"), 1.1),
            PrintColumn(_("Debit"), 1.2, "right"),
            PrintColumn(pgettext("finance", "Credit"), 1.2, "right"),
            PrintColumn(pgettext("finance", "Balance"), 1.3, "right"),
        ],
        rows=rows,
        meta=_dated_meta(journal.account, journal.date_from, journal.date_to),
        signatures=_signatures(),
    )


def pdf_response(document: PrintDocument, *, tenant, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_render(document, shop=shop_header(tenant=tenant)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
