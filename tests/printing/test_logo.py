"""What counts as a logo: a PNG or JPEG that decodes, at most 512 KB and 4096 pixels a side. Every refusal
is an AppError on the field `logo` that says what is wrong. No database."""

import io
import os

import pytest
from PIL import Image

from jxc.kernel.errors import AppError
from modules.printing.domain import logo_check
from tests.printing.pdfs import image_bytes


def refusal(data: bytes) -> AppError:
    with pytest.raises(AppError) as caught:
        logo_check(data)
    assert caught.value.field == "logo"
    return caught.value


def test_png_and_jpeg_are_taken():
    assert logo_check(image_bytes("PNG")) == "image/png"
    assert logo_check(image_bytes("JPEG")) == "image/jpeg"


def test_nothing_is_refused():
    assert refusal(b"").code == "required"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a picture",
        "商店标志".encode(),
        b"GIF89a" + b"\0" * 100,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
    ids=["pdf", "text", "gif", "svg"],
)
def test_other_files_are_refused_as_not_an_image(data):
    error = refusal(data)
    assert error.code == "logo_not_an_image" and "PNG" in str(error.message)


def test_a_gif_or_bmp_is_refused_even_when_it_decodes():
    for kind in ("GIF", "BMP"):
        assert refusal(image_bytes(kind)).code == "logo_not_an_image"


def test_a_damaged_png_is_refused():
    whole = image_bytes("PNG", (300, 300))
    assert refusal(whole[: len(whole) // 2]).code == "logo_unreadable"
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50).code == "logo_unreadable"


def test_more_than_512_kb_is_refused_with_the_size():
    buffer = io.BytesIO()
    # Noise does not compress: a 600 × 600 PNG of it is about 1 MB.
    Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(buffer, "PNG")
    error = refusal(buffer.getvalue())
    assert error.code == "logo_too_large" and "512" in str(error.message)
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\0" * (512 * 1024)).code == "logo_too_large"


def test_too_many_pixels_is_refused():
    error = refusal(image_bytes("PNG", (5000, 10)))
    assert error.code == "logo_too_many_pixels" and "5000" in str(error.message)
