from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from jxc.api.models import TenantAPIKey
from tests.api.conftest import KEYS, ME, auth, key_state, login, make_key, make_user


def test_me_with_api_key_returns_tenant_and_key(client_a, tenant_a):
    api_key, secret = make_key(tenant_a, ["read", "finance:read"], name="Accountant Wang")

    response = client_a.get(ME, **auth(secret))

    assert response.status_code == 200
    assert response.json() == {
        "tenant": {
            "slug": "alpha",
            "name": tenant_a.name,
            "status": tenant_a.status,
            "plan": tenant_a.plan.code if tenant_a.plan_id else None,
            "timezone": "Asia/Shanghai",
            "currency": "CNY",
        },
        "principal": {
            "type": "api_key",
            "name": "Accountant Wang",
            "prefix": api_key.prefix,
            "scopes": ["read", "finance:read"],
        },
    }


def test_me_with_owner_session(owner_client_a):
    response = owner_client_a.get(ME)

    assert response.status_code == 200
    assert response.json()["principal"] == {
        "type": "user",
        "email": "owner@alpha.test",
        "role": "owner",
        "scopes": ["read", "write", "finance:read", "finance:write"],
    }


def test_session_scopes_follow_the_role(tenant_a):
    expected = {
        "manager": ["read", "write", "finance:read", "finance:write"],
        "accountant": ["read", "finance:read", "finance:write"],
        "sales": ["read", "write"],
        "warehouse": ["read", "write"],
        "purchasing": ["read", "write"],
    }
    for role, scopes in expected.items():
        client = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, make_user(tenant_a, f"{role}@alpha.test", role))

        response = client.get(ME)

        assert response.status_code == 200, role
        assert response.json()["principal"]["role"] == role
        assert response.json()["principal"]["scopes"] == scopes, role


def test_user_without_role_has_no_scopes(tenant_a):
    client = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, make_user(tenant_a, "nobody@alpha.test", None))

    assert client.get(ME).json()["principal"]["scopes"] == []
    response = client.get(KEYS)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_no_credentials_is_401_json(client_a):
    response = client_a.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"


def test_alpha_key_is_refused_on_beta_host(client_b, tenant_a, tenant_b):
    api_key, secret = make_key(tenant_a, ["read", "write"])

    response = client_b.get(ME, **auth(secret))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "api_key_invalid"
    assert key_state(tenant_a, api_key.prefix).last_used_at is None


def test_beta_key_with_same_prefix_does_not_unlock_alpha(client_a, tenant_a, tenant_b):
    api_key_a, _secret_a = make_key(tenant_a)
    with schema_context(tenant_b.schema_name):
        # A forged key in beta that happens to share alpha's prefix: the hash still differs.
        forged = f"{api_key_a.prefix}.not-the-secret"

    response = client_a.get(ME, **auth(forged))

    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


def test_revoked_key_is_refused(client_a, tenant_a):
    api_key, secret = make_key(tenant_a)
    with schema_context(tenant_a.schema_name):
        TenantAPIKey.objects.filter(pk=api_key.pk).update(revoked=True)

    response = client_a.get(ME, **auth(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


def test_expired_key_is_refused(client_a, tenant_a):
    api_key, secret = make_key(tenant_a, expires_at=timezone.now() + timedelta(days=1))
    assert client_a.get(ME, **auth(secret)).status_code == 200
    with schema_context(tenant_a.schema_name):
        TenantAPIKey.objects.filter(pk=api_key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))

    response = client_a.get(ME, **auth(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "api_key_invalid"


def test_malformed_and_wrong_secret_are_refused(client_a, tenant_a):
    api_key, _secret = make_key(tenant_a)

    malformed = client_a.get(ME, HTTP_AUTHORIZATION="Api-Key nodot")
    wrong = client_a.get(ME, HTTP_AUTHORIZATION=f"Api-Key {api_key.prefix}.wrongsecret")

    assert (malformed.status_code, malformed.json()["code"]) == (401, "api_key_malformed")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "api_key_invalid")


def test_keyword_is_case_insensitive(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a)

    assert client_a.get(ME, HTTP_AUTHORIZATION=f"api-key {secret}").status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client_a, tenant_a, django_assert_num_queries):
    api_key, secret = make_key(tenant_a)

    client_a.get(ME, **auth(secret))
    first = key_state(tenant_a, api_key.prefix).last_used_at
    client_a.get(ME, **auth(secret))
    second = key_state(tenant_a, api_key.prefix).last_used_at
    with schema_context(tenant_a.schema_name):
        TenantAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=first - timedelta(minutes=2))
    client_a.get(ME, **auth(secret))
    third = key_state(tenant_a, api_key.prefix).last_used_at

    assert first is not None
    assert second == first
    assert third > first


def test_session_post_needs_csrf(tenant_a, owner_a):
    client = login(Client(HTTP_HOST="alpha.localhost", enforce_csrf_checks=True), tenant_a, owner_a)

    response = client.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]
    with schema_context(tenant_a.schema_name):
        assert TenantAPIKey.objects.count() == 0


def test_session_post_with_csrf_token_passes(tenant_a, owner_a):
    client = login(Client(HTTP_HOST="alpha.localhost", enforce_csrf_checks=True), tenant_a, owner_a)
    client.get("/settings/api-keys/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 201


def test_me_query_count_is_capped(client_a, tenant_a, owner_client_a, django_assert_max_num_queries):
    _api_key, secret = make_key(tenant_a)
    client_a.get(ME, **auth(secret))  # warm: last_used written

    with django_assert_max_num_queries(5):
        assert Client(HTTP_HOST="alpha.localhost").get(ME, **auth(secret)).status_code == 200
    with django_assert_max_num_queries(7):
        assert owner_client_a.get(ME).status_code == 200


def test_key_refused_when_the_plan_has_no_api_access(client_a, tenant_a, owner_client_a):
    from billing.models import Plan

    _api_key, secret = make_key(tenant_a)
    tenant_a.plan = Plan.objects.get(code="basic")
    tenant_a.save(update_fields=["plan"])

    response = client_a.get(ME, HTTP_ACCEPT_LANGUAGE="en", **auth(secret))
    page = owner_client_a.get("/settings/api-keys/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["code"] == "plan_no_api_access"
    assert 'id="api-plan-warning"' in page.content.decode()


def test_suspended_shop_refuses_keys_with_json_403(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a)
    tenant_a.status = "suspended"
    tenant_a.save(update_fields=["status"])

    response = client_a.get(ME, **auth(secret))

    assert response.status_code == 403
    assert response.json()["code"] == "tenant_suspended"


def test_key_principal_is_authenticated_but_no_merchant_user(tenant_a):
    from jxc.api.principals import ApiKeyUser

    api_key, _secret = make_key(tenant_a)
    user = ApiKeyUser(api_key)

    assert (user.is_authenticated, user.is_anonymous, user.is_staff, user.pk) == (True, False, False, None)
    assert str(user) == f"api-key:{api_key.prefix}"
    assert user == ApiKeyUser(api_key)
