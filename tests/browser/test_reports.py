"""The reports in a real browser: from the menu to this month's chart, the sales report by day and by item,
a period changed from the keyboard (htmx swaps the results), a column sorted, an Excel export downloaded
and read back, and the stock summary on a phone without sideways scrolling.

Runs in a shop of its own (provisioned here, deleted at the end): its committed moves and sales cannot
disturb the session's alpha and beta shops.
"""

import io
import uuid
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.catalog import services as catalog
from modules.inventory import services as inventory
from modules.inventory.services import MoveLine, stock_moves_post
from modules.sales import services as sales
from modules.sales.services import SaleLineInput
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision
from tests.browser.conftest import PHONE, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
TZ = "Asia/Shanghai"


@pytest.fixture
def shop():
    slug = f"rpt{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.test"
    tenant = tenant_provision(
        slug=slug, name="报表测试店", owner_email=email, owner_password_hash=make_password(PASSWORD)
    ).tenant
    with schema_context(tenant.schema_name):
        bottle = catalog.unit_create(name="瓶")
        cola = catalog.item_create(code="COLA", name="可乐", base_unit=bottle, max_items=None)
        tea = catalog.item_create(code="TEA", name="绿茶", base_unit=bottle, max_items=None)
        main = inventory.warehouse_default_ensure()
        stock_moves_post(
            lines=[MoveLine(cola, main, D("50"), D("2.00")), MoveLine(tea, main, D("20"), D("5.00"))],
            posted_at=timezone.now() - timedelta(minutes=5),
            source_type="test_receipt",
            source_id=1,
        )
        sales.retail_sale_post(
            lines=[SaleLineInput(cola, bottle, "4", "3.39"), SaleLineInput(tea, bottle, "2", "11.30")],
            payment_method="cash",
            tz_name=TZ,
        )
    yield {"tenant": tenant, "email": email}
    tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), confirmation=slug)


def test_reports_from_the_menu_to_an_export(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(locale="zh-CN")
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)

    page.click("[data-nav=reports]")
    page.wait_for_load_state()
    assert page.locator("#headline-net").inner_text() == "32.00"
    assert page.locator("svg.report-chart rect.bar").count() >= 1
    snap(page, "overview")

    page.click("#report-links >> text=销售")
    page.wait_for_load_state()
    rows = page.locator("#sales-report tbody tr")
    assert rows.count() == 2 and "COLA" in rows.nth(0).inner_text()
    assert page.locator("#ranking li").count() == 2

    # Sort by gross margin, largest first: tea (10.00) before cola (12.00 − 4 × 2.00 = 4.00).
    page.click("#sales-report th >> text=毛利")
    page.wait_for_function("document.querySelector('#sales-report tbody tr').innerText.includes('TEA')")
    assert "毛利" in page.locator("#sales-report th[aria-sort=descending]").inner_text()

    # By day, with a chart; then last month, chosen from the keyboard: nothing sold then.
    page.click("#group-tabs [data-group=day]")
    page.wait_for_load_state()
    # This month so far: a bar a day, the quiet ones at zero.
    assert page.locator("#period-chart rect.bar").count() == sales.today_in(TZ).day
    page.focus("#period")
    page.keyboard.press("ArrowDown")  # this month → last month; the change swaps the results in
    page.wait_for_url("**period=last_month**")
    page.wait_for_function("!document.querySelector('#sales-report tfoot').innerText.includes('32.00')")
    assert "group=day" in page.url
    snap(page, "sales-by-day-last-month")
    # Typing a date makes the period a custom one.
    page.fill("#date_from", "2020-01-01")
    page.dispatch_event("#date_from", "change")
    page.wait_for_url("**period=custom**")
    assert page.locator("#period").input_value() == "custom"

    page.goto(server.url("/reports/sales?group=item", slug=slug))
    with page.expect_download() as download:
        page.click("#export")
    # Playwright's file has no .xlsx name, which openpyxl would refuse: read it as bytes.
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.title == "销售（按商品）"
    assert [cell.value for cell in sheet[1]][:3] == ["编码", "商品", "单位"]
    assert sheet["E4"].value == 32 and sheet["A4"].value == "合计"


def test_the_stock_summary_fits_a_phone(server, new_page, snap, shop):
    slug = shop["tenant"].slug
    page = new_page(viewport=PHONE)
    log_in(page, server, slug=slug, email=shop["email"], password=PASSWORD)
    page.goto(server.url("/reports/stock", slug=slug))
    assert page.locator("#stock-summary tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "stock-summary-phone")
