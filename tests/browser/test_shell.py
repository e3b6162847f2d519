"""The merchant shell in a real browser: log in, see the shop, switch language, log out; and on a phone."""

import pytest
from django.utils import translation

from modules.identity.roles import ROLE_LABELS, Role
from tests.browser.conftest import PHONE, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_owner_logs_in_sees_the_shell_switches_to_english_and_logs_out(server, new_page, snap):
    page = new_page()

    log_in(page, server, slug="alpha", email="owner@alpha.test", password=PASSWORD)

    assert page.url == server.url("/", slug="alpha")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".topbar .brand").inner_text() == "Alpha 商店"
    assert page.locator("[data-nav=dashboard]").inner_text() == "工作台"
    assert page.locator("[data-nav=dashboard]").get_attribute("aria-current") == "page"
    finance = page.locator("[data-nav=finance]")
    assert finance.evaluate("el => el.tagName") == "A"  # the books exist: a link, no longer greyed
    assert finance.inner_text() == "财务"
    snap(page, "dashboard-zh")

    page.click(".user-menu summary")
    panel = page.locator(".menu-panel")
    assert panel.is_visible()
    assert "owner@alpha.test" in panel.inner_text()
    with translation.override("zh-hans"):
        owner_label = str(ROLE_LABELS[Role.OWNER])  # the identity module's translation
    assert owner_label in panel.inner_text()
    assert panel.locator("a", has_text="修改密码").count() == 1
    assert panel.locator("a", has_text="用户").count() == 1
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    page.click(".user-menu summary")
    page.click("h1")  # a click elsewhere closes it too
    assert not panel.is_visible()

    page.click(".language-switch button")
    page.wait_for_load_state()

    assert page.url == server.url("/", slug="alpha")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-nav=dashboard]").inner_text() == "Dashboard"
    assert page.locator("[data-nav=finance]").inner_text() == "Finance"
    assert page.locator("h1").inner_text().endswith("owner@alpha.test")
    snap(page, "dashboard-en")

    page.click(".user-menu summary")
    page.click(".logout-form button")
    page.wait_for_load_state()

    assert page.url.startswith(server.url("/accounts/login/", slug="alpha"))
    page.goto(server.url("/", slug="alpha"))
    assert page.url.startswith(server.url("/accounts/login/", slug="alpha"))


def test_phone_width_collapses_the_nav_into_a_menu_button(server, new_page, snap):
    page = new_page(viewport=PHONE)
    log_in(page, server, slug="alpha", email="owner@alpha.test", password=PASSWORD)

    toggle = page.locator("[data-nav-toggle]")
    nav = page.locator("#shop-nav")
    assert toggle.is_visible()
    assert not nav.is_visible()
    # Nothing sticks out sideways on a 390px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "phone-closed")

    toggle.click()

    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-nav=dashboard]").is_visible()
    assert page.locator("[data-nav=reports]").is_visible()
    snap(page, "phone-open")
