"""The /finance/ pages: who may see them, a voucher from form to approval and reversal, attachments, month
close and reopen, statements on screen and as XLSX; one shop never sees another's books."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.finance.models import Attachment, JournalEntry, Period
from modules.identity.roles import Role
from tests.finance.conftest import D, login, make_user, post

pytestmark = pytest.mark.usefixtures("roles_synced")

PAGES = [
    "/finance/", "/finance/accounts/", "/finance/vouchers/", "/finance/vouchers/new", "/finance/periods/",
    "/finance/trial-balance/", "/finance/balance-sheet/", "/finance/income-statement/", "/finance/ledger/",
    "/finance/account-detail/",
]  # fmt: skip


@pytest.fixture
def owner_client(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def voucher_post_data(**overrides):
    data = {
        "date": "2026-01-20", "memo": "房租",
        "line-0-account": "5602", "line-0-debit": "2000", "line-0-memo": "一月房租",
        "line-1-account": "1002", "line-1-credit": "2000",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_pages_for_the_owner_and_who_else(owner_client, client_b, tenant_a):
    for url in PAGES:
        response = owner_client.get(url)
        assert response.status_code == 200, url
    body = owner_client.get("/finance/").content.decode()
    assert 'href="/finance/"' in body and 'data-nav="finance"' in body  # the nav entry is a link now
    sales = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(owner_client, tenant_a, sales)
    assert owner_client.get("/finance/trial-balance/").status_code == 403
    assert client_b.get("/finance/").status_code == 302  # anonymous: to the login page


def test_voucher_from_the_form_to_approval_and_reversal(client_a, tenant_a, owner_a):
    accountant = make_user(tenant_a, "acct@alpha.test", Role.ACCOUNTANT)
    login(client_a, tenant_a, accountant)
    bad = client_a.post("/finance/vouchers/new", voucher_post_data(**{"line-1-credit": "1999"}))
    assert bad.status_code == 400 and "2000.00" in bad.content.decode()
    assert in_a(tenant_a, JournalEntry.objects.count) == 0
    saved = client_a.post("/finance/vouchers/new", voucher_post_data())
    entry = in_a(tenant_a, JournalEntry.objects.get)
    assert saved.status_code == 302 and saved.url == f"/finance/vouchers/{entry.pk}"
    page = client_a.get(saved.url).content.decode()
    assert "action-approve" not in page  # the preparer cannot approve
    login(client_a, tenant_a, owner_a)
    assert "action-approve" in client_a.get(saved.url).content.decode()
    client_a.post(f"/finance/vouchers/{entry.pk}/approve")
    entry = in_a(tenant_a, lambda: JournalEntry.objects.get(pk=entry.pk))
    assert (entry.status, entry.number, entry.posted_by_id) == ("posted", "202601-0001", owner_a.pk)
    reversed_ = client_a.post(f"/finance/vouchers/{entry.pk}/reverse", {"date": "2026-01-25"})
    reversal = in_a(tenant_a, lambda: JournalEntry.objects.get(reverses=entry))
    assert reversed_.url == f"/finance/vouchers/{reversal.pk}" and reversal.total == D("-2000")  # in red


def test_attachments_upload_download_and_isolation(owner_client, client_b, tenant_a, tenant_b, owner_b):
    draft = in_a(tenant_a, lambda: post(date(2026, 1, 5), ("1001", "1", ""), ("5001", "", "1")))
    upload = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice", content_type="application/pdf")
    owner_client.post(f"/finance/vouchers/{draft.pk}/attach", {"file": upload})
    attachment = in_a(tenant_a, Attachment.objects.get)
    download = owner_client.get(f"/finance/attachments/{attachment.pk}")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 invoice"
    assert "attachment;" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    login(client_b, tenant_b, owner_b)
    assert client_b.get(f"/finance/attachments/{attachment.pk}").status_code == 404
    assert client_b.get(f"/finance/vouchers/{draft.pk}").status_code == 404
    assert "202601-0001" not in client_b.get("/finance/vouchers/").content.decode()


def test_close_and_reopen_a_month_from_the_page(owner_client, tenant_a):
    in_a(tenant_a, lambda: post(date(2025, 11, 5), ("1001", "1", ""), ("3001", "", "1")))
    page = owner_client.get("/finance/periods/").content.decode()
    assert 'data-period="2025-11"' in page
    period = in_a(tenant_a, lambda: Period.objects.get(year=2025, month=11))
    owner_client.post(f"/finance/periods/{period.pk}/close")
    assert in_a(tenant_a, lambda: Period.objects.get(pk=period.pk).status) == "closed"
    refused = owner_client.post(f"/finance/periods/{period.pk}/reopen", {"reason": ""}, follow=True)
    assert in_a(tenant_a, lambda: Period.objects.get(pk=period.pk).status) == "closed"
    assert refused.status_code == 200
    owner_client.post(f"/finance/periods/{period.pk}/reopen", {"reason": "漏记一张发票"})
    assert in_a(tenant_a, lambda: Period.objects.get(pk=period.pk).status) == "open"


def test_statements_on_screen_and_as_xlsx(owner_client, tenant_a):
    in_a(tenant_a, lambda: post(date(2026, 1, 2), ("1002", "500", ""), ("3001", "", "500")))
    in_a(tenant_a, lambda: post(date(2026, 1, 3), ("1001", "80", ""), ("5001", "", "80")))
    screen = owner_client.get("/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31").content.decode()
    assert 'data-balanced="yes"' in screen and 'data-account="1002"' in screen
    xlsx = owner_client.get("/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["1002"][4] == 500 and rows["5001"][5] == 80
    assert rows[None][4] == rows[None][5] == 580  # the totals row
    sheet = load_workbook(
        BytesIO(owner_client.get("/finance/balance-sheet/?as_of=2026-01-31&format=xlsx").content)
    ).active
    lines = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert lines[1][2] == 580 and lines[30][2] == lines[53][2] == 580 and lines[51][2] == 80
    income = owner_client.get("/finance/income-statement/?date_from=2026-01-01&date_to=2026-01-31").content.decode()
    assert 'data-line="32"' in income
    detail = owner_client.get("/finance/account-detail/?account=1002&date_from=2026-01-01&date_to=2026-01-31")
    assert "500.00" in detail.content.decode()
    assert owner_client.get("/finance/ledger/?account=1002&year=2026").status_code == 200


def test_sub_account_from_the_page(owner_client, tenant_a):
    bad = owner_client.post("/finance/accounts/", {"parent": "1002", "code": "1003", "name_zh": "错"})
    assert bad.status_code == 400 and "100201" in bad.content.decode()
    owner_client.post("/finance/accounts/", {"parent": "1002", "code": "100201", "name_zh": "工商银行"})
    assert 'data-account="100201"' in owner_client.get("/finance/accounts/").content.decode()
