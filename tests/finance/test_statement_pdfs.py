"""The statements as PDFs (modules.printing's layout), read back with pypdf; links on the pages; who may
print them and one shop never prints another's."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.finance.conftest import login, make_user, post
from tests.printing.pdfs import pdf_pages

pytestmark = pytest.mark.usefixtures("roles_synced")


def january(tenant):
    with schema_context(tenant.schema_name):
        post(date(2026, 1, 2), ("1002", "5000", ""), ("3001", "", "5000"))
        post(date(2026, 1, 3), ("1001", "1234.56", ""), ("5001", "", "1234.56"))
        post(date(2026, 1, 9), ("5602", "300", ""), ("1001", "", "300"))


@pytest.fixture
def owner_client(client_a, tenant_a, owner_a):
    january(tenant_a)
    return login(client_a, tenant_a, owner_a)


def pdf_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    assert response.content.startswith(b"%PDF")
    return "\n".join(pdf_pages(response.content))


def test_trial_balance_pdf(owner_client):
    page = owner_client.get("/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31").content.decode()
    assert 'id="export-pdf"' in page and 'value="pdf"' in page
    text = pdf_of(owner_client, "/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31&format=pdf")
    assert "科目余额表" in text and "20260101-20260131" in text
    assert "1002" in text and "银行存款" in text and "5,000.00" in text and "1,234.56" in text
    assert "6,534.56" in text  # Σ debits = Σ credits, the totals
    assert "不平衡" not in text
    # The books' own words, not another module's translation of the same English (冲减金额, 账户, 制单人).
    assert "代码 科目 期初借方 期初贷方 借方 贷方 期末借方 期末贷方" in " ".join(text.split())
    assert "制表" in text and "冲减金额" not in text and "账户" not in text


def test_balance_sheet_and_income_statement_pdfs(owner_client):
    for url in (
        "/finance/balance-sheet/?as_of=2026-01-31",
        "/finance/income-statement/?date_from=2026-01-01&date_to=2026-01-31",
    ):
        assert 'id="export-pdf"' in owner_client.get(url).content.decode()
    sheet = pdf_of(owner_client, "/finance/balance-sheet/?as_of=2026-01-31&format=pdf")
    assert "资产负债表" in sheet and "会小企01表" in sheet and "货币资金" in sheet
    assert "5,934.56" in sheet  # 货币资金 = 5000 + 1234.56 − 300, and the totals on both sides
    income = pdf_of(owner_client, "/finance/income-statement/?date_from=2026-01-01&date_to=2026-01-31&format=pdf")
    assert "利润表" in income and "会小企02表" in income and "营业收入" in income
    assert "1,234.56" in income and "934.56" in income  # revenue, and the profit after 300 of expenses


def test_english_and_who_may_print(client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    january(tenant_a)
    login(client_a, tenant_a, owner_a)
    english = client_a.get(
        "/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31&format=pdf", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Trial balance" in "\n".join(pdf_pages(english.content))
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", "sales"))
    assert client_a.get("/finance/balance-sheet/?as_of=2026-01-31&format=pdf").status_code == 403
    login(client_b, tenant_b, owner_b)
    other = "\n".join(pdf_pages(client_b.get("/finance/balance-sheet/?as_of=2026-01-31&format=pdf").content))
    assert "5,934.56" not in other
