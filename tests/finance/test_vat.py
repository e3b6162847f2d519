"""VAT: the shop's taxpayer kind and rates (settings page, refusals naming the field), the monthly output and
input VAT summary read from the posted journal (page, XLSX, API), one shop never sees another's."""

from datetime import date
from io import BytesIO

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from jxc.kernel.errors import AppError
from modules.finance import selectors, services
from modules.finance.models import VatSettings
from modules.identity.roles import Role
from tests.finance.conftest import D, auth, login, make_key, make_user, post

pytestmark = pytest.mark.usefixtures("roles_synced")


def vat_year(tenant):
    """2026: a sale in January (output 130), a purchase in January (input 65), a purchase in March (input 26)
    of which 6 is transferred out; the January sale's tax partly red-lettered (−13) in February; a draft
    with VAT (not counted) and a sale in 2025 (another year)."""
    with schema_context(tenant.schema_name):
        post(date(2026, 1, 10), ("1122", "1130", ""), ("5001", "", "1000"), ("22210102", "", "130"))
        post(date(2026, 1, 12), ("1405", "500", ""), ("22210101", "65", ""), ("2202", "", "565"))
        post(date(2026, 2, 3), ("1122", "-113", ""), ("5001", "", "-100"), ("22210102", "", "-13"))
        post(date(2026, 3, 5), ("1405", "200", ""), ("22210101", "26", ""), ("2202", "", "226"))
        post(date(2026, 3, 6), ("1901", "6", ""), ("22210103", "", "6"))
        post(date(2025, 12, 30), ("1122", "113", ""), ("5001", "", "100"), ("22210102", "", "13"))
        services.voucher_create(
            date=date(2026, 1, 20), created_by=None,
            lines=[services.LineInput("22210101", "99"), services.LineInput("1001", None, "99")],
        )  # fmt: skip


def test_settings_rates_and_refusals(in_tenant_a):
    assert (selectors.vat_settings_get().taxpayer_kind, selectors.vat_rates()) == (
        "general", [D("13"), D("9"), D("6"), D("0")]
    )  # fmt: skip
    assert not VatSettings.objects.exists()  # reading inserts nothing
    with pytest.raises(AppError) as error:
        services.vat_settings_update(taxpayer_kind="small_scale", default_rate="13")
    assert (error.value.field, error.value.code) == ("default_rate", "invalid_vat_rate") and "3 / 1" in str(error.value)
    with pytest.raises(AppError) as error:
        services.vat_settings_update(taxpayer_kind="big", default_rate="3")
    assert error.value.field == "taxpayer_kind"
    assert not VatSettings.objects.exists()
    services.vat_settings_update(taxpayer_kind="small_scale", default_rate="1")
    assert selectors.vat_rates() == [D("3"), D("1")] and selectors.vat_settings_get().default_rate == D("1")


def test_monthly_summary(in_tenant_a, tenant_a):
    vat_year(tenant_a)
    months = {m.month: m for m in selectors.vat_summary(year=2026)}
    assert len(months) == 12
    assert (months[1].output, months[1].input, months[1].payable) == (D("130"), D("65"), D("65"))
    assert (months[2].output, months[2].input, months[2].payable) == (D("-13"), D("0"), D("-13"))
    assert (months[3].input, months[3].transferred_out, months[3].payable) == (D("26"), D("6"), D("-20"))
    assert months[4].payable == 0
    assert selectors.vat_summary(year=2025)[11].output == D("13")
    services.vat_settings_update(taxpayer_kind="small_scale", default_rate="3")
    january = selectors.vat_summary(year=2026)[0]
    assert january.payable == january.output == D("130")  # no input deducted


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def test_pages_xlsx_and_who_may_change(client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    vat_year(tenant_a)
    login(client_a, tenant_a, owner_a)
    page = client_a.get("/finance/vat/?year=2026").content.decode()
    assert 'data-month="2026-01"' in page and 'data-kind="general"' in page and "130.00" in page
    assert 'id="vat-settings-link"' in page
    refused = client_a.post("/finance/vat/settings", {"taxpayer_kind": "small_scale", "default_rate": "9"})
    assert refused.status_code == 400 and "3 / 1" in refused.content.decode()
    assert in_a(tenant_a, VatSettings.objects.count) == 0
    saved = client_a.post("/finance/vat/settings", {"taxpayer_kind": "small_scale", "default_rate": "3"})
    assert saved.status_code == 302 and saved.url == "/finance/vat/"
    assert 'data-kind="small_scale"' in client_a.get("/finance/vat/?year=2026").content.decode()
    sheet = load_workbook(BytesIO(client_a.get("/finance/vat/?year=2026&format=xlsx").content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("2026-01", 130, 65, 0, 130) and rows[-1][1:] == (117, 91, 6, 117)
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert client_a.get("/finance/vat/").status_code == 403
    login(client_a, tenant_a, make_user(tenant_a, "acct@alpha.test", Role.ACCOUNTANT))
    assert client_a.post("/finance/vat/settings", {"taxpayer_kind": "general", "default_rate": "9"}).status_code == 302
    login(client_b, tenant_b, owner_b)
    other = client_b.get("/finance/vat/?year=2026").content.decode()
    assert 'data-kind="general"' in other and "130.00" not in other


def test_api(client_a, client_b, tenant_a, tenant_b):
    vat_year(tenant_a)
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    data = client_a.get("/api/v1/finance/vat?year=2026", **reader).json()
    assert (data["taxpayer_kind"], data["rates"], data["default_rate"]) == ("general", ["13", "9", "6", "0"], "13")
    assert data["months"][0] == {"month": "2026-01", "output": "130.00", "input": "65.00", "transferred_out": "0.00",
                                 "payable": "65.00"}  # fmt: skip
    assert data["totals"]["payable"] == "32.00"  # 117 − 91 + 6
    bad = client_a.get("/api/v1/finance/vat?year=abc", **reader)
    assert (bad.status_code, bad.json()["field"]) == (400, "year")
    business = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get("/api/v1/finance/vat?year=2026", **business).status_code == 403
    beta = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    assert client_b.get("/api/v1/finance/vat?year=2026", **beta).json()["totals"]["output"] == "0.00"
