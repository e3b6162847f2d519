from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from tenants.models import Domain, SpareSchema, Tenant
from tests.conftest import PASSWORD, unique_slug


def _form(**overrides) -> dict:
    data = {
        "company_name": "上海好邻居便利店",
        "slug": unique_slug("shop"),
        "email": "Boss@Example.test",
        "password": "Tall-Giraffe-42",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_signup_provisions_the_shop_and_logs_the_owner_in_on_its_host(
    public_client, mailoutbox, django_capture_on_commit_callbacks
):
    data = _form()
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post("/signup/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.netloc == f"{data['slug']}.localhost"
    assert location.path == "/accounts/token-login/"

    tenant = Tenant.objects.get(slug=data["slug"])
    assert tenant.name == "上海好邻居便利店"
    assert tenant.owner_email == "boss@example.test"
    assert tenant.language == "en"
    assert Domain.objects.get(tenant=tenant).domain == f"{data['slug']}.localhost"
    with schema_context(tenant.schema_name):
        owner = User.objects.get()
        assert owner.email == "boss@example.test"
        assert owner.check_password("Tall-Giraffe-42")
        assert list(owner.groups.values_list("name", flat=True)) == ["owner"]

    # The one-time link logs the owner in on the shop's host and lands on the dashboard.
    shop = Client(HTTP_HOST=location.netloc)
    landed = shop.get(f"{location.path}?{location.query}")
    assert landed.status_code == 302
    assert landed["Location"] == "/"
    dashboard = shop.get("/")
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user.email == "boss@example.test"
    # ... once: the same link is refused the second time.
    assert Client(HTTP_HOST=location.netloc).get(f"{location.path}?{location.query}").status_code != 302

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["boss@example.test"]
    assert f"{data['slug']}.localhost" in email.body
    assert f"http://{data['slug']}.localhost/accounts/login/" in email.body
    assert "上海好邻居便利店" in email.subject


def test_signup_hashes_the_password_once_before_provisioning(public_client, monkeypatch):
    import onboarding.services as services

    seen = {}

    def fake_provision(**kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(services, "tenant_provision", fake_provision)
    with pytest.raises(RuntimeError):
        public_client.post("/signup/", _form(password="Tall-Giraffe-42"))
    assert "owner_password" not in seen
    assert seen["owner_password_hash"].startswith("md5$")  # the test hasher; never the raw password
    assert "Tall-Giraffe-42" not in seen["owner_password_hash"]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"slug": "alpha"}, "slug", "This shop address is already taken."),
        ({"slug": "admin"}, "slug", "This shop address is reserved; please choose another."),
        ({"slug": "a_b"}, "slug", "The shop address must be 3–30 lower-case letters"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password": "123"}, "password", "This password is too short."),
        ({"password": "password123"}, "password", "This password is too common."),
        ({"accept_terms": ""}, "accept_terms", "Please accept the terms of service to open a shop."),
        ({"company_name": "   "}, "company_name", "This field is required."),
    ],
)
def test_every_failure_re_renders_the_form_saying_what_to_fix(public_client, overrides, field, message):
    tenants_before = Tenant.objects.count()
    spares_before = SpareSchema.objects.count()
    data = _form(**overrides)
    response = public_client.post("/signup/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert message.split("<")[0] in response.content.decode().replace("&#x27;", "'")
    assert Tenant.objects.count() == tenants_before
    assert SpareSchema.objects.count() == spares_before


def test_failures_are_explained_in_chinese_by_default(public_client):
    response = public_client.post("/signup/", _form(slug="alpha", password="123"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "此店铺地址已被占用" in body
    assert "密码太短，至少需要 8 个字符。" in body
    assert "This password" not in body


def test_a_slug_taken_between_the_check_and_the_provisioning_is_reported_on_the_field(public_client, monkeypatch):
    import onboarding.services as services
    from jxc.kernel.errors import Conflict

    def lost_race(**kwargs):
        raise Conflict("slug_taken", "This shop address is already taken.", field="slug")

    monkeypatch.setattr(services, "tenant_provision", lost_race)
    response = public_client.post("/signup/", _form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["This shop address is already taken."]


def test_an_empty_slug_takes_the_suggestion_from_the_name(public_client, monkeypatch):
    import onboarding.services as services

    seen = {}

    def fake_provision(**kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(services, "tenant_provision", fake_provision)
    with pytest.raises(RuntimeError):
        public_client.post("/signup/", _form(slug="", company_name="好邻居"))
    assert seen["slug"] == "haolinju"


def test_the_tenant_cannot_be_chosen_by_the_body(public_client, monkeypatch):
    import onboarding.services as services

    seen = {}

    def fake_provision(**kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(services, "tenant_provision", fake_provision)
    with pytest.raises(RuntimeError):
        public_client.post("/signup/?tenant=beta", _form(slug="gamma-shop", tenant="beta", schema_name="t_beta"))
    assert seen["slug"] == "gamma-shop"
    assert "schema_name" not in seen


def test_signup_is_rate_limited_per_ip_with_a_localized_429(public_client, settings):
    settings.SIGNUP_RATE_LIMIT = "2/h"
    bad = _form(password="1")  # fails validation: counts but creates nothing
    for _ in range(2):
        assert public_client.post("/signup/", bad).status_code == 400
    limited = public_client.post("/signup/", _form(), HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429
    assert "Too many" in limited.content.decode()
    assert not Tenant.objects.filter(slug=_form()["slug"]).exists()
    limited_zh = public_client.post("/signup/", bad)
    assert limited_zh.status_code == 429
    assert "太多" in limited_zh.content.decode()
    # Another address is not limited.
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.0.0.9")
    assert other.post("/signup/", bad).status_code == 400


def test_owner_of_another_shop_can_sign_up_again_with_the_same_email(public_client, owner_a):
    # Users are per shop: alpha's owner email may open a second shop.
    response = public_client.post("/signup/", _form(email="owner@alpha.test", password=PASSWORD + "x"))
    assert response.status_code == 302


def test_an_empty_address_is_filled_from_the_name_when_the_form_comes_back(public_client):
    response = public_client.post("/signup/", _form(slug="", company_name="好邻居", password="1"))
    assert response.status_code == 400
    assert 'name="slug" id="id_slug" value="haolinju"' in response.content.decode()
