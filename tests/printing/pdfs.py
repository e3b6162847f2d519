"""Reading PDFs back in tests: pages and their text (pypdf), and images made up for logos."""

import io

from PIL import Image
from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()
