"""Removing committed ledger rows after a parallel-connection test: moves are append-only, so the
cleanup lifts the trigger for its own transaction only."""

from django.db import connection, transaction

from modules.inventory.models import ItemValuation, StockBalance, StockMove
from tests.finance.books_cleanup import books_delete


def ledger_delete(item_ids: list[int]) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jxc.ledger_maintenance = 'on'")
        StockMove.objects.filter(item_id__in=item_ids).delete()
        StockBalance.objects.filter(item_id__in=item_ids).delete()
        ItemValuation.objects.filter(item_id__in=item_ids).delete()
    books_delete()  # the documents' journal entries, which the documents committed with their moves
