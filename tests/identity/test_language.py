from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from modules.identity.models import Profile
from tests.identity.conftest import post_login


def test_language_is_stored_and_used_at_the_next_login(owner_client_a, tenant_a, owner_a, client_a):
    response = owner_client_a.post("/accounts/language/", {"language": "en", "next": "/accounts/users/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/users/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    with schema_context(tenant_a.schema_name):
        assert Profile.objects.get(user=owner_a).language == "en"
    owner_client_a.post("/accounts/logout/")
    owner_client_a.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    response = post_login(owner_client_a, "owner@alpha.test")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_language_refuses_unknown_codes_and_foreign_next(owner_client_a, tenant_a, owner_a):
    response = owner_client_a.post("/accounts/language/", {"language": "fr", "next": "http://beta.localhost/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    with schema_context(tenant_a.schema_name):
        assert Profile.objects.get(user=owner_a).language == "zh-hans"


def test_language_needs_a_login_and_post(client_a, owner_client_a):
    assert client_a.post("/accounts/language/", {"language": "en"}).status_code == 302
    assert owner_client_a.get("/accounts/language/").status_code == 405


def test_betas_owner_changes_only_betas_profile(owner_client_b, tenant_a, tenant_b, owner_a, owner_b):
    owner_client_b.post("/accounts/language/", {"language": "en"})
    with schema_context(tenant_b.schema_name):
        assert Profile.objects.get(user=owner_b).language == "en"
    with schema_context(tenant_a.schema_name):
        assert Profile.objects.get(user=owner_a).language == "zh-hans"


def test_the_shell_language_switch_saves_a_signed_in_users_choice(owner_client_a, public_client):
    dashboard = owner_client_a.get("/").content.decode()
    assert 'action="/accounts/language/"' in dashboard
    # Signed out, and on the public host, the switch only sets the language cookie.
    signed_out = Client(HTTP_HOST="alpha.localhost")
    assert 'action="/i18n/setlang/"' in signed_out.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in public_client.get("/").content.decode()
