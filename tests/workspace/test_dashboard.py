"""The shop dashboard: login required, the shop's own numbers only, the shell around it."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django_tenants.utils import schema_context

from jxc.api.services import api_key_create
from modules.identity.roles import Role
from modules.identity.services import user_invite
from modules.workspace.selectors import dashboard_summary, trial_days_left, user_menu_get
from tenants.enums import TenantStatus
from tests.workspace.conftest import login


def _add_user(tenant, email: str, *, role: str = Role.SALES, active: bool = True) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create(username=email, email=email, password=make_password("x"), is_active=active)
        user.groups.add(Group.objects.get(name=role))
        return user


def test_anonymous_user_is_sent_to_login(client_a):
    response = client_a.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_dashboard_shows_tenant_nav_and_user_menu(owner_client_a):
    response = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alpha 商店" in html
    assert "owner@alpha.test" in html
    assert 'data-nav="dashboard"' in html
    assert 'aria-current="page"' in html
    assert 'data-nav="stock"' in html and '<span class="soon" data-nav="stock"' not in html  # inventory exists
    assert 'data-nav="sales"' in html and '<span class="soon" data-nav="sales"' not in html  # retail sales exist
    assert 'data-nav="purchasing"' in html and '<span class="soon" data-nav="purchasing"' not in html  # issue 4
    assert 'data-nav="reports"' in html and '<span class="soon" data-nav="reports"' not in html  # issue 4
    for key in ("finance",):
        # Not links until their modules exist.
        assert f'<span class="soon" data-nav="{key}"' in html
    assert "Coming soon" in html
    assert "Owner" in html


def test_dashboard_counts_users_of_this_shop_only(owner_client_a, tenant_a, tenant_b):
    _add_user(tenant_b, "clerk1@beta.test")
    _add_user(tenant_b, "clerk2@beta.test")
    _add_user(tenant_b, "gone@beta.test", active=False)

    response = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert 'data-users-active="1"' in html
    assert "data-users-inactive" not in html
    assert "Beta" not in html
    assert "beta.test" not in html


def test_beta_session_cookie_does_not_open_alpha_dashboard(client_a, client_b, tenant_b, owner_b):
    login(client_b, tenant_b, owner_b)
    client_a.cookies = client_b.cookies

    response = client_a.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_summary_of_a_trial_shop(tenant_a, owner_a, in_tenant_a):
    now = timezone.now()
    tenant_a.status = TenantStatus.TRIAL
    tenant_a.trial_ends_at = now + timedelta(days=13, hours=2)

    summary = dashboard_summary(tenant=tenant_a, user=owner_a, now=now)

    assert summary.tenant_name == "Alpha 商店"
    assert summary.status == "trial"
    assert summary.trial_days_left == 14
    assert summary.users_active == 1
    assert summary.users_inactive == 0
    assert [(step.key, step.done) for step in summary.checklist] == [
        ("invite", False),
        ("api_key", False),
        ("items", False),
    ]
    assert summary.checklist[2].url == "/catalog/"
    assert summary.checklist[2].coming_soon is False


def test_items_step_is_done_once_the_shop_has_an_item(tenant_a, owner_a, in_tenant_a):
    from modules.catalog import services as catalog

    catalog.item_create(code="FIRST", name="第一件商品", base_unit=catalog.unit_create(name="件"), max_items=None)

    assert dashboard_summary(tenant=tenant_a, user=owner_a).checklist[2].done is True


def test_invite_step_is_done_once_a_colleague_exists(tenant_a, owner_a, in_tenant_a):
    _add_user(tenant_a, "clerk@alpha.test")

    summary = dashboard_summary(tenant=tenant_a, user=owner_a)

    assert summary.users_active == 2
    assert summary.checklist[0].done is True


def test_pending_invitation_and_api_key_tick_their_steps(tenant_a, owner_a, in_tenant_a):
    user_invite(email="new.clerk@alpha.test", role=Role.SALES, invited_by=owner_a)
    api_key_create(name="accountant", scopes=["read"], created_by_id=owner_a.pk)

    summary = dashboard_summary(tenant=tenant_a, user=owner_a)

    assert summary.users_active == 1
    assert summary.invitations_pending == 1
    assert summary.users_limit == 3  # the trial plan's
    assert [(step.key, step.done) for step in summary.checklist] == [
        ("invite", True),
        ("api_key", True),
        ("items", False),
    ]


def test_beta_invitations_and_keys_do_not_tick_alphas_steps(tenant_a, tenant_b, owner_a, owner_b):
    with schema_context(tenant_b.schema_name):
        user_invite(email="clerk@beta.test", role=Role.SALES, invited_by=owner_b)
        api_key_create(name="beta key", scopes=["read"], created_by_id=owner_b.pk)

    with schema_context(tenant_a.schema_name):
        summary = dashboard_summary(tenant=tenant_a, user=owner_a)

    assert summary.invitations_pending == 0
    assert [(step.key, step.done) for step in summary.checklist] == [
        ("invite", False),
        ("api_key", False),
        ("items", False),
    ]


def test_dashboard_page_shows_pending_invitations_and_plan_limit(owner_client_a, tenant_a, owner_a):
    with schema_context(tenant_a.schema_name):
        user_invite(email="new.clerk@alpha.test", role=Role.SALES, invited_by=owner_a)

    html = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-invitations-pending="1"' in html
    assert "1 invitation pending" in html
    assert "Your plan allows up to 3 users" in html
    assert '<li class="done" data-step="invite">' in html


def test_trial_days_left():
    now = timezone.now()

    class T:
        status = TenantStatus.TRIAL
        trial_ends_at = now + timedelta(hours=1)

    assert trial_days_left(tenant=T, now=now) == 1
    T.trial_ends_at = now - timedelta(seconds=1)
    assert trial_days_left(tenant=T, now=now) == 0
    T.status = TenantStatus.ACTIVE
    assert trial_days_left(tenant=T, now=now) is None


def test_user_menu_links_depend_on_role(tenant_a, owner_a, in_tenant_a):
    clerk = User.objects.create(username="c@alpha.test", email="c@alpha.test", password="!")
    clerk.groups.add(Group.objects.get(name=Role.SALES))

    owner_menu = user_menu_get(user=owner_a)
    clerk_menu = user_menu_get(user=clerk)

    assert owner_menu.role == "owner"
    assert clerk_menu.role == "sales"
    assert clerk_menu.email == "c@alpha.test"
    clerk_urls = {link.url for link in clerk_menu.links}
    owner_urls = {link.url for link in owner_menu.links}
    # Links only to pages that exist; users and API keys are the owner's alone.
    assert clerk_urls <= owner_urls
    assert not any(url.startswith("/settings/api-keys/") for url in clerk_urls)


def test_dashboard_query_count_is_capped(owner_client_a, django_assert_max_num_queries):
    owner_client_a.get("/")  # warm the per-process caches (tenant activity touch, translations)

    # session, user, role, user counts, invitations, API keys, plan, the low-stock snapshot and its top
    # lines (when something is low); the user's and their groups' permissions (the Reports entry needs
    # one); and one SET search_path
    with django_assert_max_num_queries(12):
        response = owner_client_a.get("/")

    assert response.status_code == 200


def test_a_clerk_sees_no_owner_links(client_a, tenant_a):
    clerk = _add_user(tenant_a, "clerk@alpha.test", role=Role.SALES)
    login(client_a, tenant_a, clerk)

    html = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "clerk@alpha.test" in html
    assert 'href="/accounts/users/"' not in html
    assert 'href="/settings/api-keys/"' not in html
    assert 'href="/accounts/password/change/"' in html
    # The API key step is the owner's (the invite step is done: the clerk is a second user).
    assert html.count("Ask the shop owner") == 1
    assert '<li class="done" data-step="invite">' in html
