"""Catalog pages: thin views over the services and selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.catalog import selectors, services
from modules.catalog.forms import CategoryForm, ItemForm, category_choices
from modules.catalog.models import Brand, Category, Item, Unit
from modules.identity.access import merchant_access

PAGE_SIZE = 25


def _max_items(request) -> int | None:
    plan = getattr(request.tenant, "plan", None)
    return plan.max_items if plan is not None else None


def _apply_error(form, error: AppError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@merchant_access()
def item_list(request):
    q = request.GET.get("q", "").strip()
    try:
        category_id = int(request.GET.get("category") or 0) or None
    except ValueError:
        category_id = None
    items = selectors.item_list(q=q, category_id=category_id).prefetch_related("barcodes")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "category_id": category_id,
        "categories": category_choices(),
        "can_edit": request.user.has_perm("catalog.change_item"),
    }
    # The live search box swaps only the results.
    template = "catalog/_item_results.html" if request.htmx else "catalog/item_list.html"
    return render(request, template, context)


def _item_save(request, form, item: Item | None):
    data = form.cleaned_data
    fields = {k: data[k] for k in ("code", "name", "category", "brand", "base_unit", "vat_rate", "purchase_price",
                                   "sale_price", "shelf_life_days", "lot_tracked")}  # fmt: skip
    codes = [code for code, _unit in data["barcodes"]]
    barcode_units = dict(data["barcodes"])
    if item is None:
        return services.item_create(
            **fields, max_items=_max_items(request), barcodes=codes, units=data["units"], barcode_units=barcode_units
        )
    services.item_update(item=item, **fields)
    # Units before barcodes: a new package unit may carry a barcode in the same edit.
    for unit, factor in data["units"]:
        services.item_unit_set(item=item, unit=unit, factor=factor)
    services.item_barcodes_replace(item=item, codes=codes, units=barcode_units)
    kept = {unit.pk for unit, _factor in data["units"]}
    for item_unit in item.units.exclude(unit_id__in=kept).select_related("unit"):
        services.item_unit_remove(item=item, unit=item_unit.unit)
    return item


@merchant_access("catalog.add_item")
def item_create(request):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _item_save(request, form, None)
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Item %(code)s created.") % {"code": item.code})
            return redirect("catalog:item_list")
    return render(request, "catalog/item_form.html", {"form": form, "item": None})


@merchant_access("catalog.change_item")
def item_edit(request, pk: int):
    item = get_object_or_404(Item, pk=pk)
    initial = {
        "code": item.code, "name": item.name, "category": item.category_id, "brand": item.brand_id,
        "base_unit": item.base_unit_id, "vat_rate": str(item.vat_rate), "purchase_price": item.purchase_price,
        "sale_price": item.sale_price, "shelf_life_days": item.shelf_life_days, "lot_tracked": item.lot_tracked,
        "barcodes": "\n".join(
            f"{b.code} {b.unit.name}" if b.unit else b.code for b in item.barcodes.select_related("unit")
        ),
        "units": "\n".join(f"{iu.unit.name} = {iu.factor.normalize():f}" for iu in item.units.select_related("unit")),
    }  # fmt: skip
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction for the whole edit: a bad barcode leaves the name unchanged too.
            from django.db import transaction

            with transaction.atomic():
                _item_save(request, form, item)
        except AppError as error:
            item.refresh_from_db()
            _apply_error(form, error)
        else:
            messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
            return redirect("catalog:item_list")
    variants = item.variants.order_by("code") if item.variant_of_id is None else None
    return render(request, "catalog/item_form.html", {"form": form, "item": item, "variants": variants})


@require_POST
@merchant_access("catalog.change_item")
def item_toggle_active(request, pk: int):
    item = get_object_or_404(Item, pk=pk)
    if item.is_active:
        services.item_deactivate(item=item)
    else:
        services.item_activate(item=item)
    return redirect("catalog:item_edit", pk=item.pk)


@merchant_access()
def category_tree(request):
    can_edit = request.user.has_perm("catalog.change_category")
    add_form = CategoryForm(prefix="add")
    return render(
        request,
        "catalog/category_tree.html",
        {
            "tree": selectors.category_tree(),
            "add_form": add_form,
            "can_edit": can_edit,
            "brands": Brand.objects.all(),
            "units": Unit.objects.all(),
            "can_add_unit": request.user.has_perm("catalog.add_unit"),
            "can_add_brand": request.user.has_perm("catalog.add_brand"),
        },
    )


@require_POST
@merchant_access("catalog.add_category")
def category_add(request):
    form = CategoryForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            services.category_create(name=form.cleaned_data["name"], parent=form.cleaned_data["parent"])
        except AppError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Enter a name."))
    return redirect("catalog:category_tree")


@require_POST
@merchant_access("catalog.change_category")
def category_edit(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST, exclude_id=category.pk)
    if form.is_valid():
        try:
            if form.cleaned_data["name"] != category.name:
                services.category_rename(category=category, name=form.cleaned_data["name"])
            if form.cleaned_data["parent"] != category.parent:
                services.category_move(category=category, parent=form.cleaned_data["parent"])
        except AppError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Enter a name."))
    return redirect("catalog:category_tree")


@require_POST
@merchant_access("catalog.add_unit")
def unit_add(request):
    try:
        unit = services.unit_create(name=request.POST.get("name", ""))
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Unit %(name)s added.") % {"name": unit.name})
    return redirect("catalog:category_tree")


@require_POST
@merchant_access("catalog.add_brand")
def brand_add(request):
    try:
        brand = services.brand_create(name=request.POST.get("name", ""))
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Brand %(name)s added.") % {"name": brand.name})
    return redirect("catalog:category_tree")


@merchant_access()
def item_lookup(request):
    """JSON for item pickers and scanners on other pages: an exact barcode or code first, then a search.

    `GET /catalog/lookup?q=<barcode, code, name or pinyin initials>` → {"items": [{id, code, name, base_unit}]}"""
    q = request.GET.get("q", "").strip()
    if not q:
        return JsonResponse({"items": []})
    exact = selectors.item_by_barcode(code=q) or Item.objects.filter(code=q).first()
    found = [exact] if exact else []
    more = selectors.item_list(q=q, active=True).exclude(pk__in=[i.pk for i in found])[:20]
    items = [*found, *more][:20]
    return JsonResponse(
        {"items": [{"id": i.pk, "code": i.code, "name": i.name, "base_unit": i.base_unit.name} for i in items]}
    )


def _parse_attributes(text: str) -> dict[str, list[str]]:
    """Lines "颜色: 红, 蓝" → {"颜色": ["红", "蓝"]} (full-width colons and commas too)."""
    attributes: dict[str, list[str]] = {}
    for line in text.splitlines():
        name, sep, values = line.replace("：", ":").partition(":")
        if not line.strip():
            continue
        if not sep:
            raise AppError("invalid_attributes", _("Write each attribute as “name: value, value”."), field="attributes")
        attributes[name.strip()] = [v.strip() for v in values.replace("，", ",").replace("、", ",").split(",")]
    return attributes


@require_POST
@merchant_access("catalog.add_item")
def item_variants(request, pk: int):
    item = get_object_or_404(Item, pk=pk)
    try:
        created = services.item_variants_generate(
            item=item, attributes=_parse_attributes(request.POST.get("attributes", "")), max_items=_max_items(request)
        )
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s variants created.") % {"n": len(created)})
    return redirect("catalog:item_edit", pk=item.pk)
