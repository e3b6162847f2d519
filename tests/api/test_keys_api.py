from django_tenants.utils import schema_context

from jxc.api.models import TenantAPIKey
from tests.api.conftest import KEYS, ME, auth, key_count, key_state, make_key, revoke_url


def test_owner_creates_a_key_and_sees_the_secret_once(owner_client_a, client_a, tenant_a, owner_a):
    response = owner_client_a.post(
        KEYS, {"name": "Accountant", "scopes": ["finance:read", "read"]}, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    prefix, secret = body["prefix"], body["key"]
    assert secret.startswith(prefix + ".")
    assert body["name"] == "Accountant"
    assert body["scopes"] == ["read", "finance:read"]
    assert body["revoked"] is False
    stored = key_state(tenant_a, prefix)
    assert stored.created_by_id == owner_a.pk
    assert secret not in stored.hashed_key and secret not in stored.id
    listing = owner_client_a.get(KEYS).json()
    assert [k["prefix"] for k in listing] == [prefix]
    assert "key" not in listing[0]
    assert client_a.get(ME, **auth(secret)).json()["principal"]["prefix"] == prefix


def test_owner_lists_keys(owner_client_a, tenant_a):
    api_key, _secret = make_key(tenant_a, ["read"], name="Sync")

    response = owner_client_a.get(KEYS)

    assert response.status_code == 200
    assert response.json() == [
        {
            "prefix": api_key.prefix,
            "name": "Sync",
            "scopes": ["read"],
            "created_at": response.json()[0]["created_at"],
            "last_used_at": None,
            "expires_at": None,
            "revoked": False,
            "revoked_at": None,
        }
    ]


def test_create_validates_fields(owner_client_a, tenant_a):
    bad_scope = owner_client_a.post(KEYS, {"name": "x", "scopes": ["admin"]}, content_type="application/json")
    no_name = owner_client_a.post(KEYS, {"scopes": ["read"]}, content_type="application/json")

    assert bad_scope.status_code == 400
    assert bad_scope.json()["code"] == "validation_error"
    assert bad_scope.json()["field"] == "scopes.0"
    assert no_name.status_code == 400
    assert no_name.json()["field"] == "name"
    assert list(no_name.json()["errors"]) == ["name"]
    assert key_count(tenant_a) == 0


def test_owner_revokes_a_key(owner_client_a, client_a, tenant_a):
    api_key, secret = make_key(tenant_a)

    response = owner_client_a.post(revoke_url(api_key.prefix))
    again = owner_client_a.post(revoke_url(api_key.prefix))

    assert response.status_code == 200
    assert response.json()["revoked"] is True
    assert key_state(tenant_a, api_key.prefix).revoked is True
    assert (again.status_code, again.json()["code"]) == (409, "api_key_already_revoked")
    assert client_a.get(ME, **auth(secret)).status_code == 401


def test_revoke_unknown_prefix_is_404_json(owner_client_a):
    response = owner_client_a.post(revoke_url("nosuchpx"))

    assert response.status_code == 404
    assert response.json()["code"] == "api_key_not_found"


def test_beta_owner_cannot_list_or_revoke_alpha_keys(owner_client_b, tenant_a, tenant_b):
    api_key, _secret = make_key(tenant_a)

    listing = owner_client_b.get(KEYS)
    revoke = owner_client_b.post(revoke_url(api_key.prefix))

    assert listing.status_code == 200
    assert api_key.prefix not in [k["prefix"] for k in listing.json()]
    assert revoke.status_code == 404
    assert key_state(tenant_a, api_key.prefix).revoked is False


def test_alpha_session_cookie_is_useless_on_beta_api(owner_client_a, client_b, tenant_b):
    client_b.cookies = owner_client_a.cookies

    response = client_b.get(ME)

    assert response.status_code == 401
    with schema_context(tenant_b.schema_name):
        assert TenantAPIKey.objects.count() == 0


def test_expiry_in_the_past_is_refused(owner_client_a, tenant_a):
    response = owner_client_a.post(
        KEYS,
        {"name": "x", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00+08:00"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "The expiry date must be in the future.",
        "field": "expires_at",
    }
    assert key_count(tenant_a) == 0


def test_key_with_future_expiry_is_listed_with_it(owner_client_a, tenant_a):
    response = owner_client_a.post(
        KEYS,
        {"name": "x", "scopes": ["read"], "expires_at": "2099-01-01T00:00:00+08:00"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["expires_at"] == "2099-01-01T00:00:00+08:00"
