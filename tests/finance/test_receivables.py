"""Receivables and payables: open items from the partner ledger (reversals cancel, explicit allocations
first, then FIFO, leftovers unapplied), aging by payment terms, the pages, XLSX and the API; one shop never
sees another's."""

from datetime import date, timedelta
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from modules.finance.receivables import aging, partner_open_items
from modules.partnerledger.selectors import partner_balance
from modules.partnerledger.services import partner_entries_reverse, partner_entry_post
from modules.partners.models import Partner
from modules.purchasing import services as purchasing
from tests.finance.conftest import auth, login, make_key
from tests.purchasing.conftest import TZ, billed, shop  # noqa: F401

pytestmark = pytest.mark.usefixtures("roles_synced")

AS_OF = date(2026, 6, 30)
_ids = iter(range(1, 10**6))


def partner(code: str, *, terms: int = 0, customer=True, supplier=False) -> Partner:
    return Partner.objects.create(
        code=code, name=f"客户{code}", is_customer=customer, is_supplier=supplier, payment_terms_days=terms
    )


def entry(p: Partner, on: date, amount: str, number: str, *, kind="receivable", source_type="sales_invoice"):
    with transaction.atomic():
        return partner_entry_post(
            partner=p, kind=kind, date=on, source_type=source_type, source_id=next(_ids), number=number,
            amount=D(amount),
        )  # fmt: skip


def world():
    """Customer C1 (30 days' terms): invoices of 100 (Jan), 200 (Apr), 300 (Jun), 50 (Mar, reversed);
    receipts of 150 and a return of 20. Customer C2: a prepayment of 80 and nothing invoiced."""
    c1, c2 = partner("C1", terms=30), partner("C2")
    entry(c1, date(2026, 1, 10), "100", "XSFP1")
    entry(c1, date(2026, 4, 15), "200", "XSFP2")
    entry(c1, date(2026, 6, 10), "300", "XSFP3")
    cancelled = entry(c1, date(2026, 3, 1), "50", "XSFP4")
    with transaction.atomic():
        partner_entries_reverse(
            source_type=cancelled.source_type, source_id=cancelled.source_id, date=date(2026, 3, 2), number="XSFP5"
        )
    entry(c1, date(2026, 5, 1), "-150", "SK1", source_type="sales_receipt")
    entry(c1, date(2026, 6, 20), "-20", "XSTH1", source_type="sales_return")
    entry(c2, date(2026, 6, 1), "-80", "SK2", source_type="sales_receipt")
    return c1, c2


def test_fifo_settlement_and_aging_buckets(in_tenant_a):
    c1, c2 = world()
    report = aging(kind="receivable", as_of=AS_OF)
    rows = {row.partner.code: row for row in report.partners}
    first = rows["C1"]
    # 170 of money and returns settle XSFP1 (100) and then 70 of XSFP2; the reversed XSFP4 is no item.
    assert [(item.number, item.open) for item in first.items] == [("XSFP2", D("130")), ("XSFP3", D("300"))]
    # XSFP2 due 15 May: 46 days overdue on 30 June; XSFP3 due 10 July: current.
    assert [(item.days_overdue, item.bucket) for item in first.items] == [(46, "d31_60"), (-10, "current")]
    assert first.buckets == {
        "current": D("300"), "d1_30": 0, "d31_60": D("130"), "d61_90": 0, "d90_plus": 0
    }  # fmt: skip
    assert first.balance == partner_balance(partner_id=c1.pk, kind="receivable") == D("430")
    assert (rows["C2"].items, rows["C2"].unapplied, rows["C2"].balance) == ([], D("80"), D("-80"))
    assert report.totals["balance"] == D("350") and report.totals["unapplied"] == D("80")
    # Before the receipt: all of XSFP1 open, 80 days past its due date on 30 April.
    april = partner_open_items(partner=c1, kind="receivable", as_of=date(2026, 4, 30))
    assert [(item.number, item.open, item.bucket) for item in april.items] == [
        ("XSFP1", D("100"), "d61_90"), ("XSFP2", D("200"), "current")
    ]  # fmt: skip
    # On 2 March the invoice reversed on the 2nd is gone, on the 1st it is open.
    assert [i.number for i in partner_open_items(partner=c1, kind="receivable", as_of=date(2026, 3, 1)).items] == [
        "XSFP1", "XSFP4"
    ]  # fmt: skip
    assert aging(kind="payable", as_of=AS_OF).partners == []
    assert [row.partner.code for row in aging(kind="receivable", as_of=AS_OF, q="c2").partners] == ["C2"]


def test_bucket_edges(in_tenant_a):
    p = partner("E", terms=0)
    for days, number in ((0, "N0"), (1, "N1"), (30, "N30"), (31, "N31"), (60, "N60"), (61, "N61"), (90, "N90"),
                         (91, "N91")):  # fmt: skip
        entry(p, AS_OF - timedelta(days=days), "1", number)
    buckets = {item.number: item.bucket for item in partner_open_items(partner=p, kind="receivable", as_of=AS_OF).items}
    assert buckets == {
        "N0": "current", "N1": "d1_30", "N30": "d1_30", "N31": "d31_60", "N60": "d31_60", "N61": "d61_90",
        "N90": "d61_90", "N91": "d90_plus",
    }  # fmt: skip


def test_a_payment_settles_the_bill_it_is_allocated_to(shop):  # noqa: F811
    older, newer = billed(shop), billed(shop)
    purchasing.purchase_payment_create(
        supplier=shop.supplier, allocations=[purchasing.AllocationInput(newer.pk, "100.00")], method="bank",
        tz_name=TZ,
    )  # fmt: skip
    row = partner_open_items(partner=shop.supplier, kind="payable", as_of=newer.date)
    opens = {item.number: item.open for item in row.items}
    # FIFO would have taken the 100 off the older bill; the allocation says the newer one.
    assert opens == {older.number: older.total_gross, newer.number: newer.total_gross - D("100.00")}
    assert row.balance == partner_balance(partner_id=shop.supplier.pk, kind="payable")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(-500, 500).filter(bool), st.booleans()), min_size=1, max_size=12
    )
)
def test_open_items_always_add_up_to_the_balance(in_tenant_a, moves):
    with transaction.atomic():
        sid = transaction.savepoint()
        p = partner("P", terms=15)
        for n, (days_ago, amount, undo) in enumerate(moves):
            made = entry(p, AS_OF - timedelta(days=days_ago), str(amount), f"D{n}")
            if undo:
                with transaction.atomic():
                    partner_entries_reverse(
                        source_type=made.source_type, source_id=made.source_id, date=AS_OF, number=f"R{n}"
                    )
        row = partner_open_items(partner=p, kind="receivable", as_of=AS_OF)
        assert row.balance == partner_balance(partner_id=p.pk, kind="receivable")
        assert all(0 < item.open <= item.amount for item in row.items) and row.unapplied >= 0
        assert sum(row.buckets.values()) == row.open_total
        transaction.savepoint_rollback(sid)


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def test_pages_xlsx_and_isolation(client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    in_a(tenant_a, world)
    login(client_a, tenant_a, owner_a)
    page = client_a.get("/finance/receivables/?as_of=2026-06-30")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-partner="C1"' in body and 'data-item="XSFP2"' in body
    assert 'data-item="XSFP1"' not in body and "430.00" in body
    assert client_a.get("/finance/payables/?as_of=2026-06-30").status_code == 200
    xlsx = client_a.get("/finance/receivables/?as_of=2026-06-30&format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_code = {row[0]: row for row in rows if row[0]}
    assert by_code["C1"][2:] == (300, 0, 130, 0, 0, 0, 430)
    assert by_code["C2"][2:] == (0, 0, 0, 0, 0, 80, -80)
    assert rows[-1][-1] == 350
    login(client_b, tenant_b, owner_b)
    other = client_b.get("/finance/receivables/?as_of=2026-06-30").content.decode()
    assert 'data-partner="C1"' not in other


def test_api_needs_finance_read_and_is_isolated(client_a, client_b, tenant_a, tenant_b):
    in_a(tenant_a, world)
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    response = client_a.get("/api/v1/finance/aging?kind=receivable&as_of=2026-06-30", **reader)
    assert response.status_code == 200
    data = response.json()
    c1 = next(row for row in data["partners"] if row["code"] == "C1")
    assert c1["buckets"]["d31_60"] == "130.00" and c1["balance"] == "430.00" and c1["payment_terms_days"] == 30
    assert [item["number"] for item in c1["items"]] == ["XSFP2", "XSFP3"] and data["totals"]["balance"] == "350.00"
    bad = client_a.get("/api/v1/finance/aging?kind=both&as_of=June", **reader)
    assert (bad.status_code, bad.json()["field"]) == (400, "kind") and "as_of" in bad.content.decode()
    business = auth(make_key(tenant_a, scopes=("read", "write"))[1])
    assert client_a.get("/api/v1/finance/aging?kind=receivable", **business).status_code == 403
    beta = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    assert client_b.get("/api/v1/finance/aging?kind=receivable&as_of=2026-06-30", **beta).json()["partners"] == []


def test_a_receipt_settles_the_invoices_it_is_allocated_to_then_the_oldest(in_tenant_a):
    from modules.sales.services import OrderLineInput
    from tests.sales.conftest import stocked_shop
    from tests.sales.test_billing import delivered, invoice, pay

    s = stocked_shop()
    order, _delivery, lines = delivered(s, OrderLineInput(s.cola, s.bottle, "3", "1.00"))
    first, second = invoice(order, (lines["COLA"], "1")), invoice(order, (lines["COLA"], "2"))
    pay(s, "1.50", (second, "1.00"))  # 1.00 on the second invoice, 0.50 on account
    row = partner_open_items(partner=s.customer, kind="receivable", as_of=second.date)
    # FIFO alone would have settled the first invoice whole; the allocation takes 1.00 off the second, the
    # 0.50 left over goes to the oldest.
    assert {item.number: item.open for item in row.items} == {first.number: D("0.50"), second.number: D("1.00")}
    assert row.balance == partner_balance(partner_id=s.customer.pk, kind="receivable") == D("1.50")
