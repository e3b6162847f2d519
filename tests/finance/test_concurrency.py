"""Parallel postings into one month on separate connections: gap-free distinct numbers, totals equal to the
lines; a month-end close racing them either includes a posting or refuses it, never half of it; two clicks
posting the same opening balances at once post one entry."""

import threading
from datetime import date

from django.db import connection, transaction

from jxc.kernel.errors import AppError
from modules.finance import opening, selectors, services
from modules.finance.models import AccountPeriodTotal, JournalEntry, Period, PeriodEvent
from modules.finance.opening import OpeningLine
from modules.finance.services import LineInput
from tenants.models import Tenant

# A month no other test uses: these rows are committed.
DAY = date(2031, 7, 15)
WORKERS, EACH = 4, 5


def _cleanup(tenant, day: date = DAY) -> None:
    connection.set_tenant(tenant)
    with transaction.atomic(), connection.cursor() as cursor:
        # Posted entries are immutable by trigger; a test's own committed rows go with the triggers off.
        cursor.execute("SET LOCAL session_replication_role = replica")
        periods = list(Period.objects.filter(year=day.year).values_list("pk", flat=True))
        cursor.execute("DELETE FROM finance_journalline WHERE entry_id IN (SELECT id FROM finance_journalentry"
                       " WHERE period_id = ANY(%s))", [periods])  # fmt: skip
        JournalEntry.objects.filter(period_id__in=periods).delete()
        AccountPeriodTotal.objects.filter(period_id__in=periods).delete()
        PeriodEvent.objects.filter(period_id__in=periods).delete()
        Period.objects.filter(pk__in=periods).delete()


def _run(workers: list) -> list:
    threads = [threading.Thread(target=work) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return threads


def test_parallel_postings_get_gap_free_numbers(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    barrier = threading.Barrier(WORKERS)
    outcomes: list = []

    def poster():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            for _ in range(EACH):
                with transaction.atomic():
                    entry = services.journal_entry_post(
                        date=DAY, lines=[LineInput("1001", "1.00"), LineInput("5001", None, "1.00")], source_type="t"
                    )
                outcomes.append(entry.number)
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    try:
        _run([poster] * WORKERS)
        assert sorted(outcomes) == [f"203107-{n:04d}" for n in range(1, WORKERS * EACH + 1)], outcomes
        connection.set_tenant(tenant)
        period = Period.objects.get(year=2031, month=7)
        assert period.last_number == WORKERS * EACH
        assert selectors.period_totals_consistent(period=period)
        total = AccountPeriodTotal.objects.get(period=period, account__code="1001")
        assert total.debit == WORKERS * EACH
    finally:
        _cleanup(tenant)


def test_a_close_racing_postings_includes_or_refuses_each(committed_db):
    from django.contrib.auth.models import User

    tenant = Tenant.objects.get(slug="alpha")
    connection.set_tenant(tenant)
    owner = User.objects.get(email="owner@alpha.test")
    services.period_get(DAY)
    barrier = threading.Barrier(3)
    outcomes: list = []

    def poster():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.journal_entry_post(
                    date=DAY, lines=[LineInput("1001", "2.00"), LineInput("5001", None, "2.00")], source_type="t"
                )
            outcomes.append("posted")
        except AppError as error:
            outcomes.append(error.code)
        except Exception as error:
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def closer():
        try:
            connection.set_tenant(tenant)
            period = Period.objects.get(year=2031, month=7)
            barrier.wait(timeout=10)
            services.period_close(period=period, acting_user=owner, today=date(2031, 8, 2))
            outcomes.append("closed")
        except Exception as error:
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    try:
        _run([poster, poster, closer])
        assert "closed" in outcomes and len(outcomes) == 3, outcomes
        assert set(outcomes) <= {"closed", "posted", "period_closed"}, outcomes
        connection.set_tenant(tenant)
        period = Period.objects.get(year=2031, month=7)
        posted = JournalEntry.objects.filter(period=period).count()
        assert posted == outcomes.count("posted")
        assert selectors.period_totals_consistent(period=period)
    finally:
        _cleanup(tenant)


def test_two_clicks_at_once_post_one_entry(committed_db):
    """Two requests posting the same day on separate connections: one entry, the other told it exists."""
    tenant = Tenant.objects.get(slug="alpha")
    day = date(2019, 3, 31)  # a month no other test uses: these rows are committed
    barrier = threading.Barrier(2)
    outcomes: list = []

    def click():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            lines = [OpeningLine("1001", "100.00"), OpeningLine("3001", "100.00")]
            entry = opening.opening_entry_post(as_of=day, lines=lines, today=date(2026, 11, 25))
            outcomes.append(entry.number)
        except AppError as error:
            outcomes.append(error.code)
        except Exception as error:  # a deadlock or anything else must fail the test, not hang it
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    try:
        _run([click] * 2)
        assert sorted(outcomes) == ["201903-0001", "opening_exists"], outcomes
        connection.set_tenant(tenant)
        assert JournalEntry.objects.filter(source_type="opening", date=day).count() == 1
    finally:
        _cleanup(tenant, day)
