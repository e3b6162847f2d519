"""Pricing pages: price lists with their entries, customer prices, promotions, the bulk change (preview,
then apply), the selling checks, and the line fragment sales screens load with htmx. Thin over the
services; anyone signed in may look, the owner and the manager may change."""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.catalog.models import Item, Unit
from modules.catalog.selectors import category_tree
from modules.identity.access import merchant_access
from modules.inventory.models import Warehouse
from modules.inventory.services import warehouse_default_ensure
from modules.partners.models import Partner, PriceTier
from modules.pricing import selectors, services
from modules.pricing.forms import (
    BulkChangeForm,
    CustomerPriceForm,
    EntryForm,
    PriceListEditForm,
    PriceListForm,
    PromotionForm,
    SettingsForm,
    error_apply,
)
from modules.pricing.models import PriceList

PAGE_SIZE = 50


def manager_required(view):
    """Changing prices is the owner's and the manager's job (on top of being a signed-in merchant user)."""

    @merchant_access()
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.pricing_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _picked_item(request) -> Item | None:
    return Item.objects.filter(pk=_int_or_none(request.POST.get("item") or request.GET.get("item"))).first()


def _free_tiers() -> list[str]:
    taken = set(PriceList.objects.values_list("tier", flat=True))
    return [tier for tier in PriceTier.values if tier not in taken]


# --- Price lists -----------------------------------------------------------------------------------------


@merchant_access()
def index(request):
    """The price lists, and the way to promotions, customer prices, the bulk change and the settings."""
    can_edit = selectors.pricing_manager(request.user)
    free = _free_tiers()
    form = PriceListForm(free_tiers=free, initial={"tax_inclusive": True}) if can_edit and free else None
    return render(request, "pricing/index.html", _index_context(request, form=form, can_edit=can_edit))


def _index_context(request, *, form, can_edit: bool) -> dict:
    return {
        "price_lists": selectors.price_list_list(),
        "form": form,
        "can_edit": can_edit,
        "settings": selectors.pricing_settings(),
        "promotions_today": selectors.promotion_list(on=today_in(request.tenant.timezone)).count(),
        # The price check: any item, customer and unit, answered by the line fragment.
        "customers": selectors.customer_choices(),
        "units": Unit.objects.all(),
        "warehouses": Warehouse.objects.filter(is_active=True).order_by("-is_default", "code"),
    }


@require_POST
@manager_required
def price_list_create(request):
    form = PriceListForm(request.POST, free_tiers=_free_tiers())
    if form.is_valid():
        try:
            price_list = services.price_list_create(**form.cleaned_data)
        except AppError as error:
            error_apply(form, error)
        else:
            messages.success(request, _("Price list %(name)s added.") % {"name": price_list.name})
            return redirect("pricing:list", price_list.pk)
    return render(request, "pricing/index.html", _index_context(request, form=form, can_edit=True), status=400)


def _list_or_404(pk: int) -> PriceList:
    price_list = PriceList.objects.filter(pk=pk).first()
    if price_list is None:
        raise Http404
    return price_list


def _list_context(request, price_list, *, form=None, edit_form=None) -> dict:
    q = request.GET.get("q", "").strip()
    can_edit = selectors.pricing_manager(request.user)
    entries = selectors.price_list_entries(price_list_id=price_list.pk, q=q)
    if can_edit and form is None:
        form = EntryForm(units=Unit.objects.all(), item=_picked_item(request))
    if can_edit and edit_form is None:
        edit_form = PriceListEditForm(
            initial={
                "name": price_list.name,
                "tax_inclusive": price_list.tax_inclusive,
                "is_active": price_list.is_active,
            }
        )
    return {
        "price_list": price_list,
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "q": q,
        "form": form,
        "edit_form": edit_form,
        "can_edit": can_edit,
    }


@merchant_access()
def price_list_detail(request, pk: int):
    price_list = _list_or_404(pk)
    context = _list_context(request, price_list)
    template = "pricing/_entry_results.html" if request.htmx else "pricing/list_detail.html"
    return render(request, template, context)


@require_POST
@manager_required
def entry_set(request, pk: int):
    price_list = _list_or_404(pk)
    form = EntryForm(request.POST, units=Unit.objects.all(), item=_picked_item(request))
    if form.is_valid():
        try:
            entry, created = services.price_list_item_set(price_list_id=price_list.pk, **form.service_values())
        except AppError as error:
            error_apply(form, error)
        else:
            message = _("Price of %(item)s added.") if created else _("Price of %(item)s changed.")
            messages.success(request, message % {"item": entry.item.code})
            return redirect("pricing:list", price_list.pk)
    return render(request, "pricing/list_detail.html", _list_context(request, price_list, form=form), status=400)


@require_POST
@manager_required
def price_list_edit(request, pk: int):
    price_list = _list_or_404(pk)
    form = PriceListEditForm(request.POST)
    if form.is_valid():
        try:
            services.price_list_update(price_list_id=price_list.pk, **form.cleaned_data)
        except AppError as error:
            error_apply(form, error)
        else:
            messages.success(request, _("Price list saved."))
            return redirect("pricing:list", price_list.pk)
    context = _list_context(request, price_list, edit_form=form)
    return render(request, "pricing/list_detail.html", context, status=400)


@require_POST
@manager_required
def entry_delete(request, pk: int, entry_pk: int):
    price_list = _list_or_404(pk)
    if not selectors.price_list_entries(price_list_id=price_list.pk).filter(pk=entry_pk).exists():
        raise Http404
    services.price_list_item_delete(entry_id=entry_pk)
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, _("Price deleted."))
    return redirect("pricing:list", price_list.pk)


# --- Customer prices -------------------------------------------------------------------------------------


def _customer_context(request, *, form=None) -> dict:
    customer_id = _int_or_none(request.GET.get("customer"))
    can_edit = selectors.pricing_manager(request.user)
    customers = selectors.customer_choices()
    if can_edit and form is None:
        form = CustomerPriceForm(
            customers=customers,
            units=Unit.objects.all(),
            item=_picked_item(request),
            initial={"customer": customer_id},
        )
    rows = selectors.customer_price_list(customer_id=customer_id)
    return {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "customers": customers,
        "customer_id": customer_id,
        "form": form,
        "can_edit": can_edit,
    }


@merchant_access()
def customer_prices(request):
    return render(request, "pricing/customer_prices.html", _customer_context(request))


@require_POST
@manager_required
def customer_price_set(request):
    form = CustomerPriceForm(
        request.POST, customers=selectors.customer_choices(), units=Unit.objects.all(), item=_picked_item(request)
    )
    if form.is_valid():
        try:
            row, _created = services.customer_price_set(**form.service_values())
        except AppError as error:
            error_apply(form, error)
        else:
            messages.success(
                request,
                _("Price of %(item)s for %(customer)s saved.") % {"item": row.item.code, "customer": row.customer.name},
            )
            return redirect(f"{reverse('pricing:customer_prices')}?customer={row.customer_id}")
    return render(request, "pricing/customer_prices.html", _customer_context(request, form=form), status=400)


@require_POST
@manager_required
def customer_price_delete(request, pk: int):
    if not selectors.customer_price_list().filter(pk=pk).exists():
        raise Http404
    services.customer_price_delete(customer_price_id=pk)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Price deleted."))
    return redirect("pricing:customer_prices")


# --- Promotions ------------------------------------------------------------------------------------------


def _promotion_context(request, *, form=None) -> dict:
    can_edit = selectors.pricing_manager(request.user)
    today = today_in(request.tenant.timezone)
    if can_edit and form is None:
        form = PromotionForm(
            categories=category_tree(), item=_picked_item(request), initial={"valid_from": today, "valid_to": today}
        )
    return {
        "page": Paginator(selectors.promotion_list(), PAGE_SIZE).get_page(request.GET.get("page")),
        "form": form,
        "can_edit": can_edit,
        "today": today,
    }


@merchant_access()
def promotions(request):
    return render(request, "pricing/promotions.html", _promotion_context(request))


@require_POST
@manager_required
def promotion_create(request):
    form = PromotionForm(request.POST, categories=category_tree(), item=_picked_item(request))
    if form.is_valid():
        try:
            promotion = services.promotion_create(**form.service_values())
        except AppError as error:
            error_apply(form, error)
        else:
            messages.success(request, _("Promotion %(name)s added.") % {"name": promotion.name})
            return redirect("pricing:promotions")
    return render(request, "pricing/promotions.html", _promotion_context(request, form=form), status=400)


@require_POST
@manager_required
def promotion_toggle(request, pk: int):
    promotion = selectors.promotion_list().filter(pk=pk).first()
    if promotion is None:
        raise Http404
    promotion = services.promotion_update(promotion_id=pk, is_active=not promotion.is_active)
    if request.htmx:
        context = {"promotion": promotion, "can_edit": True, "today": today_in(request.tenant.timezone)}
        return render(request, "pricing/_promotion_row.html", context)
    return redirect("pricing:promotions")


@require_POST
@manager_required
def promotion_delete(request, pk: int):
    if not selectors.promotion_list().filter(pk=pk).exists():
        raise Http404
    services.promotion_delete(promotion_id=pk)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Promotion deleted."))
    return redirect("pricing:promotions")


# --- Bulk change -----------------------------------------------------------------------------------------


@manager_required
def bulk_change(request):
    """GET: the form. POST "preview": the rows the change would make, with an Apply button carrying the
    preview's digest. POST "apply": the change, refused when the prices moved since the preview."""
    form = BulkChangeForm(request.POST or None, categories=category_tree(), price_lists=selectors.price_list_list())
    change = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if request.POST.get("action") == "apply":
                    change = services.price_bulk_change_apply(
                        **form.service_values(), digest=request.POST.get("digest")
                    )
                    count = len(change.rows)
                    messages.success(
                        request,
                        ngettext("%(count)s price changed.", "%(count)s prices changed.", count) % {"count": count},
                    )
                    return redirect("pricing:bulk")
                change = services.price_bulk_change_preview(**form.service_values())
                status = 200
            except AppError as error:
                error_apply(form, error)
    return render(request, "pricing/bulk.html", {"form": form, "change": change}, status=status)


# --- Settings --------------------------------------------------------------------------------------------


@manager_required
def settings_edit(request):
    current = selectors.pricing_settings()
    form = SettingsForm(
        request.POST or None, initial={"below_cost": current.below_cost, "beyond_stock": current.beyond_stock}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pricing_settings_update(**form.cleaned_data)
        except AppError as error:
            error_apply(form, error)
        else:
            messages.success(request, _("Selling checks saved."))
            return redirect("pricing:index")
    return render(request, "pricing/settings.html", {"form": form}, status=400 if form.errors else 200)


# --- The line fragment -----------------------------------------------------------------------------------


@merchant_access()
def line_fragment(request):
    """What a sales or retail line shows beside it, as an HTML fragment for htmx:
    `GET /pricing/line?item=&unit=&customer=&quantity=&warehouse=&unit_price=&date=` → the price and why,
    the list price, the current cost and last purchase price (per the line's unit), the available stock and
    the warnings. With `prefix=lines-0-` each parameter is read as `lines-0-item` etc. first (then without
    the prefix), so a formset row can be sent as it is (`hx-include="closest tr"`) with the document's
    customer and warehouse. Bad input is shown in the fragment (a 200, so that htmx swaps it in) naming
    the field."""
    params = _Prefixed(request.GET)
    context: dict = {}
    try:
        item = _param_row(Item.objects.select_related("base_unit"), params, "item", required=True)
        on = _param_date(params, "date") or today_in(request.tenant.timezone)
        context["line"] = selectors.sale_line_quote(
            item=item,
            unit=_param_row(Unit.objects, params, "unit"),
            customer=_param_row(Partner.objects, params, "customer"),
            quantity=params.get("quantity") or "1",
            warehouse=_param_row(Warehouse.objects, params, "warehouse") or warehouse_default_ensure(),
            on=on,
            unit_price=params.get("unit_price"),
        )
    except AppError as error:
        context["error"] = error
    return render(request, "pricing/_line.html", context)


class _Prefixed:
    """Query parameters read as `prefix + name` first, then as `name`."""

    def __init__(self, params):
        self.params = params
        self.prefix = params.get("prefix", "")

    def get(self, name: str, default=None):
        if self.prefix:
            value = self.params.get(self.prefix + name)
            if value not in (None, ""):
                return value
        return self.params.get(name, default)


def _param_row(queryset, params, name: str, *, required: bool = False):
    raw = params.get(name)
    if raw in (None, ""):
        if required:
            raise AppError("required", _("This field is required."), field=name)
        return None
    row = queryset.filter(pk=_int_or_none(raw)).first() if _int_or_none(raw) is not None else None
    if row is None:
        raise AppError("not_found", _("Not found."), field=name)
    return row


def _param_date(params, name: str) -> date | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise AppError("invalid", _("Enter a date as YYYY-MM-DD."), field=name) from None
