"""Tenant tasks take their tenant from the sender's schema and fail closed without one."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django_tenants.utils import schema_context

from jxc.celery import SCHEMA_HEADER, MissingTenantContext, app, public_task, tenant_task
from jxc.kernel.models import TenantUsage
from jxc.kernel.tasks import tenant_usage_record, usage_record_all


@public_task(name="tests.platform.public_schema_seen")
def public_schema_seen() -> str:
    return connection.schema_name


@tenant_task(name="tests.platform.tenant_schema_seen")
def tenant_schema_seen() -> str:
    return connection.schema_name


def _active_users(tenant) -> int:
    with schema_context(tenant.schema_name):
        return User.objects.filter(is_active=True).count()


def test_sending_a_tenant_task_from_public_raises(tenant_a):
    assert connection.schema_name == "public"

    with pytest.raises(MissingTenantContext):
        tenant_usage_record.delay()
    with pytest.raises(MissingTenantContext):
        tenant_usage_record.apply_async(headers={SCHEMA_HEADER: "public"})

    assert TenantUsage.objects.count() == 0


def test_calling_a_tenant_task_directly_on_public_raises(tenant_a):
    with pytest.raises(MissingTenantContext):
        tenant_usage_record()

    assert TenantUsage.objects.count() == 0


def test_worker_refuses_a_message_without_the_tenant_header(tenant_a):
    # What the worker does with a message: push its request, then call the task.
    tenant_usage_record.push_request(called_directly=False, headers={}, id="no-header")
    try:
        with pytest.raises(MissingTenantContext):
            tenant_usage_record()
    finally:
        tenant_usage_record.pop_request()

    assert TenantUsage.objects.count() == 0


def test_worker_refuses_when_the_schema_switch_did_not_happen(tenant_a):
    # Celery only logs a failing prerun signal (an unknown schema, say): the task must still not run on public.
    tenant_usage_record.push_request(called_directly=False, headers={SCHEMA_HEADER: tenant_a.schema_name}, id="x")
    try:
        with pytest.raises(MissingTenantContext):
            tenant_usage_record()
    finally:
        tenant_usage_record.pop_request()

    assert TenantUsage.objects.count() == 0


def test_eager_task_runs_in_the_senders_schema(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        User.objects.create_user(username="only-in-alpha", email="only@alpha.test")
    users_a, users_b = _active_users(tenant_a), _active_users(tenant_b)
    assert users_a == users_b + 1

    with schema_context(tenant_a.schema_name):
        usage_a = TenantUsage.objects.get(pk=tenant_usage_record.delay().get())
        assert connection.schema_name == tenant_a.schema_name  # restored after the eager run
    with schema_context(tenant_b.schema_name):
        usage_b = TenantUsage.objects.get(pk=tenant_usage_record.delay().get())

    assert (usage_a.tenant, usage_a.users) == (tenant_a, users_a)
    assert (usage_b.tenant, usage_b.users) == (tenant_b, users_b)


def test_direct_call_in_a_tenant_context_records_that_tenant(in_tenant_a):
    usage = TenantUsage.objects.get(pk=tenant_usage_record())

    assert usage.tenant == in_tenant_a
    assert usage.users == User.objects.filter(is_active=True).count()


def test_usage_record_all_fans_out_one_record_per_tenant(tenant_a, tenant_b):
    queued = usage_record_all.delay().get()

    assert queued >= 2
    assert not TenantUsage.objects.filter(tenant__schema_name="public").exists()
    assert TenantUsage.objects.get(tenant=tenant_a).users == _active_users(tenant_a)
    assert TenantUsage.objects.get(tenant=tenant_b).users == _active_users(tenant_b)
    assert TenantUsage.objects.count() == queued


def test_public_task_queued_from_a_tenant_runs_on_public(in_tenant_a):
    assert public_schema_seen.delay().get() == "public"
    assert connection.schema_name == in_tenant_a.schema_name


def test_tenant_task_sees_each_senders_schema(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        seen_a = tenant_schema_seen.delay().get()
    with schema_context(tenant_b.schema_name):
        seen_b = tenant_schema_seen.delay().get()

    assert (seen_a, seen_b) == (tenant_a.schema_name, tenant_b.schema_name)


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "jxc.kernel.tasks.usage_record_all" in scheduled
    assert scheduled <= set(app.tasks)


def test_a_header_naming_an_unknown_schema_is_refused(tenant_a):
    # The prerun switch fails (Celery logs it and carries on); the task must not run on public.
    with pytest.raises(MissingTenantContext):
        tenant_usage_record.apply_async(headers={SCHEMA_HEADER: "t_nosuchshop"})

    assert connection.schema_name == "public"
    assert TenantUsage.objects.count() == 0
