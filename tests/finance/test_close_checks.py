"""Month-end close checks on the stock modules' data (issue 5, item 4): 1405 = the stock ledger's value at
the month's end, no negative stock, no unposted stock documents or open stock counts dated in the month.
Each check refuses the close naming its figures or numbers, and lets it pass once fixed."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.finance import services as finance
from modules.finance.close_checks import check_inventory_value, check_stock_counts, check_stock_documents
from modules.finance.services import LineInput
from modules.inventory import services as inventory
from modules.stockcount import services as stockcount
from modules.stockops import services as stockops
from modules.stockops.services import LineInput as StockLine
from tests.finance.invariants import assert_books_reconcile, books_reconcile  # noqa: F401
from tests.finance.test_posting import buy, sell
from tests.stockops.conftest import TZ

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 25)


def close_october():
    owner = User.objects.get(email="owner@alpha.test")
    return finance.period_close(period=finance.period_get(OCT), acting_user=owner, today=TODAY)


def refused() -> str:
    with pytest.raises(AppError) as error:
        close_october()
    assert error.value.code == "close_checks_failed"
    assert finance.period_get(OCT).status == "open"
    return error.value.message


def voucher(on: date, debit: str, credit: str, amount: str, source_type: str = "test_voucher") -> None:
    with transaction.atomic():
        finance.journal_entry_post(
            date=on, lines=[LineInput(debit, debit=amount), LineInput(credit, credit=amount)], source_type=source_type
        )


def test_the_inventory_account_must_equal_the_stock_ledger_at_the_months_end(shop):
    buy(shop, "10", "2.26", date(2026, 10, 3))  # 10 bottles at 2.00 net: 20.00 on 1405 and in the ledger
    voucher(date(2026, 10, 20), "1405", "1002", "5.00")  # a voucher on the inventory account: 25.00 ≠ 20.00
    message = refused()
    assert "20.00" in message and "25.00" in message and "1405" in message and "2026-10" in message
    # A later month's difference does not stop October, and October's own figures are read at its end.
    voucher(date(2026, 10, 21), "1002", "1405", "5.00")
    voucher(date(2026, 11, 2), "1405", "1002", "7.00")
    assert check_inventory_value(finance.period_get(OCT)) == []
    assert check_inventory_value(finance.period_get(date(2026, 11, 1)))  # November: 27.00 against 20.00
    assert close_october().status == "closed"
    voucher(date(2026, 11, 3), "1002", "1405", "7.00")


def test_negative_stock_at_the_months_end_blocks_the_close_naming_the_item(shop):
    inventory.inventory_settings_update(allow_negative_stock=True)
    buy(shop, "2", "2.26", date(2026, 10, 3))
    sell(shop, "5", "3.39", date(2026, 10, 5))  # 3 bottles short
    message = refused()
    assert "COLA" in message and "可口可乐" in message
    buy(shop, "3", "2.26", date(2026, 10, 6))  # the missing receipt, in the month
    assert close_october().status == "closed"


def test_unposted_stock_documents_dated_in_the_month_block_the_close(shop):
    buy(shop, "10", "2.26", date(2026, 10, 2))
    draft = stockops.stock_document_create(
        kind="stock_out", date=date(2026, 10, 9), warehouse=shop.main,
        lines=[StockLine(shop.cola, shop.bottle, "1")], tz_name=TZ,
    )  # fmt: skip
    confirmed = stockops.stock_document_confirm(
        document=stockops.stock_document_create(
            kind="stock_out", date=date(2026, 10, 10), warehouse=shop.main,
            lines=[StockLine(shop.cola, shop.bottle, "1")], tz_name=TZ,
        )
    )  # fmt: skip
    later = stockops.stock_document_create(
        kind="stock_out", date=date(2026, 11, 1), warehouse=shop.main,
        lines=[StockLine(shop.cola, shop.bottle, "1")], tz_name=TZ,
    )  # fmt: skip
    message = refused()
    assert "2" in message and draft.number in message and confirmed.number in message
    assert later.number not in message
    stockops.stock_document_cancel(document=draft)
    stockops.stock_document_post(document=confirmed, tz_name=TZ)
    assert check_stock_documents(finance.period_get(OCT)) == []
    assert close_october().status == "closed"


def test_open_stock_counts_dated_in_the_month_block_the_close(shop):
    buy(shop, "10", "2.26", date(2026, 10, 2))
    count = stockcount.stock_count_create(warehouse=shop.main, scope="warehouse", tz_name=TZ, on=date(2026, 10, 15))
    message = refused()
    assert count.number in message
    stockcount.stock_count_cancel(count=count)
    assert check_stock_counts(finance.period_get(OCT)) == []
    assert close_october().status == "closed"


def test_the_checks_read_only_the_closing_tenants_data(shop, tenant_b):
    buy(shop, "10", "2.26", date(2026, 10, 3))
    stockops.stock_document_create(
        kind="stock_out", date=date(2026, 10, 9), warehouse=shop.main,
        lines=[StockLine(shop.cola, shop.bottle, "1")], tz_name=TZ,
    )  # fmt: skip
    assert finance.period_close_problems(period=finance.period_get(OCT))
    with schema_context(tenant_b.schema_name):
        owner_b = User.objects.get(email="owner@beta.test")
        closed = finance.period_close(period=finance.period_get(OCT), acting_user=owner_b, today=TODAY)
        assert closed.status == "closed"
    assert_books_reconcile()
