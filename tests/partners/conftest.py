import pytest
from django_tenants.utils import schema_context

from modules.identity.services import roles_sync


@pytest.fixture(autouse=True)
def _partners_roles(db, tenant_a, tenant_b):
    """The test tenants were made before the partners permissions existed: re-sync their roles."""
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()
