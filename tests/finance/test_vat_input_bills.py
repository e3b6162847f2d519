"""The VAT summary's detail (issue 5, item 6): a month's supplier bills with their input VAT and input invoice
numbers (进项发票号码, recorded on the bill), adding up — with other input VAT — to the summary's figure; on the
page and in the API; a reversal shows in its own month; one shop never sees another's bills."""

from datetime import date

import pytest
from django.db import transaction

from modules.finance import selectors
from modules.finance import services as finance
from modules.finance.services import LineInput
from modules.finance.vat_detail import input_vat_detail
from modules.purchasing import services as purchasing
from modules.purchasing.services import BillLineInput
from tests.finance.conftest import D, auth, login, make_key
from tests.finance.invariants import books_reconcile  # noqa: F401
from tests.finance.test_posting import buy
from tests.stockops.conftest import TZ

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles_synced")]


def bills(s):
    """October: bill A (invoice 04412345) of 100 bottles, input VAT 26.00; bill B (no number) of 10 bottles,
    input VAT 2.60; a voucher of 5.00 input VAT (a fuel receipt); bill B reversed today (a later month)."""
    first = buy(s, "100", "2.26", date(2026, 10, 2))
    a = purchasing.purchase_bill_create(
        order=first.order, lines=[BillLineInput(first.lines.get().pk, "100")], tz_name=TZ,
        on=date(2026, 10, 5), invoice_number="04412345",
    )  # fmt: skip
    second = buy(s, "10", "2.26", date(2026, 10, 6))
    b = purchasing.purchase_bill_create(
        order=second.order, lines=[BillLineInput(second.lines.get().pk, "10")], tz_name=TZ, on=date(2026, 10, 7)
    )
    with transaction.atomic():
        finance.journal_entry_post(
            date=date(2026, 10, 9), source_type="test_voucher",
            lines=[LineInput("5602", "50"), LineInput("22210101", "5"), LineInput("1001", None, "55")],
        )  # fmt: skip
    return a, b


def test_the_months_bills_with_their_invoice_numbers_add_up_to_the_summary(shop):
    a, b = bills(shop)
    detail = input_vat_detail(year=2026, month=10)
    assert [(x.number, x.invoice_number, x.supplier, x.input_vat, x.reversed) for x in detail.bills] == [
        (a.number, "04412345", shop.supplier.name, D("26.00"), False),
        (b.number, "", shop.supplier.name, D("2.60"), False),
    ]
    assert (detail.bills_total, detail.other, detail.total) == (D("28.60"), D("5.00"), D("33.60"))
    assert detail.missing_invoice_numbers == 1
    assert selectors.vat_summary(year=2026)[9].input == detail.total
    reversal = purchasing.purchase_bill_reverse(bill=b, tz_name=TZ)
    october = input_vat_detail(year=2026, month=10)
    assert [(x.number, x.input_vat, x.reversed) for x in october.bills][1] == (b.number, D("2.60"), True)
    now = input_vat_detail(year=reversal.date.year, month=reversal.date.month)
    assert [(x.number, x.input_vat) for x in now.bills] == [(b.number, D("-2.60"))]
    assert input_vat_detail(year=2026, month=9).bills == []


def test_page_and_api(shop, client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    a, b = bills(shop)
    login(client_a, tenant_a, owner_a)
    page = client_a.get("/finance/vat/", {"year": "2026", "month": "10"}).content.decode()
    assert 'id="vat-input-bills"' in page and "04412345" in page and a.number in page and b.number in page
    assert 'id="vat-missing-invoices"' in page and "33.60" in page
    assert 'id="vat-input-bills"' not in client_a.get("/finance/vat/", {"year": "2026"}).content.decode()
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    body = client_a.get("/api/v1/finance/vat", {"year": "2026", "month": "10"}, **reader).json()
    detail = body["input_detail"]
    assert [(x["number"], x["invoice_number"], x["input_vat"]) for x in detail["bills"]] == [
        (a.number, "04412345", "26.00"), (b.number, "", "2.60"),
    ]  # fmt: skip
    assert (detail["bills_total"], detail["other"], detail["total"]) == ("28.60", "5.00", "33.60")
    assert body["months"][9]["input"] == detail["total"]
    bad = client_a.get("/api/v1/finance/vat", {"year": "2026", "month": "13"}, **reader)
    assert bad.status_code == 400 and "month" in bad.content.decode()
    # Shop beta: none of alpha's bills.
    reader_b = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    other = client_b.get("/api/v1/finance/vat", {"year": "2026", "month": "10"}, **reader_b).json()["input_detail"]
    assert (other["bills"], other["total"]) == ([], "0.00")
    page_b = login(client_b, tenant_b, owner_b).get("/finance/vat/", {"year": "2026", "month": "10"}).content.decode()
    assert a.number not in page_b and "04412345" not in page_b
