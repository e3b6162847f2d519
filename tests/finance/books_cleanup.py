"""Removing committed journal rows after a parallel-connection test (documents post their entries in their
own transactions): posted entries are immutable by trigger, so the cleanup lifts the triggers for its own
transaction only. Only committed tests call this; every other test's rows roll back."""

from django.db import connection, transaction


def books_delete() -> None:
    """Every entry, line, total and period of the current tenant: a committed test's only journal rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in (
            "finance_attachment",
            "finance_journalline",
            "finance_journalentry",
            "finance_accountperiodtotal",
            "finance_periodevent",
            "finance_period",
        ):
            cursor.execute(f"DELETE FROM {table}")
