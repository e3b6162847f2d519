"""The tenant comes from the host name only; unknown and suspended shops get friendly answers."""

from django.db import connection
from django.test import Client, RequestFactory

from tenants.middleware import TenantMiddleware
from tenants.models import Tenant
from tests.conftest import PASSWORD


def test_unknown_subdomain_gets_a_friendly_404_page(db):
    response = Client(HTTP_HOST="nosuchshop.localhost").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Shop not found" in body
    assert "nosuchshop.localhost" in body
    assert 'href="http://localhost/signup/"' in body


def test_unknown_subdomain_page_in_chinese_by_default(db):
    response = Client(HTTP_HOST="nosuchshop.localhost").get("/dashboard/")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()


def test_unknown_subdomain_api_gets_json_404(db):
    response = Client(HTTP_HOST="nosuchshop.localhost").get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "tenant_not_found", "message": "No shop has this address."}


def test_suspended_shop_shows_the_suspended_page_and_403_from_the_api(client_a, tenant_a, client_b):
    Tenant.objects.filter(pk=tenant_a.pk).update(status="suspended")  # rolled back with the test
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert "This shop is suspended" in page.content.decode()
    assert tenant_a.name in page.content.decode()
    api = client_a.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 403
    assert api.json()["code"] == "tenant_suspended"
    # Beta is not affected.
    assert client_b.get("/api/v1/me").status_code != 403
    assert "This shop is suspended" not in client_b.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_suspended_page_in_chinese_by_default(client_a, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(status="suspended")
    assert "暂停" in client_a.get("/").content.decode()


def test_the_tenant_is_never_taken_from_the_body_or_query(client_a, tenant_a, tenant_b):
    # Beta is suspended; requests to alpha's host naming beta every other way still act on alpha.
    Tenant.objects.filter(pk=tenant_b.pk).update(status="suspended")
    for path in ("/?tenant=beta", f"/?schema={tenant_b.schema_name}&schema_name={tenant_b.schema_name}"):
        response = client_a.get(path)
        assert response.status_code != 403, path
        assert response.wsgi_request.tenant.pk == tenant_a.pk
    # Alpha's owner exists in alpha's schema only: the login succeeding proves it ran on alpha.
    response = client_a.post(
        f"/accounts/login/?tenant=beta&schema_name={tenant_b.schema_name}",
        {"tenant": "beta", "schema_name": tenant_b.schema_name, "email": "owner@alpha.test", "password": PASSWORD},
        HTTP_X_TENANT="beta",
    )
    assert response.status_code == 302
    assert response.wsgi_request.tenant.pk == tenant_a.pk
    assert response.wsgi_request.user.email == "owner@alpha.test"
    # ... and beta's owner cannot log in on alpha's host by naming beta.
    response = Client(HTTP_HOST="alpha.localhost").post(
        "/accounts/login/?tenant=beta", {"tenant": "beta", "email": "owner@beta.test", "password": PASSWORD}
    )
    assert response.status_code != 302
    assert not response.wsgi_request.user.is_authenticated


def test_middleware_resolves_the_host_and_ignores_parameters(tenant_a, tenant_b):
    request = RequestFactory().post(
        f"/?tenant=beta&schema_name={tenant_b.schema_name}",
        {"tenant": "beta", "schema_name": tenant_b.schema_name},
        HTTP_HOST="alpha.localhost",
    )
    TenantMiddleware(lambda r: None).process_request(request)
    assert request.tenant.pk == tenant_a.pk
    assert connection.schema_name == tenant_a.schema_name
