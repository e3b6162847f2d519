"""Pure price arithmetic, without the database: unit conversion of a price, VAT on a tax-exclusive price,
percentages, quantity breaks, the bulk change of a price.

Rounding: a price converted between units stays exact to 6 places (as sales lines keep unit prices); a
price computed from a percentage or from VAT is money and is rounded half up (四舍五入) to cents.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import CENTS, PLACES, cents, decimal_parse
from modules.pricing.enums import Code

HUNDRED = Decimal(100)
PRICE_LIMIT = Decimal("1e12")  # prices are numeric(14, 2)


def price_for_unit(price_per_base: Decimal, factor: Decimal) -> Decimal:
    """A price per base unit as the price of a unit of `factor` base units (1 箱 = 24 瓶: 24 × the bottle)."""
    return (price_per_base * factor).quantize(PLACES)


def price_with_vat(price: Decimal, vat_rate: Decimal) -> Decimal:
    """A tax-exclusive price with the VAT added, to cents."""
    return cents(price * (1 + vat_rate))


def price_without_vat(price: Decimal, vat_rate: Decimal) -> Decimal:
    """A tax-inclusive price net of VAT, exact to 6 places (for comparing with a net cost)."""
    return (price / (1 + vat_rate)).quantize(PLACES)


def percent_off(price: Decimal, percent: Decimal) -> Decimal:
    """`price` less `percent` per cent, to cents."""
    return cents(price * (HUNDRED - percent) / HUNDRED)


def percent_change(price: Decimal, percent: Decimal) -> Decimal:
    """`price` raised (percent > 0) or lowered (percent < 0) by `percent` per cent, to cents."""
    return cents(price * (HUNDRED + percent) / HUNDRED)


class Tier(Protocol):
    """An entry as the break picker sees it (a PriceListItem, or any object with these two)."""

    min_quantity: Decimal
    price: Decimal


T = TypeVar("T", bound=Tier)


def break_pick(entries: Iterable[T], quantity: Decimal) -> T | None:
    """The entry that applies to `quantity`: the one with the largest minimum not above it (None: none does).

    A minimum of 0 is the price for any quantity; minimums are unique per item, unit and list, so there
    is never a tie."""
    applicable = [entry for entry in entries if entry.min_quantity <= quantity]
    return max(applicable, key=lambda entry: entry.min_quantity, default=None)


def price_parse(value, *, field: str) -> Decimal:
    """A price: a number ≥ 0 with at most 2 decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    price = decimal_parse(value, field=field, places=CENTS, limit=PRICE_LIMIT)
    if price < 0:
        raise AppError(Code.INVALID_NUMBER, _("The price cannot be negative."), field=field)
    return price


def quantity_parse(value, *, field: str, allow_zero: bool = False) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    quantity = decimal_parse(value, field=field)
    if quantity < 0 or (quantity == 0 and not allow_zero):
        message = _("Enter a quantity of 0 or more.") if allow_zero else _("Enter a quantity above 0.")
        raise AppError(Code.INVALID_NUMBER, message, field=field)
    return quantity


def percent_parse(value, *, field: str, signed: bool) -> Decimal:
    """A percentage with at most 2 places: strictly between 0 and 100 for a discount (`signed` False); for
    a change of price (`signed` True) above -100 and at most 1000, and not 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    percent = decimal_parse(value, field=field, places=CENTS, limit=Decimal("1e6"))
    if signed:
        if percent <= -HUNDRED or percent > 10 * HUNDRED or percent == 0:
            raise AppError(
                Code.INVALID_NUMBER, _("Enter a percentage above -100 and at most 1000, not 0."), field=field
            )
    elif not 0 < percent < HUNDRED:
        raise AppError(Code.INVALID_NUMBER, _("Enter a percentage between 0 and 100."), field=field)
    return percent


def number_text(value: Decimal) -> str:
    """A Decimal without trailing zeros and never in exponent form (10.00 → "10", 1E+1 → "10")."""
    return f"{value.normalize():f}"
