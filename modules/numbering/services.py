"""Gap-free document numbers, per document type, per tenant (schema), per year.

The counter row is bumped inside the caller's transaction: a document that fails to save rolls its
number back with it, and concurrent callers queue on the row lock instead of skipping numbers.
Documents that get a number are never deleted (they are cancelled), so no gap can appear.
"""

from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.numbering.models import DocumentPrefix, DocumentSequence, RetiredPrefix
from modules.numbering.registry import PREFIX_PATTERN, doc_type_get, doc_types

NUMBER_DIGITS = 5


def document_number_next(*, doc_type: str, prefix: str, on: date) -> str:
    """The next number of `doc_type` for the year of `on`, formatted `{prefix}{year}{nnnnn}`.

    `prefix` is the type's default: the tenant's own prefix for the type (numbering settings) wins over it.
    The count runs per type and year whatever the prefix, so changing it leaves no gap.
    Must run inside the transaction that saves the document (checked, so a number cannot be lost).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_next must run inside the document's transaction")
    if not doc_type or len(doc_type) > 40:
        raise AppError("invalid_doc_type", "A document type of 1 to 40 characters is required.", field="doc_type")
    table = DocumentSequence._meta.db_table
    # One round trip: bump the count and read the shop's own prefix of the type (NULL: the default).
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH bumped AS (INSERT INTO {table} (doc_type, year, last) VALUES (%s, %s, 1)"
            f" ON CONFLICT (doc_type, year) DO UPDATE SET last = {table}.last + 1 RETURNING last)"
            f" SELECT bumped.last, (SELECT prefix FROM {DocumentPrefix._meta.db_table} WHERE doc_type = %s)"
            " FROM bumped",
            [doc_type, on.year, doc_type],
        )
        number, override = cursor.fetchone()
    return f"{override or prefix}{on.year}{number:0{NUMBER_DIGITS}d}"


def _prefix_taken_by(*, doc_type: str, prefix: str) -> str | None:
    """The other document type that numbers (or numbered) with `prefix`, if any."""
    overrides = dict(DocumentPrefix.objects.values_list("doc_type", "prefix"))
    for entry in doc_types():
        if entry.doc_type != doc_type and overrides.get(entry.doc_type, entry.default_prefix) == prefix:
            return entry.doc_type
    for other, other_prefix in overrides.items():
        if other != doc_type and other_prefix == prefix:
            return other
    return (
        RetiredPrefix.objects.filter(prefix=prefix)
        .exclude(doc_type=doc_type)
        .values_list("doc_type", flat=True)
        .first()
    )


@transaction.atomic
def document_prefix_set(*, doc_type: str, prefix: str) -> str:
    """Set the tenant's prefix of `doc_type`; an empty prefix goes back to the type's default. Returns the
    prefix now in use.

    Refused (naming the field): an unknown type, a prefix that is not 1 to 8 of A-Z and 0-9, a prefix
    another type numbers with or has numbered with, which would give two documents the same number.
    """
    entry = doc_type_get(doc_type)
    if entry is None:
        raise AppError("unknown_doc_type", _("There is no document type “%s”.") % doc_type, field="doc_type")
    wanted = (prefix or "").strip().upper() or entry.default_prefix
    if not PREFIX_PATTERN.match(wanted):
        raise AppError("invalid_prefix", _("A prefix is 1 to 8 letters A–Z or digits 0–9."), field="prefix")
    # One change at a time per shop: two types cannot be given the same prefix by two people at once.
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {DocumentPrefix._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    current = DocumentPrefix.objects.filter(doc_type=doc_type).values_list("prefix", flat=True).first()
    current = current or entry.default_prefix
    if wanted == current:
        return current
    other = _prefix_taken_by(doc_type=doc_type, prefix=wanted)
    if other is not None:
        other_entry = doc_type_get(other)
        raise AppError(
            "prefix_taken",
            _("The prefix %(prefix)s is used by %(other)s: two documents could get the same number.")
            % {"prefix": wanted, "other": other_entry.label if other_entry else other},
            field="prefix",
        )
    if DocumentSequence.objects.filter(doc_type=doc_type, last__gt=0).exists():
        RetiredPrefix.objects.get_or_create(doc_type=doc_type, prefix=current)
    if wanted == entry.default_prefix:
        DocumentPrefix.objects.filter(doc_type=doc_type).delete()
    else:
        DocumentPrefix.objects.update_or_create(doc_type=doc_type, defaults={"prefix": wanted})
    return wanted
