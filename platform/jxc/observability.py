"""Request ids, tenant-aware log records, Sentry, health and readiness probes, metrics.

Every log line (JSON, see settings.LOGGING) carries the tenant schema, the
request id (or the Celery task id) and the user id, read from context
variables set here for a request and in jxc.celery for a task.
"""

import contextvars
import ipaddress
import logging
import threading
import time
import uuid

import sentry_sdk
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound, JsonResponse
from django.utils.functional import empty

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("jxc.access")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
user_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

_CONTEXT_VARS = (request_id_var, tenant_var, user_var)
MAX_REQUEST_ID_LENGTH = 64
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class RequestContextFilter(logging.Filter):
    """Puts tenant, request id and user id on every record (never fails, never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        # Not the connection's schema as a fallback: between requests it still names the last
        # request's tenant, and a wrong tenant in a log line is worse than none.
        record.tenant = tenant_var.get()
        record.user_id = user_var.get()
        return True


def _clean_request_id(incoming: str) -> str:
    # The id is echoed into a header and every log line: keep it short and printable.
    if 0 < len(incoming) <= MAX_REQUEST_ID_LENGTH and incoming.isprintable() and incoming.isascii():
        return incoming
    return uuid.uuid4().hex


def _user_id(request) -> str | None:
    # Only a user that was already loaded: a log line must not cost a session query.
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)  # request.user is a SimpleLazyObject until used
    if wrapped is None or wrapped is empty:
        return None
    return str(wrapped.pk) if wrapped.is_authenticated else None


class RequestIdMiddleware:
    """Takes the load balancer's X-Request-ID (or makes one), echoes it back, writes the access log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = _clean_request_id(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id
        tokens = [request_id_var.set(request_id), tenant_var.set("-"), user_var.set("-")]
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user_id = _user_id(request)  # after the view: a login in this request counts
            if user_id:
                user_var.set(user_id)
            if request.path not in PROBE_PATHS:  # probes every few seconds would drown the log
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            for var, token in zip(_CONTEXT_VARS, tokens, strict=True):
                var.reset(token)


class RequestContextMiddleware:
    """After tenant and user are known: tag logs and Sentry events with them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        schema = getattr(tenant, "schema_name", "public")
        tenant_var.set(schema)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated:
            user_var.set(str(user.pk))
        # A scope of our own: the test client and ASGI do not fork one per request, and
        # a tag left on a shared scope would label the next tenant's errors.
        with sentry_sdk.isolation_scope() as scope:
            scope.set_tag("tenant", schema)
            scope.set_tag("request_id", getattr(request, "request_id", "-"))
            if authenticated:
                # User ids repeat across schemas: the schema makes them unique.
                scope.set_user({"id": f"{schema}:{user.pk}"})
            return self.get_response(request)


# --- Celery tasks (called from jxc.celery's prerun/postrun signals) ---------

_task_tokens = threading.local()


def task_context_enter(*, task_id: str, schema: str, eager: bool) -> None:
    stack = getattr(_task_tokens, "stack", None)
    if stack is None:
        stack = _task_tokens.stack = []
    stack.append([request_id_var.set(task_id), tenant_var.set(schema), user_var.set("-")])
    if not eager:
        # A worker runs each task in its own Sentry scope; an eager task shares the request's,
        # whose tenant tag must stay the request's.
        sentry_sdk.set_tag("tenant", schema)


def task_context_exit() -> None:
    stack = getattr(_task_tokens, "stack", None)
    if not stack:
        return
    for var, token in zip(_CONTEXT_VARS, stack.pop(), strict=True):
        var.reset(token)


# --- Sentry ------------------------------------------------------------------


def init_sentry(dsn: str, *, environment: str, release: str = "", traces_sample_rate: float = 0.0, **options) -> bool:
    """Starts Sentry when a DSN is configured; a bad DSN is logged, never a reason not to start.

    `options` go to sentry_sdk.init as they are (tests pass a capturing `transport`).
    """
    if not dsn:
        return False
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            release=release or None,
            # No personal data by default (the SDK's default, not repeated: the option is deprecated);
            # the user is set explicitly in RequestContextMiddleware, as an id only.
            integrations=[DjangoIntegration(), CeleryIntegration()],
            traces_sample_rate=traces_sample_rate,
            **options,
        )
    except Exception as exc:  # noqa: BLE001 - sentry_sdk raises BadDsn and friends
        logger.error("Sentry is not started: %s", exc)
        return False
    # Requests for unknown hosts are scanners, not bugs.
    ignore_logger("django.security.DisallowedHost")
    return True


# --- Probes and metrics ------------------------------------------------------


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics before the tenant is looked up.

    Load balancers and scrapers call by IP address and must get an answer even
    when the database is down or a shop is suspended. /metrics is never served on
    a shop's host: only on the public host or an address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == "/healthz":
            return healthz(request)
        if path == "/readyz":
            return readyz(request)
        if path == "/metrics":
            if not _is_internal_host(request):
                return HttpResponseNotFound("not found", content_type="text/plain")
            return metrics(request)
        return self.get_response(request)


def _raw_host(request) -> str:
    # Not request.get_host(): that refuses addresses missing from ALLOWED_HOSTS, which is how probes call.
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_internal_host(request) -> bool:
    host = _raw_host(request).lower()
    return host == settings.BASE_DOMAIN.lower() or _is_ip(host)


def healthz(request):
    """The process is alive; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_redis() -> str:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def readyz(request):
    """Ready to take traffic: the database and (when configured) Redis answer."""
    checks: dict[str, str] = {}
    ok = True
    try:
        checks["database"] = _check_database()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        logger.warning("readiness: database check failed: %r", exc)
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.REDIS_URL:
        try:
            checks["redis"] = _check_redis()
        except Exception as exc:  # noqa: BLE001
            logger.warning("readiness: redis check failed: %r", exc)
            checks["redis"] = f"error: {exc.__class__.__name__}"
            ok = False
    else:
        checks["redis"] = "not configured (in-process Celery)"
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics_allowed(request) -> bool:
    """A bearer token when METRICS_TOKEN is set; otherwise a direct call from an allowed address.

    With a token configured the address is not trusted at all: behind a proxy on
    the same machine every request seems to come from 127.0.0.1. Without one, a
    forwarded request (the load balancer's headers) is from outside, whatever its address.
    """
    from django.utils.crypto import constant_time_compare

    token = settings.METRICS_TOKEN
    if token:
        return constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}")
    forwarded = any(request.headers.get(h) for h in ("X-Forwarded-For", "X-Real-IP", "Forwarded"))
    return not forwarded and _address_allowed(request.META.get("REMOTE_ADDR", ""))


def metrics(request):
    """Prometheus metrics, for the scraper only."""
    import os

    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    if not metrics_allowed(request):
        return HttpResponseForbidden("metrics are not public", content_type="text/plain")
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn with several workers: add up every worker's samples, not just this one's.
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


# --- Log format ----------------------------------------------------------------

try:
    from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter
except ImportError:  # python-json-logger < 3
    from pythonjsonlogger.jsonlogger import JsonFormatter as _BaseJsonFormatter


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line: level, logger, message, tenant, request id, user id, then extras.

    Django attaches the request (and runserver a socket) to some records; they are
    dropped rather than dumped as reprs. Extras a caller passes are kept.
    """

    DROPPED = frozenset({"request", "server_time", "color_message"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s %(tenant)s %(request_id)s %(user_id)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for key in self.DROPPED & log_record.keys():
            del log_record[key]
        for key in ("tenant", "request_id", "user_id"):
            if log_record.get(key) is None:  # a handler without RequestContextFilter
                log_record[key] = "-"
