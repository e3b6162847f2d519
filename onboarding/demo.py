"""The demo shop that `make run` sets up, so a newcomer can log in at once."""

from django.contrib.auth.hashers import make_password

from tenants.models import Tenant
from tenants.services import tenant_provision

DEMO_SLUG = "demo"
DEMO_OWNER_EMAIL = "owner@demo.localhost"
DEMO_OWNER_PASSWORD = "demo-owner-2026"


def demo_tenant_ensure() -> Tenant:
    tenant = Tenant.objects.filter(slug=DEMO_SLUG).first()
    if tenant is None:
        tenant = tenant_provision(
            slug=DEMO_SLUG,
            name="上海好邻居便利店",
            owner_email=DEMO_OWNER_EMAIL,
            owner_password_hash=make_password(DEMO_OWNER_PASSWORD),
        ).tenant
    return tenant
