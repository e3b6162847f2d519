"""Pure reorder rules without the database: the stock levels of a rule, when stock is low, how much to order.

A rule's levels are quantities in the item's base unit with 0 ≤ minimum ≤ reorder point < maximum.
The maximum must exceed the reorder point so that an item at its reorder point always gets a positive
suggestion (ordering "up to" a level it already has would suggest nothing).

- low: available ≤ reorder point;
- severity "below_minimum" when available < minimum (the safety stock is being eaten), else "reorder";
- suggested quantity: maximum − available in base units, rounded UP to whole purchase units when the
  item has one (1 箱 = 24 瓶: 30 瓶 missing → 2 箱 = 48 瓶).
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.kernel.errors import AppError

QTY = Decimal("0.000001")
MONEY = Decimal("0.01")
ZERO = Decimal("0")
# Quantities are stored as 20 digits with 6 places: at most 14 before the point.
QTY_LIMIT = Decimal("1e14")
LEVELS = ("minimum", "reorder_point", "maximum")


class Severity(models.TextChoices):
    BELOW_MINIMUM = "below_minimum", gettext_lazy("Below minimum")
    REORDER = "reorder", gettext_lazy("At or below reorder point")


# Most urgent first.
SEVERITY_RANK = {Severity.BELOW_MINIMUM: 0, Severity.REORDER: 1}


class Code:
    INVALID = "invalid_number"
    NEGATIVE = "must_not_be_negative"
    TOO_MANY_PLACES = "too_many_places"
    TOO_LARGE = "too_large"
    MINIMUM_ABOVE_REORDER_POINT = "minimum_above_reorder_point"
    MAXIMUM_NOT_ABOVE_REORDER_POINT = "maximum_not_above_reorder_point"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    INACTIVE = "inactive"
    NOT_A_SUPPLIER = "partner_not_a_supplier"
    DUPLICATE = "duplicate_rule"
    UNKNOWN_FIELD = "unknown_field"
    NO_SUPPLIER = "no_supplier"
    NON_POSITIVE = "non_positive_quantity"
    WHOLE_UNITS = "whole_purchase_units"
    DUPLICATE_LINE = "duplicate_line"
    INVALID_WINDOW = "invalid_window"


def quantity_clean(value, *, field: str) -> Decimal:
    """A level as a Decimal in base units: a finite number ≥ 0 with at most six decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise AppError(Code.INVALID, _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise AppError(Code.INVALID, _("Enter a number."), field=field)
    if number < 0:
        raise AppError(Code.NEGATIVE, _("The quantity cannot be negative."), field=field)
    # Size first: quantizing a huge number to six places would overflow the decimal context.
    if number >= QTY_LIMIT:
        raise AppError(Code.TOO_LARGE, _("This quantity is too large."), field=field)
    if number != number.quantize(QTY, rounding=ROUND_HALF_UP):
        raise AppError(Code.TOO_MANY_PLACES, _("Use at most six decimal places."), field=field)
    return number.quantize(QTY)


def levels_check(*, minimum: Decimal, reorder_point: Decimal, maximum: Decimal, changed: frozenset[str]) -> None:
    """Refuse levels out of order. The error names the field the caller changed when only one side of the
    broken pair changed (raising the reorder point above the maximum blames the reorder point); otherwise
    the outer one (minimum, maximum)."""
    if minimum > reorder_point:
        field = "reorder_point" if "reorder_point" in changed and "minimum" not in changed else "minimum"
        raise AppError(
            Code.MINIMUM_ABOVE_REORDER_POINT, _("The minimum cannot be above the reorder point."), field=field
        )
    if maximum <= reorder_point:
        field = "reorder_point" if "reorder_point" in changed and "maximum" not in changed else "maximum"
        raise AppError(
            Code.MAXIMUM_NOT_ABOVE_REORDER_POINT, _("The maximum must be above the reorder point."), field=field
        )


def is_low(*, available: Decimal, reorder_point: Decimal) -> bool:
    return available <= reorder_point


def severity(*, available: Decimal, minimum: Decimal) -> str:
    return Severity.BELOW_MINIMUM if available < minimum else Severity.REORDER


@dataclass(frozen=True)
class Suggestion:
    quantity: Decimal  # in base units
    purchase_units: Decimal | None  # whole purchase units, when the item has a purchase unit


def suggestion(*, available: Decimal, maximum: Decimal, pack_factor: Decimal | None) -> Suggestion:
    """Order up to the maximum; with a purchase unit of `pack_factor` base units, round up to whole ones."""
    need = max(maximum - available, ZERO)
    if not pack_factor:
        return Suggestion(quantity=need.quantize(QTY), purchase_units=None)
    packs = (need / pack_factor).to_integral_value(rounding=ROUND_CEILING)
    return Suggestion(quantity=(packs * pack_factor).quantize(QTY), purchase_units=packs)


def estimated_amount(*, quantity: Decimal, unit_price: Decimal | None) -> Decimal | None:
    if unit_price is None:
        return None
    return (quantity * unit_price).quantize(MONEY, rounding=ROUND_HALF_UP)


def urgency_key(*, severity_value: str, available: Decimal, maximum: Decimal, item_code: str, warehouse_code: str):
    """Sort key, most urgent first: below minimum before reorder, then the emptiest relative to its maximum."""
    return (SEVERITY_RANK[severity_value], available / maximum, item_code, warehouse_code)


# ---- Replenishment suggestions (库存补充建议) --------------------------------------------------------------
#
# Per item × warehouse with an active rule, in base units:
#
#   daily sales   v = net sales over the last W days / W            (W: 7, 30 or 90; returns count negatively)
#   lead time     L = the supplier item's lead time, else the supplier's, else 0 days
#   review period R = 7 days: how long the order must last until the next look at this list
#   position      P = on hand + on open purchase orders − reserved by open sales orders
#   trigger       s = max(reorder point, minimum + v × L)            (the stock that must last the lead time)
#   target        S = max(maximum, minimum + v × (L + R))            (safety stock plus demand until the next-but-one)
#   suggested       = S − P when P ≤ s, else nothing; rounded up to whole purchase units of the supplier
#
# With no sales (v = 0) this is the rule alone: reorder at the reorder point, up to the maximum. Sales faster
# than the rule foresaw raise both the trigger and the target; they never lower them below the rule.

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30
REVIEW_DAYS = 7
REVIEW_DAYS_MAX = 365


@dataclass(frozen=True)
class Plan:
    daily_sales: Decimal
    demand: Decimal  # v × (L + R)
    trigger: Decimal
    target: Decimal
    position: Decimal
    needed: Decimal  # S − P, or 0 when P is above the trigger
    quantity: Decimal  # needed, rounded up to whole purchase units (base units)
    packs: Decimal | None  # whole purchase units, when the supplier has one

    @property
    def due(self) -> bool:
        return self.quantity > 0


def replenishment_plan(
    *,
    on_hand: Decimal,
    on_order: Decimal,
    reserved: Decimal,
    sold: Decimal,
    window_days: int,
    lead_days: int,
    review_days: int,
    minimum: Decimal,
    reorder_point: Decimal,
    maximum: Decimal,
    pack_factor: Decimal | None,
) -> Plan:
    """What to order for one item × warehouse (see the formula above). `sold` is the window's net sales."""
    daily = (max(sold, ZERO) / window_days).quantize(QTY, rounding=ROUND_HALF_UP)
    demand = (daily * (lead_days + review_days)).quantize(QTY, rounding=ROUND_HALF_UP)
    trigger = max(reorder_point, minimum + daily * lead_days).quantize(QTY, rounding=ROUND_HALF_UP)
    target = max(maximum, minimum + demand).quantize(QTY, rounding=ROUND_HALF_UP)
    position = on_hand + on_order - reserved
    needed = max(target - position, ZERO) if position <= trigger else ZERO
    if needed and pack_factor:
        packs = (needed / pack_factor).to_integral_value(rounding=ROUND_CEILING)
        quantity = (packs * pack_factor).quantize(QTY)
    else:
        packs = ZERO if pack_factor else None
        quantity = needed.quantize(QTY)
    return Plan(
        daily_sales=daily,
        demand=demand,
        trigger=trigger,
        target=target,
        position=position.quantize(QTY),
        needed=needed.quantize(QTY),
        quantity=quantity,
        packs=packs,
    )


def qty_text(value: Decimal) -> str:
    """A quantity without trailing zeros (12.500000 → 12.5)."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text
