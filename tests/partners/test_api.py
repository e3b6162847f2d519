import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.partners.models import Contact, Partner
from modules.partners.services import contact_create, partner_create
from tests.api.conftest import auth, login, make_key, make_user

URL = "/api/v1/partners/"


def detail(pk):
    return f"/api/v1/partners/{pk}"


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def patch(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def alpha_partner(tenant_a, code="S001", name="上海万达贸易", **kwargs):
    kwargs.setdefault("is_supplier", True)
    with schema_context(tenant_a.schema_name):
        return partner_create(code=code, name=name, **kwargs)


def count(tenant, model=Partner):
    with schema_context(tenant.schema_name):
        return model.objects.count()


@pytest.fixture
def writer_a(tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read", "write"))
    return auth(secret)


@pytest.fixture
def reader_a(tenant_a):
    _key, secret = make_key(tenant_a, scopes=("read",))
    return auth(secret)


def test_create_and_read(client_a, tenant_a, writer_a):
    response = post(
        client_a,
        URL,
        {"code": "S001", "name": "上海万达贸易", "is_supplier": True, "credit_limit": "100.5", "price_tier": "tier1"},
        **writer_a,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["name_initials"], body["credit_limit"], body["contacts"]) == (
        "S001",
        "shwdmy",
        "100.50",
        [],
    )
    got = client_a.get(detail(body["id"]), **writer_a)
    assert got.status_code == 200
    assert got.json()["price_tier"] == "tier1"


def test_bad_input_names_the_field_and_writes_nothing(client_a, tenant_a, writer_a):
    response = post(client_a, URL, {"code": "S1", "name": "甲"}, **writer_a)
    assert response.status_code == 400
    assert response.json()["field"] == "is_supplier"
    response = post(
        client_a,
        URL,
        {"code": "S1", "name": "甲", "is_customer": True, "taxpayer_id": "9144030071526726XH"},
        **writer_a,
    )
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("taxpayer_id", "taxpayer_id_invalid")
    response = post(client_a, URL, {"code": "S1", "name": "甲", "is_customer": True, "price_tier": "x"}, **writer_a)
    assert response.status_code == 400
    assert response.json()["field"] == "price_tier"
    response = post(
        client_a, URL, {"code": "S1", "name": "甲", "is_customer": True, "payment_terms_days": -3}, **writer_a
    )
    assert response.json()["field"] == "payment_terms_days"
    assert count(tenant_a) == 0


def test_read_scope_cannot_write(client_a, tenant_a, reader_a):
    response = post(client_a, URL, {"code": "S1", "name": "甲", "is_customer": True}, **reader_a)
    assert response.status_code == 403
    assert count(tenant_a) == 0
    assert client_a.get(URL, **reader_a).status_code == 200


def test_anonymous_is_refused(client_a, tenant_a):
    assert client_a.get(URL).status_code in (401, 403)


def test_list_filters(client_a, tenant_a, reader_a):
    alpha_partner(tenant_a, taxpayer_id="9144030071526726XG")
    alpha_partner(tenant_a, code="C001", name="北京商店", is_supplier=False, is_customer=True)
    inactive = alpha_partner(tenant_a, code="C002", name="旧客户", is_supplier=False, is_customer=True)
    with schema_context(tenant_a.schema_name):
        Partner.objects.filter(pk=inactive.pk).update(is_active=False)

    def codes(query):
        response = client_a.get(URL, query, **reader_a)
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes({}) == ["C001", "C002", "S001"]
    assert codes({"kind": "supplier"}) == ["S001"]
    assert codes({"kind": "customer", "active": "true"}) == ["C001"]
    assert codes({"active": "false"}) == ["C002"]
    assert codes({"search": "bjsd"}) == ["C001"]
    assert codes({"search": "71526726XG"}) == ["S001"]
    bad = client_a.get(URL, {"kind": "friend"}, **reader_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "kind")


def test_list_query_count_does_not_grow(client_a, tenant_a, reader_a):
    for index in range(3):
        alpha_partner(tenant_a, code=f"S{index:03}")
    client_a.get(URL, **reader_a)  # warm the key lookup cache paths
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(URL, **reader_a).status_code == 200
    for index in range(3, 30):
        alpha_partner(tenant_a, code=f"S{index:03}")
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(URL, **reader_a)
    assert len(response.json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 8


def test_update_and_deactivate_no_delete(client_a, tenant_a, writer_a):
    partner = alpha_partner(tenant_a)
    response = patch(client_a, detail(partner.pk), {"name": "北京商店", "credit_limit": "5"}, **writer_a)
    assert response.status_code == 200, response.content
    assert (response.json()["name_initials"], response.json()["credit_limit"]) == ("bjsd", "5.00")
    bad = patch(client_a, detail(partner.pk), {"credit_limit": "-1"}, **writer_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "credit_limit")
    assert client_a.delete(detail(partner.pk), **writer_a).status_code == 405
    response = post(client_a, detail(partner.pk) + "/deactivate", {}, **writer_a)
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    with schema_context(tenant_a.schema_name):
        partner.refresh_from_db()
    assert (partner.name, partner.credit_limit, partner.is_active) == ("北京商店", 5, False)


def test_contacts_nested(client_a, tenant_a, writer_a):
    partner = alpha_partner(tenant_a)
    url = detail(partner.pk) + "/contacts"
    response = post(client_a, url, {"name": "张三", "phone": "13800000000", "is_primary": True}, **writer_a)
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    bad = post(client_a, url, {"name": "李四", "email": "nope"}, **writer_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "email")
    assert [c["name"] for c in client_a.get(url, **writer_a).json()] == ["张三"]
    response = patch(client_a, f"{url}/{contact_id}", {"title": "经理"}, **writer_a)
    assert (response.status_code, response.json()["title"]) == (200, "经理")
    assert client_a.get(detail(partner.pk), **writer_a).json()["contacts"][0]["title"] == "经理"
    assert client_a.delete(f"{url}/{contact_id}", **writer_a).status_code == 204
    assert count(tenant_a, Contact) == 0
    assert client_a.get(detail(999999) + "/contacts", **writer_a).status_code == 404


def test_idempotent_create(client_a, tenant_a, writer_a):
    body = {"code": "S001", "name": "甲", "is_supplier": True}
    first = post(client_a, URL, body, HTTP_IDEMPOTENCY_KEY="k-1", **writer_a)
    again = post(client_a, URL, body, HTTP_IDEMPOTENCY_KEY="k-1", **writer_a)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert count(tenant_a) == 1
    other = post(client_a, URL, body | {"code": "S002"}, HTTP_IDEMPOTENCY_KEY="k-1", **writer_a)
    assert other.status_code == 409
    assert count(tenant_a) == 1


def test_beta_key_cannot_see_or_change_alpha_partners(client_a, client_b, tenant_a, tenant_b):
    partner = alpha_partner(tenant_a)
    with schema_context(tenant_a.schema_name):
        contact = contact_create(partner_id=partner.pk, name="张三")
    _key, beta_secret = make_key(tenant_b, scopes=("read", "write"))
    beta = auth(beta_secret)
    assert client_b.get(URL, **beta).json()["results"] == []
    assert client_b.get(detail(partner.pk), **beta).status_code == 404
    assert patch(client_b, detail(partner.pk), {"name": "x"}, **beta).status_code == 404
    assert post(client_b, detail(partner.pk) + "/deactivate", {}, **beta).status_code == 404
    assert client_b.get(detail(partner.pk) + "/contacts", **beta).status_code == 404
    assert client_b.delete(detail(partner.pk) + f"/contacts/{contact.pk}", **beta).status_code == 404
    # beta's key on alpha's host is not a key there
    assert client_a.get(URL, **beta).status_code == 401
    with schema_context(tenant_a.schema_name):
        partner.refresh_from_db()
        assert (partner.name, partner.is_active, Contact.objects.count()) == ("上海万达贸易", True, 1)


def test_beta_session_cannot_see_alpha_partners(client_b, tenant_a, tenant_b, owner_b):
    alpha_partner(tenant_a)
    login(client_b, tenant_b, owner_b)
    assert client_b.get(URL).json()["results"] == []


def test_session_writes_need_partners_permission(client_a, tenant_a):
    warehouse = make_user(tenant_a, "wh@alpha.test", Role.WAREHOUSE)
    login(client_a, tenant_a, warehouse)
    assert client_a.get(URL).status_code == 200
    response = post(client_a, URL, {"code": "S1", "name": "甲", "is_customer": True})
    assert response.status_code == 403
    assert count(tenant_a) == 0


def test_session_writes_by_sales_role(client_a, tenant_a):
    sales = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(client_a, tenant_a, sales)
    response = post(client_a, URL, {"code": "C1", "name": "客户", "is_customer": True})
    assert response.status_code == 201, response.content


def test_partners_in_openapi_schema(client_a):
    paths = client_a.get("/api/schema/?format=json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/partners/"])
    assert "/api/v1/partners/{partner_id}/contacts" in paths
    assert "/api/v1/partners/{id}/deactivate" in paths
