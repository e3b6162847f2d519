"""Pure catalog rules without the database: pinyin initials, EAN check digits, unit conversion."""

from decimal import Decimal

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from jxc.kernel.errors import AppError

# A quantity in base units is stored with 6 decimal places; a conversion needing more is refused, not rounded.
BASE_QUANTITY_PLACES = 6


def pinyin_initials(text: str) -> str:
    """Lower-case initials of the Chinese characters; other letters and digits kept (可口可乐 → "kkkl")."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isalnum())


def ean_check_digit(body: str) -> int:
    """The check digit of an EAN-8/EAN-13 body (7 or 12 digits): weights 3,1,3,... from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def barcode_is_valid(code: str) -> bool:
    """8- and 13-digit codes are EAN and must carry a correct check digit; other codes are accepted as is."""
    if not code or len(code) > 64 or any(ch.isspace() for ch in code):
        return False
    if code.isdigit() and len(code) in (8, 13):
        return ean_check_digit(code[:-1]) == int(code[-1])
    return True


def convert_to_base(*, quantity: Decimal, factor: Decimal, field: str = "quantity") -> Decimal:
    """quantity × factor, refusing a result that needs more than 6 decimal places."""
    if not isinstance(quantity, Decimal):
        quantity = Decimal(str(quantity))
    result = quantity * factor
    if result != result.quantize(Decimal(1).scaleb(-BASE_QUANTITY_PLACES)):
        raise AppError(
            "inexact_conversion",
            _("%(qty)s × %(factor)s is not exact to %(places)s decimal places in the base unit.")
            % {"qty": quantity, "factor": factor.normalize(), "places": BASE_QUANTITY_PLACES},
            field=field,
        )
    return result.quantize(Decimal(1).scaleb(-BASE_QUANTITY_PLACES))
