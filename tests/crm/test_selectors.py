"""Balances with their overdue part, the customer overview and statements, read from the partner ledger."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jxc.kernel.errors import AppError
from modules.crm import selectors
from modules.partners import services as partners
from modules.partners.services import contact_create
from modules.sales.services import SaleLineInput, retail_sale_post
from tests.crm.conftest import TZ, day, entry
from tests.sales.conftest import receive


def test_overdue_counts_money_received_against_the_oldest_invoice(world):
    # K2 has 30 days: the invoice of 40 days ago (300) is overdue, the one of 10 days ago (200) is not.
    entry(world.k2, 40, "300.00", "FP1")
    entry(world.k2, 10, "200.00", "FP2")
    assert selectors.customer_overdue(partner=world.k2, on=day(0)) == D("300.00")
    # 120 received since then pays off part of the old invoice.
    entry(world.k2, 5, "-120.00", "SK1", source_type="sales_receipt")
    assert selectors.customer_overdue(partner=world.k2, on=day(0)) == D("180.00")
    # Another 250: the old one is paid, the rest goes to the newer one (not yet due).
    entry(world.k2, 1, "-250.00", "SK2", source_type="sales_receipt")
    assert selectors.customer_overdue(partner=world.k2, on=day(0)) == D("0.00")
    # K1 has no terms: anything dated before today and unpaid is overdue, today's is not.
    entry(world.k1, 1, "80.00", "FP3")
    entry(world.k1, 0, "20.00", "FP4")
    assert selectors.customer_overdue(partner=world.k1, on=day(0)) == D("80.00")


def test_customer_balances_sort_and_search(world):
    k3 = partners.partner_create(code="K3", name="三号客户", is_customer=True, payment_terms_days=30)
    entry(world.k1, 3, "50.00", "FP1")
    entry(world.k2, 60, "400.00", "FP2")
    entry(world.k2, 2, "-100.00", "SK1", source_type="sales_receipt")
    entry(k3, 2, "700.00", "FP3")
    entry(k3, -5, "999.00", "FP-future")  # dated after today: not yet in the balance

    def rows(**kwargs):
        return [(r.partner.code, r.balance, r.overdue) for r in selectors.customer_balances(on=day(0), **kwargs)]

    assert rows() == [("K1", D("50.00"), D("50.00")), ("K2", D("300.00"), D("300.00")), ("K3", D("700.00"), D(0))]
    assert [code for code, *_ in rows(sort="-balance")] == ["K3", "K2", "K1"]
    assert [code for code, *_ in rows(sort="-overdue")] == ["K2", "K1", "K3"]
    assert [code for code, *_ in rows(sort="name")] == ["K3", "K2", "K1"]  # 三 < 二 < 客 in code point order
    assert [code for code, *_ in rows(search="K2")] == ["K2"]
    # The supplier is not a customer.
    assert "S1" not in [code for code, *_ in rows()]
    with pytest.raises(AppError) as refused:
        selectors.customer_balances(on=day(0), sort="secret")
    assert refused.value.field == "sort"


def test_customer_balances_query_count_stays_small(world):
    for index in range(8):
        customer = partners.partner_create(code=f"C{index}", name=f"客户{index}", is_customer=True)
        entry(customer, 0, "10.00", f"FP{index}")  # today's: not overdue, needs no statement
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.customer_balances(on=day(0))
    assert len(rows) == 10
    # Customers, balances, one per distinct terms (0 and 30 days).
    assert len(queries) == 4


def test_overview(world):
    world.k1.credit_limit = D("100.00")
    world.k1.save()
    contact_create(partner_id=world.k1.pk, name="王经理", phone="13800000000", is_primary=True)
    entry(world.k1, 100, "30.00", "FP-old")  # before the last 90 days
    entry(world.k1, 20, "90.00", "FP1")
    entry(world.k1, 10, "-20.00", "SK1", source_type="sales_receipt")
    receive(world.shop.cola, world.shop.main, "24")
    sale = retail_sale_post(
        lines=[SaleLineInput(world.shop.cola, world.shop.bottle, "2", "3.50")],
        payment_method="wechat", tz_name=TZ, customer=world.k1,
    )  # fmt: skip
    # A walk-in customer's sale is not this customer's.
    retail_sale_post(lines=[SaleLineInput(world.shop.cola, world.shop.bottle, "1")], payment_method="card", tz_name=TZ)
    overview = selectors.customer_overview(partner=world.k1, on=day(0))
    assert [c.name for c in overview.contacts] == ["王经理"]
    assert (overview.balance, overview.overdue, overview.credit_left, overview.over_limit) == (
        D("100.00"), D("100.00"), D("0.00"), False,
    )  # fmt: skip
    assert [line.number for line in overview.recent_entries] == ["SK1", "FP1"]
    assert (overview.recent_sales, overview.sales_count, overview.sales_total) == ([sale], 1, D("7.00"))
    entry(world.k1, 0, "0.01", "FP2")
    assert selectors.customer_overview(partner=world.k1, on=day(0)).over_limit
    # No limit set: nothing is "left".
    assert selectors.customer_overview(partner=world.k2, on=day(0)).credit_left is None


def test_statement_runs_from_opening_to_closing(world):
    entry(world.k1, 40, "100.00", "FP0")
    entry(world.k1, 20, "250.00", "FP1")
    entry(world.k1, 15, "-200.00", "SK1", source_type="sales_receipt")
    entry(world.k1, 5, "80.00", "FP2")
    statement = selectors.customer_statement(partner_id=world.k1.pk, date_from=day(30), date_to=day(10))
    assert statement.opening == D("100.00")
    assert [(line.number, line.debit, line.credit, line.balance) for line in statement.lines] == [
        ("FP1", D("250.00"), D("0.00"), D("350.00")),
        ("SK1", D("0.00"), D("200.00"), D("150.00")),
    ]
    assert statement.closing == D("150.00")
    with pytest.raises(AppError) as refused:
        selectors.customer_statement(partner_id=world.k1.pk, date_from=day(10), date_to=day(30))
    assert refused.value.field == "date_to"
