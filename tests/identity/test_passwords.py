from django.contrib.auth.models import User
from django.core import mail
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.identity.conftest import LOGIN, post_login

NEW = "Brand-New-Pass-77"


def _reset_link(message) -> str:
    return next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line).strip()


def test_password_change_page_has_stable_fields(owner_client_a):
    html = owner_client_a.get("/accounts/password/change/").content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html


def test_password_change(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    assert owner_client_a.get(response["Location"]).status_code == 200
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=owner_a.pk).check_password(NEW)


def test_password_change_with_wrong_old_password_changes_nothing(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post(
        "/accounts/password/change/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=owner_a.pk).check_password(PASSWORD)


def test_password_reset_by_email(client_a, tenant_a, owner_a):
    html = client_a.get("/accounts/password/reset/").content.decode()
    assert 'name="email"' in html
    response = client_a.post("/accounts/password/reset/", {"email": "owner@alpha.test"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert client_a.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@alpha.test"]
    link = _reset_link(mail.outbox[0])
    assert link.startswith("http://alpha.localhost/accounts/password/reset/")
    response = client_a.get(link.removeprefix("http://alpha.localhost"))
    assert response.status_code == 302
    form_url = response["Location"]
    assert 'name="new_password1"' in client_a.get(form_url).content.decode()
    response = client_a.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert client_a.get(response["Location"]).status_code == 200
    assert post_login(client_a, "owner@alpha.test", NEW).status_code == 302
    # The link works once.
    response = client_a.get(link.removeprefix("http://alpha.localhost"))
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_password_reset_for_unknown_email_sends_nothing(client_a):
    response = client_a.post("/accounts/password/reset/", {"email": "nobody@alpha.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_on_beta_does_not_find_alphas_user(client_b):
    response = client_b.post("/accounts/password/reset/", {"email": "owner@alpha.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_alphas_reset_link_does_not_work_on_beta(client_a, client_b, tenant_a, owner_a):
    client_a.post("/accounts/password/reset/", {"email": "owner@alpha.test"})
    path = _reset_link(mail.outbox[0]).removeprefix("http://alpha.localhost")
    response = client_b.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=owner_a.pk).check_password(PASSWORD)


def test_password_reset_pages_link_to_login(client_a):
    assert LOGIN in client_a.get("/accounts/password/reset/").content.decode()


def test_reset_tokens_are_bound_to_the_tenants_schema(tenant_a, tenant_b, owner_a):
    from modules.identity.tokens import password_reset_token_generator

    with schema_context(tenant_a.schema_name):
        token = password_reset_token_generator.make_token(owner_a)
        assert password_reset_token_generator.check_token(owner_a, token) is True
    with schema_context(tenant_b.schema_name):
        # The same user object (same pk, same hash) checked in beta's schema: refused.
        assert password_reset_token_generator.check_token(owner_a, token) is False


def test_password_reset_requests_are_rate_limited_per_address(client_a, tenant_a):
    for _ in range(5):
        assert client_a.post("/accounts/password/reset/", {"email": "owner@alpha.test"}).status_code == 302
    response = client_a.post("/accounts/password/reset/", {"email": "Owner@alpha.test"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many password reset requests." in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_rate_limit_is_per_shop(client_a, client_b, tenant_a):
    for _ in range(5):
        client_a.post("/accounts/password/reset/", {"email": "owner@beta.test"})
    response = client_b.post("/accounts/password/reset/", {"email": "owner@beta.test"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["owner@beta.test"]]
