import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.partners.models import Contact, Partner
from modules.partners.services import contact_create, partner_create
from tests.api.conftest import login, make_user


@pytest.fixture
def owner_client(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def alpha_partner(tenant_a, code="S001", name="上海万达贸易", **kwargs):
    kwargs.setdefault("is_supplier", True)
    with schema_context(tenant_a.schema_name):
        return partner_create(code=code, name=name, **kwargs)


FORM = {
    "code": "S001",
    "name": "上海万达贸易",
    "is_supplier": "on",
    "taxpayer_id": "9144030071526726XG",
    "bank_name": "",
    "bank_account": "",
    "address": "",
    "payment_terms_days": "30",
    "credit_limit": "1000",
    "price_tier": "wholesale",
    "notes": "",
}


def test_anonymous_goes_to_login(client_a):
    response = client_a.get("/partners/")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_lists_by_kind_with_search(owner_client, tenant_a):
    alpha_partner(tenant_a)
    alpha_partner(tenant_a, code="C001", name="北京商店", is_supplier=False, is_customer=True)
    suppliers = owner_client.get("/partners/suppliers/").content.decode()
    assert 'data-partner="S001"' in suppliers and 'data-partner="C001"' not in suppliers
    customers = owner_client.get("/partners/customers/").content.decode()
    assert 'data-partner="C001"' in customers and 'data-partner="S001"' not in customers
    # htmx live search returns only the results fragment
    response = owner_client.get("/partners/", {"q": "bjsd"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-partner="C001"' in html and 'data-partner="S001"' not in html


def test_pagination(owner_client, tenant_a):
    for index in range(30):
        alpha_partner(tenant_a, code=f"S{index:03}")
    first = owner_client.get("/partners/").content.decode()
    assert first.count("data-partner=") == 25
    second = owner_client.get("/partners/", {"page": 2}).content.decode()
    assert second.count("data-partner=") == 5


def test_nav_entry(owner_client):
    html = owner_client.get("/partners/").content.decode()
    assert 'data-nav="partners"' in html


def test_create_edit_and_contacts(owner_client, tenant_a):
    response = owner_client.post("/partners/new/", FORM)
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        partner = Partner.objects.get(code="S001")
    assert response["Location"] == f"/partners/{partner.pk}/edit/"
    assert (partner.name_initials, partner.price_tier, partner.payment_terms_days) == ("shwdmy", "wholesale", 30)

    response = owner_client.post(
        f"/partners/{partner.pk}/contacts/",
        {"name": "张三", "phone": "138", "is_primary": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "张三" in response.content.decode()
    bad = owner_client.post(f"/partners/{partner.pk}/contacts/", {"name": "李四", "email": "x"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    with schema_context(tenant_a.schema_name):
        assert list(Contact.objects.values_list("name", flat=True)) == ["张三"]
        contact = Contact.objects.get()

    response = owner_client.post(f"/partners/{partner.pk}/edit/", FORM | {"name": "北京商店", "is_customer": "on"})
    assert response.status_code == 302
    detail = owner_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "北京商店" in detail and "张三" in detail

    assert owner_client.post(f"/partners/{partner.pk}/contacts/{contact.pk}/delete/").status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Contact.objects.count() == 0


def test_form_shows_service_error_on_the_field(owner_client, tenant_a):
    response = owner_client.post("/partners/new/", FORM | {"taxpayer_id": "9144030071526726XH"})
    assert response.status_code == 200
    assert 'id="id_taxpayer_id-errors"' in response.content.decode()
    response = owner_client.post("/partners/new/", FORM | {"is_supplier": ""})
    assert 'id="id_is_supplier-errors"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Partner.objects.count() == 0


def test_deactivate(owner_client, tenant_a):
    partner = alpha_partner(tenant_a)
    assert owner_client.post(f"/partners/{partner.pk}/deactivate/").status_code == 302
    with schema_context(tenant_a.schema_name):
        partner.refresh_from_db()
    assert partner.is_active is False
    assert 'data-partner="S001"' not in owner_client.get("/partners/").content.decode()
    assert 'data-partner="S001"' in owner_client.get("/partners/", {"active": "false"}).content.decode()


def test_warehouse_role_reads_but_cannot_write(client_a, tenant_a):
    partner = alpha_partner(tenant_a)
    login(client_a, tenant_a, make_user(tenant_a, "wh@alpha.test", Role.WAREHOUSE))
    assert client_a.get("/partners/").status_code == 200
    assert client_a.get(f"/partners/{partner.pk}/").status_code == 200
    assert client_a.get("/partners/new/").status_code == 403
    assert client_a.post("/partners/new/", FORM | {"code": "S002"}).status_code == 403
    assert client_a.post(f"/partners/{partner.pk}/deactivate/").status_code == 403
    with schema_context(tenant_a.schema_name):
        assert Partner.objects.count() == 1
        assert Partner.objects.get().is_active


def test_purchasing_role_can_write(client_a, tenant_a):
    login(client_a, tenant_a, make_user(tenant_a, "buy@alpha.test", Role.PURCHASING))
    assert client_a.post("/partners/new/", FORM).status_code == 302


def test_beta_session_cannot_reach_alpha_partner(client_b, tenant_a, tenant_b, owner_b):
    partner = alpha_partner(tenant_a)
    with schema_context(tenant_a.schema_name):
        contact = contact_create(partner_id=partner.pk, name="张三")
    login(client_b, tenant_b, owner_b)
    assert client_b.get(f"/partners/{partner.pk}/").status_code == 404
    assert client_b.get(f"/partners/{partner.pk}/edit/").status_code == 404
    assert client_b.post(f"/partners/{partner.pk}/deactivate/").status_code == 404
    assert client_b.post(f"/partners/{partner.pk}/contacts/{contact.pk}/delete/").status_code == 404
    assert 'data-partner="S001"' not in client_b.get("/partners/").content.decode()
    with schema_context(tenant_a.schema_name):
        partner.refresh_from_db()
        assert partner.is_active and Contact.objects.count() == 1


def test_pages_in_chinese_and_english(owner_client, tenant_a):
    alpha_partner(tenant_a)
    chinese = owner_client.get("/partners/suppliers/").content.decode()
    assert "<h1>供应商</h1>" in chinese and "纳税人识别号" in chinese
    owner_client.cookies["django_language"] = "en"
    english = owner_client.get("/partners/suppliers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Suppliers</h1>" in english


def test_list_page_query_count_does_not_grow(owner_client, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(3):
        alpha_partner(tenant_a, code=f"S{index:03}")
    owner_client.get("/partners/")
    with CaptureQueriesContext(connection) as few:
        owner_client.get("/partners/")
    for index in range(3, 25):
        alpha_partner(tenant_a, code=f"S{index:03}")
    with CaptureQueriesContext(connection) as many:
        owner_client.get("/partners/")
    assert len(many.captured_queries) == len(few.captured_queries)
