import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import schema_drop
from tenants.slugs import schema_name_for


def schemas_like(prefix: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", [prefix])
        return {row[0] for row in cursor.fetchall()}


def schema_oids(names) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname, oid::bigint FROM pg_namespace WHERE nspname = ANY(%s)", [list(names)])
        return dict(cursor.fetchall())


def orphan_spare_schemas() -> set[str]:
    """spare_* schemas that no pool row points at: lost to the pool forever."""
    return schemas_like("spare_") - set(SpareSchema.objects.values_list("schema_name", flat=True))


def run_in_parallel(functions: list[Callable], timeout: float = 120) -> list:
    """Run each function in its own thread (its own database connection), released together by a barrier.

    Returns each function's result, or the exception it raised."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index: int, fn: Callable) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a provisioning thread hung"
    return results


@pytest.fixture
def cleanup(committed_db):
    """Committed tests register the slugs and spare schemas they create; all are dropped afterwards."""
    created = {"slugs": [], "spares": []}
    yield created
    connection.set_schema_to_public()
    for slug in created["slugs"]:
        Domain.objects.filter(tenant__slug=slug).delete()
        Tenant.objects.filter(slug=slug).delete()
        schema_drop(schema_name_for(slug))
    for schema_name in created["spares"]:
        SpareSchema.objects.filter(schema_name=schema_name).delete()
        schema_drop(schema_name)
