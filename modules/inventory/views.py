"""Stock pages: thin views over the services and selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog.selectors import category_tree
from modules.identity.access import merchant_access
from modules.inventory import selectors, services
from modules.inventory.forms import LocationForm, WarehouseForm
from modules.inventory.models import Location, Warehouse

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


@merchant_access()
def on_hand(request):
    warehouse_id = _int_or_none(request.GET.get("warehouse"))
    category_id = _int_or_none(request.GET.get("category"))
    location_id = _int_or_none(request.GET.get("location"))
    rows = selectors.stock_on_hand(warehouse_id=warehouse_id, category_id=category_id, location_id=location_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/on_hand.html",
        {
            "page": page,
            "totals": selectors.stock_on_hand_totals(rows),
            "warehouses": selectors.warehouse_list(),
            "categories": category_tree(),
            "warehouse_id": warehouse_id,
            "category_id": category_id,
        },
    )
