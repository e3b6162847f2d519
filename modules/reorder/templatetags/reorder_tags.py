"""Template filters of the reorder pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    """A quantity without trailing zeros and never in exponent form: 40.000000 → "40", 1.500000 → "1.5"."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    # normalize() alone turns 100 into "1E+2"; the "f" format keeps it positional.
    return f"{value.normalize():f}"


@register.filter
def price(value) -> str:
    """A unit price with at least two places and no trailing zeros beyond them: 2.000000 → "2.00", 2.345 → "2.345"."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    value = value.normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"
