"""The partner ledger: signed entries, balances as of a day, statements with running balances, reversal."""

import threading
import time
import uuid
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.partnerledger.models import EntryKind, PartnerEntry
from modules.partnerledger.selectors import partner_balance, partner_balances, partner_statement
from modules.partnerledger.services import partner_entries_reverse, partner_entry_post, partner_lock
from modules.partners.models import Partner
from tenants.models import Tenant

RECEIVABLE, PAYABLE = EntryKind.RECEIVABLE, EntryKind.PAYABLE


def partner(code: str, *, customer=True, supplier=False) -> Partner:
    return Partner.objects.create(code=code, name=f"往来 {code}", is_customer=customer, is_supplier=supplier)


def post(p: Partner, amount: str, on: date, *, kind=RECEIVABLE, source_id=1, number="XSFP1") -> PartnerEntry:
    with transaction.atomic():
        return partner_entry_post(
            partner=p, kind=kind, date=on, source_type="sales_invoice", source_id=source_id, number=number,
            amount=D(amount),
        )  # fmt: skip


def test_balances_and_statement_with_running_balance(in_tenant_a):
    shop = partner("C1")
    post(shop, "100.00", date(2026, 10, 31), source_id=1, number="XSFP001")
    post(shop, "250.50", date(2026, 11, 3), source_id=2, number="XSFP002")
    post(shop, "-80.00", date(2026, 11, 5), source_id=3, number="SK001")
    post(shop, "19.999", date(2026, 12, 1), source_id=4, number="XSFP003")  # rounds half up to 20.00

    assert partner_balance(partner_id=shop.pk, kind=RECEIVABLE) == D("290.50")
    assert partner_balance(partner_id=shop.pk, kind=RECEIVABLE, as_of=date(2026, 11, 4)) == D("350.50")
    assert partner_balance(partner_id=shop.pk, kind=PAYABLE) == 0
    assert partner_balances(kind=RECEIVABLE)[shop.pk] == D("290.50")

    statement = partner_statement(
        partner_id=shop.pk, kind=RECEIVABLE, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)
    )
    assert statement.opening == D("100.00")
    assert [(line.number, line.debit, line.credit, line.balance) for line in statement.lines] == [
        ("XSFP002", D("250.50"), 0, D("350.50")),
        ("SK001", 0, D("80.00"), D("270.50")),
    ]
    assert statement.closing == D("270.50")
    assert statement.opening + statement.total_debit - statement.total_credit == statement.closing


def test_a_payable_rises_on_the_credit_side(in_tenant_a):
    supplier = partner("S1", customer=False, supplier=True)
    post(supplier, "500.00", date(2026, 11, 2), kind=PAYABLE, number="CGFP001")
    post(supplier, "-200.00", date(2026, 11, 3), kind=PAYABLE, source_id=2, number="FK001")
    statement = partner_statement(
        partner_id=supplier.pk, kind=PAYABLE, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)
    )
    assert [(line.debit, line.credit) for line in statement.lines] == [(0, D("500.00")), (D("200.00"), 0)]
    assert statement.closing == D("300.00")


def test_reversal_negates_a_documents_entries_once(in_tenant_a):
    shop = partner("C2")
    post(shop, "120.00", date(2026, 11, 2), source_id=7, number="XSFP007")
    with transaction.atomic():
        reversal = partner_entries_reverse(
            source_type="sales_invoice", source_id=7, date=date(2026, 11, 9), number="XSFP008"
        )
    assert [(entry.amount, entry.reverses.number) for entry in reversal] == [(D("-120.00"), "XSFP007")]
    assert partner_balance(partner_id=shop.pk, kind=RECEIVABLE) == 0
    with pytest.raises(AppError) as refused, transaction.atomic():
        partner_entries_reverse(source_type="sales_invoice", source_id=7, date=date(2026, 11, 9), number="X")
    assert refused.value.status_code == 409 and refused.value.code == "nothing_to_reverse"


@pytest.mark.parametrize(
    ("kind", "customer", "supplier", "amount", "code"),
    [
        (RECEIVABLE, False, True, "10", "wrong_partner"),
        (PAYABLE, True, False, "10", "wrong_partner"),
        (RECEIVABLE, True, False, "0.001", "invalid_amount"),  # rounds to zero
        (RECEIVABLE, True, False, "1000000000000", "invalid_amount"),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(in_tenant_a, kind, customer, supplier, amount, code):
    p = partner("B1", customer=customer, supplier=supplier)
    with pytest.raises(AppError) as refused:
        post(p, amount, date(2026, 11, 2), kind=kind)
    assert refused.value.code == code
    assert not PartnerEntry.objects.exists()


def test_writes_need_the_documents_transaction(committed_db):
    connection.set_tenant(Tenant.objects.get(slug="alpha"))
    p = Partner(pk=1, code="T1", name="T1", is_customer=True)  # never saved: refused before any query
    with pytest.raises(RuntimeError):
        partner_entry_post(
            partner=p, kind=RECEIVABLE, date=date(2026, 11, 2), source_type="x", source_id=1, number="N",
            amount=D(1),
        )  # fmt: skip
    with pytest.raises(RuntimeError):
        partner_lock(p.pk)


def test_another_tenant_sees_none_of_the_entries(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        shop = partner("ISO1")
        post(shop, "99.00", date(2026, 11, 2))
    with schema_context(tenant_b.schema_name):
        assert not PartnerEntry.objects.exists()
        assert partner_balances(kind=RECEIVABLE) == {}
        assert partner_balance(partner_id=shop.pk, kind=RECEIVABLE) == 0


def test_partner_lock_serialises_two_credit_checks(committed_db):
    """Two connections checking a customer's balance under the lock: the second sees the first's entry."""
    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    shop = partner(f"L{uuid.uuid4().hex[:8]}")
    seen: list[D] = []
    first_locked = threading.Event()

    def clerk(second: bool):
        try:
            connection.set_tenant(tenant)
            with transaction.atomic():
                if second:
                    first_locked.wait(5)
                partner_lock(shop.pk)
                seen.append(partner_balance(partner_id=shop.pk, kind=RECEIVABLE))
                partner_entry_post(
                    partner=shop, kind=RECEIVABLE, date=date(2026, 11, 2), source_type="sales_invoice",
                    source_id=1, number="N", amount=D("10"),
                )  # fmt: skip
                if not second:
                    first_locked.set()
                    time.sleep(0.5)  # the second clerk is now waiting on the lock
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(second,)) for second in (False, True)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert seen == [0, D("10.00")]
    finally:
        connection.set_tenant(tenant)
        PartnerEntry.objects.filter(partner=shop).delete()
        shop.delete()
