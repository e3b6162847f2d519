"""Reorder pages: the rules (inline edit with htmx), adding a rule, the low-stock list, and replenishment
suggestions with one click to draft purchase orders. Thin views."""

import uuid
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.catalog.selectors import category_tree
from modules.identity.access import merchant_access
from modules.inventory.selectors import warehouse_list
from modules.reorder import domain, selectors, services
from modules.reorder.forms import LEVEL_FIELDS, RuleCreateForm, RuleLevelsForm, form_field

PAGE_SIZE = 50
CHANGE = "reorder.change_reorderrule"


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _apply_error(form, error: AppError) -> None:
    field = form_field(error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _rule_or_404(pk: int):
    rule = selectors.rule_get(rule_id=pk)
    if rule is None:
        raise Http404
    return rule


def _rule_initial(rule) -> dict:
    return {
        **{name: f"{getattr(rule, name).normalize():f}" for name in LEVEL_FIELDS},
        "preferred_supplier": str(rule.preferred_supplier_id or ""),
        "is_active": rule.is_active,
    }


def _suppliers_with(current) -> list:
    """The active suppliers, plus the rule's own choice should it have been deactivated since."""
    suppliers = list(selectors.supplier_choices())
    if current is not None and current.pk not in {supplier.pk for supplier in suppliers}:
        suppliers.append(current)
    return suppliers


@merchant_access()
def rule_list(request):
    q = request.GET.get("q", "").strip()
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    rules = selectors.rule_list(q=q, warehouse_id=warehouse_id)
    context = {
        "page": Paginator(rules, PAGE_SIZE).get_page(request.GET.get("page")),
        "q": q,
        "warehouse_id": warehouse_id,
        "warehouses": warehouse_list(),
        "can_edit": request.user.has_perm(CHANGE),
        "can_add": request.user.has_perm("reorder.add_reorderrule"),
    }
    # The live search swaps only the table.
    template = "reorder/_rule_results.html" if request.htmx else "reorder/rule_list.html"
    return render(request, template, context)


@merchant_access("reorder.add_reorderrule")
def rule_create(request):
    # The chosen item is listed in the picker (after a failed post, or from ?item= on a link).
    item = Item.objects.filter(pk=_int_or_none(request.POST.get("item") or request.GET.get("item"))).first()
    form = RuleCreateForm(
        request.POST or None,
        warehouses=warehouse_list(active=True),
        suppliers=selectors.supplier_choices(),
        item=item,
        initial={"item": item.pk if item else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.reorder_rule_create(**form.service_values())
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Rule for %(item)s added.") % {"item": rule.item.code})
            return redirect("reorder:rules")
    status = 400 if request.method == "POST" else 200
    return render(request, "reorder/rule_form.html", {"form": form, "item": item, "rule": None}, status=status)


@merchant_access()
def rule_row(request, pk: int):
    """One rule's table row: what the inline editor's Cancel swaps back in."""
    rule = _rule_or_404(pk)
    return render(request, "reorder/_rule_row.html", {"rule": rule, "can_edit": request.user.has_perm(CHANGE)})


@merchant_access(CHANGE)
def rule_edit(request, pk: int):
    """The inline editor (htmx: one table row) or, without JavaScript, a page of its own."""
    rule = _rule_or_404(pk)
    form = RuleLevelsForm(
        request.POST or None,
        initial=_rule_initial(rule),
        suppliers=_suppliers_with(rule.preferred_supplier),
        auto_id=f"rule{rule.pk}_%s",  # several rows may be open for editing at once
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reorder_rule_update(rule_id=rule.pk, **form.service_values())
        except AppError as error:
            _apply_error(form, error)
        else:
            if request.htmx:
                return render(
                    request, "reorder/_rule_row.html", {"rule": selectors.rule_get(rule_id=pk), "can_edit": True}
                )
            messages.success(request, _("Rule for %(item)s saved.") % {"item": rule.item.code})
            return redirect("reorder:rules")
    context = {"form": form, "rule": rule, "item": rule.item}
    if request.htmx:
        # htmx swaps 2xx answers only: the row with its errors comes back as a 200.
        return render(request, "reorder/_rule_row_form.html", context)
    return render(request, "reorder/rule_form.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@merchant_access("reorder.delete_reorderrule")
def rule_delete(request, pk: int):
    rule = _rule_or_404(pk)
    services.reorder_rule_delete(rule_id=rule.pk)
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, _("Rule for %(item)s deleted.") % {"item": rule.item.code})
    return redirect("reorder:rules")


@merchant_access()
def low_stock(request):
    """The stored low-stock list (what the dashboard counts), filtered; "recompute now" refreshes it."""
    filters = {
        "warehouse_id": _int_or_none(request.GET.get("warehouse")),
        "category_id": _int_or_none(request.GET.get("category")),
        "supplier_id": _int_or_none(request.GET.get("supplier")),
    }
    snapshot = selectors.low_stock_snapshot()
    alerts = selectors.low_stock_alerts(**filters) if snapshot else []
    context = {
        "snapshot": snapshot,
        "tenant_tz": ZoneInfo(request.tenant.timezone),
        "page": Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "warehouses": warehouse_list(),
        "categories": category_tree(),
        "suppliers": selectors.supplier_choices(),
        "can_refresh": request.user.has_perm("reorder.change_lowstocksnapshot"),
    }
    template = "reorder/_low_stock_results.html" if request.htmx else "reorder/low_stock.html"
    return render(request, template, context)


@require_POST
@merchant_access("reorder.change_lowstocksnapshot")
def low_stock_refresh(request):
    """Recompute the snapshot now, in this request, for this shop only."""
    snapshot = services.low_stock_snapshot_refresh()
    message = ngettext(
        "Recomputed: %(count)s line is low on stock.",
        "Recomputed: %(count)s lines are low on stock.",
        snapshot.line_count,
    )
    messages.success(request, message % {"count": snapshot.line_count})
    return redirect("reorder:low_stock")


ADD_ORDER = "purchasing.add_purchaseorder"


def _window(value) -> int:
    window = _int_or_none(value)
    return window if window in domain.WINDOWS else domain.DEFAULT_WINDOW


def _suggestions_context(request, params, *, error: str = "", posted=None) -> dict:
    filters = {
        "warehouse_id": _int_or_none(params.get("warehouse")),
        "supplier_id": _int_or_none(params.get("supplier")),
        "window_days": _window(params.get("window")),
    }
    lines = selectors.replenishment_suggestions(**filters)
    picked = set(posted.getlist("pick")) if posted is not None else None
    rows = [
        {
            "line": line,
            # After a refused post the user's own choices stay; at first every orderable line is ticked.
            "picked": line.orderable and (picked is None or line.key in picked),
            "quantity": posted.get(f"qty-{line.key}", "")
            if posted is not None
            else domain.qty_text(line.order_quantity),
        }
        for line in lines
    ]
    return {
        "rows": rows,
        "filters": filters,
        "windows": domain.WINDOWS,
        "review_days": domain.REVIEW_DAYS,
        "warehouses": warehouse_list(active=True),
        "suppliers": selectors.supplier_choices(),
        "token": (posted.get("token") if posted is not None else "") or uuid.uuid4().hex,
        "can_order": request.user.has_perm(ADD_ORDER),
        "error": error,
    }


@merchant_access()
def suggestions(request):
    """What to order now per item × warehouse and why; tick, adjust and turn into draft purchase orders."""
    context = _suggestions_context(request, request.GET)
    template = "reorder/_suggestion_results.html" if request.htmx else "reorder/suggestions.html"
    return render(request, template, context)


@require_POST
@merchant_access(ADD_ORDER)
def suggestion_orders(request):
    """The ticked lines become draft purchase orders (one per supplier × warehouse). The page's token makes a
    second click, a reload or a double submit return the orders of the first instead of new ones."""
    keys = [key for key in request.POST.getlist("pick") if key]
    lines, labels = [], []
    for key in keys:
        item_id, _sep, warehouse_id = key.partition("-")
        lines.append(
            services.AcceptedLine(
                item_id=item_id,
                warehouse_id=warehouse_id,
                quantity=request.POST.get(f"qty-{key}", ""),
                supplier_id=request.POST.get(f"supplier-{key}") or None,
            )
        )
        labels.append(request.POST.get(f"label-{key}", key))
    try:
        result = services.suggestion_orders_create(
            token=request.POST.get("token", ""),
            lines=lines,
            tz_name=request.tenant.timezone,
            window_days=_window(request.POST.get("window")),
            created_by=request.user,
        )
    except AppError as error:
        message = str(error.message)
        index = _line_index(error.field)
        if index is not None and index < len(labels):
            message = f"{labels[index]}: {message}"
        context = _suggestions_context(request, request.POST, error=message, posted=request.POST)
        return render(request, "reorder/suggestions.html", context, status=400)
    if not result.created:
        messages.info(request, _("These suggestions were turned into purchase orders already: here they are."))
    return redirect("reorder:suggestion_batch", pk=result.batch.pk)


def _line_index(field: str | None) -> int | None:
    """`lines.3.quantity` → 3."""
    parts = (field or "").split(".")
    if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
        return int(parts[1])
    return None


@merchant_access()
def suggestion_batch(request, pk: int):
    """The draft purchase orders one accepted set of suggestions made, with links to them."""
    batch = selectors.replenishment_batch_get(batch_id=pk)
    if batch is None:
        raise Http404
    orders = list(selectors.replenishment_batch_orders(batch=batch))
    return render(request, "reorder/suggestion_batch.html", {"batch": batch, "orders": orders})
