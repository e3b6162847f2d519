"""Customer pages: the list with open balances, one customer's overview with its follow-ups, the statement
(对账单, printable and as XLSX), the follow-ups due and the dashboard card. Thin over selectors and services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.crm import selectors, services
from modules.crm.domain import ZERO, sort_parse
from modules.crm.enums import VIEW_PERMISSION, WRITE_PERMISSION, BalanceSort
from modules.crm.exports import statement_xlsx
from modules.crm.forms import FollowUpForm, PeriodForm, error_apply
from modules.identity.access import merchant_access
from modules.partnerledger.selectors import Statement
from modules.partners.models import Partner

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _customer_or_404(pk: int) -> Partner:
    customer = selectors.customer_get(partner_id=pk)
    if customer is None:
        raise Http404
    return customer


def _follow_ups_context(request, customer: Partner, form: FollowUpForm | None = None) -> dict:
    can_write = request.user.has_perm(WRITE_PERMISSION)
    return {
        "customer": customer,
        "follow_ups": selectors.follow_up_list(partner_id=customer.pk),
        "follow_up_form": (form or FollowUpForm()) if can_write else None,
        "can_write": can_write,
        "today": today_in(request.tenant.timezone),
    }


@merchant_access(VIEW_PERMISSION)
def customer_detail(request, pk: int):
    customer = _customer_or_404(pk)
    context = _follow_ups_context(request, customer)
    context["overview"] = selectors.customer_overview(partner=customer, on=context["today"])
    return render(request, "crm/customer_detail.html", context)


@require_POST
@merchant_access(WRITE_PERMISSION)
def follow_up_add(request, pk: int):
    customer = _customer_or_404(pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_create(
                partner=customer, author=request.user, tz_name=request.tenant.timezone, **form.cleaned_data
            )
        except AppError as error:
            error_apply(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Follow-up saved."))
                return redirect("crm:detail", pk=customer.pk)
            return render(request, "crm/_follow_ups.html", _follow_ups_context(request, customer))
    return render(request, "crm/_follow_ups.html", _follow_ups_context(request, customer, form), status=400)


def _back(request, follow_up):
    """Where a follow-up's action returns: the due list it was done from, or the customer."""
    if request.POST.get("back") == "due":
        return redirect("crm:due")
    return redirect("crm:detail", pk=follow_up.partner_id)


@require_POST
@merchant_access(WRITE_PERMISSION)
def follow_up_done(request, follow_up_id: int):
    follow_up = selectors.follow_up_get(follow_up_id=follow_up_id)
    if follow_up is None:
        raise Http404
    services.follow_up_done_set(follow_up_id=follow_up.pk, done=request.POST.get("done", "1") == "1")
    if request.htmx:
        if request.POST.get("back") == "due":
            # The row leaves the due list.
            return render(request, "crm/_empty.html")
        return render(request, "crm/_follow_ups.html", _follow_ups_context(request, follow_up.partner))
    return _back(request, follow_up)


@require_POST
@merchant_access(WRITE_PERMISSION)
def follow_up_delete(request, follow_up_id: int):
    follow_up = selectors.follow_up_get(follow_up_id=follow_up_id)
    if follow_up is None:
        raise Http404
    services.follow_up_delete(follow_up_id=follow_up.pk)
    if request.htmx:
        return render(request, "crm/_follow_ups.html", _follow_ups_context(request, follow_up.partner))
    return _back(request, follow_up)


@merchant_access(VIEW_PERMISSION)
def due_list(request):
    """Follow-ups due today or overdue: the user's own, or (`?who=all`) everyone's."""
    everyone = request.GET.get("who") == "all"
    today = today_in(request.tenant.timezone)
    rows = selectors.follow_ups_due(on=today, author_id=None if everyone else request.user.pk)
    return render(
        request,
        "crm/due_list.html",
        {"rows": rows, "everyone": everyone, "today": today, "can_write": request.user.has_perm(WRITE_PERMISSION)},
    )


@merchant_access(VIEW_PERMISSION)
def due_card(request):
    """The dashboard card of the user's follow-ups due (a fragment: the dashboard loads it with htmx)."""
    card = selectors.due_card(on=today_in(request.tenant.timezone), author_id=request.user.pk)
    return render(request, "crm/_due_card.html", {"card": card})


@merchant_access(VIEW_PERMISSION)
def customer_list(request):
    """Customers with their open balance and its overdue part; the headings sort (again: the other way)."""
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort") or BalanceSort.CODE
    try:
        key, descending = sort_parse(sort)
    except AppError:
        key, descending, sort = BalanceSort.CODE, False, BalanceSort.CODE
    today = today_in(request.tenant.timezone)
    rows = selectors.customer_balances(on=today, search=search, sort=sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each sortable heading: its label, whether the list is sorted by it (and which way), and its link's sort.
    headings = {
        value: {"label": label, "active": value == key, "descending": descending and value == key,
                "next": f"-{value}" if value == key and not descending else value}
        for value, label in BalanceSort.choices
    }  # fmt: skip
    return render(
        request,
        "crm/customer_list.html",
        {
            "page": page,
            "search": search,
            "sort": sort,
            "headings": headings,
            "total_balance": sum((row.balance for row in rows), ZERO),
            "total_overdue": sum((row.overdue for row in rows), ZERO),
            "today": today,
        },
    )


def _statement(request, customer: Partner) -> tuple[PeriodForm, Statement | None]:
    """The period form (bound to the query, or this month so far) and the statement, or None when refused."""
    today = today_in(request.tenant.timezone)
    data = request.GET if {"date_from", "date_to"} & set(request.GET) else {
        "date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat(),
    }  # fmt: skip
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None
    try:
        statement = selectors.customer_statement(partner_id=customer.pk, **form.cleaned_data)
    except AppError as error:
        error_apply(form, error)
        return form, None
    return form, statement


@merchant_access(VIEW_PERMISSION)
def statement(request, pk: int):
    """The statement for a period, laid out to print (the shop's name, the customer, every document)."""
    customer = _customer_or_404(pk)
    form, statement = _statement(request, customer)
    return render(
        request,
        "crm/statement.html",
        {"customer": customer, "form": form, "statement": statement, "printed_on": today_in(request.tenant.timezone)},
        status=200 if statement is not None else 400,
    )


@merchant_access(VIEW_PERMISSION)
def statement_export(request, pk: int):
    customer = _customer_or_404(pk)
    form, statement = _statement(request, customer)
    if statement is None:
        return render(
            request, "crm/statement.html", {"customer": customer, "form": form, "statement": None}, status=400
        )
    body = statement_xlsx(statement=statement, partner=customer, shop_name=request.tenant.name)
    response = HttpResponse(body, content_type=XLSX)
    name = f"statement-{customer.code}-{statement.date_from:%Y%m%d}-{statement.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
