import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from jxc.kernel.errors import AppError
from tenants.models import Domain, SpareSchema, Tenant
from tenants.services import spare_create, tenant_provision
from tests.conftest import unique_slug


def test_session_tenants_exist_with_owner(tenant_a, tenant_b):
    assert tenant_a.schema_name != tenant_b.schema_name
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(email="owner@alpha.test").groups.filter(name="owner").exists()
    with schema_context(tenant_b.schema_name):
        assert not User.objects.filter(email="owner@alpha.test").exists()


def test_pool_path_claims_a_spare_by_renaming_it(db):
    # Inside the test's transaction: the claim, the rename and the rows all roll back afterwards.
    SpareSchema.objects.all().delete()
    spare = spare_create()
    slug = unique_slug("pool")
    result = tenant_provision(
        slug=slug,
        name="池子商店",
        owner_email="Boss@Example.com",
        owner_password_hash=make_password("x" * 10),
    )
    assert result.from_pool
    assert not SpareSchema.objects.filter(pk=spare.pk).exists()
    assert not schema_exists(spare.schema_name)
    assert Domain.objects.get(tenant=result.tenant).domain == f"{slug}.localhost"
    with schema_context(result.tenant.schema_name):
        owner = User.objects.get()
        assert owner.email == "boss@example.com"
        assert owner.groups.get().name == "owner"


@pytest.mark.parametrize(
    "slug,code",
    [
        ("ab", "slug_invalid"),
        ("Shop", "slug_invalid"),
        ("www", "slug_reserved"),
        ("a--b", "slug_invalid"),
        ("9shop", "slug_invalid"),
        ("alpha", "slug_taken"),
    ],
)
def test_bad_slugs_are_refused_and_nothing_is_created(db, slug, code):
    tenants_before = Tenant.objects.count()
    spares_before = SpareSchema.objects.count()
    with pytest.raises(AppError) as error:
        tenant_provision(slug=slug, name="x", owner_email="a@b.test", owner_password_hash="!")
    assert error.value.code == code
    assert error.value.field == "slug"
    assert Tenant.objects.count() == tenants_before
    assert SpareSchema.objects.count() == spares_before
    assert connection.schema_name == "public"
