import pytest
from django_tenants.utils import schema_context

from modules.inventory.models import InventorySettings
from tests.inventory.conftest import auth, make_key

pytestmark = pytest.mark.usefixtures("roles_synced")

SETTINGS = "/api/v1/stock/settings"


def allowed(tenant) -> bool | None:
    with schema_context(tenant.schema_name):
        row = InventorySettings.objects.filter(pk=1).first()
        return None if row is None else row.allow_negative_stock


def test_settings_read_and_change(owner_client_a, tenant_a, tenant_b):
    assert owner_client_a.get(SETTINGS).json() == {"allow_negative_stock": False, "costing_method": "average"}
    response = owner_client_a.patch(SETTINGS, {"allow_negative_stock": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"allow_negative_stock": True, "costing_method": "average"}
    refused = owner_client_a.patch(SETTINGS, {"costing_method": "fifo"}, content_type="application/json")
    assert (refused.status_code, refused.json()["field"]) == (400, "costing_method")
    assert allowed(tenant_a) is True
    assert allowed(tenant_b) is None  # beta's setting is its own


def test_settings_need_write_scope_and_valid_input(client_a, owner_client_a, tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read",))
    assert client_a.get(SETTINGS, **auth(secret)).status_code == 200
    response = client_a.patch(SETTINGS, {"allow_negative_stock": True}, content_type="application/json", **auth(secret))
    assert response.status_code == 403
    bad = owner_client_a.patch(SETTINGS, {"allow_negative_stock": "maybe"}, content_type="application/json")
    assert bad.status_code == 400
    assert "allow_negative_stock" in str(bad.json())
    assert allowed(tenant_a) is None


def test_beta_key_changes_only_beta(client_b, tenant_a, tenant_b):
    _key, secret = make_key(tenant_b, scopes=("read", "write"))
    response = client_b.patch(SETTINGS, {"allow_negative_stock": True}, content_type="application/json", **auth(secret))
    assert response.status_code == 200
    assert (allowed(tenant_a), allowed(tenant_b)) == (None, True)
