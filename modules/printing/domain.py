"""What a printed document is made of, independent of any module's models, and the logo check.

A builder (see `modules.printing.registry`) turns one of its module's documents into a `PrintDocument`
of plain strings; `modules.printing.render.pdf_render` lays any of them out the same way."""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from jxc.kernel.errors import AppError
from modules.printing.enums import LOGO_MAX_BYTES, LOGO_MAX_PIXELS, LOGO_TYPES, ErrorCode

Text = str | Promise


@dataclass(frozen=True)
class PrintColumn:
    label: Text
    # A share of the table's width, relative to the other columns'.
    width: float = 1.0
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True)
class PrintDocument:
    """One document as printed. Cells, lines and values are already formatted text in the request's
    language; `amount` is written under the totals in capital numerals (大写金额) when given."""

    title: Text
    number: str
    date: date
    columns: list[PrintColumn]
    rows: list[list[str]]
    party_label: Text = ""
    party_lines: list[str] = field(default_factory=list)
    # Label and value pairs beside the party: dates, warehouse, status, who made it.
    meta: list[tuple[Text, str]] = field(default_factory=list)
    totals: list[tuple[Text, str]] = field(default_factory=list)
    amount: Decimal | None = None
    notes: str = ""
    # Each gets a line to sign on at the foot: 制单, 审核, 收货人.
    signatures: list[Text] = field(default_factory=list)

    def __post_init__(self):
        widths = {len(row) for row in self.rows}
        if widths - {len(self.columns)}:
            raise ValueError(f"{self.number}: rows of {sorted(widths)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class ShopHeader:
    """Who prints: the tenant's shop profile, with the tenant's name when no display name is set."""

    name: str
    address: str = ""
    phone: str = ""
    taxpayer_id: str = ""
    bank_name: str = ""
    bank_account: str = ""
    logo: bytes | None = None


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def logo_size_check(size: int) -> None:
    """Refuse a logo of `size` bytes over the limit: an upload is checked before it is read."""
    if size > LOGO_MAX_BYTES:
        raise AppError(
            ErrorCode.LOGO_TOO_LARGE,
            _("The logo is %(size)s KB; at most %(limit)s KB is allowed.")
            % {"size": (size + 1023) // 1024, "limit": LOGO_MAX_BYTES // 1024},
            field="logo",
        )


def logo_check(data: bytes) -> str:
    """The content type of `data` when it is an acceptable logo (a PNG or JPEG of at most 512 KB and
    4096 pixels a side that decodes), else an AppError on the field `logo` saying what is wrong."""
    if not data:
        raise AppError(ErrorCode.REQUIRED, _("Choose an image file."), field="logo")
    logo_size_check(len(data))
    # The magic numbers first: the decoder is not asked about files that do not even claim to be images.
    if not data.startswith((PNG_MAGIC, JPEG_MAGIC)):
        raise AppError(ErrorCode.LOGO_NOT_AN_IMAGE, _("The logo must be a PNG or JPEG image."), field="logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind in LOGO_TYPES and max(width, height) <= LOGO_MAX_PIXELS:
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise AppError(
            ErrorCode.LOGO_UNREADABLE, _("The logo file is damaged: it cannot be read as an image."), field="logo"
        ) from None
    if kind not in LOGO_TYPES:
        raise AppError(ErrorCode.LOGO_NOT_AN_IMAGE, _("The logo must be a PNG or JPEG image."), field="logo")
    if max(width, height) > LOGO_MAX_PIXELS:
        raise AppError(
            ErrorCode.LOGO_TOO_MANY_PIXELS,
            _("The logo is %(width)s × %(height)s pixels; at most %(limit)s a side is allowed.")
            % {"width": width, "height": height, "limit": LOGO_MAX_PIXELS},
            field="logo",
        )
    return LOGO_TYPES[kind]
