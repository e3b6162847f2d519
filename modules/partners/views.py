"""Merchant pages for partners. Thin: selectors read, services write, AppError lands on the form field."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jxc.kernel.errors import AppError
from modules.partners import selectors, services
from modules.partners.forms import ContactForm, PartnerForm

VIEW_PERMISSION = "partners.view_partner"
CHANGE_PERMISSION = "partners.change_partner"
PAGE_SIZE = 25
KIND_TITLES = {
    "": lambda: pgettext("partners", "Partners"),
    selectors.Kind.SUPPLIER: lambda: pgettext("partners", "Suppliers"),
    selectors.Kind.CUSTOMER: lambda: pgettext("partners", "Customers"),
}


def permission(perm: str):
    """Anonymous users go to the login page; a merchant user without `perm` gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_active or not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _partner_or_404(pk: int):
    partner = selectors.partner_get(partner_id=pk)
    if partner is None:
        raise Http404
    return partner


def _apply_error(form, error: AppError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@permission(VIEW_PERMISSION)
def partner_list(request, kind: str = ""):
    search = request.GET.get("q", "").strip()
    active_param = request.GET.get("active", "true")
    active = {"true": True, "false": False}.get(active_param)
    partners = selectors.partner_list(search=search, kind=kind, active=active)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "title": KIND_TITLES[kind](),
        "search": search,
        "active_param": active_param,
        "can_change": request.user.has_perm(CHANGE_PERMISSION),
        "list_url": request.path,
    }
    template = "partners/_partner_results.html" if request.htmx else "partners/partner_list.html"
    return render(request, template, context)


def supplier_list(request):
    return partner_list(request, kind=selectors.Kind.SUPPLIER)


def customer_list(request):
    return partner_list(request, kind=selectors.Kind.CUSTOMER)


@permission(VIEW_PERMISSION)
def partner_detail(request, pk: int):
    partner = _partner_or_404(pk)
    context = {
        "partner": partner,
        "contacts": selectors.partner_contacts(partner_id=partner.pk),
        "can_change": request.user.has_perm(CHANGE_PERMISSION),
    }
    context.update(_extra_detail_context(partner))
    return render(request, "partners/partner_detail.html", context)


def _extra_detail_context(partner) -> dict:
    if not partner.is_supplier:
        return {"supplier_items": None}
    return {"supplier_items": selectors.supplier_items(supplier_id=partner.pk)}


@permission(CHANGE_PERMISSION)
def partner_create(request):
    kind = request.GET.get("kind", "")
    initial = {"is_supplier": kind == selectors.Kind.SUPPLIER, "is_customer": kind == selectors.Kind.CUSTOMER}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**form.cleaned_data)
        except AppError as error:
            _apply_error(form, error)
        else:
            return redirect("partners:partner_edit", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@permission(CHANGE_PERMISSION)
def partner_edit(request, pk: int):
    partner = _partner_or_404(pk)
    initial = {name: getattr(partner, name) for name in PartnerForm.base_fields}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner_id=partner.pk, **form.cleaned_data)
        except AppError as error:
            _apply_error(form, error)
        else:
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", _form_context(partner, form=form))


def _form_context(partner, *, form=None, contact_form=None) -> dict:
    return {
        "form": form,
        "partner": partner,
        "contacts": selectors.partner_contacts(partner_id=partner.pk),
        "contact_form": contact_form or ContactForm(),
    }


@require_POST
@permission(CHANGE_PERMISSION)
def contact_add(request, pk: int):
    partner = _partner_or_404(pk)
    contact_form = ContactForm(request.POST)
    if contact_form.is_valid():
        try:
            services.contact_create(partner_id=partner.pk, **contact_form.cleaned_data)
        except AppError as error:
            _apply_error(contact_form, error)
        else:
            contact_form = None
    context = _form_context(partner, contact_form=contact_form)
    status = 200 if contact_form is None else 400
    if request.htmx:
        return render(request, "partners/_contacts.html", context, status=status)
    if contact_form is None:
        return redirect("partners:partner_edit", pk=partner.pk)
    return render(request, "partners/_contacts.html", context, status=status)


@require_POST
@permission(CHANGE_PERMISSION)
def contact_delete(request, pk: int, contact_id: int):
    partner = _partner_or_404(pk)
    try:
        services.contact_delete(partner_id=partner.pk, contact_id=contact_id)
    except AppError:
        raise Http404 from None
    if request.htmx:
        return render(request, "partners/_contacts.html", _form_context(partner))
    return redirect("partners:partner_edit", pk=partner.pk)


@require_POST
@permission(CHANGE_PERMISSION)
def partner_deactivate(request, pk: int):
    partner = _partner_or_404(pk)
    if request.POST.get("activate"):
        services.partner_activate(partner_id=partner.pk)
    else:
        services.partner_deactivate(partner_id=partner.pk)
    return redirect(reverse("partners:partner_detail", args=[partner.pk]))
