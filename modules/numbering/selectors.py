"""Reads for the numbering settings page: every registered document type with its prefix in use."""

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise

from modules.numbering.models import DocumentPrefix, DocumentSequence
from modules.numbering.registry import doc_types
from modules.numbering.services import NUMBER_DIGITS


@dataclass(frozen=True)
class PrefixRow:
    doc_type: str
    label: str | Promise
    default_prefix: str
    prefix: str  # the one in use: the tenant's own or the default
    last: int  # the last number given this year
    next_number: str  # what the next document of this year will be numbered

    @property
    def custom(self) -> bool:
        return self.prefix != self.default_prefix


def document_prefix_rows(*, on: date) -> list[PrefixRow]:
    overrides = dict(DocumentPrefix.objects.values_list("doc_type", "prefix"))
    lasts = dict(DocumentSequence.objects.filter(year=on.year).values_list("doc_type", "last"))
    rows = []
    for entry in doc_types():
        prefix = overrides.get(entry.doc_type, entry.default_prefix)
        last = lasts.get(entry.doc_type, 0)
        rows.append(
            PrefixRow(
                doc_type=entry.doc_type,
                label=entry.label,
                default_prefix=entry.default_prefix,
                prefix=prefix,
                last=last,
                next_number=f"{prefix}{on.year}{last + 1:0{NUMBER_DIGITS}d}",
            )
        )
    return rows
