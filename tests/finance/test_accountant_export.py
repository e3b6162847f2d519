"""The accountant's export: a month's posted vouchers, one row a line, in the columns accounting software
imports; read back from XLSX and from CSV (UTF-8 with BOM); the page button, the API scope and isolation."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.finance import services
from modules.finance.accountant import COLUMNS
from modules.finance.services import LineInput
from modules.identity.roles import Role
from modules.partners.models import Partner
from tests.finance.conftest import auth, login, make_key, make_user, post

pytestmark = pytest.mark.usefixtures("roles_synced")


def month_of_books(tenant, owner):
    """January 2026: a sale to 华联超市 posted by a document, a manual voucher keyed in by an accountant,
    approved by the owner, with two attachments, then reversed; a draft; and an entry of February."""
    with schema_context(tenant.schema_name):
        owner.first_name, owner.last_name = "王", "老板"
        owner.save()
        customer = Partner.objects.create(code="C1", name="华联超市", is_customer=True)
        accountant = make_user(tenant, "acct@alpha.test", Role.ACCOUNTANT)
        with transaction.atomic():
            services.journal_entry_post(
                date=date(2026, 1, 5),
                lines=[
                    LineInput("1122", debit="113.00", partner=customer, memo="销售 XSFP1"),
                    LineInput("5001", credit="100.00"),
                    LineInput("22210102", credit="13.00"),
                ],
                memo="销售发票 XSFP1",
                source_type="sales_invoice",
                source_id=1,
            )
        draft = services.voucher_create(
            date=date(2026, 1, 20), memo="=房租", created_by=accountant,
            lines=[LineInput("5602", debit="2000"), LineInput("1002", credit="2000")],
        )  # fmt: skip
        for name in ("a.pdf", "b.pdf"):
            services.attachment_add(
                entry=draft, filename=name, content_type="application/pdf", data=b"x", uploaded_by=accountant
            )
        voucher = services.voucher_post(entry=draft, acting_user=owner)
        services.journal_entry_reverse(entry=voucher, date=date(2026, 1, 25), acting_user=owner)
        services.voucher_create(
            date=date(2026, 1, 28), created_by=accountant,
            lines=[LineInput("5602", debit="1"), LineInput("1001", credit="1")],
        )  # fmt: skip
        post(date(2026, 2, 1), ("1001", "5", ""), ("3001", "", "5"))


EXPECTED = [
    # 凭证日期, 字, 号, 摘要, 编码, 名称, 借, 贷, 往来单位, 附件数, 制单人, 审核人
    ("2026-01-05", "记", 1, "销售 XSFP1", "1122", "应收账款", D("113.00"), None, "华联超市", 0, "系统", ""),
    ("2026-01-05", "记", 1, "销售发票 XSFP1", "5001", "主营业务收入", None, D("100.00"), "", 0, "系统", ""),
    ("2026-01-05", "记", 1, "销售发票 XSFP1", "22210102", "销项税额", None, D("13.00"), "", 0, "系统", ""),
    ("2026-01-20", "记", 2, "=房租", "5602", "管理费用", D("2000.00"), None, "", 2, "acct@alpha.test", "王 老板"),
    ("2026-01-20", "记", 2, "=房租", "1002", "银行存款", None, D("2000.00"), "", 2, "acct@alpha.test", "王 老板"),
]


def test_xlsx_and_csv_read_back(client_a, tenant_a, owner_a):
    month_of_books(tenant_a, owner_a)
    login(client_a, tenant_a, owner_a)
    page = client_a.get("/finance/vouchers/").content.decode()
    assert 'id="voucher-export"' in page and 'action="/finance/vouchers/export"' in page

    response = client_a.get("/finance/vouchers/export?period=2026-01&file=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="vouchers-2026-01.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 3 + 2 + 2  # the document, the voucher, its reversal; no draft, no February
    read = [(r[0].date().isoformat(), *r[1:6], *(None if v is None else D(str(v)) for v in r[6:8]), *r[8:])
            for r in rows[1:]]  # fmt: skip
    assert [tuple("" if v is None and i in (8, 11) else v for i, v in enumerate(r)) for r in read[:5]] == EXPECTED
    reversal = read[5:]
    assert [(r[2], r[6], r[7]) for r in reversal] == [(3, D("-2000.00"), None), (3, None, D("-2000.00"))]
    assert sheet.cell(5, 4).data_type == "s"  # a memo starting with = is text, not a formula

    response = client_a.get("/finance/vouchers/export?period=2026-01&file=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(lines[0]) == COLUMNS and len(lines) == 8
    assert lines[1] == ["2026-01-05", "记", "1", "销售 XSFP1", "1122", "应收账款", "113.00", "", "华联超市", "0",
                        "系统", ""]  # fmt: skip
    assert lines[6][6:8] == ["-2000.00", ""]
    refused = client_a.get("/finance/vouchers/export?period=January", follow=True)
    assert refused.status_code == 200 and refused.redirect_chain[-1][0] == "/finance/vouchers/"


def test_api_export_scope_errors_and_isolation(client_a, client_b, tenant_a, tenant_b, owner_a):
    month_of_books(tenant_a, owner_a)
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    response = client_a.get("/api/v1/finance/voucher-export?period=2026-01&file=csv", **reader)
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 8
    xlsx = client_a.get("/api/v1/finance/voucher-export?period=2026-02", **reader)
    assert (
        len(list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows())) == 1 + 2
    )  # February: one entry of two lines
    bad = client_a.get("/api/v1/finance/voucher-export?period=2026-13&file=pdf", **reader)
    assert (bad.status_code, bad.json()["field"]) == (400, "period") and "file" in bad.content.decode()
    business = auth(make_key(tenant_a, scopes=("read", "write"))[1])
    assert client_a.get("/api/v1/finance/voucher-export?period=2026-01", **business).status_code == 403
    beta = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    other = client_b.get("/api/v1/finance/voucher-export?period=2026-01&file=csv", **beta)
    assert len(list(csv.reader(io.StringIO(other.content.decode("utf-8-sig"))))) == 1  # the header only
