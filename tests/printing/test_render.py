"""The PDF layout of any PrintDocument: it parses, every page has the shop's header, the table's column
labels and "page x of y", a long document runs onto further pages, text is printed as given (markup and
all), and the logo is drawn. No database."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from modules.printing.domain import PrintColumn, PrintDocument, ShopHeader
from modules.printing.render import pdf_render
from tests.printing.pdfs import image_bytes, pdf_image_count, pdf_pages

SHOP = ShopHeader(
    name="阿尔法商贸有限公司", address="上海市浦东新区世纪大道 100 号", phone="021-5555 0000",
    taxpayer_id="91310115MA1K4BX09Q", bank_name="工商银行浦东支行", bank_account="1001 2345 6789",
)  # fmt: skip
COLUMNS = [
    PrintColumn("序号", 0.5, "center"),
    PrintColumn("品名", 4),
    PrintColumn("数量", 1, "right"),
    PrintColumn("金额", 1.5, "right"),
]


def document(count: int, **changes) -> PrintDocument:
    values = {
        "title": "采购订单",
        "number": "CG202600042",
        "date": date(2026, 11, 25),
        "columns": COLUMNS,
        "rows": [[str(n), f"可口可乐 第{n}行", str(n), f"{n * 3.5:.2f}"] for n in range(1, count + 1)],
        "party_label": "供应商",
        "party_lines": ["北京饮料批发公司", "北京市朝阳区"],
        "meta": [("仓库", "主仓")],
        "totals": [("价税合计", "1,005.00")],
        "amount": D("1005.00"),
        "notes": "周五前送达",
        "signatures": ["制单人", "审核人"],
    }
    return PrintDocument(**{**values, **changes})


def test_a_short_document_is_one_page_with_everything_on_it():
    pages = pdf_pages(pdf_render(document(3), shop=SHOP))

    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "阿尔法商贸有限公司", "上海市浦东新区世纪大道 100 号", "021-5555 0000", "91310115MA1K4BX09Q",
        "工商银行浦东支行 1001 2345 6789", "采购订单", "CG202600042", "2026-11-25", "供应商", "北京饮料批发公司",
        "仓库", "主仓", "可口可乐 第3行", "10.50", "价税合计", "1,005.00", "金额大写：人民币壹仟零伍元整",
        "备注：周五前送达", "制单人", "审核人", "第 1 页，共 1 页",
    ):  # fmt: skip
        assert expected in text, expected


def test_a_long_document_runs_onto_pages_that_repeat_the_header_and_column_labels():
    pages = pdf_pages(pdf_render(document(150), shop=SHOP))

    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "阿尔法商贸有限公司" in text and "CG202600042" in text
        # The table's header row, on each page the table runs onto.
        assert all(label in text for label in ("序号", "品名", "数量", "金额")), number
        assert f"第 {number} 页，共 {len(pages)} 页" in text
    # Every line once, in order; the totals and the amount in words only after the last.
    lines = [line for text in pages for line in text.splitlines() if line.startswith("可口可乐 第")]
    assert lines == [f"可口可乐 第{n}行" for n in range(1, 151)]
    assert "壹仟零伍元整" in pages[-1] and all("壹仟零伍元整" not in text for text in pages[:-1])


def test_text_is_printed_as_given_not_read_as_markup():
    long_name = "<i>特大号</i> & " + "很长的商品名称" * 12  # wraps onto several lines of its cell
    rows = [["1", "<b>A&B</b> 纸巾 & 湿巾", "1", "2.00"], ["2", long_name, "1", "3.00"]]
    pdf = pdf_render(document(2, rows=rows, notes="x < y"), shop=SHOP)

    text = pdf_pages(pdf)[0]
    assert "<b>A&B</b> 纸巾 & 湿巾" in text and "备注：x < y" in text
    assert "<i>特大号</i> & 很长的商品名称" in text
    assert text.replace("\n", "").count("很长的商品名称") == 12


def test_english_labels_and_a_negative_amount():
    with translation.override("en"):
        text = pdf_pages(pdf_render(document(1, amount=D("-12.30")), shop=SHOP))[0]

    assert "Amount in words: RMB 负壹拾贰元叁角" in text
    assert "Page 1 of 1" in text and "Tel. 021-5555 0000" in text


def test_no_amount_no_words_and_no_lines_says_so():
    text = pdf_pages(pdf_render(document(0, amount=None, totals=[]), shop=SHOP))[0]

    assert "大写" not in text and "无明细" in text


def test_the_logo_is_drawn_on_every_page():
    with_logo = ShopHeader(name=SHOP.name, logo=image_bytes("PNG"))
    assert pdf_image_count(pdf_render(document(3), shop=SHOP)) == 0
    pdf = pdf_render(document(150), shop=with_logo)
    assert pdf_image_count(pdf) == len(pdf_pages(pdf)) >= 3
    assert pdf_image_count(pdf_render(document(3), shop=ShopHeader(name="X", logo=image_bytes("JPEG")))) == 1


def test_rows_must_fit_the_columns():
    with pytest.raises(ValueError, match="CG202600042"):
        document(1, rows=[["1", "only two"]])
