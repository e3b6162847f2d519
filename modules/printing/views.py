"""The PDF of any registered document, and the print settings page (shop details and logo). Thin over
the registry, the builders and the services."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.identity.access import merchant_access, role_required
from modules.identity.roles import Role
from modules.printing import selectors, services
from modules.printing.domain import PrintColumn, PrintDocument, logo_size_check
from modules.printing.enums import LOGO_MAX_BYTES
from modules.printing.forms import LogoForm, ShopProfileForm
from modules.printing.registry import print_type_get
from modules.printing.render import pdf_render

# The shop's letterhead is the owner's and the manager's to set.
settings_access = role_required(Role.OWNER, Role.MANAGER)


def _pdf_response(document: PrintDocument, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{document.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@merchant_access()
def document_pdf(request, doc_type: str, pk: int):
    print_type = print_type_get(doc_type)
    if print_type is None:
        raise Http404
    # Before the lookup: whoever may not print the type learns nothing about which ids exist.
    if not request.user.has_perm(print_type.permission):
        raise PermissionDenied
    document = print_type.builder(pk, tenant=request.tenant)
    if document is None:
        raise Http404
    return _pdf_response(document, pdf_render(document, shop=selectors.shop_header(tenant=request.tenant)))


def _settings_page(request, *, form: ShopProfileForm | None = None, logo_form: LogoForm | None = None, status=200):
    profile = selectors.shop_profile_get()
    form = form or ShopProfileForm(instance=profile)
    form.fields["display_name"].widget.attrs["placeholder"] = request.tenant.name
    context = {
        "form": form,
        "logo_form": logo_form or LogoForm(),
        "profile": profile,
        "has_logo": bool(profile.logo),
        "logo_max_kb": LOGO_MAX_BYTES // 1024,
    }
    return render(request, "printing/settings.html", context, status=status)


@settings_access
@require_http_methods(["GET", "POST"])
def print_settings(request):
    if request.method != "POST":
        return _settings_page(request)
    form = ShopProfileForm(request.POST, instance=selectors.shop_profile_get())
    if form.is_valid():
        try:
            services.shop_profile_update(**{name: form.cleaned_data[name] for name in services.PROFILE_FIELDS})
        except AppError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The shop's details are saved."))
            return redirect("print_settings:index")
    return _settings_page(request, form=form, status=400)


@settings_access
@require_POST
def logo_upload(request):
    logo_form = LogoForm(request.POST, request.FILES)
    if logo_form.is_valid():
        upload = logo_form.cleaned_data["logo"]
        try:
            # A file over the limit is refused unread, with its size.
            logo_size_check(upload.size)
            services.shop_logo_set(data=upload.read(LOGO_MAX_BYTES + 1))
        except AppError as error:
            logo_form.add_error("logo", str(error.message))
        else:
            messages.success(request, _("The logo is saved."))
            return redirect("print_settings:index")
    return _settings_page(request, logo_form=logo_form, status=400)


@settings_access
@require_POST
def logo_remove(request):
    services.shop_logo_remove()
    messages.success(request, _("The logo is removed."))
    return redirect("print_settings:index")


@require_GET
@merchant_access()
def logo_image(request):
    profile = selectors.shop_profile_get()
    if not profile.logo:
        raise Http404
    response = HttpResponse(bytes(profile.logo), content_type=profile.logo_content_type)
    response["Cache-Control"] = "private, max-age=0"
    return response


@settings_access
@require_GET
def sample_pdf(request):
    """A made-up document with the shop's header: to see the logo and details as they print."""
    columns = [
        PrintColumn(pgettext("print column", "#"), 0.5, "center"),
        PrintColumn(pgettext("print column", "Item"), 4),
        PrintColumn(pgettext("print column", "Quantity"), 1.2, "right"),
        PrintColumn(pgettext("print column", "Unit price"), 1.3, "right"),
        PrintColumn(pgettext("print column", "Amount"), 1.5, "right"),
    ]
    document = PrintDocument(
        title=pgettext("print", "Sample document"),
        number="SAMPLE",
        date=today_in(request.tenant.timezone),
        party_label=pgettext("print", "Customer"),
        party_lines=[pgettext("print", "A customer")],
        columns=columns,
        rows=[
            ["1", pgettext("print", "An item"), "2", "50.00", "100.00"],
            ["2", pgettext("print", "Another item"), "1", "5.50", "5.50"],
        ],
        totals=[(pgettext("print", "Total"), "105.50")],
        amount=Decimal("105.50"),
        signatures=[pgettext("print", "Prepared by"), pgettext("print", "Approved by")],
    )
    return _pdf_response(document, pdf_render(document, shop=selectors.shop_header(tenant=request.tenant)))
