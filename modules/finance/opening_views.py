"""The opening-balances page (期初余额, /finance/opening/): the proposal as of a day — the stock value and each
customer's and supplier's balance the books lack, every other account to fill in, a live debit/credit
difference — and the post and reverse buttons. Thin over `modules.finance.opening`; kept apart from views.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.finance import opening
from modules.finance.forms import AsOfForm, ReverseForm
from modules.finance.models import Account
from modules.finance.opening import OpeningLine, OpeningProposal
from modules.identity.access import merchant_access
from modules.partners.models import Partner

VIEW = "finance.view_journalentry"
POST = opening.POST_PERMISSION


def _page_url(as_of: date) -> str:
    return f"{reverse('finance:opening')}?{urlencode({'as_of': as_of.isoformat()})}"


def _rows(proposal: OpeningProposal, data=None) -> tuple[list[dict], list[dict]]:
    """The page's rows in the order their lines are posted (ledger rows first), each with its line index, so an
    error on `lines.N` marks row N."""
    ledger = [
        {"index": index, "line": line, "name": f"ledger-{index}"} for index, line in enumerate(proposal.ledger_lines)
    ]
    others = [
        {
            "index": len(ledger) + index,
            "account": other.account,
            "books": other.books,
            "name": f"other-{other.account.code}",
            "value": (data or {}).get(f"other-{other.account.code}", "").strip(),
        }
        for index, other in enumerate(proposal.others)
    ]
    return ledger, others


def _lines(post, ledger: list[dict], others: list[dict]) -> list[OpeningLine]:
    """What the form sent, as lines in row order. The ledger rows carry the figures the page showed (the
    service refuses them if the ledgers have moved since); a partner is named by its id."""
    ids = [post.get(f"{row['name']}-partner", "") for row in ledger]
    partners = Partner.objects.in_bulk([int(pk) for pk in ids if pk.isdigit()])
    lines = [
        OpeningLine(
            post.get(f"{row['name']}-account", ""),
            post.get(f"{row['name']}-amount", ""),
            partners.get(int(pk)) if pk.isdigit() else None,
        )
        for row, pk in zip(ledger, ids, strict=True)
    ]
    lines += [OpeningLine(row["account"], row["value"]) for row in others]
    return lines


def _error_row(error: AppError) -> int | None:
    parts = (error.field or "").split(".")
    return int(parts[1]) if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit() else None


@merchant_access(VIEW)
def opening_page(request):
    """GET ?as_of=YYYY-MM-DD (default: the day before the first open period); POST posts the entry."""
    today = today_in(request.tenant.timezone)
    source = request.POST if request.method == "POST" else request.GET
    form = AsOfForm(source if source.get("as_of") else None)
    as_of = form.cleaned_data["as_of"] if form.is_bound and form.is_valid() else None
    error, status = None, 200
    try:
        proposal = opening.opening_balances_proposal(as_of=as_of, today=today)
    except AppError as refused:  # a day in the future
        form = AsOfForm(initial={"as_of": opening.opening_date_default(today=today)})
        proposal = opening.opening_balances_proposal(today=today)
        error, status = refused, refused.status_code
    counter = ""
    ledger, others = _rows(proposal, request.POST if request.method == "POST" else None)
    if request.method == "POST" and error is None:
        if not request.user.has_perm(POST):
            raise PermissionDenied
        counter = request.POST.get("counter_account", "") if request.POST.get("use_counter") else ""
        try:
            entry = opening.opening_entry_post(
                as_of=proposal.as_of,
                lines=_lines(request.POST, ledger, others),
                counter_account=counter or None,
                acting_user=request.user,
                today=today,
            )
        except AppError as refused:
            error, status = refused, refused.status_code
        else:
            messages.success(request, _("Opening balances posted as voucher %(number)s.") % {"number": entry.number})
            return redirect(_page_url(proposal.as_of))
    return render(
        request,
        "finance/opening.html",
        {
            "form": form if form.is_bound else AsOfForm(initial={"as_of": proposal.as_of}),
            "proposal": proposal,
            "ledger_rows": ledger,
            "other_rows": others,
            "error": error,
            "error_row": _error_row(error) if error is not None else None,
            "counter_accounts": Account.objects.filter(code__in=opening.COUNTER_ACCOUNTS).order_by("-code"),
            "counter": counter or opening.DEFAULT_COUNTER_ACCOUNT,
            "use_counter": bool(counter),
            "can_post": request.user.has_perm(POST),
            "reverse_form": ReverseForm(initial={"date": proposal.as_of}),
        },
        status=status,
    )


@require_POST
@merchant_access(POST)
def opening_reverse(request):
    """红冲 the opening entry of `as_of` on `date`, so the day can be posted again."""
    form, dates = AsOfForm(request.POST), ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date."))
        return redirect("finance:opening")
    as_of = form.cleaned_data["as_of"]
    if not dates.is_valid():
        messages.error(request, _("Enter the reversal date."))
        return redirect(_page_url(as_of))
    try:
        reversal = opening.opening_entry_reverse(as_of=as_of, on=dates.cleaned_data["date"], acting_user=request.user)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.number})
    return redirect(_page_url(as_of))
