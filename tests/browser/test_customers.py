"""In a real browser: a customer's overview, a follow-up written and marked done without leaving the page
(htmx), the dashboard card, and the statement printed (the period form and buttons hidden on paper).

Runs in a shop of its own (provisioned here, deleted at the end): its data is committed."""

import uuid
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_tenants.utils import schema_context

from jxc.kernel.numbers import today_in
from modules.crm.models import FollowUp
from modules.partnerledger.services import partner_entry_post
from modules.partners import services as partners
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def shop():
    slug = f"crm{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="客户测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        customer = partners.partner_create(code="K1", name="华联超市", is_customer=True, payment_terms_days=30)
        today = today_in(tenant.timezone)
        with transaction.atomic():
            for days_ago, amount, number in ((45, "500.00", "FP1"), (10, "-200.00", "SK1"), (5, "80.00", "FP2")):
                partner_entry_post(
                    partner=customer, kind="receivable", date=today - timedelta(days=days_ago),
                    source_type="sales_invoice" if D(amount) > 0 else "sales_receipt", source_id=days_ago,
                    number=number, amount=D(amount),
                )  # fmt: skip
    yield {"tenant": tenant, "email": email, "customer": customer, "today": today}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def test_follow_up_and_printed_statement(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    page.goto(server.url("/customers/", slug=slug))
    row = page.locator("tr[data-customer=K1]")
    assert (row.get_attribute("data-balance"), row.get_attribute("data-overdue")) == ("380.00", "300.00")
    row.locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator("#open-balance").inner_text() == "380.00"
    assert "300.00" in page.locator("#overdue").inner_text()

    url_before = page.url
    page.select_option("#id_kind", "wechat")
    page.fill("#id_text", "微信发了新品报价，周五再问")
    page.fill("#id_next_date", shop["today"].isoformat())
    page.press("#id_next_date", "Enter")  # the keyboard submits the form
    page.wait_for_selector("#follow-up-table tr[data-follow-up]")
    assert page.url == url_before  # swapped in place by htmx, no reload
    assert "微信发了新品报价" in page.locator("#follow-up-table").inner_text()
    assert page.locator("#id_text").input_value() == ""  # a fresh form for the next note
    snap(page, "overview")

    page.goto(server.url("/customers/due/card", slug=slug))
    assert page.locator("[data-due-count]").get_attribute("data-due-count") == "1"
    page.goto(url_before)
    page.click("#follow-up-table button[name=done]")
    page.wait_for_selector("#follow-up-table tr[data-done=true]")
    with schema_context(shop["tenant"].schema_name):
        assert FollowUp.objects.get().done

    page.click("#statement-link")
    page.wait_for_load_state()
    # This month so far, by default.
    assert page.locator("#id_date_from").input_value() == shop["today"].replace(day=1).isoformat()
    assert page.locator("#statement").get_attribute("data-closing") == "380.00"
    page.fill("#id_date_from", (shop["today"] - timedelta(days=60)).isoformat())
    page.press("#id_date_from", "Enter")
    page.wait_for_load_state()
    statement = page.locator("#statement")
    assert (statement.get_attribute("data-opening"), statement.get_attribute("data-closing")) == ("0.00", "380.00")
    assert page.locator("#statement-lines tr[data-number]").count() == 3
    page.emulate_media(media="print")
    assert not page.locator("#period-form").is_visible() and not page.locator("#print-statement").is_visible()
    assert page.locator("#statement-lines").is_visible()
    snap(page, "statement-print")
