"""Numbers and dates as documents take them: Decimals of bounded size and places, cents rounded half up
(四舍五入), today in the shop's time zone. Bad input is an AppError naming the field."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError

CENTS = Decimal("0.01")
PLACES = Decimal("0.000001")
# Quantities and unit prices are numeric(20, 6): fewer than 14 digits before the point.
QUANTITY_LIMIT = Decimal("1e14")


def decimal_parse(value, *, field: str, places: Decimal = PLACES, limit: Decimal = QUANTITY_LIMIT) -> Decimal:
    """`value` (a Decimal, number or text) as a Decimal of at most `places`, below `limit` in size."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise AppError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= limit:
        raise AppError("invalid_number", _("Enter a number."), field=field)
    if number != number.quantize(places):
        raise AppError(
            "too_many_places", _("At most %(n)s decimal places.") % {"n": -places.as_tuple().exponent}, field=field
        )
    return number.quantize(places)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def line_amounts(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, vat_rate: Decimal, prices_include_vat: bool
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a purchase or sales line, each rounded half up to cents; net + tax = gross exactly."""
    amount = quantity * unit_price * (100 - discount_percent) / 100
    if prices_include_vat:
        gross = cents(amount)
        net = cents(gross / (1 + vat_rate))
        return net, gross - net, gross
    net = cents(amount)
    tax = cents(net * vat_rate)
    return net, tax, net + tax


def today_in(tz_name: str) -> date:
    """Today's date in the time zone `tz_name` (a shop's)."""
    return timezone.now().astimezone(ZoneInfo(tz_name)).date()
