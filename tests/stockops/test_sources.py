"""Stock documents and counts name themselves in the ledger's history (label and page per source type)."""

from django.utils import translation

from modules.inventory.sources import source_label, source_url


def test_document_kinds_and_counts_are_registered():
    with translation.override("zh-hans"):
        assert (source_label("stock_in"), source_label("stock_count")) == ("其它入库", "盘点单")
    with translation.override("en"):
        assert (source_label("stock_in"), source_label("transfer")) == ("Other receipt", "Transfer")
        assert source_label("stock_count") == "Stock count"
        assert source_label("unknown_kind") == "unknown_kind"
    assert source_url("adjustment", 7) == "/stock/documents/7"
    assert source_url("stock_count", 3) == "/stock/counts/3"
