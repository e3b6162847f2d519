"""The issue's end-to-end path in a real browser: sign up on the public site → land on the new shop's
dashboard already logged in → invite a colleague → log out."""

import re

import pytest
from django.core import mail
from django.utils import translation

from tenants.models import Tenant
from tenants.services import tenant_delete
from tests.conftest import unique_slug

pytestmark = pytest.mark.browser

SHOP_PASSWORD = "Kiwi-Lantern-2026"


@pytest.fixture
def new_slug(committed_db):
    """A unique shop address; the shop it names is deleted (schema dropped) after the test."""
    slug = unique_slug("e2e")
    yield slug
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is not None:
        tenant_delete(tenant=tenant, confirmation=slug)


def test_sign_up_land_on_dashboard_invite_a_colleague_and_log_out(server, new_page, snap, new_slug):
    page = new_page()
    owner_email = f"owner@{new_slug}.test"
    colleague_email = f"clerk@{new_slug}.test"
    mail.outbox.clear()

    # Sign up on the public site (Chinese, the default).
    page.goto(server.url("/signup/"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("input[name=company_name]", f"浏览器测试商店 {new_slug}")
    page.fill("input[name=slug]", new_slug)
    # The address is checked live (htmx) while typing.
    page.wait_for_selector("#slug-status[data-status]")
    assert page.locator("#slug-status").get_attribute("class") == "ok-text"
    page.fill("input[name=email]", owner_email)
    page.fill("input[name=password]", SHOP_PASSWORD)
    page.check("input[name=accept_terms]")
    snap(page, "signup-filled")
    # With no spare schema in the test's pool, the request migrates one: wait for the page, not the click.
    page.click("form:has(input[name=company_name]) button[type=submit]", no_wait_after=True)
    page.wait_for_url(server.url("/", slug=new_slug), timeout=120_000)

    # The new shop's dashboard, already logged in as its owner.
    assert page.locator(".topbar .brand").inner_text() == f"浏览器测试商店 {new_slug}"
    assert page.locator(".user-menu .user-email").inner_text() == owner_email
    assert page.locator("[data-nav=dashboard]").get_attribute("aria-current") == "page"
    assert page.locator("[data-step=invite]").get_attribute("class") == ""
    assert page.locator("[data-trial-days]").get_attribute("data-trial-days") == "14"
    snap(page, "dashboard-after-signup")

    # Invite a colleague from the users page, reached through the user menu.
    page.click(".user-menu summary")
    with translation.override("zh-hans"):
        users_label = translation.pgettext("user menu", "Users")
    page.click(f".menu-panel a:text-is('{users_label}')")
    page.wait_for_url(server.url("/accounts/users/", slug=new_slug))
    invite = page.locator("#invite-form")
    invite.locator("input[name=email]").fill(colleague_email)
    invite.locator("select[name=role]").select_option("sales")
    invite.locator("button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(f"#invitations-table tr[data-invitation='{colleague_email}']").count() == 1
    snap(page, "invited")
    invitations = [m for m in mail.outbox if m.to == [colleague_email]]
    assert len(invitations) == 1
    link = re.search(r"http://\S+/accounts/invitations/\S+/", invitations[0].body)
    assert link is not None
    assert link.group(0).startswith(server.url("/accounts/invitations/", slug=new_slug))

    # The dashboard's checklist now counts the invitation.
    page.goto(server.url("/", slug=new_slug))
    assert page.locator("[data-step=invite]").get_attribute("class") == "done"

    # Log out: back to the shop's login page, and the dashboard is closed again.
    page.click(".user-menu summary")
    page.click(".logout-form button")
    page.wait_for_url(re.compile(re.escape(server.url("/accounts/login/", slug=new_slug)) + ".*"))
    page.goto(server.url("/", slug=new_slug))
    assert page.url.startswith(server.url("/accounts/login/", slug=new_slug))
    snap(page, "logged-out")
