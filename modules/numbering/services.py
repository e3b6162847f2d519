"""Gap-free document numbers, per document type, per tenant (schema), per year.

The counter row is bumped inside the caller's transaction: a document that fails to save rolls its
number back with it, and concurrent callers queue on the row lock instead of skipping numbers.
Documents that get a number are never deleted (they are cancelled), so no gap can appear.
"""

from datetime import date

from django.db import connection

from jxc.kernel.errors import AppError
from modules.numbering.models import DocumentSequence

NUMBER_DIGITS = 5


def document_number_next(*, doc_type: str, prefix: str, on: date) -> str:
    """The next number of `doc_type` for the year of `on`, formatted `{prefix}{year}{nnnnn}`.

    Must run inside the transaction that saves the document (checked, so a number cannot be lost).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_next must run inside the document's transaction")
    if not doc_type or len(doc_type) > 40:
        raise AppError("invalid_doc_type", "A document type of 1 to 40 characters is required.", field="doc_type")
    table = DocumentSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (doc_type, year, last) VALUES (%s, %s, 1)"
            f" ON CONFLICT (doc_type, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [doc_type, on.year],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}{on.year}{number:0{NUMBER_DIGITS}d}"
