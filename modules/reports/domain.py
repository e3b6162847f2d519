"""The reports' pure rules: report periods and their presets, the buckets of a period (day, week,
month), margins, and the geometry of the charts (inline SVG, drawn by the templates). No database."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError


class Preset:
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    CUSTOM = "custom"
    ALL = (THIS_MONTH, LAST_MONTH, THIS_YEAR, CUSTOM)


class Bucket:
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    ALL = (DAY, WEEK, MONTH)


# A report spans at most this many days (ten years): enough for any shop, and it bounds the buckets.
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
    preset: str


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _parse_date(raw: str | None, field: str) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise AppError("invalid_date", _("Enter a date as YYYY-MM-DD."), field=field) from None


def period_resolve(*, preset: str | None, date_from: str | None, date_to: str | None, today: date) -> Period:
    """The period a report covers. A preset picks its dates from `today` (the shop's); "custom" (or
    dates without a preset) needs both dates. Nothing given: this month. Bad input names its field."""
    start, end = _parse_date(date_from, "date_from"), _parse_date(date_to, "date_to")
    if preset in (None, ""):
        preset = Preset.CUSTOM if start or end else Preset.THIS_MONTH
    if preset not in Preset.ALL:
        raise AppError("invalid_filter", _("Choose one of the listed periods."), field="period")
    if preset == Preset.THIS_MONTH:
        return Period(_month_start(today), today, preset)
    if preset == Preset.LAST_MONTH:
        first = _month_start(_month_start(today) - timedelta(days=1))
        return Period(first, _month_start(today) - timedelta(days=1), preset)
    if preset == Preset.THIS_YEAR:
        return Period(today.replace(month=1, day=1), today, preset)
    if start is None:
        raise AppError("required", _("Choose the first day of the period."), field="date_from")
    if end is None:
        raise AppError("required", _("Choose the last day of the period."), field="date_to")
    if end < start:
        raise AppError("invalid_range", _("The end date is before the start date."), field="date_to")
    if (end - start).days >= MAX_DAYS:
        raise AppError("invalid_range", _("A report covers at most ten years."), field="date_to")
    return Period(start, end, preset)


def bucket_start(day: date, bucket: str) -> date:
    """The first day of the bucket `day` falls in: itself, the Monday of its week, the 1st of its month
    (as PostgreSQL's date_trunc has them)."""
    if bucket == Bucket.DAY:
        return day
    if bucket == Bucket.WEEK:
        return day - timedelta(days=day.weekday())
    return _month_start(day)


def bucket_starts(date_from: date, date_to: date, bucket: str) -> list[date]:
    """Every bucket of the period in order, so a chart shows the quiet days too."""
    starts, current = [], bucket_start(date_from, bucket)
    while current <= date_to:
        starts.append(current)
        if bucket == Bucket.DAY:
            current += timedelta(days=1)
        elif bucket == Bucket.WEEK:
            current += timedelta(days=7)
        else:
            current = _next_month(current)
    return starts


def margin_percent(net: Decimal, margin: Decimal) -> Decimal | None:
    """Gross margin as a percentage of net revenue, one place; None without revenue."""
    if not net:
        return None
    return (margin * 100 / net).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Charts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class ColumnChart:
    """Vertical bars (one a bucket) with an optional line over them, in a `width` × `height` box whose
    plot area leaves `left` for the axis labels and `bottom` for the bucket labels."""

    width: int
    height: int
    left: int
    bottom: int
    bars: list[Bar]
    line: str  # SVG polyline points, "" for none
    top_value: Decimal
    zero_y: float
    label_every: int


def column_chart(
    labels: list[str], values: list[Decimal], line_values: list[Decimal] | None = None, *, width: int = 720,
    height: int = 240,
) -> ColumnChart:  # fmt: skip
    """Geometry of a column chart of `values` (negative ones hang below the zero line), with
    `line_values` drawn as a line on the same scale."""
    left, bottom, top_pad, right_pad = 64, 28, 8, 24
    plot_w, plot_h = width - left - right_pad, height - bottom - top_pad
    every = list(values) + list(line_values or [])
    high = max([v for v in every if v > 0], default=Decimal(0))
    low = min([v for v in every if v < 0], default=Decimal(0))
    span = (high - low) or Decimal(1)
    scale = plot_h / float(span)
    zero_y = top_pad + float(high) * scale
    slot = plot_w / max(len(values), 1)
    bar_w = max(slot * 0.7, 1.0)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = abs(float(value)) * scale
        y = zero_y - h if value >= 0 else zero_y
        bars.append(Bar(label, value, round(left + index * slot + (slot - bar_w) / 2, 2), round(y, 2), round(bar_w, 2),
                        round(h, 2)))  # fmt: skip
    points = ""
    if line_values:
        points = " ".join(
            f"{round(left + (index + 0.5) * slot, 2)},{round(zero_y - float(value) * scale, 2)}"
            for index, value in enumerate(line_values)
        )
    # About a dozen bucket labels at most, so they do not overlap.
    label_every = max(1, -(-len(values) // 12))
    return ColumnChart(width, height, left, bottom, bars, points, high, round(zero_y, 2), label_every)


@dataclass(frozen=True)
class RankBar:
    label: str
    value: Decimal
    width: float  # share of the largest, in percent (0 for a negative value)


def rank_bars(labels: list[str], values: list[Decimal], *, limit: int = 10) -> list[RankBar]:
    """The `limit` largest values as horizontal bars, each as a share of the largest."""
    ranked = sorted(zip(labels, values, strict=True), key=lambda pair: pair[1], reverse=True)[:limit]
    top = max((value for _label, value in ranked), default=Decimal(0))
    return [
        RankBar(label, value, round(float(value / top) * 100, 1) if top > 0 and value > 0 else 0.0)
        for label, value in ranked
    ]
