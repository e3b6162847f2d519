"""Statements over a big journal: trial balance and balance sheet over 1,000,000 journal lines.

Run after `make test` has installed things: `.venv/bin/python bench/finance_statements.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its own, created
and migrated first and dropped at the end. BENCH_FINANCE_LINES sets the size (default the issue's 1,000,000).

A tenant's journal is generated — two years of a shop's entries of 2 to 4 lines (sales with output VAT,
their cost, purchases with input VAT, receipts, payments, expenses), amounts in cents, every entry balanced —
and COPYed in with the journal's triggers off (session_replication_role = replica: a bulk load, not a
posting path). The per-period account totals are then built with one INSERT … SELECT … GROUP BY, as the
posting service would have kept them, and checked: every entry balances, every month's totals equal its
lines. Measured (median of several runs after a warm-up), each printed beside a plain
`SELECT account_id, sum(debit), sum(credit) FROM finance_journalline GROUP BY account_id` in the same run:
  - the trial balance of the last month (whole months come from the totals);
  - the trial balance of cut dates (the 10th to the 20th of the last month: those days from the lines);
  - the balance sheet at the last month's end, and at a cut date (the 20th).
Afterwards the trial balance must balance and the balance sheet's two sides agree.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.db import connection

from bench.harness import raw_connection, say, target, tenant_create, tenant_drop, throwaway_database
from modules.finance import selectors
from modules.finance.models import Account, Period
from modules.finance.services import month_end, period_get
from modules.finance.statements import TOTAL_ASSETS, TOTAL_LIABILITIES_AND_EQUITY

LINES = int(os.environ.get("BENCH_FINANCE_LINES", "1000000"))
MONTHS = 24
SAMPLES = 7
GOAL_MS = 300.0
FIRST = date(2024, 1, 1)

# (debit codes, credit codes) of a kind of entry; the amounts follow from the first line's.
KINDS = [
    ("sale", [("1122", 1.13)], [("5001", 1.0), ("22210102", 0.13)]),
    ("cost", [("5401", 1.0)], [("1405", 1.0)]),
    ("purchase", [("1405", 1.0), ("22210101", 0.13)], [("2202", 1.13)]),
    ("receipt", [("1002", 1.0)], [("1122", 1.0)]),
    ("payment", [("2202", 1.0)], [("1002", 1.0)]),
    ("cash sale", [("1001", 1.13)], [("5001", 1.0), ("22210102", 0.13)]),
    ("expense", [("5602", 1.0)], [("1002", 1.0)]),
    ("selling", [("5601", 1.0)], [("1001", 1.0)]),
]


def _lines_of(kind, base_cents: int) -> list[tuple[str, int, int]]:
    """Debit and credit lines in cents, balanced exactly (the last line takes the rounding)."""
    _name, debits, credits = kind
    rows = [(code, round(base_cents * share), 0) for code, share in debits]
    rows += [(code, 0, round(base_cents * share)) for code, share in credits]
    total_debit = sum(row[1] for row in rows)
    total_credit = sum(row[2] for row in rows)
    code, _d, credit = rows[-1]
    rows[-1] = (code, 0, credit + total_debit - total_credit)
    return rows


def load(tenant) -> tuple[int, int]:
    """Generate and COPY the journal; returns (entries, lines)."""
    connection.set_tenant(tenant)
    accounts = dict(Account.objects.values_list("code", "pk"))
    periods = {}
    day = FIRST
    for _ in range(MONTHS):
        period = period_get(day)
        periods[(day.year, day.month)] = period.pk
        day = month_end(day) + timedelta(days=1)
    days = (day - FIRST).days
    rng = random.Random(7)
    raw = raw_connection(tenant.schema_name)
    cur = raw.cursor()
    cur.execute("SET synchronous_commit = off")
    entries = lines = 0
    numbers: dict[int, int] = {}
    began = time.perf_counter()
    with raw.transaction():
        cur.execute("SET LOCAL session_replication_role = replica")  # the triggers: a bulk load, checked below
        entry_rows, line_rows = [], []
        # The owner's capital, so the shop's bank balance stays positive over the two years.
        capital = LINES * 10_000
        entries, lines, numbers[periods[(FIRST.year, FIRST.month)]] = 1, 2, 1
        entry_rows.append(
            f"1\t{periods[(FIRST.year, FIRST.month)]}\t{FIRST:%Y%m}-000001\t{FIRST}\tcapital\tbench\t1"
            f"\tposted\t{capital}\t{FIRST} 09:00:00+08\t{FIRST} 09:00:00+08\n"
        )
        line_rows += [
            f"1\t1\t0\t{accounts['1002']}\t{capital}\t0\t\n",
            f"2\t1\t1\t{accounts['3001']}\t0\t{capital}\t\n",
        ]
        while lines < LINES:
            entries += 1
            on = FIRST + timedelta(days=rng.randrange(days))
            period_id = periods[(on.year, on.month)]
            numbers[period_id] = numbers.get(period_id, 0) + 1
            kind = KINDS[rng.randrange(len(KINDS))]
            amounts = _lines_of(kind, rng.randrange(1_000, 5_000_000))
            total = sum(debit for _code, debit, _credit in amounts)
            entry_rows.append(
                f"{entries}\t{period_id}\t{on:%Y%m}-{numbers[period_id]:06d}\t{on}\t{kind[0]}\tbench\t{entries}"
                f"\tposted\t{total / 100:.2f}\t{on} 12:00:00+08\t{on} 12:00:00+08\n"
            )
            for position, (code, debit, credit) in enumerate(amounts):
                lines += 1
                line_rows.append(
                    f"{lines}\t{entries}\t{position}\t{accounts[code]}\t{debit / 100:.2f}\t{credit / 100:.2f}\t\n"
                )
            if len(line_rows) >= 50_000:
                _copy(cur, entry_rows, line_rows)
        _copy(cur, entry_rows, line_rows)
        cur.execute("SELECT setval(pg_get_serial_sequence('finance_journalentry', 'id'), %s)", [entries])
        cur.execute("SELECT setval(pg_get_serial_sequence('finance_journalline', 'id'), %s)", [lines])
        for period_id, last in numbers.items():
            cur.execute("UPDATE finance_period SET last_number = %s WHERE id = %s", [last, period_id])
        cur.execute(
            "INSERT INTO finance_accountperiodtotal (account_id, period_id, debit, credit)"
            " SELECT l.account_id, e.period_id, sum(l.debit), sum(l.credit)"
            " FROM finance_journalline l JOIN finance_journalentry e ON e.id = l.entry_id"
            " WHERE e.status = 'posted' GROUP BY 1, 2"
        )
    say(f"  generated and copied {entries:,} entries, {lines:,} lines in {time.perf_counter() - began:.0f} s")
    began = time.perf_counter()
    cur.execute("VACUUM (ANALYZE) finance_journalentry, finance_journalline, finance_accountperiodtotal")
    say(f"  VACUUM ANALYZE in {time.perf_counter() - began:.0f} s")
    raw.close()
    return entries, lines


def _copy(cur, entry_rows: list[str], line_rows: list[str]) -> None:
    with cur.copy(
        "COPY finance_journalentry (id, period_id, number, date, memo, source_type, source_id, status, total,"
        " created_at, posted_at) FROM STDIN"
    ) as copy:
        copy.write("".join(entry_rows))
    with cur.copy(
        "COPY finance_journalline (id, entry_id, position, account_id, debit, credit, memo) FROM STDIN"
    ) as copy:
        copy.write("".join(line_rows))
    entry_rows.clear()
    line_rows.clear()


def unbalanced_entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT entry_id FROM finance_journalline GROUP BY entry_id"
            " HAVING sum(debit) <> sum(credit)) unbalanced"
        )
        return cursor.fetchone()[0]


def plain_group_by() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_id, sum(debit), sum(credit) FROM finance_journalline GROUP BY account_id")
        cursor.fetchall()


def median_ms(fn) -> float:
    fn()  # warm-up
    timings = []
    for _ in range(SAMPLES):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def main() -> int:
    say(f"Finance statements over {LINES:,} journal lines ({MONTHS} months)")
    with throwaway_database():
        tenant = tenant_create("fin")
        try:
            entries, lines = load(tenant)
            connection.set_tenant(tenant)
            unbalanced = unbalanced_entries()
            totals_ok = all(selectors.period_totals_consistent(period=p) for p in Period.objects.all())
            last = Period.objects.order_by("-year", "-month").first()
            cut_from, cut_to = last.start.replace(day=10), last.start.replace(day=20)

            def tb_month():
                return selectors.trial_balance(date_from=last.start, date_to=last.end)

            group_ms = median_ms(plain_group_by)
            tb_ms = median_ms(tb_month)
            tb_cut_ms = median_ms(lambda: selectors.trial_balance(date_from=cut_from, date_to=cut_to))
            bs_ms = median_ms(lambda: selectors.balance_sheet(as_of=last.end))
            bs_cut_ms = median_ms(lambda: selectors.balance_sheet(as_of=cut_to))
            group_after_ms = median_ms(plain_group_by)

            tb = tb_month()
            sheet = selectors.balance_sheet(as_of=last.end)
            assets = selectors.statement_value(sheet, TOTAL_ASSETS)
            sides_agree = assets == selectors.statement_value(sheet, TOTAL_LIABILITIES_AND_EQUITY)
            cut_sheet = selectors.balance_sheet(as_of=cut_to)
            cut_agree = selectors.statement_value(cut_sheet, TOTAL_ASSETS) == selectors.statement_value(
                cut_sheet, TOTAL_LIABILITIES_AND_EQUITY
            )
        finally:
            connection.set_schema_to_public()
            tenant_drop(tenant)

    yes = {True: "yes", False: "NO"}
    say("")
    say(f"{entries:,} entries, {lines:,} lines; unbalanced entries: {unbalanced}")
    say(f"every month's kept totals match its lines: {yes[totals_ok]}")
    say(f"plain GROUP BY over the whole line table: {group_ms:.1f} ms (again at the end: {group_after_ms:.1f} ms)")
    say(f"trial balance {last} (whole month):            {tb_ms:.1f} ms; balanced: {yes[tb.balanced]}")
    say(f"trial balance {cut_from} – {cut_to} (cut dates): {tb_cut_ms:.1f} ms")
    say(f"balance sheet at {last.end}:                 {bs_ms:.1f} ms; total assets {assets},")
    say(f"    assets = liabilities + equity: {yes[sides_agree]}")
    say(f"balance sheet at {cut_to} (cut date):        {bs_cut_ms:.1f} ms; sides agree: {yes[cut_agree]}")
    say(f"(medians of {SAMPLES} after a warm-up)\n")
    loaded_ok = unbalanced == 0 and totals_ok and lines >= LINES
    ok = [
        target("finance_trial_balance", f"{tb_ms:.0f}ms", "300ms", tb_ms <= GOAL_MS and tb.balanced and loaded_ok),
        target("finance_trial_balance_cut_dates", f"{tb_cut_ms:.0f}ms", "300ms", tb_cut_ms <= GOAL_MS and loaded_ok),
        target("finance_balance_sheet", f"{bs_ms:.0f}ms", "300ms", bs_ms <= GOAL_MS and sides_agree and loaded_ok),
        target("finance_balance_sheet_cut_date", f"{bs_cut_ms:.0f}ms", "300ms", bs_cut_ms <= GOAL_MS and cut_agree),
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
