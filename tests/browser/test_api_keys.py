"""The API docs and the API key pages in a real browser, with every request off this host refused.

Owned by the API engineer (jxc.api); lives here for the browser fixtures.
"""

import re
import threading

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from jxc.api.models import TenantAPIKey
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _offline(page, live) -> list[str]:
    """Refuse (and record) any request that leaves the test server: the page must not need the internet."""
    outside = []

    def route(route):
        url = route.request.url
        if re.match(rf"^http://[a-z0-9.]*{re.escape(live.base_domain)}:{live.port}/", url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", route)
    return outside


def _committed(fn):
    """Run `fn` on a connection of its own: the test's connection sits in a transaction that is rolled back."""
    result = {}

    def run():
        try:
            with schema_context("t_alpha"):
                result["value"] = fn()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")


@pytest.fixture
def alpha_key_cleanup():
    """Keys the server committed would outlive the test: delete them."""
    before = _committed(lambda: set(TenantAPIKey.objects.values_list("prefix", flat=True)))
    yield
    _committed(lambda: TenantAPIKey.objects.exclude(prefix__in=before).delete())


def test_swagger_ui_renders_offline_and_tries_me_with_the_session(server, new_page, snap):
    page = new_page(locale="en-US")
    outside = _offline(page, server)
    log_in(page, server, slug="alpha", email="owner@alpha.test", password=PASSWORD)

    page.goto(server.url("/api/docs/", slug="alpha"))
    page.locator("#operations-tag-account").click()  # tags open collapsed
    me = page.locator("#operations-account-me")
    me.wait_for()
    me.locator(".opblock-summary").click()
    me.locator("button.try-out__btn").click()
    me.locator("button.execute").click()
    live = me.locator(".live-responses-table tr.response")
    live.first.wait_for()

    assert live.first.locator(".response-col_status").inner_text().strip() == "200"
    assert "owner@alpha.test" in live.first.locator(".microlight").first.inner_text()
    page.locator("#operations-tag-api_keys").click()
    revoke = page.locator(".opblock-summary-path", has_text="/api/v1/api-keys/{prefix}/revoke")
    revoke.first.wait_for()
    assert revoke.count() == 1
    assert outside == []
    snap(page, "docs")


def test_owner_creates_copies_and_revokes_a_key(server, new_page, snap, alpha_key_cleanup):
    page = new_page()
    outside = _offline(page, server)
    log_in(page, server, slug="alpha", email="owner@alpha.test", password=PASSWORD)

    page.goto(server.url("/settings/api-keys/", slug="alpha"))
    assert page.locator("h1").inner_text() == "API 密钥"
    page.fill("input[name=name]", "浏览器测试")
    page.check("input[name=scopes][value='finance:read']")
    page.click("#api-key-create-form button[type=submit]")
    page.wait_for_load_state()

    secret = page.locator("#api-key-secret").input_value()
    prefix = secret.split(".")[0]
    assert "不会再次显示" in page.locator(".messages").inner_text()
    assert page.locator("#api-key-copy").is_visible()
    snap(page, "created")
    with schema_context("t_alpha"):
        assert TenantAPIKey.objects.get(prefix=prefix).scopes == ["read", "finance:read"]

    page.click("text=我已复制")
    page.wait_for_load_state()
    row = page.locator(f"tr[data-prefix='{prefix}']")
    assert "浏览器测试" in row.inner_text()
    assert secret not in page.content()
    row.locator("a", has_text="吊销").click()
    page.wait_for_load_state()
    assert "无法撤销" in page.locator(".card").inner_text()
    page.click("button.danger")
    page.wait_for_load_state()

    assert "已吊销" in page.locator(f"tr[data-prefix='{prefix}']").inner_text()
    with schema_context("t_alpha"):
        assert TenantAPIKey.objects.get(prefix=prefix).revoked is True
    assert outside == []
    snap(page, "revoked")
