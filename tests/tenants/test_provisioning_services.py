import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

import modules.identity.services as identity_services
from modules.identity.roles import ROLE_RULES
from tenants import tasks
from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import _REFILL_LOCK_KEY, spare_create, spare_pool_refill, tenant_provision
from tenants.slugs import schema_name_for
from tests.conftest import unique_slug
from tests.tenants.conftest import orphan_spare_schemas, run_in_parallel, schemas_like

HASH = make_password("Tall-Giraffe-42")


def _provision(slug: str, **kwargs):
    return tenant_provision(
        slug=slug, name="测试商店", owner_email="Owner@Shop.test", owner_password_hash=HASH, **kwargs
    )


def test_pool_path_writes_tenant_domain_and_owner_together(cleanup):
    spare = spare_create()
    cleanup["spares"].append(spare.schema_name)
    slug = unique_slug("pool")
    cleanup["slugs"].append(slug)
    result = _provision(slug)
    assert result.from_pool
    tenant = Tenant.objects.get(slug=slug)
    assert (tenant.schema_name, tenant.status, tenant.owner_email) == (
        schema_name_for(slug),
        "trial",
        "owner@shop.test",
    )
    assert tenant.plan is not None
    assert tenant.trial_ends_at is not None
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "is_primary")) == [
        (f"{slug}.localhost", True)
    ]
    with schema_context(tenant.schema_name):
        owner = User.objects.get()
        assert owner.pk == result.owner_id
        assert owner.password == HASH  # stored as handed over: hashed once, by the caller
        assert owner.groups.get().name == "owner"
    assert connection.schema_name == "public"


@pytest.mark.parametrize("use_pool", [True, False])
def test_a_failure_mid_transaction_leaves_nothing_half_written(cleanup, monkeypatch, use_pool):
    if use_pool:
        cleanup["spares"].append(spare_create().schema_name)
    slug = unique_slug("fail")
    cleanup["slugs"].append(slug)
    spares_before = set(SpareSchema.objects.values_list("schema_name", flat=True))
    schemas_before = schemas_like("")
    tenants_before = Tenant.objects.count()

    def broken_owner(**kwargs):
        raise RuntimeError("the owner could not be created")

    monkeypatch.setattr(identity_services, "user_create_owner", broken_owner)
    with pytest.raises(RuntimeError):
        _provision(slug, use_pool=use_pool)

    assert Tenant.objects.count() == tenants_before
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain=f"{slug}.localhost").exists()
    assert not schema_exists(schema_name_for(slug))
    # The claimed spare is back in the pool under its old name; a private (migrate-path) schema is dropped.
    assert set(SpareSchema.objects.values_list("schema_name", flat=True)) == spares_before
    assert schemas_like("") == schemas_before
    assert orphan_spare_schemas() == set()
    assert connection.schema_name == "public"


def test_an_empty_pool_falls_back_to_the_migrate_path(db):
    SpareSchema.objects.all().delete()  # rolled back with the test
    slug = unique_slug("empty")
    result = _provision(slug)
    assert not result.from_pool
    assert schema_exists(schema_name_for(slug))
    with schema_context(schema_name_for(slug)):
        assert User.objects.get().email == "owner@shop.test"
    assert SpareSchema.objects.count() == 0
    assert orphan_spare_schemas() == set()


def test_spare_schemas_are_migrated_and_carry_the_roles(cleanup):
    spare = spare_create()
    cleanup["spares"].append(spare.schema_name)
    assert spare.schema_name.startswith("spare_")
    with schema_context(spare.schema_name):
        assert set(Group.objects.values_list("name", flat=True)) == set(ROLE_RULES)
        assert Group.objects.get(name="owner").permissions.exists()
        assert User.objects.count() == 0


def test_the_refill_task_keeps_the_pool_at_its_configured_size(db, settings):
    settings.TENANT_SPARE_POOL_SIZE = SpareSchema.objects.count() + 2
    assert tasks.spare_pool_refill.delay().get() == 2
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE
    assert tasks.spare_pool_refill.delay().get() == 0
    _provision(unique_slug("claim"))  # a signup takes one
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE - 1
    assert tasks.spare_pool_refill.delay().get() == 1
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE
    assert orphan_spare_schemas() == set()


def test_the_refill_task_runs_on_public_even_when_queued_from_a_shop(db, settings, tenant_a):
    settings.TENANT_SPARE_POOL_SIZE = SpareSchema.objects.count() + 1
    with schema_context(tenant_a.schema_name):
        assert tasks.spare_pool_refill.delay().get() == 1
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE


def test_a_second_refill_while_one_runs_does_nothing(committed_db, settings):
    settings.TENANT_SPARE_POOL_SIZE = SpareSchema.objects.count() + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_REFILL_LOCK_KEY])
    try:
        [created] = run_in_parallel([spare_pool_refill])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK_KEY])
    assert created == 0
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE - 1


def test_a_pool_claim_asks_a_worker_for_a_replacement_after_commit(db, monkeypatch, django_capture_on_commit_callbacks):
    from jxc.celery import app

    sent = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", lambda name, **options: sent.append((name, options["headers"])))
    spare_create()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _provision(unique_slug("soon")).from_pool
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sent == [("tenants.tasks.spare_pool_refill", {"_schema_name": "public"})]


def test_no_replacement_is_requested_in_process(db, monkeypatch, django_capture_on_commit_callbacks):
    from jxc.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **options: sent.append(name))
    spare_create()
    with django_capture_on_commit_callbacks(execute=True):
        _provision(unique_slug("eager"))
    assert sent == []  # eager Celery would migrate inside the signup request
