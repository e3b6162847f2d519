"""The demo shop that `make run` sets up, so a newcomer can log in at once and find a stocked shop."""

from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from modules.crm.demo import demo_follow_ups_seed
from modules.pricing.demo import demo_pricing_seed
from onboarding.demo_data import demo_catalog_seed
from onboarding.demo_purchasing import demo_purchasing_seed
from onboarding.demo_sales import demo_sales_seed
from onboarding.demo_stock import demo_stock_seed
from tenants.models import Tenant
from tenants.services import tenant_provision

DEMO_SLUG = "demo"
DEMO_OWNER_EMAIL = "owner@demo.localhost"
DEMO_OWNER_PASSWORD = "demo-owner-2026"


def demo_tenant_ensure(*, with_stock: bool = True) -> Tenant:
    """The demo shop, created and seeded on first call; `with_stock=False` skips the months of stock
    documents (seconds of work) for callers that only need the shop and its catalog."""
    tenant = Tenant.objects.filter(slug=DEMO_SLUG).first()
    if tenant is None:
        tenant = tenant_provision(
            slug=DEMO_SLUG,
            name="上海好邻居便利店",
            owner_email=DEMO_OWNER_EMAIL,
            owner_password_hash=make_password(DEMO_OWNER_PASSWORD),
        ).tenant
    # No-ops once the shop has items and stock documents, so every `make run` may call it.
    with schema_context(tenant.schema_name):
        demo_catalog_seed()
        demo_pricing_seed()
        if with_stock:
            demo_stock_seed(tz=tenant.timezone)
            demo_purchasing_seed(tz=tenant.timezone)
            demo_sales_seed(tz=tenant.timezone)
            demo_follow_ups_seed(tz=tenant.timezone)
    return tenant
