"""Any `PrintDocument` as an A4 PDF: the shop's header (logo, name, details) on every page, the party
and the document's facts, the lines in a table whose header row repeats on each page, the totals with
the amount in capital numerals (大写金额), notes, lines to sign on, and "page x of y" at the foot.

Text is set in reportlab's built-in CID font STSong-Light (Adobe's Song for simplified Chinese, Latin
included): PDF readers supply the glyphs, so no font file is needed on the server and the PDF stays small.
"""

import functools
import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from modules.printing.amounts import amount_in_words
from modules.printing.domain import PrintDocument, ShopHeader

FONT = "STSong-Light"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
HEADER_HEIGHT = 20 * mm  # the band under the top margin that holds the logo and the shop's name
FOOTER_Y = 10 * mm
LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT = 40 * mm, 15 * mm
GRID = colors.HexColor("#9ca3af")
HEAD_FILL = colors.HexColor("#f3f4f6")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


@functools.cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@functools.cache
def _style(size: float = 9, align: str = "left") -> ParagraphStyle:
    # CJK wrapping breaks a line between any two characters, which Chinese text needs.
    return ParagraphStyle(
        f"print-{size}-{align}", fontName=_font(), fontSize=size, leading=size * 1.3, alignment=ALIGN[align],
        wordWrap="CJK",
    )  # fmt: skip


def _p(text, size: float = 9, align: str = "left") -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), _style(size, align))


class _NumberedCanvas(Canvas):
    """Holds every page back until the end, so the footer of each can say how many there are."""

    def __init__(self, *args, footer: Callable[[Canvas, int, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer = footer

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


def _logo(shop: ShopHeader) -> tuple[ImageReader, float, float] | None:
    if not shop.logo:
        return None
    reader = ImageReader(io.BytesIO(shop.logo))
    width, height = reader.getSize()
    scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    return reader, width * scale, height * scale


def _shop_lines(shop: ShopHeader) -> list[str]:
    first = [shop.address, pgettext("print", "Tel. %(phone)s") % {"phone": shop.phone} if shop.phone else ""]
    second = [
        pgettext("print", "Taxpayer ID %(id)s") % {"id": shop.taxpayer_id} if shop.taxpayer_id else "",
        " ".join(part for part in (shop.bank_name, shop.bank_account) if part),
    ]
    return [line for line in ("  ".join(p for p in first if p), "  ".join(p for p in second if p)) if line]


def _header(doc: PrintDocument, shop: ShopHeader) -> Callable[[Canvas, SimpleDocTemplate], None]:
    logo = _logo(shop)
    details = _shop_lines(shop)
    title = str(doc.title)

    def draw(canvas: Canvas, _template: SimpleDocTemplate) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        x = MARGIN
        if logo is not None:
            reader, width, height = logo
            canvas.drawImage(reader, x, top - height, width, height, mask="auto")
            x += width + 4 * mm
        # A long name is set smaller rather than run into the title on the right.
        room = PAGE_WIDTH - MARGIN - x - max(pdfmetrics.stringWidth(title, FONT, 11), 45 * mm) - 5 * mm
        size = 14
        while size > 8 and pdfmetrics.stringWidth(shop.name, FONT, size) > room:
            size -= 0.5
        canvas.setFont(FONT, size)
        canvas.drawString(x, top - 5 * mm, shop.name)
        canvas.setFont(FONT, 7.5)
        for index, line in enumerate(details):
            canvas.drawString(x, top - 10 * mm - index * 3.6 * mm, line)
        canvas.setFont(FONT, 11)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 5 * mm, title)
        canvas.setFont(FONT, 8.5)
        number = pgettext("print", "No. %(number)s") % {"number": doc.number}
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 10 * mm, number)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - HEADER_HEIGHT + 2 * mm, PAGE_WIDTH - MARGIN, top - HEADER_HEIGHT + 2 * mm)
        canvas.restoreState()

    return draw


def _footer(doc: PrintDocument) -> Callable[[Canvas, int, int], None]:
    left = f"{doc.title} {doc.number}"

    def draw(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, FOOTER_Y, left)
        footer = pgettext("print", "Page %(page)s of %(pages)s") % {"page": page, "pages": pages}
        canvas.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, footer)
        canvas.restoreState()

    return draw


def _facts(doc: PrintDocument, width: float) -> Table:
    """The party on the left, the document's facts (number, date, then the builder's) on the right."""
    party = [_p(doc.party_label, 9)] if doc.party_label else []
    party += [_p(line, 10 if index == 0 else 9) for index, line in enumerate(doc.party_lines)]
    pairs = [(pgettext("print", "No."), doc.number), (pgettext("print", "Date"), doc.date.isoformat()), *doc.meta]
    meta = Table(
        [[_p(label, 9), _p(value, 9)] for label, value in pairs],
        colWidths=[25 * mm, width * 0.45 - 25 * mm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]),
    )  # fmt: skip
    return Table(
        [[party or "", meta]],
        colWidths=[width * 0.55, width * 0.45],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
    )


CELL_SIZE = 8.5
CELL_PADDING = 3


def _cell(text: str, width: float, align: str):
    """A plain string when it fits on one line (most numbers, codes and units: far cheaper to lay out,
    which a document of a thousand lines notices), else a paragraph that wraps."""
    if "\n" not in text and pdfmetrics.stringWidth(text, FONT, CELL_SIZE) <= width - 2 * CELL_PADDING - 1:
        return text
    return _p(text, CELL_SIZE, align)


def _lines(doc: PrintDocument, width: float) -> Table:
    shares = sum(column.width for column in doc.columns)
    widths = [width * column.width / shares for column in doc.columns]
    head = [_p(column.label, CELL_SIZE, "center") for column in doc.columns]
    body = [
        [_cell(str(cell), w, column.align) for cell, column, w in zip(row, doc.columns, widths, strict=True)]
        for row in doc.rows
    ]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_SIZE * 1.3),
        *(("ALIGN", (i, 1), (i, -1), column.align.upper()) for i, column in enumerate(doc.columns)),
    ]
    if not body:
        body = [[_p(pgettext("print", "No lines."), CELL_SIZE)] + [""] * (len(doc.columns) - 1)]
        style.append(("SPAN", (0, 1), (-1, 1)))
    style += [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    # The header row is repeated at the top of every page the table runs onto.
    return Table([head, *body], colWidths=widths, repeatRows=1, style=TableStyle(style))


def _totals(doc: PrintDocument, width: float) -> list:
    parts = []
    if doc.totals:
        parts.append(
            Table(
                [[_p(label, 9, "right"), _p(value, 9, "right")] for label, value in doc.totals],
                colWidths=[width * 0.25, width * 0.2],
                hAlign="RIGHT",
                style=TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]),
            )
        )
    if doc.amount is not None:
        parts += [
            Spacer(0, 2 * mm),
            _p(pgettext("print", "Amount in words: RMB %(words)s") % {"words": amount_in_words(doc.amount)}, 10),
        ]
    return [KeepTogether(parts)] if parts else []


def _signatures(doc: PrintDocument, width: float) -> list:
    if not doc.signatures:
        return []
    cells = [_p(f"{label}：______________", 9) for label in doc.signatures]
    return [Spacer(0, 8 * mm), Table([cells], colWidths=[width / len(cells)] * len(cells))]


def pdf_render(doc: PrintDocument, *, shop: ShopHeader) -> bytes:
    """`doc` as the bytes of an A4 PDF headed by `shop`."""
    _font()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{doc.title} {doc.number}",
        author=shop.name,
        creator="ShopLedger",
    )
    width = template.width
    story = [_p(doc.title, 16, "center"), Spacer(0, 4 * mm), _facts(doc, width), Spacer(0, 4 * mm), _lines(doc, width)]
    story += [Spacer(0, 3 * mm), *_totals(doc, width)]
    if doc.notes:
        story += [Spacer(0, 3 * mm), _p(pgettext("print", "Notes: %(notes)s") % {"notes": doc.notes}, 9)]
    story += _signatures(doc, width)
    header = _header(doc, shop)
    template.build(
        story,
        onFirstPage=header,
        onLaterPages=header,
        canvasmaker=functools.partial(_NumberedCanvas, footer=_footer(doc)),
    )
    return buffer.getvalue()
