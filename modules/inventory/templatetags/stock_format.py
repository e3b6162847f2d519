"""Number formats of the stock pages: quantities and costs as people write them
(30, 2.5, +2, -0.25; never 3E+1 or 30.000000)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity or unit cost without trailing zeros, never in exponent form (10, not 1E+1)."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text == "-0" else text


@register.filter
def signed_qty(value: Decimal | None) -> str:
    """A difference with its sign: +2, -0.25, 0."""
    if value is None or value == "":
        return ""
    text = qty(value)
    return f"+{text}" if Decimal(value) > 0 else text


@register.filter
def price(value: Decimal | None) -> str:
    """A unit price with at least two places: 2.000000 → 2.00, 2.345 → 2.345."""
    if value is None or value == "":
        return ""
    value = Decimal(value).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"
