import re

from django.test import Client
from django_tenants.utils import schema_context

from jxc.api.models import TenantAPIKey
from tests.api.conftest import ME, auth, key_count, key_state, login, make_key, make_user

LIST = "/settings/api-keys/"
CREATE = "/settings/api-keys/new/"


def revoke_page(prefix: str) -> str:
    return f"/settings/api-keys/{prefix}/revoke/"


def test_owner_sees_the_list(owner_client_a, tenant_a):
    api_key, _secret = make_key(tenant_a, ["read", "finance:read"], name="Accountant Wang")

    response = owner_client_a.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Accountant Wang" in html
    assert f'data-prefix="{api_key.prefix}"' in html
    assert "finance:read" in html
    assert "Never" in html
    assert 'name="scopes" value="finance:write"' in html


def test_list_in_chinese(owner_client_a):
    response = owner_client_a.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "还没有 API 密钥。" in response.content.decode()


def test_anonymous_goes_to_login(client_a):
    response = client_a.get(LIST)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_non_owners_get_403(tenant_a):
    for role in ("manager", "accountant", "sales"):
        client = login(Client(HTTP_HOST="alpha.localhost"), tenant_a, make_user(tenant_a, f"{role}@alpha.test", role))

        assert client.get(LIST).status_code == 403, role
        assert client.post(CREATE, {"name": "x", "scopes": ["read"]}).status_code == 403, role
    assert key_count(tenant_a) == 0


def test_create_shows_the_key_once_and_it_works(owner_client_a, client_a, tenant_a):
    response = owner_client_a.post(
        CREATE, {"name": "Online shop", "scopes": ["read", "write"]}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    secret = re.search(r'id="api-key-secret" type="text" readonly value="([^"]+)"', html).group(1)
    assert "It will not be shown again" in html
    assert 'id="api-key-copy"' in html
    prefix = secret.split(".")[0]
    assert key_state(tenant_a, prefix).scopes == ["read", "write"]
    assert client_a.get(ME, **auth(secret)).status_code == 200
    assert secret not in owner_client_a.get(LIST).content.decode()


def test_create_with_errors_shows_the_form(owner_client_a, tenant_a):
    response = owner_client_a.post(CREATE, {"name": "", "scopes": []}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert key_count(tenant_a) == 0


def test_revoke_asks_then_revokes(owner_client_a, client_a, tenant_a):
    api_key, secret = make_key(tenant_a, name="Old sync")

    confirm = owner_client_a.get(revoke_page(api_key.prefix), HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    assert "This cannot be undone." in confirm.content.decode()
    assert key_state(tenant_a, api_key.prefix).revoked is False

    done = owner_client_a.post(revoke_page(api_key.prefix), HTTP_ACCEPT_LANGUAGE="en")

    assert done.status_code == 302
    assert done["Location"] == "/settings/api-keys/"
    assert key_state(tenant_a, api_key.prefix).revoked is True
    assert client_a.get(ME, **auth(secret)).status_code == 401
    listing = owner_client_a.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Revoked" in listing


def test_beta_owner_cannot_see_or_revoke_alpha_keys(owner_client_b, tenant_a):
    api_key, _secret = make_key(tenant_a, name="Alpha only")

    listing = owner_client_b.get(LIST)
    confirm = owner_client_b.get(revoke_page(api_key.prefix))
    revoke = owner_client_b.post(revoke_page(api_key.prefix))

    assert listing.status_code == 200
    assert "Alpha only" not in listing.content.decode()
    assert api_key.prefix not in listing.content.decode()
    assert confirm.status_code == 404
    assert revoke.status_code == 404
    assert key_state(tenant_a, api_key.prefix).revoked is False


def test_alpha_owner_session_is_useless_on_beta_pages(owner_client_a, client_b, tenant_b):
    client_b.cookies = owner_client_a.cookies

    response = client_b.get(LIST)

    assert response.status_code == 302
    with schema_context(tenant_b.schema_name):
        assert TenantAPIKey.objects.count() == 0
