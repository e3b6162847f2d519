from django.contrib.auth.models import User
from django_tenants.utils import schema_context

from onboarding.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, DEMO_SLUG, demo_tenant_ensure
from tenants.models import Domain, Tenant


def test_demo_shop_is_created_once_with_a_working_owner_login(db):
    tenant = demo_tenant_ensure(with_stock=False)
    assert demo_tenant_ensure(with_stock=False).pk == tenant.pk
    assert Tenant.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Domain.objects.get(tenant=tenant).domain == "demo.localhost"
    with schema_context(tenant.schema_name):
        owner = User.objects.get(email=DEMO_OWNER_EMAIL)
        assert owner.check_password(DEMO_OWNER_PASSWORD)
        assert owner.groups.filter(name="owner").exists()
