"""The books of shop alpha: helpers to post entries, and the invariants every posting test ends with."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from modules.finance import selectors, services
from modules.finance.enums import EntryStatus
from modules.finance.models import Account, JournalEntry, Period
from modules.finance.services import LineInput
from modules.finance.statements import TOTAL_ASSETS, TOTAL_LIABILITIES_AND_EQUITY
from modules.identity.roles import Role
from modules.identity.services import roles_sync
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401

TZ = "Asia/Shanghai"


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    # alpha and beta were provisioned before the finance app's permissions existed.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


@pytest.fixture
def books(in_tenant_a, roles_synced):
    """Alpha's schema, with its chart; yields and then checks the ledger's invariants."""
    yield in_tenant_a
    connection.set_tenant(in_tenant_a)
    ledger_invariants()


@pytest.fixture
def accountant_a(tenant_a, roles_synced):
    return make_user(tenant_a, "accountant@alpha.test", Role.ACCOUNTANT)


def acct(code: str) -> Account:
    return Account.objects.get(code=code)


def post(on: date, *lines: tuple[str, str, str], memo: str = "", source_type: str = "test", source_id=None):
    """Post (code, debit, credit) lines at once, as a document would."""
    from django.db import transaction

    with transaction.atomic():
        return services.journal_entry_post(
            date=on,
            lines=[LineInput(code, debit or None, credit or None) for code, debit, credit in lines],
            memo=memo,
            source_type=source_type,
            source_id=source_id,
        )


def immediate_constraints() -> None:
    """Tests run in a transaction that is rolled back: run the deferred balance check now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def ledger_invariants() -> None:
    for entry in JournalEntry.objects.filter(status=EntryStatus.POSTED).prefetch_related("lines"):
        lines = list(entry.lines.all())
        assert sum(line.debit for line in lines) == sum(line.credit for line in lines), entry.number
    for period in Period.objects.all():
        assert selectors.period_totals_consistent(period=period), str(period)
    dates = JournalEntry.objects.filter(status=EntryStatus.POSTED).values_list("date", flat=True)
    for on in sorted(set(dates))[-3:]:
        tb = selectors.trial_balance(date_from=on.replace(day=1), date_to=on)
        assert tb.balanced, tb.totals
        sheet = selectors.balance_sheet(as_of=on)
        assert selectors.statement_value(sheet, TOTAL_ASSETS) == selectors.statement_value(
            sheet, TOTAL_LIABILITIES_AND_EQUITY
        )


__all__ = ["D", "acct", "post", "immediate_constraints", "ledger_invariants", "auth", "login", "make_key", "make_user"]

from tests.stockops.conftest import shop  # noqa: E402, F401  (the stock documents' shop, for the posting tests)
