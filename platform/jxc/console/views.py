"""Thin views of the support console: every page needs vendor staff; actions are POST only."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from jxc.console import selectors, services
from jxc.console.forms import (
    AuditFilterForm,
    ConsoleLoginForm,
    DeleteForm,
    ExtendTrialForm,
    ReactivateForm,
    SuspendForm,
    TenantFilterForm,
)
from jxc.kernel.errors import AppError
from jxc.kernel.net import client_ip
from tenants.enums import BLOCKED_STATUSES, TenantStatus

# The states tenants.services.tenant_reactivate accepts.
REACTIVATABLE_STATUSES = frozenset({TenantStatus.SUSPENDED, TenantStatus.READ_ONLY, TenantStatus.PAST_DUE})

STAFF_SESSION_AGE = 8 * 3600  # a working day; staff sessions should not linger for weeks


def staff_required(view):
    """Anyone but an active staff user of the public schema goes to the console login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not selectors.console_staff_is(request):
            return redirect(f"{reverse('console:login')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _client_ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("console:tenant_list")
    if request.method == "GET" and selectors.console_staff_is(request):
        return redirect(next_url)
    form = ConsoleLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Authenticated against the public schema's users only: the public host's connection is on it.
        user = authenticate(
            request, username=form.cleaned_data["email"].strip().lower(), password=form.cleaned_data["password"]
        )
        if user is not None and user.is_active and user.is_staff:
            login(request, user)
            request.session.set_expiry(STAFF_SESSION_AGE)
            return redirect(next_url)
        if getattr(request, "axes_locked_out", False):
            # django-axes locked this address out. Its lockout page is the shop's (it links to shop-only
            # routes), so the console answers itself and tells AxesMiddleware not to replace the response.
            request.axes_locked_out = False
            form.add_error(None, _("Too many failed logins: this account is locked for a while. Try again later."))
            return render(request, "console/login.html", {"form": form, "next": next_url}, status=429)
        # One message for every failure, so the form does not reveal which accounts exist.
        form.add_error(None, _("Wrong email or password, or this account is not vendor staff."))
    status = 400 if request.method == "POST" else 200
    return render(request, "console/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")


@staff_required
@require_http_methods(["GET"])
def tenant_list(request: HttpRequest) -> HttpResponse:
    filters = TenantFilterForm(request.GET or None)
    tenants = selectors.console_tenant_search(**filters.search_kwargs())
    page, rows = selectors.console_tenant_page(tenants=tenants, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()}
    # A history restore (back button after a cache miss) needs the whole page, not the fragment.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "console/_tenant_table.html" if partial else "console/tenant_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _detail_context(request: HttpRequest, slug: str, **forms) -> dict:
    row = selectors.console_tenant_detail(slug=slug)
    if row is None:
        raise Http404
    suspend_form = forms.get("suspend_form") or SuspendForm(prefix="suspend")
    reactivate_form = forms.get("reactivate_form") or ReactivateForm(prefix="reactivate")
    status = row.tenant.status
    return {
        "row": row,
        "tenant": row.tenant,
        # A refused form stays on the page with its error even when the action no longer applies.
        "show_suspend": status not in BLOCKED_STATUSES or suspend_form.is_bound,
        "show_reactivate": status in REACTIVATABLE_STATUSES or reactivate_form.is_bound,
        "suspend_form": suspend_form,
        "reactivate_form": reactivate_form,
        "extend_form": forms.get("extend_form") or ExtendTrialForm(prefix="extend"),
        "delete_form": forms.get("delete_form") or DeleteForm(prefix="delete"),
        "audit_entries": selectors.console_audit_list(tenant_slug=slug)[:20],
    }


@staff_required
@require_http_methods(["GET"])
def tenant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "console/tenant_detail.html", _detail_context(request, slug))


def _run_action(request, slug, *, form, form_key, action, success_message, success_url=None):
    """Validate the form, call the service, and show the form's errors on the detail page if it refuses."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except AppError as error:
            if error.field and error.field in form.fields:
                form.add_error(error.field, str(error.message))
            elif error.status_code == 404:
                raise Http404 from error
            else:
                form.add_error(None, str(error.message))
        else:
            messages.success(request, success_message)
            return redirect(success_url or reverse("console:tenant_detail", args=[slug]))
    return render(request, "console/tenant_detail.html", _detail_context(request, slug, **{form_key: form}), status=400)


@staff_required
@require_POST
@csrf_protect
def tenant_suspend(request: HttpRequest, slug: str) -> HttpResponse:
    return _run_action(
        request,
        slug,
        form=SuspendForm(request.POST, prefix="suspend"),
        form_key="suspend_form",
        action=lambda data: services.console_tenant_suspend(
            actor=request.user, slug=slug, reason=data["reason"], ip=_client_ip(request)
        ),
        success_message=_("The shop %(slug)s is suspended.") % {"slug": slug},
    )


@staff_required
@require_POST
@csrf_protect
def tenant_reactivate(request: HttpRequest, slug: str) -> HttpResponse:
    return _run_action(
        request,
        slug,
        form=ReactivateForm(request.POST, prefix="reactivate"),
        form_key="reactivate_form",
        action=lambda data: services.console_tenant_reactivate(
            actor=request.user, slug=slug, reason=data["reason"], ip=_client_ip(request)
        ),
        success_message=_("The shop %(slug)s is reactivated.") % {"slug": slug},
    )


@staff_required
@require_POST
@csrf_protect
def tenant_extend_trial(request: HttpRequest, slug: str) -> HttpResponse:
    return _run_action(
        request,
        slug,
        form=ExtendTrialForm(request.POST, prefix="extend"),
        form_key="extend_form",
        action=lambda data: services.console_tenant_extend_trial(
            actor=request.user, slug=slug, days=data["days"], reason=data["reason"], ip=_client_ip(request)
        ),
        success_message=_("The trial of %(slug)s is extended.") % {"slug": slug},
    )


@staff_required
@require_POST
@csrf_protect
def tenant_delete(request: HttpRequest, slug: str) -> HttpResponse:
    return _run_action(
        request,
        slug,
        form=DeleteForm(request.POST, prefix="delete"),
        form_key="delete_form",
        action=lambda data: services.console_tenant_delete(
            actor=request.user,
            slug=slug,
            confirmation=data["confirmation"],
            reason=data["reason"],
            ip=_client_ip(request),
        ),
        success_message=_("The shop %(slug)s and all its data are deleted.") % {"slug": slug},
        success_url=reverse("console:tenant_list"),
    )


@staff_required
@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    filters = AuditFilterForm(request.GET or None)
    tenant_slug = filters.cleaned_data.get("tenant", "") if filters.is_valid() else ""
    page = Paginator(selectors.console_audit_list(tenant_slug=tenant_slug), selectors.AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/audit_list.html", {"filters": filters, "page": page, "query": query.urlencode()})
