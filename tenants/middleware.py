"""Resolve the tenant from the host name only, and keep blocked tenants out."""

from datetime import timedelta

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.addresses import public_url
from tenants.enums import BLOCKED_STATUSES, READ_ONLY_STATUSES
from tenants.models import Tenant

ACTIVITY_WRITE_INTERVAL = timedelta(minutes=5)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


class TenantMiddleware(TenantMainMiddleware):
    """django-tenants' host lookup, with a friendly page for an unknown shop address."""

    def no_tenant_found(self, request, hostname):
        translation.activate(translation.get_language_from_request(request))
        if _wants_json(request):
            return JsonResponse({"code": "tenant_not_found", "message": _("No shop has this address.")}, status=404)
        return render(
            request,
            "tenants/unknown_tenant.html",
            {"hostname": hostname, "signup_url": public_url("/signup/")},
            status=404,
        )


class TenantStatusMiddleware:
    """Suspended shops see a page saying so (403 from the API); read-only shops cannot write."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
    # Probes must answer for every host, and the language switch lets a visitor read the page.
    ALWAYS_ALLOWED = ("/healthz", "/readyz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant: Tenant | None = getattr(request, "tenant", None)
        if tenant is None or tenant.is_public or request.path.startswith(self.ALWAYS_ALLOWED):
            return self.get_response(request)
        if tenant.status in BLOCKED_STATUSES:
            message = _("This shop is suspended. Please contact support.")
            if _wants_json(request):
                return JsonResponse({"code": "tenant_suspended", "message": message}, status=403)
            return render(request, "tenants/suspended.html", {"tenant": tenant}, status=403)
        read_only = tenant.status in READ_ONLY_STATUSES and request.method not in self.SAFE_METHODS
        if read_only and not request.path.startswith(("/accounts/logout", "/accounts/login")):
            message = _("This shop is read-only until its subscription is settled.")
            if _wants_json(request):
                return JsonResponse({"code": "tenant_read_only", "message": message}, status=403)
            return render(request, "tenants/read_only.html", {"tenant": tenant}, status=403)
        self._touch(tenant)
        return self.get_response(request)

    @staticmethod
    def _touch(tenant: Tenant) -> None:
        # The cache key goes through django-tenants' key function, so it is per schema.
        if cache.add("tenant-activity-touch", 1, timeout=int(ACTIVITY_WRITE_INTERVAL.total_seconds())):
            Tenant.objects.filter(pk=tenant.pk).update(last_activity_at=timezone.now())
