"""Stock document pages: list, create and edit drafts, detail with the lifecycle buttons. Thin over the services."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.identity.access import merchant_access
from modules.inventory.selectors import warehouse_list
from modules.inventory.services import warehouse_default_ensure
from modules.stockops import domain, selectors, services
from modules.stockops.enums import DocumentKind, DocumentStatus
from modules.stockops.forms import LINES_PREFIX, DocumentForm, LineFormSet, error_apply
from modules.stockops.line_views import line_rows
from modules.stockops.models import StockDocument

PAGE_SIZE = 30


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _plain(number) -> str:
    """48.000000 as "48", 100 as "100" (not 1E+2); None as ""."""
    return "" if number is None else f"{number.normalize():f}"


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _without_page(params) -> str:
    """The list's query string for the page links."""
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


@merchant_access()
def index(request):
    params = request.GET
    filters = {
        "kind": params.get("kind") if params.get("kind") in DocumentKind.values else None,
        "status": params.get("status") if params.get("status") in DocumentStatus.values else None,
        "date_from": _date(params.get("date_from")),
        "date_to": _date(params.get("date_to")),
        "warehouse_id": _int(params.get("warehouse")),
        "item_query": params.get("item", ""),
        "search": params.get("q", ""),
    }
    page = Paginator(selectors.document_list(**filters), PAGE_SIZE).get_page(params.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": _without_page(params),
        "kinds": DocumentKind.choices,
        "statuses": DocumentStatus.choices,
        "warehouses": warehouse_list(),
        "can_add": request.user.has_perm("stockops.add_stockdocument"),
    }
    template = "stockops/_document_results.html" if request.htmx else "stockops/document_list.html"
    return render(request, template, context)


def _form_page(request, *, kind: str, document: StockDocument | None, head: DocumentForm, lines, status=200):
    return render(
        request,
        "stockops/document_form.html",
        {"kind": kind, "kind_label": DocumentKind(kind).label, "document": document, "form": head,
         "lines": lines, "rows": line_rows(lines, kind=kind)},
        status=status,
    )  # fmt: skip


def _save(request, *, kind: str, document: StockDocument | None):
    """Parse the posted head and lines and hand them to the service; errors go back on their fields."""
    head = DocumentForm(request.POST, kind=kind)
    lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
    if head.is_valid() and lines.is_valid():
        indexes = [i for i, form in enumerate(lines.forms) if not form.is_blank()]
        values = {**head.service_values(), "lines": [lines.forms[i].line_input() for i in indexes]}
        try:
            if document is None:
                document = services.stock_document_create(
                    kind=kind, tz_name=request.tenant.timezone, created_by=request.user, **values
                )
            else:
                services.stock_document_update(document=document, tz_name=request.tenant.timezone, **values)
        except AppError as error:
            error_apply(error, head=head, lines=lines, indexes=indexes)
        else:
            messages.success(request, _("%(number)s saved.") % {"number": document.number})
            return redirect("stockops:detail", pk=document.pk)
    return _form_page(request, kind=kind, document=document, head=head, lines=lines, status=400)


@merchant_access("stockops.add_stockdocument")
def document_create(request, kind: str):
    if kind not in DocumentKind.values:
        raise Http404
    if request.method == "POST":
        return _save(request, kind=kind, document=None)
    head = DocumentForm(
        kind=kind, initial={"date": services.today_in(request.tenant.timezone), "warehouse": warehouse_default_ensure()}
    )
    lines = LineFormSet(prefix=LINES_PREFIX, initial=[{}])
    return _form_page(request, kind=kind, document=None, head=head, lines=lines)


@merchant_access("stockops.change_stockdocument")
def document_edit(request, pk: int):
    document = get_object_or_404(StockDocument, pk=pk)
    if document.status != DocumentStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("stockops:detail", pk=document.pk)
    if request.method == "POST":
        return _save(request, kind=document.kind, document=document)
    head = DocumentForm(
        kind=document.kind,
        initial={name: getattr(document, name) for name in services.HEAD_FIELDS},
    )
    initial = [
        {
            name: getattr(line, name)
            for name in ("item", "unit", "location", "target_location", "lot_code", "expiry_date")
        }
        | {"quantity": _plain(line.quantity), "unit_cost": _plain(line.unit_cost)}
        for line in document.lines.select_related("item", "unit", "location", "target_location")
    ]
    lines = LineFormSet(prefix=LINES_PREFIX, initial=initial)
    return _form_page(request, kind=document.kind, document=document, head=head, lines=lines)


@merchant_access()
def document_detail(request, pk: int):
    document = selectors.document_detail(document_id=pk)
    if document is None:
        raise Http404
    user = request.user
    allowed = domain.actions_allowed(document.status)
    can = {
        "edit": "edit" in allowed and user.has_perm("stockops.change_stockdocument"),
        "confirm": "confirm" in allowed and user.has_perm("stockops.change_stockdocument"),
        "cancel": "cancel" in allowed and user.has_perm("stockops.change_stockdocument"),
        "post": "post" in allowed and user.has_perm("stockops.post_stockdocument"),
        "reverse": "reverse" in allowed
        and not document.is_reversal
        and not hasattr(document, "reversal")
        and user.has_perm("stockops.post_stockdocument"),
    }
    return render(
        request,
        "stockops/document_detail.html",
        {
            "document": document,
            "moves": selectors.document_moves(document=document),
            "can": can,
            "today": services.today_in(request.tenant.timezone),
        },
    )


def _action(request, pk: int, run):
    """Run a lifecycle service on the document; its refusal becomes an error message (None returned)."""
    document = get_object_or_404(StockDocument, pk=pk)
    try:
        return run(document)
    except AppError as error:
        messages.error(request, error.message)
        return None


def _revalued_message(request, revalued) -> None:
    if revalued:
        changed = ", ".join(
            f"{doc.reference or doc.source_type} ({doc.value_before} → {doc.value_after})" for doc in revalued
        )
        messages.warning(
            request,
            _("This backdated posting changed the cost of later documents: %(documents)s") % {"documents": changed},
        )


@require_POST
@merchant_access("stockops.change_stockdocument")
def document_confirm(request, pk: int):
    if _action(request, pk, lambda document: services.stock_document_confirm(document=document)):
        messages.success(request, pgettext("stock document", "Confirmed."))
    return redirect("stockops:detail", pk=pk)


@require_POST
@merchant_access("stockops.change_stockdocument")
def document_cancel(request, pk: int):
    if _action(request, pk, lambda document: services.stock_document_cancel(document=document)):
        messages.success(request, _("Cancelled."))
    return redirect("stockops:detail", pk=pk)


@require_POST
@merchant_access("stockops.post_stockdocument")
def document_post(request, pk: int):
    outcome = _action(
        request, pk, lambda document: services.stock_document_post(document=document, tz_name=request.tenant.timezone)
    )
    if outcome:
        messages.success(request, _("Posted to stock."))
        _revalued_message(request, outcome.revalued)
    return redirect("stockops:detail", pk=pk)


@require_POST
@merchant_access("stockops.post_stockdocument")
def document_reverse(request, pk: int):
    on = _date(request.POST.get("date"))
    if request.POST.get("date") and on is None:
        messages.error(request, _("Enter a date as YYYY-MM-DD."))
        return redirect("stockops:detail", pk=pk)
    outcome = _action(
        request,
        pk,
        lambda document: services.stock_document_reverse(
            document=document, tz_name=request.tenant.timezone, on=on, created_by=request.user
        ),
    )
    if outcome is None:
        return redirect("stockops:detail", pk=pk)
    messages.success(request, _("Reversed by %(number)s.") % {"number": outcome.document.number})
    _revalued_message(request, outcome.revalued)
    return redirect("stockops:detail", pk=outcome.document.pk)
