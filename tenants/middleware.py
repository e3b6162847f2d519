"""Resolve the tenant from the host name only, and keep blocked tenants out."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
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


def _tenant_for_domain(domain_model, hostname: str) -> Tenant:
    # Schema-qualified, on the driver's cursor: the lookup needs no `SET search_path` of its own,
    # so a request issues one (DESIGN: at most one per request), for the tenant it resolved.
    fields = Tenant._meta.concrete_fields
    columns = ", ".join(f't."{field.column}"' for field in fields)
    tenant_fk = domain_model._meta.get_field("tenant").column
    domain_column = domain_model._meta.get_field("domain").column
    sql = (
        f'SELECT {columns} FROM "public"."{Tenant._meta.db_table}" t '
        f'JOIN "public"."{domain_model._meta.db_table}" d ON d."{tenant_fk}" = t."{Tenant._meta.pk.column}" '
        f'WHERE d."{domain_column}" = %s'
    )
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        cursor.execute(sql, [hostname])
        row = cursor.fetchone()
    if row is None:
        raise domain_model.DoesNotExist(f"no domain {hostname!r}")
    return Tenant.from_db(connection.alias, [field.attname for field in fields], row)


class TenantMiddleware(TenantMainMiddleware):
    """django-tenants' host lookup, with a friendly page for an unknown shop address."""

    def get_tenant(self, domain_model, hostname):
        return _tenant_for_domain(domain_model, hostname)

    def no_tenant_found(self, request, hostname):
        # LocaleMiddleware has not run yet; override (not activate) so the language does not leak
        # into the next request this thread serves.
        with translation.override(translation.get_language_from_request(request)):
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
