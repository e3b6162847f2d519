"""The kinds of document that post stock moves: a label (and a page) per `source_type`.

Document apps register their kind from AppConfig.ready(), so the ledger's readers can name a move's
document without importing the apps that post them:

    source_register("stock_in", _("Stock receipt"), url_name="stockops:document_detail")

A type nobody registered shows as its raw `source_type`.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Source:
    label: str | Promise
    # A URL name that takes the document's id as its one argument; None: the document has no page.
    url_name: str | None = None


_registry: dict[str, Source] = {}


def source_register(source_type: str, label: str | Promise, url_name: str | None = None) -> None:
    """Name the documents of `source_type` (replacing an earlier registration of it)."""
    _registry[source_type] = Source(label=label, url_name=url_name)


def source_label(source_type: str) -> str:
    source = _registry.get(source_type)
    return str(source.label) if source is not None else source_type


def source_url(source_type: str, source_id: int) -> str | None:
    """The page of one document, or None when its type has no page (or its URLs are not installed)."""
    source = _registry.get(source_type)
    if source is None or source.url_name is None:
        return None
    try:
        return reverse(source.url_name, args=[source_id])
    except NoReverseMatch:
        return None
