"""What the stock benchmarks share: a throwaway database, tenant schemas in it, a catalog, verdict lines.

Import it after `django.setup()` (each benchmark script does that first, as bench/provisioning.py does).
"""

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from modules.catalog.models import Category, Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.inventory.services import location_create, warehouse_create, warehouse_default_ensure
from tenants.models import Domain, Tenant
from tenants.services import schema_drop, tenant_provision


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Create and migrate a database of its own on the configured server; drop it at the end (also on
    failure), so a benchmark never touches the development data."""
    main_db = connection.settings_dict["NAME"]
    bench_db = f"{main_db}_bench_{uuid.uuid4().hex[:8]}"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = bench_db
    say(f"Creating and migrating a throwaway database {bench_db} ...")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        yield bench_db
    finally:
        connection.set_schema_to_public()
        # Connections other threads left open would block DROP DATABASE.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.creation.destroy_test_db(main_db, verbosity=0, keepdb=False)
        say(f"Dropped {bench_db}.")


def tenant_create(prefix: str) -> Tenant:
    """A migrated tenant schema (its own, not from the spare pool) with its owner."""
    slug = f"{prefix}{uuid.uuid4().hex[:8]}"
    result = tenant_provision(
        slug=slug,
        name=f"Bench {slug}",
        owner_email=f"owner@{slug}.test",
        owner_password_hash=make_password("bench-Owner-2026"),
        use_pool=False,
    )
    return result.tenant


def tenant_drop(tenant: Tenant) -> None:
    connection.set_schema_to_public()
    Domain.objects.filter(tenant=tenant).delete()
    Tenant.objects.filter(pk=tenant.pk).delete()
    schema_drop(tenant.schema_name)


def raw_connection(schema_name: str) -> psycopg.Connection:
    """A plain psycopg 3 connection to the same database, with the tenant's schema on its search path."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("server_side_binding", None)
    params.pop("prepare_threshold", None)  # Django turns prepared statements off; a hand-written client would not
    raw = psycopg.connect(**params, options=f"-c search_path={schema_name},public")
    raw.autocommit = True
    return raw


def catalog_create(*, items: int, categories: int, prefix: str = "SKU") -> list[Item]:
    """`categories` categories (a tenth of them roots, the rest under them) and `items` items spread
    over them, in bulk: the benchmarks need a catalog's shape, not the catalog services' speed."""
    unit = Unit.objects.get_or_create(name="个")[0]
    roots = Category.objects.bulk_create([Category(name=f"大类{n:02d}") for n in range(max(1, categories // 10))])
    subs = Category.objects.bulk_create(
        [Category(name=f"小类{n:03d}", parent=roots[n % len(roots)]) for n in range(categories - len(roots))]
    )
    leaves = subs or roots
    return Item.objects.bulk_create(
        [
            Item(
                code=f"{prefix}{n:06d}",
                name=f"商品{n:06d}",
                category=leaves[n % len(leaves)],
                base_unit=unit,
                purchase_price=Decimal(2 + n % 50),
                sale_price=Decimal(3 + n % 50),
            )
            for n in range(items)
        ],
        batch_size=2000,
    )


def places_create() -> list[tuple[Warehouse, Location | None]]:
    """Two warehouses; the main one with a zone and two shelves. Returns the places stock can be at."""
    main = warehouse_default_ensure()
    second = warehouse_create(code="W2", name="二号仓", max_warehouses=None)
    zone = location_create(warehouse=main, code="A")
    shelves = [location_create(warehouse=main, code=code, parent=zone) for code in ("A1", "A2")]
    return [(main, None), (main, shelves[0]), (main, shelves[1]), (second, None)]


def target(name: str, figure: str, goal: str, ok: bool) -> bool:
    say(f"TARGET {name} {figure} goal {goal} {'PASS' if ok else 'FAIL'}")
    return ok
