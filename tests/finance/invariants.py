"""The books' invariants after documents post (issue 5's checks), as a helper and an autouse fixture.

`assert_books_reconcile()` checks, in the current tenant schema:
- every posted entry balances;
- inventory 1405 = the stock ledger's value (Σ ItemValuation.value, less what test helpers posted
  straight into the ledger without a document);
- AR 1122 per customer = the partner ledger's receivable balances (and no 1122 line without a partner),
  of the entries documents wrote (test helpers write some straight into the partner ledger);
- AP 2202 with a partner per supplier = the payable balances (2202 without a partner is the estimate of
  goods received and not yet billed, 暂估应付);
- the trial balance's debits equal its credits, the balance sheet balances (资产总计 = 负债和所有者权益总计).

Opening entries (期初余额, source `opening`) bring exactly what was put straight into the ledgers onto the
books, so the sub-ledger comparisons leave them out as they leave out the helpers' moves and entries;
`assert_ledgers_equal_books()` is the full comparison (every move, every partner entry, every line) a shop
whose opening entry is posted must pass.

`books_reconcile` runs it after every test of a directory whose conftest imports it (for both shops),
inside the test's transaction; committed (parallel-connection) tests are left alone.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Sum

from modules.finance import chart, selectors
from modules.finance.enums import OPENING, EntryStatus
from modules.finance.models import JournalLine
from modules.finance.posting_rules import DOCUMENT_SOURCES, PARTNER_SOURCES
from modules.inventory.models import ItemValuation, StockMove
from modules.partnerledger.models import PartnerEntry

ZERO = Decimal("0.00")
FAR = date(2100, 12, 31)


def _lines():
    return JournalLine.objects.filter(entry__status=EntryStatus.POSTED)


def _documented_lines():
    return _lines().exclude(entry__source_type=OPENING)


def _per_partner(code: str, sign: int, lines=None) -> dict[int, Decimal]:
    rows = (
        (_documented_lines() if lines is None else lines)
        .filter(account__code=code, partner__isnull=False)
        .values("partner_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    result = {row["partner_id"]: sign * (row["d"] - row["c"]) for row in rows}
    return {pk: amount for pk, amount in result.items() if amount}


def _undocumented_value() -> Decimal:
    """Stock test helpers put straight into the ledger (no document, so no entry), e.g. `test_receipt`."""
    moves = StockMove.objects.exclude(source_type__in=DOCUMENT_SOURCES)
    return moves.aggregate(v=Sum("value"))["v"] or ZERO


def partner_balances(*, kind: str) -> dict[int, Decimal]:
    """Open balances from the documents' partner entries (test helpers may write entries of their own)."""
    rows = (
        PartnerEntry.objects.filter(kind=kind, source_type__in=PARTNER_SOURCES)
        .values("partner_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    return {row["partner_id"]: row["total"] for row in rows}


def books_figures() -> dict:
    """The figures the invariants compare, for messages and worked examples."""
    inventory = _documented_lines().filter(account__code=chart.INVENTORY).aggregate(d=Sum("debit"), c=Sum("credit"))
    totals = _lines().aggregate(d=Sum("debit"), c=Sum("credit"))
    return {
        "inventory_account": (inventory["d"] or ZERO) - (inventory["c"] or ZERO),
        "stock_value": (ItemValuation.objects.aggregate(v=Sum("value"))["v"] or ZERO) - _undocumented_value(),
        "debits": totals["d"] or ZERO,
        "credits": totals["c"] or ZERO,
    }


def assert_books_reconcile() -> None:
    unbalanced = _lines().values("entry_id").annotate(d=Sum("debit"), c=Sum("credit")).exclude(d=F("c")).count()
    assert unbalanced == 0, f"{unbalanced} posted entries do not balance"
    figures = books_figures()
    assert figures["inventory_account"] == figures["stock_value"], (
        f"1405 is {figures['inventory_account']}, the stock ledger's value {figures['stock_value']}"
    )
    assert figures["debits"] == figures["credits"], figures
    assert _per_partner(chart.RECEIVABLE, 1) == partner_balances(kind="receivable"), "AR 1122 ≠ receivables"
    assert not _lines().filter(account__code=chart.RECEIVABLE, partner__isnull=True).exists()
    assert _per_partner(chart.PAYABLE, -1) == partner_balances(kind="payable"), "AP 2202 ≠ payables"
    if figures["debits"]:
        sheet = selectors.balance_sheet(as_of=FAR)
        assets = selectors.statement_value(sheet, 30)
        assert assets == selectors.statement_value(sheet, 53), "the balance sheet does not balance"


def assert_ledgers_equal_books() -> None:
    """1405 = Σ ItemValuation.value; 1122 and 2202 per partner = every partner ledger entry's balance."""
    inventory = _lines().filter(account__code=chart.INVENTORY).aggregate(d=Sum("debit"), c=Sum("credit"))
    stock = ItemValuation.objects.aggregate(v=Sum("value"))["v"] or ZERO
    assert (inventory["d"] or ZERO) - (inventory["c"] or ZERO) == stock, (inventory, stock)
    for code, kind, sign in ((chart.RECEIVABLE, "receivable", 1), (chart.PAYABLE, "payable", -1)):
        owed = {
            row["partner_id"]: row["total"]
            for row in PartnerEntry.objects.filter(kind=kind)
            .values("partner_id")
            .annotate(total=Sum("amount"))
            .exclude(total=0)
        }
        assert _per_partner(code, sign, _lines()) == owed, f"{code} ≠ the {kind} balances"


@pytest.fixture(autouse=True)
def books_reconcile(request):
    """After each database test (not the committed ones): the books reconcile in both shops."""
    uses_db = "db" in request.fixturenames and "committed_db" not in request.fixturenames
    if uses_db:
        request.getfixturevalue("db")  # set up first, so its rollback comes after the check
    yield
    if not uses_db:
        return
    from tenants.models import Tenant

    for tenant in Tenant.objects.filter(slug__in=("alpha", "beta")):
        connection.set_tenant(tenant)
        assert_books_reconcile()
    connection.set_schema_to_public()
