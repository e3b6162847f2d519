from django.test import Client
from rest_framework.test import APIRequestFactory

from jxc.api.base import ApiView
from jxc.api.models import TenantAPIKey
from jxc.api.permissions import HasScope, required_scopes_for
from tests.api.conftest import KEYS, ME, auth, key_count, login, make_key, make_user


def test_read_only_key_cannot_post(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a, ["read"])
    before = key_count(tenant_a)

    response = client_a.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json", **auth(secret))

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "write" in response.json()["message"]
    assert key_count(tenant_a) == before


def test_finance_read_only_key_reads_me_but_cannot_list_or_create_keys(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a, ["finance:read"])
    before = key_count(tenant_a)

    me = client_a.get(ME, **auth(secret))
    listing = client_a.get(KEYS, **auth(secret))
    created = client_a.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json", **auth(secret))

    assert me.status_code == 200
    assert me.json()["principal"]["scopes"] == ["finance:read"]
    assert (listing.status_code, listing.json()["code"]) == (403, "insufficient_scope")
    assert (created.status_code, created.json()["code"]) == (403, "insufficient_scope")
    assert key_count(tenant_a) == before


def test_a_key_with_write_scope_still_cannot_manage_keys(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a, ["read", "write", "finance:read", "finance:write"])
    before = key_count(tenant_a)

    response = client_a.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json", **auth(secret))

    assert response.status_code == 403
    assert response.json()["code"] == "session_required"
    assert key_count(tenant_a) == before


def test_manager_session_cannot_manage_keys(tenant_a):
    client = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, make_user(tenant_a, "m@alpha.test", "manager"))

    response = client.get(KEYS)

    assert response.status_code == 403
    assert response.json()["code"] == "owner_required"


def test_accountant_session_cannot_post_with_write_scope_missing(tenant_a):
    client = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, make_user(tenant_a, "a@alpha.test", "accountant"))

    response = client.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


class FinanceView(ApiView):
    required_scopes = {"GET": {"finance:read"}, "POST": {"finance:write"}}


def _allowed(scopes: list[str], method: str, tenant) -> bool:
    request = getattr(APIRequestFactory(), method.lower())("/api/v1/x")
    request.user = type("U", (), {"is_authenticated": True})()
    request.auth = TenantAPIKey(prefix="p", scopes=scopes, name="n")
    try:
        return HasScope().has_permission(request, FinanceView())
    except Exception:  # noqa: BLE001 - PermissionDenied is the refusal we are checking for
        return False


def test_views_declare_their_own_scopes(tenant_a):
    assert required_scopes_for(FinanceView(), "GET") == {"finance:read"}
    assert required_scopes_for(FinanceView(), "HEAD") == {"finance:read"}
    assert required_scopes_for(FinanceView(), "POST") == {"finance:write"}
    assert required_scopes_for(FinanceView(), "DELETE") == {"write"}
    assert required_scopes_for(ApiView(), "GET") == {"read"}
    assert required_scopes_for(ApiView(), "PATCH") == {"write"}
    assert _allowed(["finance:read"], "GET", tenant_a) is True
    assert _allowed(["read", "write"], "GET", tenant_a) is False
    assert _allowed(["finance:read"], "POST", tenant_a) is False
    assert _allowed(["finance:write"], "POST", tenant_a) is True
