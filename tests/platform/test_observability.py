"""Probes, metrics, request ids, JSON log lines and Sentry events carry tenant and user."""

import json
import logging
from unittest import mock

import pytest
import sentry_sdk
from django.conf import settings
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, override_settings
from django_tenants.utils import schema_context
from sentry_sdk.transport import Transport

from jxc import observability
from jxc.celery import public_task

OBSERVED_URLS = "tests.platform.urls_observed"


def _login(client: Client, user, tenant) -> None:
    with schema_context(tenant.schema_name):  # the session lives in the tenant's schema
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


# --- /healthz and /readyz ------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost", "alpha.localhost", "nosuch.localhost", "10.0.0.7", "127.0.0.1:8000", "[::1]:8000"]
)
def test_healthz_answers_on_every_host(tenant_a, host):
    # Load balancers call by address; an unknown shop or a host outside ALLOWED_HOSTS still answers.
    response = Client(HTTP_HOST=host).get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_for_a_suspended_shop(tenant_a, client_a):
    tenant_a.status = "suspended"
    tenant_a.save(update_fields=["status"])

    assert client_a.get("/healthz").status_code == 200
    assert client_a.get("/").status_code == 403


@override_settings(REDIS_URL="")
def test_readyz_reports_the_database(public_client, client_a):
    for client in (public_client, client_a):
        response = client.get("/readyz")

        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "not configured (in-process Celery)"},
        }


@override_settings(REDIS_URL="")
def test_readyz_is_503_when_the_database_fails(public_client):
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        response = public_client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "error: OperationalError"


@override_settings(REDIS_URL="")
def test_probes_on_a_shop_host_when_the_database_is_down(client_a):
    # The tenant lookup needs the database: the probes answer before it, so no 500s.
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused")):
        ready = client_a.get("/readyz")
        alive = client_a.get("/healthz")

    assert ready.status_code == 503
    assert alive.status_code == 200


@pytest.mark.redis
def test_readyz_reports_redis_when_configured(public_client, redis_url):
    with override_settings(REDIS_URL=redis_url):
        assert public_client.get("/readyz").json()["checks"]["redis"] == "ok"
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):  # nothing listens on port 1
        response = public_client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "error: ConnectionError"}


# --- /metrics ------------------------------------------------------------------


@override_settings(METRICS_TOKEN="")
def test_metrics_served_to_loopback_on_the_public_host(public_client):
    response = public_client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "django_http_requests_total_by_method_total" in response.content.decode()


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=["127.0.0.1", "::1", "10.0.0.0/8"])
def test_metrics_served_to_a_scraper_calling_by_address(db):
    scraper = Client(HTTP_HOST="10.1.2.3:8000", REMOTE_ADDR="10.9.8.7")

    assert scraper.get("/metrics").status_code == 200
    assert Client(HTTP_HOST="[::1]:8000", REMOTE_ADDR="::1").get("/metrics").status_code == 200
    assert Client(HTTP_HOST="10.1.2.3", REMOTE_ADDR="192.168.1.5").get("/metrics").status_code == 403


@override_settings(METRICS_TOKEN="")
@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # through the load balancer: from outside
        {"HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9"},
    ],
)
def test_metrics_refused_from_outside(public_client, extra):
    response = public_client.get("/metrics", **extra)

    assert response.status_code == 403
    assert b"django_http" not in response.content


@override_settings(METRICS_TOKEN="scrape-me-0123456789")
def test_metrics_with_a_token_need_the_token(db):
    outside = Client(HTTP_HOST=settings.BASE_DOMAIN, REMOTE_ADDR="203.0.113.9")

    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me-0123456789").status_code == 200
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outside.get("/metrics").status_code == 403
    # With a token configured the address proves nothing (a local proxy makes everything loopback).
    assert Client(HTTP_HOST=settings.BASE_DOMAIN).get("/metrics").status_code == 403


@override_settings(METRICS_TOKEN="scrape-me-0123456789")
def test_metrics_not_served_on_a_shop_host(client_a, client_b):
    for client in (client_a, client_b):
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me-0123456789")

        assert response.status_code == 404
        assert b"django_http" not in response.content


# --- request ids and JSON log lines ----------------------------------------------


def test_request_id_echoed_when_given(client_a):
    response = client_a.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a-0001")

    assert response["X-Request-ID"] == "lb-7f3a-0001"


@pytest.mark.parametrize("incoming", [None, "x" * 65, "bad\nid", "中文"])
def test_request_id_generated_when_missing_or_unusable(client_a, incoming):
    extra = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}

    first = client_a.get("/healthz", **extra)["X-Request-ID"]
    second = client_a.get("/healthz", **extra)["X-Request-ID"]

    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


@pytest.fixture
def json_lines():
    """The configured JSON formatter and context filter, on a handler the test can read."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(observability.RequestContextFilter())
    handler.setFormatter(observability.JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("tests.platform.views", "jxc.access")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in lines]
    for log, level in zip(loggers, levels, strict=True):
        log.removeHandler(handler)
        log.setLevel(level)


@override_settings(ROOT_URLCONF=OBSERVED_URLS)
def test_log_lines_in_a_request_carry_tenant_request_id_and_user(client_a, tenant_a, owner_a, json_lines):
    _login(client_a, owner_a, tenant_a)

    response = client_a.get("/_test/log/", HTTP_X_REQUEST_ID="req-alpha-1")

    assert response.status_code == 200
    view_line, access_line = json_lines()
    assert view_line["message"] == "inside the view"
    assert view_line["level"] == "WARNING"
    assert view_line["logger"] == "tests.platform.views"
    for line in (view_line, access_line):
        assert (line["tenant"], line["request_id"], line["user_id"]) == (
            tenant_a.schema_name,
            "req-alpha-1",
            str(owner_a.pk),
        )
    assert access_line["message"] == "GET /_test/log/ 200"
    assert (access_line["method"], access_line["path"], access_line["status"]) == ("GET", "/_test/log/", 200)
    assert access_line["duration_ms"] >= 0


@override_settings(ROOT_URLCONF=OBSERVED_URLS)
def test_log_context_does_not_leak_into_the_next_request(client_a, client_b, tenant_a, tenant_b, owner_a, json_lines):
    _login(client_a, owner_a, tenant_a)
    client_a.get("/_test/log/")

    client_b.get("/_test/log/", HTTP_X_REQUEST_ID="req-beta-1")
    logging.getLogger("tests.platform.views").warning("after the requests")

    beta_view_line = json_lines()[2]
    assert (beta_view_line["tenant"], beta_view_line["request_id"], beta_view_line["user_id"]) == (
        tenant_b.schema_name,
        "req-beta-1",
        "-",
    )
    outside = json_lines()[-1]
    assert (outside["request_id"], outside["user_id"]) == ("-", "-")
    assert outside["tenant"] == "-"


def test_json_formatter_survives_records_without_context():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "plain %s", ("record",), None)
    record.request = object()  # Django attaches the request to some records

    line = json.loads(observability.JsonFormatter().format(record))

    assert (line["message"], line["level"], line["tenant"], line["request_id"], line["user_id"]) == (
        "plain record",
        "ERROR",
        "-",
        "-",
        "-",
    )
    assert "request" not in line


# --- Sentry ----------------------------------------------------------------------


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    assert observability.init_sentry("http://key@127.0.0.1:9/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # back to no DSN: an inactive client


def _exception_events(events: list[dict]) -> list[dict]:
    return [event for event in events if event.get("exception")]


@override_settings(ROOT_URLCONF=OBSERVED_URLS)
def test_sentry_event_tagged_with_tenant_and_user(client_a, client_b, tenant_a, tenant_b, owner_a, sentry_events):
    _login(client_a, owner_a, tenant_a)
    client_a.raise_request_exception = False
    client_b.raise_request_exception = False

    assert client_a.get("/_test/boom/", HTTP_X_REQUEST_ID="req-boom-a").status_code == 500
    assert client_b.get("/_test/boom/").status_code == 500
    sentry_sdk.flush()

    event_a, event_b = _exception_events(sentry_events)
    assert event_a["exception"]["values"][-1]["value"] == "boom for sentry"
    assert event_a["tags"]["tenant"] == tenant_a.schema_name
    assert event_a["tags"]["request_id"] == "req-boom-a"
    assert event_a["user"]["id"] == f"{tenant_a.schema_name}:{owner_a.pk}"
    assert "email" not in event_a["user"]
    # The next request, another shop, anonymous: nothing of alpha's left on the scope.
    assert event_b["tags"]["tenant"] == tenant_b.schema_name
    assert "id" not in event_b.get("user", {})


def test_sentry_not_started_without_a_dsn():
    assert observability.init_sentry("", environment="test") is False


def test_sentry_bad_dsn_is_logged_not_fatal(caplog):
    with caplog.at_level(logging.ERROR, logger="jxc.observability"):
        assert observability.init_sentry("not a dsn", environment="test") is False

    assert "Sentry is not started" in caplog.text


# --- Celery tasks: log context and Sentry scope --------------------------------------


@public_task(name="tests.platform.log_in_public_task")
def log_in_public_task() -> None:
    logging.getLogger("tests.platform.views").warning("in the task")
    sentry_sdk.capture_message("from the task")


def test_eager_task_logs_its_own_context_then_restores_the_requests(in_tenant_a, json_lines, sentry_events):
    request_token = observability.request_id_var.set("req-outer")
    tenant_token = observability.tenant_var.set(in_tenant_a.schema_name)
    try:
        with sentry_sdk.isolation_scope() as scope:
            scope.set_tag("tenant", in_tenant_a.schema_name)
            result = log_in_public_task.delay()
            logging.getLogger("tests.platform.views").warning("after the task")
            sentry_sdk.capture_message("after the task")
    finally:
        observability.request_id_var.reset(request_token)
        observability.tenant_var.reset(tenant_token)
    sentry_sdk.flush()

    in_task, after = json_lines()
    assert (in_task["tenant"], in_task["request_id"]) == ("public", result.id)
    assert (after["tenant"], after["request_id"]) == (in_tenant_a.schema_name, "req-outer")
    tags = {event["message"]: event["tags"]["tenant"] for event in sentry_events if event.get("message")}
    assert tags == {"from the task": in_tenant_a.schema_name, "after the task": in_tenant_a.schema_name}
