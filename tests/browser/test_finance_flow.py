"""The books in a real browser: an accountant keys in a voucher (记账凭证), the owner approves it, closes the
month (月结) and reads the trial balance and balance sheet.

Runs in a shop of its own (provisioned here, deleted at the end): posted entries are committed and immutable.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from jxc.kernel.numbers import today_in
from modules.identity.roles import Role
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.api.conftest import make_user
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"fin{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="账簿测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    accountant = make_user(tenant, f"acct@{slug}.test", Role.ACCOUNTANT)
    yield {"tenant": tenant, "owner": email, "accountant": accountant.email}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def test_voucher_approval_month_close_and_statements(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    last_month = today_in("Asia/Shanghai").replace(day=1) - timedelta(days=1)
    month = f"{last_month:%Y-%m}"

    clerk = new_page(locale="zh-CN")
    log_in(clerk, server, slug=slug, email=shop["accountant"], password=PASSWORD)
    clerk.goto(server.url("/finance/", slug=slug))
    assert clerk.locator("[data-nav=finance]").get_attribute("aria-current") == "page"
    clerk.click("#new-voucher")
    clerk.fill("#id_date", last_month.isoformat())
    clerk.fill("#id_memo", "股东投入")
    clerk.fill("#line-0-account", "1002")
    clerk.fill("#line-0-debit", "10000")
    clerk.fill("#line-1-account", "3001")
    clerk.fill("#line-1-credit", "9000")
    clerk.click("#save-voucher")
    assert "10000.00" in clerk.locator("#voucher-errors").inner_text()  # unbalanced: refused, said why
    clerk.fill("#line-1-credit", "10000")
    clerk.click("#save-voucher")
    clerk.wait_for_load_state()
    assert clerk.locator("#voucher").get_attribute("data-status") == "draft"
    assert clerk.locator("#action-approve").count() == 0  # not by the one who prepared it
    voucher_url = clerk.url

    owner = new_page(locale="zh-CN")
    log_in(owner, server, slug=slug, email=shop["owner"], password=PASSWORD)
    owner.goto(voucher_url)
    owner.click("#action-approve")
    owner.wait_for_load_state()
    assert owner.locator("#voucher").get_attribute("data-status") == "posted"
    assert owner.locator("#voucher").get_attribute("data-number") == f"{last_month:%Y%m}-0001"
    snap(owner, "voucher-posted")

    owner.goto(server.url("/finance/periods/", slug=slug))
    owner.click(f"tr[data-period='{month}'] [data-action=close]")
    owner.wait_for_load_state()
    assert owner.locator(f"tr[data-period='{month}'] .badge").inner_text() == "已结账"

    owner.goto(server.url(f"/finance/trial-balance/?date_from={last_month:%Y-%m}-01&date_to={last_month}", slug=slug))
    assert owner.locator("#trial-balance").get_attribute("data-balanced") == "yes"
    assert "10000.00" in owner.locator("tr[data-account='1002']").inner_text()
    owner.goto(server.url(f"/finance/balance-sheet/?as_of={last_month}", slug=slug))
    assert "10000.00" in owner.locator("tr[data-line='30']").inner_text()
    assert "10000.00" in owner.locator("tr[data-line='53']").inner_text()
    snap(owner, "balance-sheet")

    # The closed month refuses a new voucher, naming the date.
    clerk.goto(server.url("/finance/vouchers/new", slug=slug))
    clerk.fill("#id_date", last_month.isoformat())
    clerk.fill("#line-0-account", "1001")
    clerk.fill("#line-0-debit", "1")
    clerk.fill("#line-1-account", "3001")
    clerk.fill("#line-1-credit", "1")
    clerk.click("#save-voucher")
    assert last_month.isoformat() in clerk.locator("#voucher-errors").inner_text()
    with schema_context(shop["tenant"].schema_name):
        from modules.finance.models import JournalEntry

        assert JournalEntry.objects.count() == 1
