"""The books' pages under /finance/: chart of accounts, vouchers (记账凭证) with approval, reversal and
attachments, periods with month-end close, and the statements on screen, as XLSX or as PDF. Thin over the services
and selectors; reading needs the finance view permission (owner, manager, accountant)."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.finance import cash_journal as cash
from modules.finance import printing, receivables, selectors, services
from modules.finance.enums import EntryStatus, ErrorCode
from modules.finance.exports import voucher_export_response, xlsx_response
from modules.finance.forms import (
    VOUCHER_ROWS,
    AsOfForm,
    AttachmentForm,
    DateRangeForm,
    ReopenForm,
    ReverseForm,
    SubAccountForm,
    VatSettingsForm,
    VoucherForm,
)
from modules.finance.models import Account, Attachment, JournalEntry, Period
from modules.finance.services import LineInput
from modules.finance.vat_detail import input_vat_detail
from modules.identity.access import merchant_access, user_role
from modules.identity.roles import Role
from modules.partners.models import Partner

VIEW = "finance.view_journalentry"
PREPARE = "finance.add_journalentry"
APPROVE = services.POST_PERMISSION
CLOSE = services.CLOSE_PERMISSION
ADD_ACCOUNT = "finance.add_account"
PAGE_SIZE = 50
LINE_FIELDS = ("account", "debit", "credit", "memo", "partner")


def _today(request) -> date:
    return today_in(request.tenant.timezone)


def _month(request) -> tuple[date, date]:
    today = _today(request)
    return today.replace(day=1), services.month_end(today)


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _wants_pdf(request) -> bool:
    return request.GET.get("format") == "pdf"


@merchant_access(VIEW)
def index(request):
    today = _today(request)
    current = Period.objects.filter(year=today.year, month=today.month).first()
    return render(
        request,
        "finance/index.html",
        {
            "current": current,
            "drafts": JournalEntry.objects.filter(status=EntryStatus.DRAFT).count(),
            "recent": selectors.entry_list(status=EntryStatus.POSTED).order_by("-date", "-id")[:10],
        },
    )


# ---------------------------------------------------------------------------------------------- accounts


@merchant_access(VIEW)
def accounts(request):
    can_add = request.user.has_perm(ADD_ACCOUNT)
    form = SubAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.account_create(
                    parent=Account.objects.filter(code=data["parent"].strip()).first(),
                    code=data["code"],
                    name_zh=data["name_zh"],
                    name_en=data["name_en"],
                )
            except AppError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Account %(account)s added.") % {"account": account})
                return redirect("finance:accounts")
        status = 400
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "finance/accounts.html",
        {"accounts": selectors.account_list(q=q), "form": form if can_add else None, "q": q},
        status=status,
    )


@require_POST
@merchant_access(ADD_ACCOUNT)
def account_delete(request, code: str):
    account = get_object_or_404(Account, code=code)
    try:
        services.account_delete(account=account)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Account %(code)s deleted.") % {"code": code})
    return redirect("finance:accounts")


# ----------------------------------------------------------------------------------------------- vouchers


@merchant_access(VIEW)
def vouchers(request):
    params = request.GET
    state = params.get("status", "")
    form = DateRangeForm(params) if params.get("date_from") or params.get("date_to") else None
    dates = form.cleaned_data if form is not None and form.is_valid() else {}
    entries = selectors.entry_list(
        date_from=dates.get("date_from"),
        date_to=dates.get("date_to"),
        status=state if state in EntryStatus.values else None,
    ).select_related("created_by", "posted_by")
    page = Paginator(entries.order_by("-date", "-id"), PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "finance/vouchers.html",
        {
            "page": page,
            "status": state,
            "statuses": EntryStatus.choices,
            "form": form or DateRangeForm(),
            "can_prepare": request.user.has_perm(PREPARE),
            "export_month": _today(request).strftime("%Y-%m"),
        },
    )


@merchant_access(VIEW)
def voucher_export(request):
    """A month's posted vouchers as XLSX or CSV for the accountant's software (`?period=YYYY-MM&file=csv`)."""
    value = request.GET.get("period", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        date(year, month, 1)
    except ValueError:
        messages.error(request, _("Choose a month to export."))
        return redirect("finance:vouchers")
    file = "csv" if request.GET.get("file") == "csv" else "xlsx"
    return voucher_export_response(year=year, month=month, file=file)


MAX_VOUCHER_ROWS = 200


def _voucher_rows(post) -> list[dict]:
    count = post.get("rows", "")
    count = min(int(count), MAX_VOUCHER_ROWS) if count.isdigit() else VOUCHER_ROWS
    rows = [{name: post.get(f"line-{i}-{name}", "").strip() for name in LINE_FIELDS} for i in range(count)]
    filled = [row for row in rows if row["account"] or row["debit"] or row["credit"]]
    # Filled rows first, so "Line 2" in an error message is the second row on the screen.
    return filled + [dict.fromkeys(LINE_FIELDS, "") for _ in range(max(count, VOUCHER_ROWS) - len(filled))]


def _line_inputs(rows: list[dict]) -> list[LineInput]:
    """The filled rows as lines; a partner is given by its code (an unknown one is refused, naming the line)."""
    filled = [row for row in rows if row["account"] or row["debit"] or row["credit"]]
    codes = {row["partner"] for row in filled if row["partner"]}
    partners = {partner.code: partner for partner in Partner.objects.filter(code__in=codes)}
    lines = []
    for n, row in enumerate(filled, start=1):
        partner = None
        if row["partner"]:
            partner = partners.get(row["partner"])
            if partner is None:
                raise AppError(
                    ErrorCode.UNKNOWN_PARTNER,
                    _("Line %(n)s: there is no partner with the code %(code)s.") % {"n": n, "code": row["partner"]},
                    field=f"lines.{n - 1}.partner",
                )
        lines.append(LineInput(row["account"], row["debit"], row["credit"], partner, row["memo"]))
    return lines


def _voucher_form(request, entry: JournalEntry | None):
    status = 200
    if request.method == "POST":
        form = VoucherForm(request.POST)
        rows = _voucher_rows(request.POST)
        if form.is_valid():
            try:
                lines = _line_inputs(rows)
                if entry is None:
                    saved = services.voucher_create(created_by=request.user, lines=lines, **form.cleaned_data)
                    messages.success(request, _("Voucher saved as a draft; another person approves it."))
                else:
                    saved = services.voucher_update(
                        entry=entry, edited_by=request.user, lines=lines, **form.cleaned_data
                    )
                    messages.success(request, _("Draft saved; another person approves it."))
            except AppError as error:
                form.add_error(None, error.message)
            else:
                return redirect("finance:voucher", pk=saved.pk)
        status = 400
    elif entry is None:
        form = VoucherForm(initial={"date": _today(request)})
        rows = [dict.fromkeys(LINE_FIELDS, "") for _ in range(VOUCHER_ROWS)]
    else:
        form = VoucherForm(initial={"date": entry.date, "memo": entry.memo})
        rows = [
            {
                "account": line.account.code,
                "debit": line.debit or "",
                "credit": line.credit or "",
                "memo": line.memo,
                "partner": line.partner.code if line.partner_id else "",
            }
            for line in entry.lines.select_related("account", "partner")
        ]
        rows += [dict.fromkeys(LINE_FIELDS, "") for _ in range(max(VOUCHER_ROWS - len(rows), 2))]
    return render(
        request,
        "finance/voucher_form.html",
        {
            "form": form, "rows": list(enumerate(rows)), "row_count": len(rows), "entry": entry,
            "accounts": selectors.postable_accounts(),
        },
        status=status,
    )  # fmt: skip


@merchant_access(PREPARE)
def voucher_new(request):
    return _voucher_form(request, None)


@merchant_access(PREPARE)
def voucher_edit(request, pk: int):
    entry = get_object_or_404(JournalEntry, pk=pk)
    if entry.status != EntryStatus.DRAFT:
        messages.error(request, _("Only a draft voucher can be changed."))
        return redirect("finance:voucher", pk=pk)
    return _voucher_form(request, entry)


@merchant_access(VIEW)
def voucher_detail(request, pk: int):
    entry = get_object_or_404(JournalEntry, pk=pk)
    entry = selectors.entry_detail(entry_id=entry.pk)
    approver = request.user.has_perm(APPROVE)
    draft = entry.status == EntryStatus.DRAFT
    reversal = JournalEntry.objects.filter(reverses=entry).first()
    return render(
        request,
        "finance/voucher_detail.html",
        {
            "entry": entry,
            "reversal": reversal,
            "can": {
                "approve": approver and draft and entry.created_by_id != request.user.pk,
                "delete": draft and request.user.has_perm(PREPARE),
                "edit": draft and request.user.has_perm(PREPARE),
                "reverse": approver
                and entry.is_posted
                and entry.source_type == "manual"
                and not entry.reverses_id
                and reversal is None,
                "attach": request.user.has_perm(PREPARE),
            },  # fmt: skip
            "reverse_form": ReverseForm(initial={"date": _today(request)}),
            "attachment_form": AttachmentForm(),
        },
    )


@require_POST
@merchant_access(VIEW)
def voucher_action(request, pk: int, action: str):
    entry = get_object_or_404(JournalEntry, pk=pk)
    try:
        if action == "approve":
            services.voucher_post(entry=entry, acting_user=request.user)
            messages.success(request, _("Voucher posted."))
        elif action == "delete":
            if not request.user.has_perm(PREPARE):
                raise PermissionDenied
            services.voucher_delete(entry=entry)
            messages.success(request, _("Draft deleted."))
            return redirect("finance:vouchers")
        elif action == "reverse":
            form = ReverseForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter the reversal date."))
                return redirect("finance:voucher", pk=pk)
            reversal = services.journal_entry_reverse(
                entry=entry, date=form.cleaned_data["date"], acting_user=request.user
            )
            messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.number})
            return redirect("finance:voucher", pk=reversal.pk)
        elif action == "attach":
            if not request.user.has_perm(PREPARE):
                raise PermissionDenied
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, _("Choose a file."))
                return redirect("finance:voucher", pk=pk)
            upload = form.cleaned_data["file"]
            if upload.size > services.ATTACHMENT_MAX_BYTES:
                raise AppError("file_too_large", _("A file may be at most 5 MB."), field="file")
            services.attachment_add(
                entry=entry,
                filename=upload.name,
                content_type=upload.content_type,
                data=upload.read(),
                uploaded_by=request.user,
            )
            messages.success(request, _("File attached."))
        else:
            raise Http404
    except AppError as error:
        messages.error(request, error.message)
    return redirect("finance:voucher", pk=pk)


@merchant_access(VIEW)
def attachment_download(request, pk: int):
    # The row lives in this shop's schema: another shop's id is simply not found.
    attachment = get_object_or_404(Attachment, pk=pk)
    response = HttpResponse(bytes(attachment.data), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(attachment.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# ------------------------------------------------------------------------------------------------ periods


@merchant_access(VIEW)
def periods(request):
    services.periods_ensure(until=_today(request))
    rows = list(selectors.period_list().prefetch_related("events__user"))
    return render(
        request,
        "finance/periods.html",
        {
            "periods": rows,
            "can_close": request.user.has_perm(CLOSE),
            "can_reopen": user_role(request.user) == Role.OWNER,
            "reopen_form": ReopenForm(),
        },
    )


@require_POST
@merchant_access(VIEW)
def period_action(request, pk: int, action: str):
    period = get_object_or_404(Period, pk=pk)
    try:
        if action == "close":
            services.period_close(period=period, acting_user=request.user, today=_today(request))
            messages.success(request, _("Period %(period)s closed.") % {"period": period})
        elif action == "reopen":
            services.period_reopen(period=period, reason=request.POST.get("reason", ""), acting_user=request.user)
            messages.success(request, _("Period %(period)s reopened.") % {"period": period})
        else:
            raise Http404
    except AppError as error:
        messages.error(request, error.message)
    return redirect("finance:periods")


# --------------------------------------------------------------------------------------------- statements


def _range(request) -> tuple[DateRangeForm, date, date]:
    start, end = _month(request)
    form = DateRangeForm(request.GET if request.GET.get("date_from") else {"date_from": start, "date_to": end})
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, start, end


@merchant_access(VIEW)
def trial_balance(request):
    form, date_from, date_to = _range(request)
    tb = selectors.trial_balance(date_from=date_from, date_to=date_to)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.trial_balance_document(tb), tenant=request.tenant,
            filename=f"trial-balance-{date_from}-{date_to}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        headers = [
            pgettext("finance", "Code"), pgettext("finance", "Account"), _("Opening debit"), _("Opening credit"),
            _("Debit"), pgettext("finance", "Credit"), _("Closing debit"), _("Closing credit"),
        ]  # fmt: skip
        rows = [
            [r.account.code, r.account.name, r.opening_debit, r.opening_credit, r.debit, r.credit,
             r.closing_debit, r.closing_credit]
            for r in tb.rows
        ]  # fmt: skip
        t = tb.totals
        rows.append(["", pgettext("finance", "Total"), t["opening_debit"], t["opening_credit"], t["debit"], t["credit"],
                     t["closing_debit"], t["closing_credit"]])  # fmt: skip
        return xlsx_response(
            filename=f"trial-balance-{date_from}-{date_to}.xlsx",
            title=_("Trial balance %(from)s – %(to)s") % {"from": date_from, "to": date_to},
            headers=headers,
            rows=rows,
        )
    return render(request, "finance/trial_balance.html", {"form": form, "tb": tb, "pdf": True})


@merchant_access(VIEW)
def balance_sheet(request):
    form = AsOfForm(request.GET if request.GET.get("as_of") else {"as_of": _month(request)[1]})
    as_of = form.cleaned_data["as_of"] if form.is_valid() else _month(request)[1]
    rows = selectors.balance_sheet(as_of=as_of)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.balance_sheet_document(rows, as_of=as_of), tenant=request.tenant,
            filename=f"balance-sheet-{as_of}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"balance-sheet-{as_of}.xlsx",
            title=_("Balance sheet at %(date)s") % {"date": as_of},
            headers=[
                pgettext("finance", "Line"),
                pgettext("finance", "Item"),
                _("Closing balance"),
                _("Balance at the start of the year"),
            ],
            rows=[[row.line.number, "  " * row.line.indent + str(row.line.label), *row.amounts] for row in rows],
        )
    return render(request, "finance/statement.html", {
        "form": form, "rows": rows, "title": _("Balance sheet"), "code": "会小企01表", "pdf": True,
        "columns": (_("Closing balance"), _("Balance at the start of the year"))
    })  # fmt: skip


@merchant_access(VIEW)
def income_statement(request):
    form, date_from, date_to = _range(request)
    rows = selectors.income_statement(date_from=date_from, date_to=date_to)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.income_statement_document(rows, date_from=date_from, date_to=date_to), tenant=request.tenant,
            filename=f"income-statement-{date_from}-{date_to}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"income-statement-{date_from}-{date_to}.xlsx",
            title=_("Income statement %(from)s – %(to)s") % {"from": date_from, "to": date_to},
            headers=[
                pgettext("finance", "Line"),
                pgettext("finance", "Item"),
                _("Amount for the dates"),
                _("Amount for the year to date"),
            ],
            rows=[[row.line.number, "  " * row.line.indent + str(row.line.label), *row.amounts] for row in rows],
        )
    return render(request, "finance/statement.html", {
        "form": form, "rows": rows, "title": _("Income statement"), "code": "会小企02表", "pdf": True,
        "columns": (_("Amount for the dates"), _("Amount for the year to date"))
    })  # fmt: skip


def _account_param(request) -> Account:
    code = request.GET.get("account", "").strip() or "1001"
    return get_object_or_404(Account, code=code)


@merchant_access(VIEW)
def ledger(request):
    account = _account_param(request)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1900 < int(year) < 3000 else _today(request).year
    general = selectors.general_ledger(account=account, year=year)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.general_ledger_document(general, year=year), tenant=request.tenant,
            filename=f"general-ledger-{account.code}-{year}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"general-ledger-{account.code}-{year}.xlsx",
            title=f"{account.code} {account.name} {year}",
            headers=[_("Period"), _("Debit"), pgettext("finance", "Credit"), _("Balance (debit − credit)")],
            rows=[
                [pgettext("finance", "Opening balance"), None, None, general.opening],
                *([str(m.period), m.debit, m.credit, m.closing] for m in general.months),
                [pgettext("finance", "Total"), general.debit, general.credit, general.closing],
            ],
            first_amount_column=2,
        )
    return render(
        request,
        "finance/ledger.html",
        {"ledger": general, "year": year, "accounts": selectors.account_list()},
    )


@merchant_access(VIEW)
def account_detail(request):
    account = _account_param(request)
    form, date_from, date_to = _range(request)
    detail = selectors.account_detail(account=account, date_from=date_from, date_to=date_to)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.account_detail_document(detail), tenant=request.tenant,
            filename=f"account-{account.code}-{date_from}-{date_to}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"account-{account.code}-{date_from}-{date_to}.xlsx",
            title=f"{account.code} {account.name} {date_from} – {date_to}",
            headers=[
                _("Date"),
                pgettext("finance", "Number"),
                _("Memo"),
                _("Debit"),
                pgettext("finance", "Credit"),
                pgettext("finance", "Balance"),
            ],
            rows=[
                [str(date_from), "", pgettext("finance", "Opening balance"), None, None, detail.opening],
                *([str(x.date), x.number, x.memo, x.debit, x.credit, x.balance] for x in detail.lines),
                [str(date_to), "", pgettext("finance", "Total"), detail.debit, detail.credit, detail.closing],
            ],
        )
    return render(
        request,
        "finance/account_detail.html",
        {"detail": detail, "form": form, "accounts": selectors.account_list()},
    )


@merchant_access(VIEW)
def cash_journal(request):
    """现金日记账 / 银行日记账: ?account=1001|1002|1012&from=&to= (default: cash, this month)."""
    accounts = Account.objects.filter(code__in=cash.CASH_ACCOUNTS).order_by("code")
    try:
        code, date_from, date_to = cash.cash_journal_params(request.GET, today=_today(request))
    except AppError as error:
        context = {"journal": None, "error": error, "accounts": accounts, "params": request.GET}
        return render(request, "finance/cash_journal.html", context, status=error.status_code)
    journal = cash.cash_journal(code=code, date_from=date_from, date_to=date_to)
    if _wants_pdf(request):
        return printing.pdf_response(
            printing.cash_journal_document(journal), tenant=request.tenant,
            filename=f"cash-journal-{code}-{date_from}-{date_to}.pdf",
        )  # fmt: skip
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"cash-journal-{code}-{date_from}-{date_to}.xlsx",
            title=f"{journal.account.code} {journal.account.name} {date_from} – {date_to}",
            headers=[
                _("Date"),
                pgettext("finance", "Number"),
                _("Memo"),
                _("Partner"),
                _("Counter accounts"),
                _("Debit"),
                pgettext("finance", "Credit"),
                pgettext("finance", "Balance"),
            ],  # fmt: skip
            rows=[
                [str(date_from), "", pgettext("finance", "Opening balance"), "", "", None, None, journal.opening],
                *(
                    [
                        str(x.date),
                        x.number,
                        x.memo,
                        x.partner,
                        " ".join(x.counter_accounts),
                        x.debit,
                        x.credit,
                        x.balance,
                    ]
                    for x in journal.lines
                ),  # fmt: skip
                [
                    str(date_to),
                    "",
                    pgettext("finance", "Total"),
                    "",
                    "",
                    journal.debit,
                    journal.credit,
                    journal.closing,
                ],
            ],  # fmt: skip
        )
    params = {"account": code, "from": date_from.isoformat(), "to": date_to.isoformat()}
    context = {"journal": journal, "error": None, "accounts": accounts, "params": params}
    return render(request, "finance/cash_journal.html", context)


# ------------------------------------------------------------------------------------ receivables, payables


def _bucket_headers() -> list[str]:
    return [_("Current"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days")]


def _aging_page(request, kind: str):
    form = AsOfForm(request.GET if request.GET.get("as_of") else {"as_of": _today(request)})
    as_of = form.cleaned_data["as_of"] if form.is_valid() else _today(request)
    q = request.GET.get("q", "").strip()
    report = receivables.aging(kind=kind, as_of=as_of, q=q)
    title = _("Receivables") if kind == "receivable" else _("Payables")
    if _wants_xlsx(request):
        rows = []
        for row in report.partners:
            rows.append([row.partner.code, row.partner.name, *row.buckets.values(), row.unapplied, row.balance])
            for item in row.items:
                cells: list = [None] * len(receivables.BUCKETS)
                cells[receivables.BUCKETS.index(item.bucket)] = item.open
                rows.append(["", f"  {item.number} {item.date} → {item.due}", *cells, None, None])
        totals = report.totals
        rows.append(["", pgettext("finance", "Total"), *(totals[name] for name in receivables.BUCKETS),
                     totals["unapplied"], totals["balance"]])  # fmt: skip
        return xlsx_response(
            filename=f"{kind}s-{as_of}.xlsx",
            title=f"{title} {as_of}",
            headers=[
                pgettext("finance", "Code"),
                _("Partner"),
                *_bucket_headers(),
                _("Unapplied"),
                pgettext("finance", "Balance"),
            ],
            rows=rows,
        )
    return render(
        request,
        "finance/aging.html",
        {
            "form": form, "report": report, "title": title, "q": q, "kind": kind,
            "bucket_names": list(zip(receivables.BUCKETS, _bucket_headers(), strict=True)),
            "totals": report.totals,
            "bucket_totals": [report.totals[name] for name in receivables.BUCKETS],
        },
    )  # fmt: skip


@merchant_access(VIEW)
def receivables_page(request):
    return _aging_page(request, "receivable")


@merchant_access(VIEW)
def payables_page(request):
    return _aging_page(request, "payable")


# ------------------------------------------------------------------------------------------------------ VAT

VAT_SETTINGS_CHANGE = "finance.change_vatsettings"


def _year(request) -> int:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 1900 < int(year) < 3000 else _today(request).year


@merchant_access(VIEW)
def vat_summary(request):
    year = _year(request)
    months = selectors.vat_summary(year=year)
    settings = selectors.vat_settings_get()
    totals = {
        name: sum((getattr(month, name) for month in months), Decimal(0))
        for name in ("output", "input", "transferred_out", "payable")
    }
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"vat-{year}.xlsx",
            title=_("VAT %(year)s") % {"year": year},
            headers=[_("Month"), _("Output VAT"), _("Input VAT"), _("Input VAT transferred out"), _("VAT payable")],
            rows=[
                *([m.label, m.output, m.input, m.transferred_out, m.payable] for m in months),
                [
                    pgettext("finance", "Total"),
                    totals["output"],
                    totals["input"],
                    totals["transferred_out"],
                    totals["payable"],
                ],
            ],  # fmt: skip
        )
    month = request.GET.get("month", "")
    detail = input_vat_detail(year=year, month=int(month)) if month.isdigit() and 1 <= int(month) <= 12 else None
    return render(
        request,
        "finance/vat.html",
        {
            "year": year, "months": months, "totals": totals, "settings": settings, "detail": detail,
            "rates": selectors.vat_rates(settings.taxpayer_kind),
            "can_change": request.user.has_perm(VAT_SETTINGS_CHANGE),
        },
    )  # fmt: skip


@merchant_access(VIEW)
def vat_settings(request):
    can_change = request.user.has_perm(VAT_SETTINGS_CHANGE)
    current = selectors.vat_settings_get()
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = VatSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.vat_settings_update(**form.cleaned_data)
            except AppError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("VAT settings saved."))
                return redirect("finance:vat")
        status = 400
    else:
        form = VatSettingsForm(
            initial={"taxpayer_kind": current.taxpayer_kind, "default_rate": f"{current.default_rate:g}"}
        )
    return render(request, "finance/vat_settings.html", {"form": form, "can_change": can_change}, status=status)
