"""Stock pages: thin views over the services and selectors."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.catalog.selectors import category_tree
from modules.identity.access import merchant_access
from modules.inventory import selectors, services
from modules.inventory.forms import LocationForm, StockSettingsForm, WarehouseForm
from modules.inventory.models import Location, Warehouse
from modules.inventory.sources import source_label, source_url
from modules.partners.selectors import partner_list

PAGE_SIZE = 50


def _max_warehouses(request) -> int | None:
    plan = getattr(request.tenant, "plan", None)
    return plan.max_warehouses if plan is not None else None


def _apply_error(form, error: AppError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@merchant_access()
def index(request):
    services.warehouse_default_ensure()
    return render(
        request,
        "inventory/warehouse_list.html",
        {
            "warehouses": selectors.warehouse_list(),
            "can_add": request.user.has_perm("inventory.add_warehouse"),
            "can_manage_settings": selectors.settings_manager(request.user),
        },
    )


@merchant_access("inventory.add_warehouse")
def warehouse_create(request):
    form = WarehouseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_create(**form.cleaned_data, max_warehouses=_max_warehouses(request))
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Warehouse %(code)s created.") % {"code": warehouse.code})
            return redirect("inventory:warehouse_detail", pk=warehouse.pk)
    return render(request, "inventory/warehouse_form.html", {"form": form, "warehouse": None})


@merchant_access("inventory.change_warehouse")
def warehouse_edit(request, pk: int):
    warehouse = get_object_or_404(Warehouse, pk=pk)
    initial = {f: getattr(warehouse, f) for f in ("code", "name", "address", "is_active")}
    form = WarehouseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.warehouse_update(warehouse=warehouse, **form.cleaned_data)
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Warehouse %(code)s saved.") % {"code": warehouse.code})
            return redirect("inventory:warehouse_detail", pk=warehouse.pk)
    return render(request, "inventory/warehouse_form.html", {"form": form, "warehouse": warehouse})


@merchant_access()
def warehouse_detail(request, pk: int):
    warehouse = get_object_or_404(Warehouse, pk=pk)
    tree = selectors.location_tree(warehouse=warehouse)
    return render(
        request,
        "inventory/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "tree": tree,
            "form": LocationForm(tree=tree),
            "can_edit": request.user.has_perm("inventory.add_location"),
        },
    )


@require_POST
@merchant_access("inventory.add_location")
def location_add(request, pk: int):
    warehouse = get_object_or_404(Warehouse, pk=pk)
    tree = selectors.location_tree(warehouse=warehouse)
    form = LocationForm(request.POST, tree=tree)
    if form.is_valid():
        data = form.cleaned_data
        parent = get_object_or_404(Location, pk=data["parent"], warehouse=warehouse) if data["parent"] else None
        try:
            location = services.location_create(
                warehouse=warehouse, code=data["code"], name=data["name"], kind=data["kind"], parent=parent
            )
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Location %(code)s added.") % {"code": location.code})
            return redirect("inventory:warehouse_detail", pk=warehouse.pk)
    return render(
        request,
        "inventory/warehouse_detail.html",
        {"warehouse": warehouse, "tree": tree, "form": form, "can_edit": True},
        status=400,
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date_or_none(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _tz(request) -> ZoneInfo:
    return ZoneInfo(request.tenant.timezone)


def _render_filtered(request, template: str, partial: str, context: dict):
    """The page, or (an htmx filter change) only its results. `query` keeps the filters in the page links."""
    params = request.GET.copy()
    params.pop("page", None)
    context["query"] = params.urlencode() + "&" if params else ""
    context["can_manage_settings"] = selectors.settings_manager(request.user)
    return render(request, partial if request.htmx else template, context)


@merchant_access()
def on_hand(request):
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    category_id = _int_or_none(request.GET.get("category"))
    location_id = _int_or_none(request.GET.get("location"))
    supplier_id = _int_or_none(request.GET.get("supplier"))
    rows = selectors.stock_on_hand(
        warehouse_id=warehouse_id, category_id=category_id, location_id=location_id, supplier_id=supplier_id
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_filtered(
        request,
        "inventory/on_hand.html",
        "inventory/_on_hand_results.html",
        {
            "page": page,
            "totals": selectors.stock_on_hand_totals(rows),
            "warehouses": selectors.warehouse_list(),
            "categories": category_tree(),
            "suppliers": partner_list(kind="supplier", active=True),
            "warehouse_id": warehouse_id,
            "category_id": category_id,
            "supplier_id": supplier_id,
            "today": datetime.now(_tz(request)).date(),
        },
    )


@merchant_access()
def lots(request):
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    category_id = _int_or_none(request.GET.get("category"))
    within = _int_or_none(request.GET.get("within"))
    within = within if within is not None and within >= 0 else None
    rows = selectors.stock_lots(
        today=datetime.now(_tz(request)).date(),
        warehouse_id=warehouse_id,
        category_id=category_id,
        expiring_within_days=within,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_filtered(
        request,
        "inventory/lots.html",
        "inventory/_lots_results.html",
        {
            "page": page,
            "totals": selectors.stock_on_hand_totals(rows),
            "warehouses": selectors.warehouse_list(),
            "categories": category_tree(),
            "warehouse_id": warehouse_id,
            "category_id": category_id,
            "within": within,
            "window": selectors.EXPIRY_WARNING_DAYS if within is None else within,
        },
    )


@merchant_access()
def as_of(request):
    tz = _tz(request)
    day = _date_or_none(request.GET.get("date")) or datetime.now(tz).date()
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    category_id = _int_or_none(request.GET.get("category"))
    result = selectors.stock_value_as_of(
        at=datetime.combine(day, time.max, tzinfo=tz), warehouse_id=warehouse_id, category_id=category_id
    )
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_filtered(
        request,
        "inventory/as_of.html",
        "inventory/_as_of_results.html",
        {
            "page": page,
            "result": result,
            "day": day,
            "warehouses": selectors.warehouse_list(),
            "categories": category_tree(),
            "warehouse_id": warehouse_id,
            "category_id": category_id,
        },
    )


@merchant_access()
def item_moves(request, item_id: int):
    item = get_object_or_404(Item.objects.select_related("base_unit"), pk=item_id)
    tz = _tz(request)
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    date_from = _date_or_none(request.GET.get("from"))
    date_to = _date_or_none(request.GET.get("to"))
    history = selectors.item_move_history(
        item=item,
        warehouse_id=warehouse_id,
        start=datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None,
        end=datetime.combine(date_to, time.max, tzinfo=tz) if date_to else None,
    )
    page = Paginator(history.moves, PAGE_SIZE).get_page(request.GET.get("page"))
    for move in page:
        move.source_label = source_label(move.source_type)
        move.source_url = source_url(move.source_type, move.source_id)
        move.quantity_in = move.quantity if move.quantity > 0 else None
        move.quantity_out = -move.quantity if move.quantity < 0 else None
    return _render_filtered(
        request,
        "inventory/item_moves.html",
        "inventory/_item_moves_results.html",
        {
            "item": item,
            "history": history,
            "page": page,
            "warehouses": selectors.warehouse_list(),
            "warehouse_id": warehouse_id,
            "date_from": date_from,
            "date_to": date_to,
            "tz": tz,
        },
    )


@merchant_access()
def stock_settings(request):
    if not selectors.settings_manager(request.user):
        raise PermissionDenied
    current = selectors.inventory_settings()
    locked = selectors.stock_has_moved()
    form = StockSettingsForm(
        request.POST or None,
        initial={"allow_negative_stock": current.allow_negative_stock, "costing_method": current.costing_method},
        costing_locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inventory_settings_update(**form.changes())
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Stock settings saved."))
            return redirect("inventory:settings")
    return render(
        request,
        "inventory/settings.html",
        {"form": form, "locked": locked, "settings": current},
        status=400 if form.errors else 200,
    )
