"""现金日记账 / 银行日记账 (issue 5, item 7): the page /finance/cash-journal and GET /api/v1/finance/cash-journal
show the opening balance, each posted line (date, voucher number, memo, partner, debit, credit, running
balance) and the closing; as XLSX too. finance:read suffices; isolation; bad input → 400 naming the parameter."""

import io
from datetime import date

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from modules.finance import services
from modules.finance.cash_journal import cash_journal
from modules.finance.services import LineInput
from modules.partners import services as partners
from tests.finance.conftest import D, auth, login, make_key, post

pytestmark = pytest.mark.usefixtures("roles_synced")

URL = "/api/v1/finance/cash-journal"
PAGE = "/finance/cash-journal"


def bank_month(tenant) -> dict:
    """Bank 1002: 10000.00 paid in in December; in January a customer pays 1130.00, a supplier is paid
    500.00, rent 2000.00 goes out; a cash deposit (1001 → 1002) of 300.00; February is outside the dates."""
    with schema_context(tenant.schema_name):
        customer = partners.partner_create(code="C9", name="华联超市", is_customer=True)
        supplier = partners.partner_create(code="S9", name="康师傅批发", is_supplier=True)
        post(date(2025, 12, 20), ("1002", "10000", ""), ("3001", "", "10000"), memo="股东投入")
        with transaction.atomic():
            services.journal_entry_post(
                date=date(2026, 1, 5), memo="收货款",
                lines=[LineInput("1002", "1130"), LineInput("1122", None, "1130", partner=customer)],
                source_type="test",
            )  # fmt: skip
            services.journal_entry_post(
                date=date(2026, 1, 8), memo="付货款",
                lines=[LineInput("2202", "500", partner=supplier), LineInput("1002", None, "500")],
                source_type="test",
            )  # fmt: skip
        post(date(2026, 1, 10), ("5602", "2000", ""), ("1002", "", "2000"), memo="一月房租")
        post(date(2026, 1, 12), ("1002", "300", ""), ("1001", "", "300"), memo="现金存行")
        post(date(2026, 2, 1), ("1002", "1", ""), ("3001", "", "1"), memo="二月")
        return {"customer": customer.name, "supplier": supplier.name}


def test_the_figures_line_by_line(books):
    names = bank_month(books)
    journal = cash_journal(code="1002", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    assert journal.opening == D("10000.00")
    assert [
        (x.date.day, x.memo, x.partner, x.counter_accounts, x.debit, x.credit, x.balance) for x in journal.lines
    ] == [
        (5, "收货款", names["customer"], ["1122"], D("1130.00"), D("0"), D("11130.00")),
        (8, "付货款", names["supplier"], ["2202"], D("0"), D("500.00"), D("10630.00")),
        (10, "一月房租", "", ["5602"], D("0"), D("2000.00"), D("8630.00")),
        (12, "现金存行", "", ["1001"], D("300.00"), D("0"), D("8930.00")),
    ]
    assert [x.number for x in journal.lines] == ["202601-0001", "202601-0002", "202601-0003", "202601-0004"]
    assert (journal.debit, journal.credit, journal.closing) == (D("1430.00"), D("2500.00"), D("8930.00"))
    cash = cash_journal(code="1001", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    assert (cash.opening, [x.balance for x in cash.lines], cash.closing) == (D("0"), [D("-300.00")], D("-300.00"))


def test_the_api_with_a_read_key(client_a, tenant_a, books):
    names = bank_month(tenant_a)
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    body = client_a.get(URL, {"account": "1002", "from": "2026-01-01", "to": "2026-01-31"}, **reader).json()
    assert (body["account"]["code"], body["opening"], body["closing"]) == ("1002", "10000.00", "8930.00")
    assert (body["debit"], body["credit"]) == ("1430.00", "2500.00")
    first = body["lines"][0]
    assert (first["date"], first["number"], first["partner"], first["debit"], first["credit"], first["balance"]) == (
        "2026-01-05", "202601-0001", names["customer"], "1130.00", "0.00", "11130.00",
    )  # fmt: skip
    assert [line["balance"] for line in body["lines"]] == ["11130.00", "10630.00", "8630.00", "8930.00"]
    # From the 9th: the opening carries what went before.
    later = client_a.get(URL, {"account": "1002", "from": "2026-01-09", "to": "2026-02-28"}, **reader).json()
    assert (later["opening"], len(later["lines"]), later["closing"]) == ("10630.00", 3, "8931.00")
    other = auth(make_key(tenant_a, scopes=("read",))[1])
    assert client_a.get(URL, {"account": "1002"}, **other).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"account": "5602"}, "account"),
        ({"account": "1002", "from": "2026-13-01"}, "from"),
        ({"account": "1002", "to": "yesterday"}, "to"),
        ({"account": "1002", "from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(client_a, tenant_a, owner_a, books, query, field):
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    response = client_a.get(URL, query, **reader)
    assert response.status_code == 400 and response.json()["field"] == field
    page = login(client_a, tenant_a, owner_a).get(PAGE, query)
    assert page.status_code == 400
    assert f'data-field="{field}"' in page.content.decode()


def test_the_page_and_its_xlsx(client_a, tenant_a, owner_a, books):
    names = bank_month(tenant_a)
    login(client_a, tenant_a, owner_a)
    page = client_a.get(PAGE, {"account": "1002", "from": "2026-01-01", "to": "2026-01-31"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-account="1002"' in body and "8930.00" in body and names["supplier"] in body and "二月" not in body
    assert "cash-journal" in client_a.get("/finance/").content.decode()  # linked from the books' pages
    xlsx = client_a.get(PAGE, {"account": "1002", "from": "2026-01-01", "to": "2026-01-31", "format": "xlsx"})
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    figures = [row for row in rows if row and row[1] == "202601-0002"]
    assert figures and figures[0][3] == names["supplier"] and float(figures[0][6]) == 500.0
    assert float(rows[-1][-1]) == 8930.0


def test_isolation(client_a, client_b, tenant_a, tenant_b, owner_b, books):
    bank_month(tenant_a)
    reader_b = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    body = client_b.get(URL, {"account": "1002", "from": "2025-01-01", "to": "2026-12-31"}, **reader_b).json()
    assert (body["opening"], body["lines"], body["closing"]) == ("0.00", [], "0.00")
    page = login(client_b, tenant_b, owner_b).get(PAGE, {"account": "1002", "from": "2025-01-01", "to": "2026-12-31"})
    assert page.status_code == 200 and "202601-0001" not in page.content.decode()
    reader_a = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    assert client_b.get(URL, {"account": "1002"}, **reader_a).status_code in (401, 403)
