"""A real Redis broker and a real `celery worker` process: a task queued by a tenant reads only that tenant's data."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django_tenants.utils import schema_context

from jxc.celery import app as celery_app
from jxc.kernel.models import TenantUsage
from jxc.kernel.tasks import tenant_usage_record
from tenants.models import Tenant

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
TASK = "jxc.kernel.tasks.tenant_usage_record"


def _test_database_only():
    # Belt and braces: committed data must never land in a development database.
    name = connection.settings_dict["NAME"]
    if not name.startswith("test_"):
        pytest.fail(f"refusing to commit test data into {name!r}: the test database was not set up")


def _database_url() -> str:
    db = connection.settings_dict  # the pytest database, not the development one
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket directory (the embedded PostgreSQL)
        return f"postgres://{auth}{quote(host, safe='')}/{db['NAME']}"
    return f"postgres://{auth}{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _wait_for(predicate, *, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


@pytest.fixture
def worker(redis_url, tmp_path, django_db_setup, committed_db):
    """A worker process on a queue of its own (a shared Redis may serve other test runs)."""
    _test_database_only()
    queue = f"jxc-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,  # settings: Redis broker and cache, tasks not eager
        "DB_CONN_MAX_AGE": "0",  # no connection left behind to block dropping the test database
        "DJANGO_SETTINGS_MODULE": "jxc.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "LOG_LEVEL": "INFO",
        "SENTRY_DSN": "",
    }
    env.pop("TEST_DATABASE_NAME", None)
    command = [
        sys.executable, "-m", "celery", "-A", "jxc", "worker", "--pool", "solo", "--queues", queue,
        "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        # Publish only once the worker has declared its queue: an undeclared one drops the message.
        _wait_for(
            lambda: b" ready." in log.read_bytes() or process.poll() is not None, timeout=20, what="the worker", log=log
        )
        assert process.poll() is None, log.read_text()
        yield process, queue, log
    finally:
        process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_worker_runs_each_tenants_task_in_that_tenant_only(worker, redis_url, tenant_a_committed):
    process, queue, log = worker
    alpha, beta = tenant_a_committed
    marker = f"worker-{uuid.uuid4().hex[:8]}"
    with schema_context(alpha.schema_name):
        created = [
            User.objects.create_user(username=f"{marker}-{i}", email=f"{marker}-{i}@alpha.test") for i in range(3)
        ]
    try:
        with schema_context(alpha.schema_name):
            users_a = User.objects.filter(is_active=True).count()
        with schema_context(beta.schema_name):
            users_b = User.objects.filter(is_active=True).count()
            assert not User.objects.filter(username__startswith=marker).exists()
        assert users_a != users_b

        celery_app.conf.task_always_eager = False
        with celery_app.connection_for_write(redis_url) as broker:
            with schema_context(alpha.schema_name):
                sent_a = tenant_usage_record.apply_async(connection=broker, queue=queue)
            with schema_context(beta.schema_name):
                sent_b = tenant_usage_record.apply_async(connection=broker, queue=queue)
            # From public: the app's send_task stamps "public"; a bare Celery send_task no header at all.
            assert connection.schema_name == "public"
            public_header = celery_app.send_task(TASK, connection=broker, queue=queue)
            no_header = Celery.send_task(celery_app, TASK, connection=broker, queue=queue)

        def both_rows():
            rows = list(TenantUsage.objects.filter(tenant__in=[alpha, beta]).order_by("tenant__slug"))
            return rows if len(rows) == 2 else None

        rows = _wait_for(both_rows, timeout=15, what="both usage rows", log=log)
        refused = [public_header.id, no_header.id]
        _wait_for(
            lambda: all(
                f"{task_id}] raised unexpected: MissingTenantContext" in log.read_text() for task_id in refused
            ),
            timeout=15,
            what="the worker to refuse the headerless tasks",
            log=log,
        )

        assert [(row.tenant_id, row.users) for row in rows] == [(alpha.pk, users_a), (beta.pk, users_b)]
        assert TenantUsage.objects.count() == 2  # nothing recorded for public or for the refused messages
        # The worker's JSON log lines name the task's tenant and use the task id as the request id.
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        done = {line["request_id"]: line for line in lines if "] succeeded in" in line["message"]}
        assert done[sent_a.id]["tenant"] == alpha.schema_name
        assert done[sent_b.id]["tenant"] == beta.schema_name
        refusals = {line["request_id"]: line for line in lines if "MissingTenantContext" in line["message"]}
        assert sorted(refusals) == sorted(refused)
        assert {line["level"] for line in refusals.values()} == {"ERROR"}
        assert process.poll() is None
    finally:
        celery_app.conf.task_always_eager = True
        TenantUsage.objects.filter(tenant__in=[alpha, beta]).delete()
        with schema_context(alpha.schema_name):
            User.objects.filter(pk__in=[user.pk for user in created]).delete()


@pytest.fixture
def tenant_a_committed(django_db_setup, committed_db):
    _test_database_only()
    assert not TenantUsage.objects.exists(), "committed usage rows left by another test"
    return Tenant.objects.get(slug="alpha"), Tenant.objects.get(slug="beta")


def test_settings_eager_only_without_redis(db):
    # (Its `db` also makes pytest-django create the test database when this file runs alone.)
    # The worker above relies on this: REDIS_URL set means a real broker, never in-process.
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.REDIS_URL)
