"""Report pages: who may read them, filters and presets, sorting, htmx, charts, bad filters (400 naming the
parameter), the XLSX export read back, and isolation between shops."""

import importlib
import io
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.identity.roles import Role
from modules.sales import services as sales
from tests.reports.conftest import TZ, buy, login, make_user, post, sell, shop_create, tea_create

pytestmark = pytest.mark.usefixtures("roles_synced")

MARCH = {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def trade_a(tenant_a):
    """Alpha's shop: cola bought in February and March, 5 sold in March, tea bought in March (ledger
    moves); today 24 cola bought from S1 (net 48.00), 4 cola and 2 tea sold to K1 (net 12.00 + 20.00)."""
    with schema_context(tenant_a.schema_name):
        shop = shop_create()
        tea = tea_create(shop)
        post(shop.cola, shop.main, "10", "5.00", on=date(2026, 2, 10))
        post(shop.cola, shop.main, "10", "6.00", on=date(2026, 3, 5))
        post(shop.cola, shop.main, "-5", on=date(2026, 3, 10))
        post(tea, shop.main, "20", "5.00", on=date(2026, 3, 6))
        buy(shop, (shop.cola, 24, "2.26"))
        sell(shop, (shop.cola, 4, "3.39"), (tea, 2, "11.30"), customer=shop.customer)
        return shop


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def page(client, path, params=None, **headers):
    response = client.get(path, params or {}, HTTP_ACCEPT_LANGUAGE="en", **headers)
    return response, response.content.decode()


def test_overview_shows_this_months_figures_and_a_chart(owner, trade_a):
    response, html = page(owner, "/reports/")
    assert response.status_code == 200
    assert 'id="headline-net">32.00<' in html
    assert 'id="headline-purchases">48.00<' in html
    assert '<svg class="report-chart"' in html and 'data-value="32.00"' in html
    assert 'data-nav="reports"' in html and 'href="/reports/"' in html


def test_stock_summary_page(owner, trade_a):
    response, html = page(owner, "/reports/stock", MARCH)
    assert response.status_code == 200
    assert 'id="stock-summary"' in html
    # COLA: opening 10 / 50.00, in 10 / 60.00, out 5 / 27.50, closing 15 / 82.50; TEA in 20 / 100.00.
    for text in ("50.00", "60.00", "27.50", "82.50", "100.00", "182.50"):
        assert f">{text}<" in html, text
    assert f'href="/stock/items/{trade_a.cola.pk}/moves?from=2026-03-01&amp;to=2026-03-31"' in html
    # No warehouse chosen: no revaluation column.
    assert "Revaluation" not in html
    _response, html = page(owner, "/reports/stock", {**MARCH, "warehouse": trade_a.main.pk})
    assert "Revaluation" in html


def test_sorting_links_and_htmx_results(owner, trade_a):
    _response, html = page(owner, "/reports/stock", {**MARCH, "sort": "-closing_value"})
    assert html.index(">TEA<") < html.index(">COLA<")
    assert 'aria-sort="descending"' in html
    # The sorted column's link turns the order round; the filters stay in it.
    assert "sort=closing_value" in html and "date_from=2026-03-01" in html
    response, html = page(owner, "/reports/stock", {**MARCH, "sort": "code"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html and 'id="stock-summary"' in html
    assert html.index(">COLA<") < html.index(">TEA<")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/reports/stock", {"period": "custom", "date_from": "2026-03-01"}, "date_to"),
        ("/reports/stock", {"period": "fortnight"}, "period"),
        ("/reports/stock", {"warehouse": "main"}, "warehouse"),
        ("/reports/stock", {"sort": "secret"}, "sort"),
        ("/reports/sales", {"group": "brand"}, "group"),
        ("/reports/sales", {"date_from": "2026-02-30", "date_to": "2026-03-01"}, "date_from"),
        ("/reports/purchases", {"supplier": "-1"}, "supplier"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(owner, trade_a, path, params, field):
    response, html = page(owner, path, params)
    assert response.status_code == 400
    assert f'data-field="{field}"' in html


def test_a_bad_filter_changed_in_place_shows_its_message_in_the_results(owner, trade_a):
    response, html = page(
        owner, "/reports/stock", {"period": "custom", "date_from": "2026-03-01"}, HTTP_HX_REQUEST="true"
    )
    # htmx swaps in no 4xx: the fragment comes with 200 and says what is wrong where the results were.
    assert response.status_code == 200
    assert "<html" not in html and 'data-field="date_to"' in html and 'id="stock-summary"' not in html


def test_sales_page_groupings_chart_and_ranking(owner, trade_a):
    _response, html = page(owner, "/reports/sales")
    assert 'id="sales-report"' in html and 'id="ranking"' in html
    # Cola's cost is today's average after today's cheap receipt: 4 × 130.50 / 39 = 13.38.
    assert ">12.00<" in html and ">13.38<" in html and ">-1.38<" in html and ">26.9%<" in html
    assert 'data-group="customer"' in html
    _response, html = page(owner, "/reports/sales", {"group": "customer"})
    assert "客户" in html and ">32.00<" in html
    _response, html = page(owner, "/reports/sales", {"group": "day", "period": "this_month"})
    assert '<svg class="report-chart"' in html and 'id="ranking"' not in html
    today = sales.today_in(TZ)
    assert f">{today.isoformat()}<" in html


def test_sales_page_filters_by_salesperson(owner, owner_a, trade_a):
    _response, html = page(owner, "/reports/sales")
    assert f'<option value="{owner_a.pk}">owner@alpha.test</option>' in html
    # Today's sale was rung up by nobody in particular (no user recorded).
    _response, html = page(owner, "/reports/sales", {"salesperson": owner_a.pk})
    assert f'<option value="{owner_a.pk}" selected>' in html and "Nothing in this period." in html
    _response, html = page(owner, "/reports/sales", {"group": "salesperson"})
    assert ">Nobody recorded<" in html and ">32.00<" in html


def test_purchases_page(owner, trade_a):
    _response, html = page(owner, "/reports/purchases", {"group": "item"})
    assert 'id="purchases-report"' in html
    assert ">48.00<" in html and ">6.24<" in html and ">54.24<" in html


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    book = load_workbook(io.BytesIO(response.content))
    return book.active


def test_stock_summary_export_reads_back(owner, trade_a):
    sheet = _sheet(owner.get("/reports/stock", {**MARCH, "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert sheet.title == "Stock movement summary"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Code", "Item", "Category", "Unit", "Opening quantity", "Opening value", "Quantity in", "Value in",
        "Quantity out", "Value out", "Closing quantity", "Closing value",
    )  # fmt: skip
    assert rows[1] == ("COLA", "可口可乐", None, "瓶", 10, 50, 10, 60, 5, 27.5, 15, 82.5)
    assert rows[2][0] == "TEA" and rows[2][-1] == 100
    assert rows[-1] == ("Total", None, None, None, 10, 50, 30, 160, 5, 27.5, 35, 182.5)
    # Numbers are numbers, with formats; the header is bold and stays in view.
    assert sheet["F2"].number_format == "#,##0.00" and sheet["E2"].number_format == "#,##0.######"
    assert sheet["A1"].font.bold and sheet["A4"].font.bold and sheet.freeze_panes == "A2"


def test_export_sheet_title_is_in_the_request_language(owner, trade_a):
    sheet = _sheet(owner.get("/reports/stock", {**MARCH, "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert sheet.title == "进销存汇总"
    assert sheet["A1"].value == "编码" and sheet["A4"].value == "合计"
    sheet = _sheet(owner.get("/reports/sales", {"group": "customer", "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert sheet.title == "销售（按客户）"


def test_sales_and_purchases_exports_read_back(owner, trade_a):
    sheet = _sheet(owner.get("/reports/sales", {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert sheet.title == "Sales by item"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Code", "Item", "Unit", "Quantity", "Net revenue", "Cost", "Gross margin", "Margin %")
    cola = rows[1]
    assert cola[:7] == ("COLA", "可口可乐", "瓶", 4, 12, 13.38, -1.38) and cola[7] == pytest.approx(-0.115)
    assert sheet["H2"].number_format == "0.0%"
    assert rows[-1][:7] == ("Total", None, None, 6, 32, 23.38, 8.62) and rows[-1][7] == pytest.approx(0.269)
    sheet = _sheet(owner.get("/reports/purchases", {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Code", "Supplier", "Net amount", "VAT", "Amount with VAT"),
        ("S1", "供应商", 48, 6.24, 54.24),
        ("Total", None, 48, 6.24, 54.24),
    ]


@pytest.mark.parametrize("path", ["/reports/", "/reports/stock", "/reports/sales", "/reports/purchases"])
def test_the_warehouse_role_may_not_read_reports_and_sales_may(client_a, tenant_a, path):
    keeper = make_user(tenant_a, "keeper@alpha.test", Role.WAREHOUSE)
    assert login(client_a, tenant_a, keeper).get(path).status_code == 403
    seller = make_user(tenant_a, "seller@alpha.test", Role.SALES)
    assert login(client_a, tenant_a, seller).get(path).status_code == 200


def test_the_nav_hides_reports_from_those_who_may_not_read_them(client_a, tenant_a):
    keeper = make_user(tenant_a, "keeper@alpha.test", Role.WAREHOUSE)
    html = login(client_a, tenant_a, keeper).get("/").content.decode()
    assert 'data-nav="stock"' in html and 'data-nav="reports"' not in html


def test_anonymous_users_go_to_the_login_page(client_a, tenant_a):
    response = client_a.get("/reports/sales")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_isolation_beta_sees_none_of_alphas_figures(client_b, tenant_b, owner_b, trade_a):
    beta = login(client_b, tenant_b, owner_b)
    for path, params in [
        ("/reports/stock", MARCH),
        ("/reports/sales", {}),
        ("/reports/sales", {"group": "customer"}),
        ("/reports/purchases", {"group": "item"}),
    ]:
        response, html = page(beta, path, params)
        assert response.status_code == 200
        assert "COLA" not in html and "供应商" not in html and "Nothing in this period." in html, path
    _response, html = page(beta, "/reports/")
    assert 'id="headline-net">0.00<' in html
    rows = list(_sheet(beta.get("/reports/stock", {**MARCH, "export": "xlsx"})).iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4:] == (0,) * 8
    # Alpha's ids mean nothing in beta.
    response, html = page(beta, "/reports/stock", {**MARCH, "warehouse": trade_a.main.pk, "item": trade_a.cola.pk})
    assert response.status_code == 200 and "COLA" not in html


def test_yesterday_only_is_empty_for_todays_sales(owner, trade_a):
    yesterday = (sales.today_in(TZ) - timedelta(days=1)).isoformat()
    _response, html = page(owner, "/reports/sales", {"date_from": yesterday, "date_to": yesterday})
    assert "Nothing in this period." in html


def test_shops_that_existed_before_the_reports_get_the_permission_on_migrate(client_a, tenant_a, owner_a):
    """The data migration grants it to the existing role groups (no roles_sync needed after a deploy)."""
    migration = importlib.import_module("modules.reports.migrations.0002_grant_report_permission")
    owner = login(client_a, tenant_a, owner_a)
    with schema_context(tenant_a.schema_name):
        permission = Permission.objects.get(content_type__app_label="reports", codename="view_report")
        for group in Group.objects.all():
            group.permissions.remove(permission)
    assert owner.get("/reports/").status_code == 403
    with schema_context(tenant_a.schema_name):
        migration.grant(apps, None)
        granted = set(Group.objects.filter(permissions=permission).values_list("name", flat=True))
    assert granted == {Role.OWNER, Role.MANAGER, Role.PURCHASING, Role.SALES, Role.ACCOUNTANT}
    assert owner.get("/reports/").status_code == 200
