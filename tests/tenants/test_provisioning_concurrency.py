"""Provisioning under real concurrency: threads with their own connections, committed data."""

import threading

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists

import tenants.services as services
from jxc.kernel.errors import AppError
from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import ProvisionResult, spare_create, tenant_provision
from tests.conftest import unique_slug
from tests.tenants.conftest import orphan_spare_schemas, run_in_parallel, schema_oids, schemas_like

HASH = make_password("Tall-Giraffe-42")


def _provision(slug: str, email: str, *, use_pool: bool = True):
    return lambda: tenant_provision(
        slug=slug, name=f"{slug} 商店", owner_email=email, owner_password_hash=HASH, use_pool=use_pool
    )


def _both_past_the_slug_check(monkeypatch, parties: int = 2) -> None:
    """Hold every racer after the (non-locking) slug check, so the race is decided inside the transaction."""
    barrier = threading.Barrier(parties)
    real_check = services.slug_check

    def check_then_wait(slug):
        real_check(slug)
        barrier.wait(timeout=60)

    monkeypatch.setattr(services, "slug_check", check_then_wait)


def test_two_signups_racing_for_one_slug_on_the_pool_path(cleanup, monkeypatch):
    spares = [spare_create(), spare_create()]
    cleanup["spares"] += [s.schema_name for s in spares]
    spares_before = SpareSchema.objects.count()
    slug = unique_slug("race")
    cleanup["slugs"].append(slug)
    _both_past_the_slug_check(monkeypatch)

    results = run_in_parallel([_provision(slug, "one@race.test"), _provision(slug, "two@race.test")])

    winners = [r for r in results if isinstance(r, ProvisionResult)]
    losers = [r for r in results if isinstance(r, AppError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert losers[0].code == "slug_taken"
    assert losers[0].field == "slug"
    assert winners[0].from_pool
    tenant = Tenant.objects.get(slug=slug)
    assert Domain.objects.filter(tenant=tenant).count() == 1
    with schema_context(tenant.schema_name):
        assert User.objects.count() == 1
        assert User.objects.get().email == tenant.owner_email
    # The loser's spare went back to the pool: exactly one spare was used.
    assert SpareSchema.objects.count() == spares_before - 1
    assert orphan_spare_schemas() == set()


def test_two_signups_racing_for_one_slug_on_the_migrate_path_leave_no_orphan_schema(cleanup, monkeypatch):
    slug = unique_slug("racem")
    cleanup["slugs"].append(slug)
    spares_before = SpareSchema.objects.count()
    _both_past_the_slug_check(monkeypatch)

    results = run_in_parallel(
        [_provision(slug, "one@race.test", use_pool=False), _provision(slug, "two@race.test", use_pool=False)]
    )

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "ProvisionResult"], results
    assert next(r for r in results if isinstance(r, AppError)).code == "slug_taken"
    assert Tenant.objects.filter(slug=slug).count() == 1
    assert SpareSchema.objects.count() == spares_before
    assert orphan_spare_schemas() == set()  # the loser's private schema was dropped


def test_a_signup_after_the_winner_committed_gets_slug_taken_and_nothing_changes(cleanup):
    slug = unique_slug("late")
    cleanup["slugs"].append(slug)
    first = _provision(slug, "one@late.test")()
    tenants_before, spares_before = Tenant.objects.count(), SpareSchema.objects.count()
    schemas_before = schemas_like("")
    try:
        _provision(slug, "two@late.test")()
    except AppError as error:
        assert error.code == "slug_taken"
    else:
        raise AssertionError("the second signup for one slug succeeded")
    assert (Tenant.objects.count(), SpareSchema.objects.count()) == (tenants_before, spares_before)
    assert schemas_like("") == schemas_before
    assert Tenant.objects.get(slug=slug).owner_email == first.tenant.owner_email


def test_parallel_signups_never_share_a_spare_schema(cleanup):
    parties = 4
    spares = [spare_create() for _ in range(parties)]
    cleanup["spares"] += [s.schema_name for s in spares]
    pool_oids = schema_oids(SpareSchema.objects.values_list("schema_name", flat=True))
    spares_before = SpareSchema.objects.count()
    slugs = [unique_slug("par") for _ in range(parties)]
    cleanup["slugs"] += slugs

    results = run_in_parallel([_provision(slug, f"owner@{slug}.test") for slug in slugs])

    assert all(isinstance(r, ProvisionResult) and r.from_pool for r in results), results
    # ALTER SCHEMA ... RENAME keeps the schema's oid: each tenant holds a distinct former spare.
    tenant_oids = schema_oids(r.tenant.schema_name for r in results)
    assert len(set(tenant_oids.values())) == parties
    assert set(tenant_oids.values()) <= set(pool_oids.values())
    assert SpareSchema.objects.count() == spares_before - parties
    assert not SpareSchema.objects.filter(
        schema_name__in=[n for n, o in pool_oids.items() if o in tenant_oids.values()]
    )
    for result in results:
        with schema_context(result.tenant.schema_name):
            assert list(User.objects.values_list("email", flat=True)) == [f"owner@{result.tenant.slug}.test"]
    assert orphan_spare_schemas() == set()


def test_when_every_spare_is_locked_by_other_signups_it_falls_back_to_migrating(cleanup):
    spare = spare_create()
    cleanup["spares"].append(spare.schema_name)
    slug = unique_slug("locked")
    cleanup["slugs"].append(slug)
    locked, release = threading.Event(), threading.Event()

    def hold_every_spare():
        with transaction.atomic():
            list(SpareSchema.objects.select_for_update())
            locked.set()
            release.wait(timeout=60)

    holder = threading.Thread(target=lambda: (hold_every_spare(), connection.close()))
    holder.start()
    try:
        assert locked.wait(timeout=30)
        result = _provision(slug, "owner@locked.test")()
    finally:
        release.set()
        holder.join(30)
    assert not result.from_pool
    assert schema_exists(result.tenant.schema_name)
    assert SpareSchema.objects.filter(pk=spare.pk).exists()
    assert orphan_spare_schemas() == set()
