"""The one-time login link signup hands to a new owner on their shop's host."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django_tenants.utils import schema_context

from modules.identity import login_tokens
from modules.identity.login_tokens import login_token_url
from modules.identity.models import LoginTokenUse
from modules.identity.roles import Role
from tests.identity.conftest import make_user


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _uses(tenant) -> int:
    with schema_context(tenant.schema_name):
        return LoginTokenUse.objects.count()


def test_url_is_absolute_on_the_shops_host(tenant_a, owner_a):
    url = login_token_url(tenant=tenant_a, user_id=owner_a.pk)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "alpha.localhost", "/accounts/token-login/")
    payload = signing.loads(parse_qs(parts.query)["token"][0], salt=login_tokens.SALT)
    assert payload["s"] == tenant_a.schema_name
    assert payload["u"] == owner_a.pk
    assert len(payload["j"]) >= 16


def test_valid_token_logs_the_user_in_and_redirects(client_a, tenant_a, owner_a):
    url = login_token_url(tenant=tenant_a, user_id=owner_a.pk, next_path="/accounts/users/")
    response = client_a.get(_path(url))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/users/"
    assert int(client_a.session["_auth_user_id"]) == owner_a.pk
    assert client_a.get("/accounts/users/").status_code == 200
    assert _uses(tenant_a) == 1


def test_default_next_is_the_dashboard(client_a, tenant_a, owner_a):
    response = client_a.get(_path(login_token_url(tenant=tenant_a, user_id=owner_a.pk)))
    assert response["Location"] == "/"


def test_replayed_token_is_refused(client_a, tenant_a, owner_a, tenant_b):
    path = _path(login_token_url(tenant=tenant_a, user_id=owner_a.pk))
    assert client_a.get(path).status_code == 302
    client_a.post("/accounts/logout/")
    client_a.cookies.pop(settings.LANGUAGE_COOKIE_NAME)  # the owner's Chinese preference, set at login
    response = client_a.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This login link has already been used." in html
    assert 'href="/accounts/login/"' in html
    assert "_auth_user_id" not in client_a.session
    assert _uses(tenant_a) == 1


def test_expired_token_is_refused(client_a, tenant_a, owner_a):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 121):
        path = _path(login_token_url(tenant=tenant_a, user_id=owner_a.pk))
    response = client_a.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This login link has expired." in response.content.decode()
    assert "_auth_user_id" not in client_a.session
    assert _uses(tenant_a) == 0


def test_token_for_alpha_is_refused_on_betas_host(client_b, tenant_a, tenant_b, owner_a):
    path = _path(login_token_url(tenant=tenant_a, user_id=owner_a.pk))
    response = client_b.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "This login link belongs to another shop." in response.content.decode()
    assert "_auth_user_id" not in client_b.session
    assert _uses(tenant_b) == 0
    assert _uses(tenant_a) == 0


def test_bad_signature_is_refused(client_a, tenant_a, owner_a):
    url = login_token_url(tenant=tenant_a, user_id=owner_a.pk)
    token = parse_qs(urlsplit(url).query)["token"][0]
    forged = signing.dumps({"s": tenant_a.schema_name, "u": owner_a.pk, "j": "x" * 22}, salt="another-salt")
    for bad in (token[:-2] + "xx", forged, "", "garbage"):
        response = client_a.get("/accounts/token-login/", {"token": bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "This login link is not valid." in response.content.decode()
    assert "_auth_user_id" not in client_a.session
    assert _uses(tenant_a) == 0


def test_next_path_to_another_host_is_replaced_by_the_dashboard(client_a, tenant_a, owner_a):
    for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "accounts/users/"):
        response = client_a.get(_path(login_token_url(tenant=tenant_a, user_id=owner_a.pk, next_path=bad)))
        assert response.status_code == 302
        assert response["Location"] == "/"


def test_token_of_a_deactivated_user_does_not_log_in(client_a, tenant_a):
    user = make_user(tenant_a, "gone@alpha.test", Role.SALES, active=False)
    response = client_a.get(_path(login_token_url(tenant=tenant_a, user_id=user.pk)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This account cannot log in." in response.content.decode()
    assert "_auth_user_id" not in client_a.session


def test_token_switches_an_existing_session_to_the_tokens_user(client_a, tenant_a, owner_a):
    other = make_user(tenant_a, "s@alpha.test", Role.SALES)
    client_a.get(_path(login_token_url(tenant=tenant_a, user_id=other.pk)))
    client_a.get(_path(login_token_url(tenant=tenant_a, user_id=owner_a.pk)))
    assert int(client_a.session["_auth_user_id"]) == owner_a.pk
    with schema_context(tenant_a.schema_name):
        assert User.objects.filter(pk=owner_a.pk, last_login__isnull=False).exists()
