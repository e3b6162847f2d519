import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tenants.utils import schema_context

from jxc.api import services
from jxc.api.idempotency import IdempotencyMixin
from jxc.api.models import IdempotencyRecord, TenantAPIKey
from jxc.api.tasks import idempotency_records_purge, idempotency_records_purge_all
from tests.api.conftest import KEYS, key_count, login, revoke_url

BODY = {"name": "Sync", "scopes": ["read"]}


def post(client, body=BODY, key="k-1", **extra):
    return client.post(KEYS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def records(tenant):
    with schema_context(tenant.schema_name):
        return list(IdempotencyRecord.objects.order_by("created_at"))


def test_replay_returns_the_first_response_without_the_secret(owner_client_a, tenant_a):
    first = post(owner_client_a)
    replay = post(owner_client_a)

    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == {**first.json(), "key": None}
    assert first.json()["key"]
    assert key_count(tenant_a) == 1
    [record] = records(tenant_a)
    assert (record.status, record.response_status, record.method, record.path) == (
        "completed",
        201,
        "POST",
        "/api/v1/api-keys",
    )
    assert record.response_body["key"] is None  # the secret is never stored


def test_same_key_different_body_is_409(owner_client_a, tenant_a):
    post(owner_client_a)

    response = post(owner_client_a, body={"name": "Other", "scopes": ["read"]}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json() == {
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key was already used for a different request.",
        "field": "Idempotency-Key",
    }
    assert key_count(tenant_a) == 1


def test_same_key_on_another_path_is_409(owner_client_a, tenant_a):
    created = post(owner_client_a).json()

    response = owner_client_a.post(revoke_url(created["prefix"]), HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.json()["code"] == "idempotency_key_reused"
    with schema_context(tenant_a.schema_name):
        assert TenantAPIKey.objects.get(prefix=created["prefix"]).revoked is False


def test_keys_are_per_principal(owner_client_a, tenant_a):
    other_owner = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, _make_owner(tenant_a, "owner2@alpha.test"))

    assert post(owner_client_a).status_code == 201
    second = post(other_owner)

    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert key_count(tenant_a) == 2


def _make_owner(tenant, email):
    from tests.api.conftest import make_user

    return make_user(tenant, email, "owner")


def test_without_header_nothing_is_stored(owner_client_a, tenant_a):
    owner_client_a.post(KEYS, BODY, content_type="application/json")
    owner_client_a.post(KEYS, BODY, content_type="application/json")

    assert key_count(tenant_a) == 2
    assert records(tenant_a) == []


def test_client_errors_are_stored_and_replayed(owner_client_a, tenant_a):
    first = post(owner_client_a, body={"scopes": ["read"]})
    replay = post(owner_client_a, body={"scopes": ["read"]})

    assert first.status_code == replay.status_code == 400
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()


def test_server_errors_are_not_stored(owner_client_a, tenant_a, monkeypatch):
    def crash(**_kwargs):
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(services, "api_key_create", crash)
        failed = post(owner_client_a)
    assert failed.status_code == 500
    assert records(tenant_a) == []

    retried = post(owner_client_a)

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert key_count(tenant_a) == 1


def test_too_long_key_is_refused(owner_client_a, tenant_a):
    response = post(owner_client_a, key="x" * 256)

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert key_count(tenant_a) == 0


def test_expired_record_is_replaced_on_read(owner_client_a, tenant_a):
    first = post(owner_client_a).json()
    with schema_context(tenant_a.schema_name):
        IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = post(owner_client_a)

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["prefix"] != first["prefix"]
    assert key_count(tenant_a) == 2
    assert len(records(tenant_a)) == 1


def test_request_abandoned_in_progress_is_taken_over(owner_client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        IdempotencyRecord.objects.create(
            principal=f"user:{_owner_pk(tenant_a)}",
            key="k-1",
            method="POST",
            path="/api/v1/api-keys",
            request_hash="whatever",
            created_at=timezone.now() - timedelta(minutes=6),
        )

    response = post(owner_client_a)

    assert response.status_code == 201
    assert key_count(tenant_a) == 1
    [record] = records(tenant_a)
    assert (record.status, record.response_status) == ("completed", 201)


def test_recent_in_progress_is_not_taken_over(owner_client_a, tenant_a):
    first = post(owner_client_a)
    with schema_context(tenant_a.schema_name):
        IdempotencyRecord.objects.update(status="in_progress", created_at=timezone.now() - timedelta(minutes=4))

    response = post(owner_client_a)

    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert key_count(tenant_a) == 1


def _owner_pk(tenant):
    from django.contrib.auth.models import User

    with schema_context(tenant.schema_name):
        return User.objects.get(email="owner@alpha.test").pk


def test_purge_task_deletes_only_expired_records_of_its_tenant(tenant_a, tenant_b):
    now = timezone.now()
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            IdempotencyRecord.objects.create(
                principal="user:1",
                key="old",
                method="POST",
                path="/x",
                request_hash="h",
                created_at=now - timedelta(hours=25),
            )
            IdempotencyRecord.objects.create(
                principal="user:1", key="new", method="POST", path="/x", request_hash="h", created_at=now
            )

    with schema_context(tenant_a.schema_name):
        deleted = idempotency_records_purge.delay().get()

    assert deleted == 1
    assert [r.key for r in records(tenant_a)] == ["new"]
    assert sorted(r.key for r in records(tenant_b)) == ["new", "old"]

    queued = idempotency_records_purge_all.delay().get()

    assert queued >= 2
    assert [r.key for r in records(tenant_b)] == ["new"]


def test_purge_task_refuses_to_run_on_public(db):
    from jxc.celery import MissingTenantContext

    connection.set_schema_to_public()
    with pytest.raises(MissingTenantContext):
        idempotency_records_purge.delay()


def _api_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver("jxc.urls_tenant")
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_api_view_that_accepts_post_is_idempotent():
    checked = []
    for route, callback in _api_views():
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if not route.startswith("api/") or view_class is None:
            continue
        accepts_post = hasattr(view_class, "post") or "post" in (getattr(callback, "actions", None) or {})
        if accepts_post and "schema" not in route:
            assert issubclass(view_class, IdempotencyMixin), route
            checked.append(route)

    assert "api/v1/api-keys" in checked
    assert "api/v1/api-keys/<str:prefix>/revoke" in checked


@pytest.mark.usefixtures("committed_db")
def test_concurrent_duplicate_gets_409_in_progress(monkeypatch):
    """Two real connections: the second request arrives while the first is inside the service."""
    from django.contrib.auth.models import User

    from tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        owner = User.objects.get(email="owner@alpha.test")
        before = set(TenantAPIKey.objects.values_list("prefix", flat=True))
    entered, release = threading.Event(), threading.Event()
    real_create = services.api_key_create

    def slow_create(**kwargs):
        entered.set()
        assert release.wait(10)
        return real_create(**kwargs)

    monkeypatch.setattr(services, "api_key_create", slow_create)
    first_client = login(Client(HTTP_HOST="alpha.localhost"), tenant, owner)
    second_client = login(Client(HTTP_HOST="alpha.localhost"), tenant, owner)
    results = {}
    idem_key = f"concurrent-{timezone.now().timestamp()}"

    def first():
        try:
            results["first"] = post(first_client, key=idem_key)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert entered.wait(10)
        results["second"] = post(second_client, key=idem_key, HTTP_ACCEPT_LANGUAGE="en")
    finally:
        release.set()
        thread.join(15)
    third = post(second_client, key=idem_key)

    try:
        assert results["first"].status_code == 201
        assert results["second"].status_code == 409
        assert results["second"].json()["code"] == "idempotency_in_progress"
        assert third.status_code == 201
        assert third["Idempotent-Replayed"] == "true"
        with schema_context(tenant.schema_name):
            created = set(TenantAPIKey.objects.values_list("prefix", flat=True)) - before
            assert created == {results["first"].json()["prefix"]}
    finally:
        with schema_context(tenant.schema_name):
            TenantAPIKey.objects.exclude(prefix__in=before).delete()
            IdempotencyRecord.objects.filter(key=idem_key).delete()


def test_purge_is_scheduled_daily():
    from jxc.celery import app

    entry = app.conf.beat_schedule["api-idempotency-records-purge-all"]

    assert entry["task"] == idempotency_records_purge_all.name
    assert entry["task"] in app.tasks
