import builtins

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tenants.utils import schema_exists

from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import tenant_provision
from tests.conftest import unique_slug


@pytest.fixture
def doomed(cleanup):
    slug = unique_slug("del")
    cleanup["slugs"].append(slug)
    return tenant_provision(
        slug=slug, name="要删除的店", owner_email="o@del.test", owner_password_hash=make_password("x" * 12)
    ).tenant


def test_delete_with_a_wrong_confirmation_changes_nothing(doomed, tenant_a):
    for wrong in ("", doomed.slug.upper(), doomed.slug + " ", "alpha"):
        with translation.override("en"), pytest.raises(CommandError, match="Type the shop address exactly"):
            call_command("tenant_delete", doomed.slug, confirm=wrong)
    assert Tenant.objects.filter(pk=doomed.pk).exists()
    assert Domain.objects.filter(tenant=doomed).count() == 1
    assert schema_exists(doomed.schema_name)
    assert schema_exists(tenant_a.schema_name)


def test_delete_asks_interactively_and_refuses_a_wrong_answer(doomed, monkeypatch):
    monkeypatch.setattr(builtins, "input", lambda prompt: "nope")
    with pytest.raises(CommandError):
        call_command("tenant_delete", doomed.slug)
    assert schema_exists(doomed.schema_name)


def test_delete_with_the_typed_confirmation_drops_the_schema_and_rows(doomed, monkeypatch, tenant_a, tenant_b):
    monkeypatch.setattr(builtins, "input", lambda prompt: doomed.slug)
    call_command("tenant_delete", doomed.slug)
    assert not Tenant.objects.filter(pk=doomed.pk).exists()
    assert not Domain.objects.filter(domain=f"{doomed.slug}.localhost").exists()
    assert not schema_exists(doomed.schema_name)
    # Only that shop: the others are untouched.
    assert schema_exists(tenant_a.schema_name)
    assert schema_exists(tenant_b.schema_name)


def test_delete_of_an_unknown_or_public_slug_is_refused(db):
    with translation.override("en"), pytest.raises(CommandError, match="No shop has this address"):
        call_command("tenant_delete", "nosuchshop", confirm="nosuchshop")
    with pytest.raises(CommandError):
        call_command("tenant_delete", "public", confirm="public")
    assert schema_exists("public")


def test_spare_pool_refill_command(db, settings):
    settings.TENANT_SPARE_POOL_SIZE = SpareSchema.objects.count() + 1
    call_command("spare_pool_refill")
    assert SpareSchema.objects.count() == settings.TENANT_SPARE_POOL_SIZE
