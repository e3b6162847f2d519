"""The document types that take numbers, with their labels and default prefixes.

A module registers its types in its AppConfig.ready() (or they are listed in
`modules.numbering.doc_types`); the numbering settings page lists every registered type.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise

PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass(frozen=True)
class DocType:
    doc_type: str
    label: str | Promise
    default_prefix: str


_registry: dict[str, DocType] = {}


def doc_type_register(doc_type: str, label: str | Promise, default_prefix: str) -> DocType:
    """Add the document type `doc_type`, or replace the one registered under it before."""
    if not doc_type or len(doc_type) > 40:
        raise ValueError(f"A document type of 1 to 40 characters is required, not {doc_type!r}")
    if not PREFIX_PATTERN.match(default_prefix):
        raise ValueError(f"The default prefix of {doc_type} must be 1 to 8 of A-Z and 0-9, not {default_prefix!r}")
    entry = DocType(doc_type=doc_type, label=label, default_prefix=default_prefix)
    _registry[doc_type] = entry
    return entry


def doc_type_unregister(doc_type: str) -> None:
    _registry.pop(doc_type, None)


def doc_type_get(doc_type: str) -> DocType | None:
    return _registry.get(doc_type)


def doc_types() -> list[DocType]:
    """Every registered type, in registration order."""
    return list(_registry.values())
