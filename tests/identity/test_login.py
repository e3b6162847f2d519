from django.conf import settings
from django.contrib.auth.models import User
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from tests.conftest import PASSWORD
from tests.identity.conftest import LOGIN, USERS, login, make_user, post_login


def test_login_page_has_stable_fields(client_a):
    response = client_a.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html
    assert 'name="password"' in html
    assert '<label for="id_email">' in html
    assert "/accounts/password/reset/" in html


def test_owner_logs_in_and_lands_on_dashboard(client_a, tenant_a):
    response = post_login(client_a, "owner@alpha.test")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client_a.get("/accounts/password/change/").status_code == 200
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(username="owner@alpha.test").last_login is not None


def test_login_email_is_case_insensitive(client_a):
    response = post_login(client_a, "  Owner@Alpha.TEST ")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_is_refused_with_a_message(client_a):
    response = post_login(client_a, "owner@alpha.test", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The email or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client_a.session


def test_login_message_in_chinese_by_default(client_a):
    response = post_login(client_a, "owner@alpha.test", "wrong-password")
    assert "邮箱或密码不正确" in response.content.decode()


def test_deactivated_user_cannot_log_in_and_is_told_why(client_a, tenant_a):
    make_user(tenant_a, "gone@alpha.test", Role.SALES, active=False)
    response = post_login(client_a, "gone@alpha.test", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This account has been deactivated" in response.content.decode()
    assert "_auth_user_id" not in client_a.session


def test_deactivated_user_with_wrong_password_learns_nothing(client_a, tenant_a):
    make_user(tenant_a, "gone@alpha.test", Role.SALES, active=False)
    response = post_login(client_a, "gone@alpha.test", "not-it-at-all", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "deactivated" not in html
    assert "The email or password is not correct." in html


def test_next_parameter_local_path_is_followed(client_a):
    response = client_a.post(LOGIN + "?next=/accounts/users/", {"email": "owner@alpha.test", "password": PASSWORD})
    assert response["Location"] == USERS


def test_next_parameter_to_another_host_is_ignored(client_a):
    response = client_a.post(
        LOGIN, {"email": "owner@alpha.test", "password": PASSWORD, "next": "http://beta.localhost/accounts/users/"}
    )
    assert response["Location"] == "/"


def test_logged_in_user_visiting_login_is_sent_on(owner_client_a):
    response = owner_client_a.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_activates_the_users_language(client_a, tenant_a):
    make_user(tenant_a, "en@alpha.test", Role.SALES, language="en")
    response = post_login(client_a, "en@alpha.test")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_owner_profile_language_is_stored_at_creation(tenant_a, owner_a):
    from modules.identity.models import Profile

    with schema_context(tenant_a.schema_name):
        assert Profile.objects.get(user=owner_a).language == "zh-hans"


def test_logout_is_post_only_and_ends_the_session(owner_client_a):
    assert owner_client_a.get("/accounts/logout/").status_code == 405
    response = owner_client_a.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    response = owner_client_a.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_required_pages_redirect_anonymous_users(client_a):
    for url in ("/accounts/password/change/", USERS):
        response = client_a.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={url}"


def test_deactivation_ends_existing_sessions(client_a, tenant_a):
    user = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(client_a, tenant_a, user)
    assert client_a.get("/accounts/password/change/").status_code == 200
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=user.pk).update(is_active=False)
    response = client_a.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
