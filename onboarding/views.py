"""Public site: landing page, terms, and self-serve signup. Served on the public host only."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from jxc.kernel.errors import AppError
from modules.identity.login_tokens import login_token_url
from onboarding.forms import SignupForm
from onboarding.selectors import slug_availability, slug_normalise, slug_suggest_available
from onboarding.services import signup_complete
from tenants.slugs import SLUG_MAX

# Per client IP. Overridable in settings (tests, a busy office behind one NAT).
SIGNUP_RATE = getattr(settings, "SIGNUP_RATE_LIMIT", "10/h")
SLUG_CHECK_RATE = getattr(settings, "SLUG_CHECK_RATE_LIMIT", "120/m")


def _signup_rate(group, request) -> str:
    return getattr(settings, "SIGNUP_RATE_LIMIT", SIGNUP_RATE)


def _slug_check_rate(group, request) -> str:
    return getattr(settings, "SLUG_CHECK_RATE_LIMIT", SLUG_CHECK_RATE)


def _rate_limited(request, *, group: str, rate) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _too_many(request, *, fragment: bool = False):
    template = "onboarding/_rate_limited.html" if fragment else "onboarding/rate_limited.html"
    return render(request, template, status=429)


@require_GET
def landing(request):
    return render(request, "onboarding/landing.html")


@require_GET
def terms(request):
    return render(request, "onboarding/terms.html")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        return render(request, "onboarding/signup.html", {"form": SignupForm()})
    if _rate_limited(request, group="onboarding.signup", rate=_signup_rate):
        return _too_many(request)
    form = SignupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = signup_complete(
                company_name=data["company_name"],
                slug=data["slug"],
                email=data["email"],
                password=data["password"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except AppError as error:
            # A concurrent signup took the address after the form checked it.
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect(login_token_url(tenant=result.tenant, user_id=result.owner_id, next_path="/"))
    return render(request, "onboarding/signup.html", {"form": form}, status=400)


@require_GET
def slug_check(request):
    """htmx: a small fragment saying whether the typed address is available, and why not."""
    if _rate_limited(request, group="onboarding.slug_check", rate=_slug_check_rate):
        return _too_many(request, fragment=True)
    slug = slug_normalise(request.GET.get("slug", ""))[: SLUG_MAX + 1]
    if not slug:
        return render(request, "onboarding/_slug_status.html", {"availability": None})
    return render(request, "onboarding/_slug_status.html", {"availability": slug_availability(slug=slug)})


@require_GET
def slug_suggest(request):
    """htmx: the shop address field, filled with a free address derived from the company name.

    The visitor's own address is kept: only an empty field, or one still holding our previous
    suggestion, is replaced."""
    if _rate_limited(request, group="onboarding.slug_check", rate=_slug_check_rate):
        return _too_many(request, fragment=True)
    name = request.GET.get("company_name", "").strip()[:200]
    current = slug_normalise(request.GET.get("slug", ""))[: SLUG_MAX + 1]
    previous = slug_normalise(request.GET.get("slug_suggested", ""))
    slug, suggested = current, previous
    if name and (not current or current == previous):
        slug = suggested = slug_suggest_available(name=name)
    availability = slug_availability(slug=slug) if slug else None
    return render(
        request,
        "onboarding/_slug_field.html",
        {"slug": slug, "slug_suggested": suggested, "availability": availability, "errors": None},
    )
