"""Quantities as people write them: 30, 2.5, +2, -0.25 (never 3E+1 or 30.000000)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


@register.filter
def signed_qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = qty(value)
    return f"+{text}" if Decimal(value) > 0 else text
