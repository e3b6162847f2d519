"""The general ledger (总账), the account detail (明细账) and the cash and bank journal (现金/银行日记账) as PDFs
(modules.printing's layout), read back with pypdf: the figures of known postings, long books over several
pages with the header on each, both languages; who may print them and one shop never prints another's."""

import io
from datetime import date

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.finance import services
from modules.finance.models import Account
from modules.finance.services import LineInput
from modules.identity.roles import Role
from modules.partners import services as partners
from tests.finance.conftest import login, make_user, post
from tests.printing.pdfs import pdf_pages

pytestmark = pytest.mark.usefixtures("roles_synced")

LEDGER = "/finance/ledger/?account=1002&year=2026"
DETAIL = "/finance/account-detail/?account=1002&date_from=2026-01-01&date_to=2026-01-31"
CASH = "/finance/cash-journal?account=1002&from=2026-01-01&to=2026-01-31"


def bank_books(tenant) -> None:
    """The bank 1002 through the shop's own sub-account 100201 工商银行 (so every book rolls it up): 10000.00
    paid in in December 2025; in January a customer pays 1130.00 and rent of 2000.00 goes out; 500.00 more
    paid in in February."""
    with schema_context(tenant.schema_name):
        services.account_create(parent=Account.objects.get(code="1002"), code="100201", name_zh="工商银行")
        customer = partners.partner_create(code="C7", name="华联超市", is_customer=True)
        post(date(2025, 12, 20), ("100201", "10000", ""), ("3001", "", "10000"), memo="股东投入")
        with transaction.atomic():
            services.journal_entry_post(
                date=date(2026, 1, 5), memo="收货款",
                lines=[LineInput("100201", "1130"), LineInput("1122", None, "1130", partner=customer)],
                source_type="test",
            )  # fmt: skip
        post(date(2026, 1, 10), ("5602", "2000", ""), ("100201", "", "2000"), memo="一月房租")
        post(date(2026, 2, 3), ("100201", "500", ""), ("3001", "", "500"), memo="二月投入")


def pdf_text(client, url: str, **headers) -> list[str]:
    """Each page's text with its runs of white space made one space: pypdf reads a table cell by cell, so
    a row's cells follow each other ("2026-01-05 202601-0001 收货款 1,130.00 11,130.00"), blank ones left out."""
    response = client.get(url + "&format=pdf", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    assert response.content.startswith(b"%PDF-")
    return [" ".join(page.split()) for page in pdf_pages(response.content)]


@pytest.fixture
def owner_client(client_a, tenant_a, owner_a, books):
    bank_books(tenant_a)
    return login(client_a, tenant_a, owner_a)


def test_general_ledger_pdf(owner_client):
    page = owner_client.get(LEDGER).content.decode()
    assert 'id="export-pdf"' in page and 'value="pdf"' in page and 'id="export-xlsx"' in page
    assert 'id="ledger-total"' in page
    [text] = pdf_text(owner_client, LEDGER)
    assert text.startswith("Alpha 商店 总账 单号 1002-2026")  # the shop, the title, the number
    assert "科目 1002 银行存款 年度 2026" in text
    assert "期间 借方 贷方 余额（借 − 贷）" in text
    # The sub-account's postings rolled up: the opening, each month's debits, credits and balance, the year's.
    assert (
        "期初余额 10,000.00 2026-01 1,130.00 2,000.00 9,130.00 2026-02 500.00 9,630.00 "
        "合计 1,630.00 2,000.00 9,630.00 制表：______________ 审核：______________"
    ) in text
    assert "第 1 页，共 1 页" in text


def test_general_ledger_xlsx(owner_client):
    response = owner_client.get(LEDGER + "&format=xlsx")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[2][0] == "期初余额" and float(rows[2][3]) == 10000.0
    assert rows[3][0] == "2026-01" and [float(x) for x in rows[3][1:]] == [1130.0, 2000.0, 9130.0]
    assert rows[-1][0] == "合计" and [float(x) for x in rows[-1][1:]] == [1630.0, 2000.0, 9630.0]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B4"].number_format == sheet["D4"].number_format != "General"  # amounts as money, from B on


def test_account_detail_pdf(owner_client):
    assert 'id="export-pdf"' in owner_client.get(DETAIL).content.decode()
    [text] = pdf_text(owner_client, DETAIL)
    assert text.startswith("Alpha 商店 明细账 单号 1002-20260101-20260131")
    assert "科目 1002 银行存款 从 2026-01-01 至 2026-01-31" in text
    assert (
        "日期 凭证号 摘要 借方 贷方 余额（借 − 贷） "
        "2026-01-01 期初余额 10,000.00 "
        "2026-01-05 202601-0001 收货款 1,130.00 11,130.00 "
        "2026-01-10 202601-0002 一月房租 2,000.00 9,130.00 "
        "2026-01-31 合计 1,130.00 2,000.00 9,130.00 制表：______________ 审核：______________"
    ) in text
    assert "二月投入" not in text and "股东投入" not in text


def test_cash_journal_pdf(owner_client):
    assert 'id="export-pdf"' in owner_client.get(CASH).content.decode()
    [text] = pdf_text(owner_client, CASH)
    assert text.startswith("Alpha 商店 银行日记账 单号 1002-20260101-20260131")
    assert "科目 1002 银行存款 从 2026-01-01 至 2026-01-31" in text
    assert (
        "日期 凭证号 摘要 往来单位 对方科目 借方 贷方 余额 "
        "2026-01-01 期初余额 10,000.00 "
        "2026-01-05 202601-0001 收货款 华联超市 1122 1,130.00 11,130.00 "
        "2026-01-10 202601-0002 一月房租 5602 2,000.00 9,130.00 "
        "2026-01-31 合计 1,130.00 2,000.00 9,130.00 制表：______________ 审核：______________"
    ) in text
    [cash] = pdf_text(owner_client, CASH.replace("1002", "1001"))
    assert cash.startswith("Alpha 商店 现金日记账")
    assert "2026-01-01 期初余额 0.00 2026-01-31 合计 0.00 0.00 0.00" in cash


def test_long_books_run_over_pages_with_the_header_on_each(client_a, tenant_a, owner_a, books):
    with schema_context(tenant_a.schema_name):
        for n in range(1, 91):
            post(date(2026, 3, 1 + n % 28), ("1001", f"{n}.00", ""), ("5001", "", f"{n}.00"), memo=f"零售 {n:03d}")
    login(client_a, tenant_a, owner_a)
    total = "4,095.00"  # 1 + 2 + … + 90
    for url in (
        "/finance/account-detail/?account=1001&date_from=2026-03-01&date_to=2026-03-31",
        "/finance/cash-journal?account=1001&from=2026-03-01&to=2026-03-31",
    ):
        pages = pdf_text(client_a, url)
        assert len(pages) >= 3, url
        for number, text in enumerate(pages, start=1):
            assert "摘要" in text and "余额" in text, (url, number)  # the header row repeated
            assert f"第 {number} 页，共 {len(pages)} 页" in text
        printed = "\n".join(pages)
        assert all(f"零售 {n:03d}" in printed for n in range(1, 91))
        assert f"2026-03-31 合计 {total} 0.00 {total} 制表" in pages[-1]
        assert "制表" in pages[-1] and "制表" not in pages[0]


def test_english(client_a, tenant_a, owner_a, books):
    bank_books(tenant_a)
    login(client_a, tenant_a, owner_a)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    [ledger] = pdf_text(client_a, LEDGER, **english)
    assert ledger.startswith("Alpha 商店 General ledger No. 1002-2026")
    assert "Period Debit Credit Balance (debit − credit) Opening balance 10,000.00" in ledger
    assert "Total 1,630.00 2,000.00 9,630.00 Prepared by" in ledger and "Page 1 of 1" in ledger
    [detail] = pdf_text(client_a, DETAIL, **english)
    assert detail.startswith("Alpha 商店 Account detail No. 1002-20260101-20260131")
    assert "Date Number Memo Debit Credit Balance (debit − credit) 2026-01-01 Opening balance 10,000.00" in detail
    [bank] = pdf_text(client_a, CASH, **english)
    assert bank.startswith("Alpha 商店 Bank journal")
    assert "Date Number Memo Partner Counter accounts Debit Credit Balance" in bank
    assert "2026-01-31 Total 1,130.00 2,000.00 9,130.00 Prepared by：______________ Approved by" in bank
    [cash] = pdf_text(client_a, CASH.replace("1002", "1001"), **english)
    assert cash.startswith("Alpha 商店 Cash journal")
    [other] = pdf_text(client_a, CASH.replace("1002", "1012"), **english)
    assert other.startswith("Alpha 商店 Cash and bank journal")


def test_who_may_print(client_a, tenant_a, books):
    bank_books(tenant_a)
    login(client_a, tenant_a, make_user(tenant_a, "accountant@alpha.test", Role.ACCOUNTANT))
    for url in (LEDGER, DETAIL, CASH):
        assert "9,130.00" in "\n".join(pdf_text(client_a, url))
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    for url in (LEDGER, DETAIL, CASH):
        assert client_a.get(url + "&format=pdf").status_code == 403, url
    client_a.logout()
    for url in (LEDGER, DETAIL, CASH):
        assert client_a.get(url + "&format=pdf").status_code == 302, url  # to the login page


def test_one_shop_never_prints_anothers_books(client_b, tenant_a, tenant_b, owner_b, books):
    bank_books(tenant_a)
    login(client_b, tenant_b, owner_b)
    # alpha's own sub-account is no account of beta's.
    assert client_b.get(LEDGER.replace("1002", "100201") + "&format=pdf").status_code == 404
    assert client_b.get(DETAIL.replace("1002", "100201") + "&format=pdf").status_code == 404
    # The template's accounts beta has too: its own books, empty.
    for url in (LEDGER, DETAIL, CASH):
        printed = "\n".join(pdf_text(client_b, url))
        assert "10,000.00" not in printed and "9,130.00" not in printed and "收货款" not in printed, url
