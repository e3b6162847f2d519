"""Spares made by an older version of the code are never handed out, and the pool refill migrates them."""

from django.contrib.auth.hashers import make_password
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from tenants.models import SpareSchema
from tenants.schema_state import tenant_migration_state
from tenants.services import schema_drop, spare_create, spare_pool_refill, spares_migrate_stale, tenant_provision
from tenants.slugs import schema_name_for
from tests.conftest import unique_slug


def _table_exists(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".{table}'])
        return cursor.fetchone()[0]


def _make_stale(spare: SpareSchema) -> None:
    """As if the spare was migrated before identity's first migration existed."""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{spare.schema_name}".identity_profile CASCADE')
        cursor.execute(f"DELETE FROM \"{spare.schema_name}\".django_migrations WHERE app = 'identity'")
        cursor.execute(f'DROP TABLE "{spare.schema_name}".identity_invitation CASCADE')
        cursor.execute(f'DROP TABLE "{spare.schema_name}".identity_logintokenuse CASCADE')
    SpareSchema.objects.filter(pk=spare.pk).update(migration_state="older-version")


def test_a_new_spare_records_the_current_migration_state(committed_db):
    spare = spare_create()
    try:
        assert spare.migration_state == tenant_migration_state()
        assert len(spare.migration_state) == 16
    finally:
        SpareSchema.objects.filter(pk=spare.pk).delete()
        schema_drop(spare.schema_name)


def test_a_stale_spare_is_not_claimed_and_signup_migrates_instead(committed_db):
    others = list(SpareSchema.objects.filter(migration_state=tenant_migration_state()))
    SpareSchema.objects.filter(pk__in=[s.pk for s in others]).update(migration_state="parked-by-test")
    stale = spare_create()
    _make_stale(stale)
    slug = unique_slug("stale")
    try:
        result = tenant_provision(slug=slug, name="x", owner_email="o@x.test", owner_password_hash=make_password("p"))

        assert result.from_pool is False
        assert SpareSchema.objects.filter(pk=stale.pk).exists()
        assert schema_exists(stale.schema_name)
        assert _table_exists(schema_name_for(slug), "identity_profile")
    finally:
        SpareSchema.objects.filter(pk__in=[s.pk for s in others]).update(migration_state=tenant_migration_state())
        SpareSchema.objects.filter(pk=stale.pk).delete()
        schema_drop(stale.schema_name)


def test_refill_migrates_stale_spares_before_counting_them(committed_db):
    stale = spare_create()
    _make_stale(stale)
    try:
        assert not _table_exists(stale.schema_name, "identity_profile")

        assert spares_migrate_stale() >= 1

        stale.refresh_from_db()
        assert stale.migration_state == tenant_migration_state()
        assert _table_exists(stale.schema_name, "identity_profile")
        with schema_context(stale.schema_name):
            from django.contrib.auth.models import Group

            assert Group.objects.filter(name="owner").exists()
        current = SpareSchema.objects.filter(migration_state=tenant_migration_state()).count()
        assert spare_pool_refill(target=current) == 0
    finally:
        SpareSchema.objects.filter(pk=stale.pk).delete()
        schema_drop(stale.schema_name)
