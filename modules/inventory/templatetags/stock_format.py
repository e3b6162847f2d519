"""Number formats of the stock pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity or unit cost without trailing zeros, never in exponent form (10, not 1E+1)."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"
