"""Request ids, tenant-aware log records, Sentry, health and readiness probes."""

import contextvars
import logging
import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
user_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.tenant = tenant_var.get()
        record.user_id = user_var.get()
        return True


class RequestIdMiddleware:
    """Takes the load balancer's X-Request-ID (or makes one) and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        request.request_id = request_id
        tokens = [request_id_var.set(request_id), tenant_var.set("-"), user_var.set("-")]
        try:
            response = self.get_response(request)
        finally:
            for var, token in zip((request_id_var, tenant_var, user_var), tokens, strict=True):
                var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestContextMiddleware:
    """After tenant and user are known: tag logs and Sentry events with them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        schema = getattr(tenant, "schema_name", "public")
        tenant_var.set(schema)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_var.set(str(user.pk))
        if settings.SENTRY_DSN:
            import sentry_sdk

            scope = sentry_sdk.get_isolation_scope()
            scope.set_tag("tenant", schema)
            scope.set_tag("request_id", getattr(request, "request_id", "-"))
            if user is not None and user.is_authenticated:
                scope.set_user({"id": f"{schema}:{user.pk}"})
        return self.get_response(request)


def init_sentry(dsn: str, *, environment: str) -> bool:
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
    return True


def healthz(request):
    """The process is alive; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready to take traffic: the database and (when configured) Redis answer."""
    checks: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
            ok = False
    else:
        checks["redis"] = "not configured (in-process Celery)"
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


def metrics(request):
    """Prometheus metrics, for the scraper only: a bearer token or an allowed address."""
    from django.utils.crypto import constant_time_compare
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    token = settings.METRICS_TOKEN
    auth = request.headers.get("Authorization", "")
    allowed = bool(token) and constant_time_compare(auth, f"Bearer {token}")
    if not allowed and not token:
        allowed = request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS and not request.headers.get(
            "X-Forwarded-For"
        )
    if not allowed:
        return HttpResponseForbidden("metrics are not public")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
