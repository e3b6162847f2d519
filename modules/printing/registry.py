"""Which documents can be printed: a doc type names a builder and the permission needed to print it.

A module makes its documents printable from its AppConfig.ready():

    from modules.printing.registry import print_register

    print_register("sales_invoice", builders.invoice_print, permission="sales.view_salesinvoice")

The builder takes the document's id and the request's tenant and returns a `PrintDocument` (see
modules.printing.domain), or None when the current schema has no such document (the view answers 404).
It runs with the request's language active, so its labels are gettext'd as usual. Its document is then
at `GET /print/<doc_type>/<id>.pdf` (url name `printing:pdf`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from modules.printing.domain import PrintDocument

Builder = Callable[..., PrintDocument | None]


@dataclass(frozen=True)
class PrintType:
    doc_type: str
    builder: Builder
    # "app_label.codename": who may print it (usually the view permission of the document).
    permission: str


_registry: dict[str, PrintType] = {}


def print_register(doc_type: str, builder: Builder, permission: str) -> PrintType:
    """Register (or replace) the builder of `doc_type`."""
    if not doc_type or "/" in doc_type:
        raise ValueError(f"bad doc_type {doc_type!r}")
    if permission.count(".") != 1:
        raise ValueError(f"permission must be 'app_label.codename', got {permission!r}")
    print_type = PrintType(doc_type=doc_type, builder=builder, permission=permission)
    _registry[doc_type] = print_type
    return print_type


def print_unregister(doc_type: str) -> None:
    _registry.pop(doc_type, None)


def print_type_get(doc_type: str) -> PrintType | None:
    return _registry.get(doc_type)


def print_types() -> list[PrintType]:
    return sorted(_registry.values(), key=lambda print_type: print_type.doc_type)
