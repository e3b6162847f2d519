"""How fast is a new shop ready? The spare-pool path against django-tenants' migrate and clone paths.

Run after `make test` has installed things: `.venv/bin/python bench/provisioning.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its
own on that server, created and migrated first and dropped at the end, so it never touches
the development data; every schema it creates is also dropped explicitly.

Each path ends with the same rows: Tenant, Domain, and the owner user (its password hashed
once, up front, as signup does) in the owner group, on the project's real tenant apps:

  pool     tenants.services.tenant_provision with a pre-filled pool (claim a migrated spare by
           ALTER SCHEMA ... RENAME, all rows in one transaction)
  migrate  django-tenants' ordinary path: Tenant(auto_create_schema=True).save() runs
           create_schema -> migrate_schemas, then the role groups, Domain and owner
  clone    django_tenants.clone.CloneSchema().clone_schema() from a migrated base schema
           (rows included: migrations, content types, permissions, role groups), then the rows

One untimed warm-up per path; then median and p95 of the timed samples.
"""

import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists

from billing.selectors import plan_default
from modules.identity.services import roles_sync, user_create_owner
from tenants.addresses import tenant_domain_for
from tenants.enums import TenantStatus
from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import schema_drop, schema_prepare, spare_create, tenant_provision
from tenants.slugs import schema_name_for

POOL_SAMPLES = int(os.environ.get("BENCH_POOL_SAMPLES", "30"))
MIGRATE_SAMPLES = int(os.environ.get("BENCH_MIGRATE_SAMPLES", "8"))
CLONE_SAMPLES = int(os.environ.get("BENCH_CLONE_SAMPLES", "8"))
POOL_P50_GOAL_MS = 50.0
POOL_VS_MIGRATE_GOAL = 10.0

# The owner's password is hashed once, before any timing, exactly as signup hashes before provisioning.
OWNER_PASSWORD_HASH = make_password("bench-Owner-2026")

log = logging.getLogger("bench.provisioning")
created_slugs: list[str] = []
created_schemas: list[str] = []


def new_slug(prefix: str) -> str:
    slug = f"{prefix}{uuid.uuid4().hex[:10]}"
    created_slugs.append(slug)
    return slug


def tenant_row(slug: str) -> Tenant:
    return Tenant(
        schema_name=schema_name_for(slug),
        slug=slug,
        name=f"Bench {slug}",
        owner_email=f"owner@{slug}.test",
        plan=plan_default(),
        status=TenantStatus.TRIAL,
        trial_ends_at=timezone.now() + timedelta(days=settings.TRIAL_DAYS),
    )


def provision_pool() -> None:
    slug = new_slug("bp")
    result = tenant_provision(
        slug=slug, name=f"Bench {slug}", owner_email=f"owner@{slug}.test", owner_password_hash=OWNER_PASSWORD_HASH
    )
    if not result.from_pool:
        raise RuntimeError("the pool ran dry during the pool measurement")


def provision_migrate() -> None:
    slug = new_slug("bm")
    tenant = tenant_row(slug)
    tenant.auto_create_schema = True  # django-tenants' ordinary path: CREATE SCHEMA + migrate_schemas on save
    tenant.save(verbosity=0)
    Domain.objects.create(domain=tenant_domain_for(slug), tenant=tenant, is_primary=True)
    with schema_context(tenant.schema_name):
        roles_sync()
        user_create_owner(email=tenant.owner_email, password_hash=OWNER_PASSWORD_HASH)


def provision_clone(base_schema: str) -> Callable[[], None]:
    def run() -> None:
        slug = new_slug("bc")
        CloneSchema().clone_schema(base_schema, schema_name_for(slug), clone_mode="DATA")
        with transaction.atomic():
            tenant = tenant_row(slug)
            tenant.save()
            Domain.objects.create(domain=tenant_domain_for(slug), tenant=tenant, is_primary=True)
            with schema_context(tenant.schema_name):
                user_create_owner(email=tenant.owner_email, password_hash=OWNER_PASSWORD_HASH)
        connection.set_schema_to_public()

    return run


def measure(fn: Callable[[], None], samples: int) -> list[float]:
    fn()  # warm-up, not timed
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
        connection.set_schema_to_public()
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def cleanup() -> None:
    connection.set_schema_to_public()
    for slug in created_slugs:
        Domain.objects.filter(tenant__slug=slug).delete()
        Tenant.objects.filter(slug=slug).delete()
        schema_drop(schema_name_for(slug))
    for schema_name in created_schemas:
        SpareSchema.objects.filter(schema_name=schema_name).delete()
        schema_drop(schema_name)
    leftovers = [s for s in [*map(schema_name_for, created_slugs), *created_schemas] if schema_exists(s)]
    if leftovers:
        raise RuntimeError(f"schemas left behind: {leftovers}")


def main() -> int:
    main_db = connection.settings_dict["NAME"]
    bench_db = f"{main_db}_bench_{uuid.uuid4().hex[:8]}"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = bench_db
    out = sys.stdout
    out.write(f"Creating and migrating a throwaway database {bench_db} ...\n")
    out.flush()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        out.write(f"Filling the spare pool with {POOL_SAMPLES + 1} schemas (the Celery refill's work) ...\n")
        out.flush()
        for _ in range(POOL_SAMPLES + 1):
            created_schemas.append(spare_create().schema_name)
        base_schema = f"bench_base_{uuid.uuid4().hex[:8]}"
        schema_prepare(base_schema)  # migrated, with the role groups: what a clone copies
        created_schemas.append(base_schema)

        results = {}
        out.write(f"Measuring: pool x{POOL_SAMPLES}, migrate x{MIGRATE_SAMPLES}, clone x{CLONE_SAMPLES} ...\n")
        out.flush()
        results["pool"] = measure(provision_pool, POOL_SAMPLES)
        results["migrate"] = measure(provision_migrate, MIGRATE_SAMPLES)
        results["clone"] = measure(provision_clone(base_schema), CLONE_SAMPLES)
        cleanup()
    finally:
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(main_db, verbosity=0, keepdb=False)

    pool_p50 = statistics.median(results["pool"])
    out.write("\npath       samples   median ms      p95 ms   vs pool (median)\n")
    for name, values in results.items():
        p50 = statistics.median(values)
        out.write(f"{name:<9} {len(values):>8} {p50:>11.1f} {p95(values):>11.1f} {p50 / pool_p50:>14.1f}x\n")
    migrate_ratio = statistics.median(results["migrate"]) / pool_p50
    clone_ratio = statistics.median(results["clone"]) / pool_p50
    out.write(
        f"\npool is {migrate_ratio:.1f}x faster than migrate and {clone_ratio:.1f}x faster than clone (medians)\n"
    )
    out.write(f"all {len(created_slugs)} bench tenants and {len(created_schemas)} spare/base schemas dropped\n\n")
    p50_ok = pool_p50 <= POOL_P50_GOAL_MS
    ratio_ok = migrate_ratio >= POOL_VS_MIGRATE_GOAL
    out.write(f"TARGET provisioning_pool_p50 {pool_p50:.1f}ms goal 50ms {'PASS' if p50_ok else 'FAIL'}\n")
    out.write(f"TARGET provisioning_pool_vs_migrate {migrate_ratio:.1f}x goal 10x {'PASS' if ratio_ok else 'FAIL'}\n")
    return 0 if p50_ok and ratio_ok else 1


if __name__ == "__main__":
    sys.exit(main())
