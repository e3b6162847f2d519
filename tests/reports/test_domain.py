"""The reports' pure rules, without a database: periods and presets, buckets, margins, chart geometry."""

from datetime import date
from decimal import Decimal as D

import pytest

from jxc.kernel.errors import AppError
from modules.reports.domain import (
    Period,
    bucket_start,
    bucket_starts,
    column_chart,
    margin_percent,
    period_resolve,
    rank_bars,
)

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("preset", "date_from", "date_to", "expected"),
    [
        (None, None, None, Period(date(2026, 1, 1), TODAY, "this_month")),
        ("this_month", "2020-01-01", None, Period(date(2026, 1, 1), TODAY, "this_month")),
        # January's last month is December of the year before.
        ("last_month", None, None, Period(date(2025, 12, 1), date(2025, 12, 31), "last_month")),
        ("this_year", None, None, Period(date(2026, 1, 1), TODAY, "this_year")),
        ("custom", "2025-02-03", "2025-03-04", Period(date(2025, 2, 3), date(2025, 3, 4), "custom")),
        # Dates without a preset are a custom period.
        ("", "2025-02-03", "2025-02-03", Period(date(2025, 2, 3), date(2025, 2, 3), "custom")),
    ],
)
def test_period_presets(preset, date_from, date_to, expected):
    assert period_resolve(preset=preset, date_from=date_from, date_to=date_to, today=TODAY) == expected


def test_last_month_of_a_31st():
    period = period_resolve(preset="last_month", date_from=None, date_to=None, today=date(2026, 3, 31))
    assert (period.date_from, period.date_to) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("preset", "date_from", "date_to", "field"),
    [
        ("weekly", None, None, "period"),
        ("custom", None, "2025-01-01", "date_from"),
        ("custom", "2025-01-01", None, "date_to"),
        ("custom", "2025-13-01", "2025-01-01", "date_from"),
        ("custom", "2025-01-01", "yesterday", "date_to"),
        ("custom", "2025-02-01", "2025-01-31", "date_to"),
        ("custom", "2000-01-01", "2025-01-31", "date_to"),
        ("this_month", "not a date", None, "date_from"),
    ],
)
def test_bad_periods_name_the_parameter(preset, date_from, date_to, field):
    with pytest.raises(AppError) as refused:
        period_resolve(preset=preset, date_from=date_from, date_to=date_to, today=TODAY)
    assert refused.value.field == field


def test_buckets():
    assert bucket_start(date(2026, 3, 1), "week") == date(2026, 2, 23)  # a Sunday's Monday
    assert bucket_start(date(2026, 3, 18), "month") == date(2026, 3, 1)
    assert bucket_starts(date(2025, 11, 30), date(2026, 2, 1), "month") == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)
    ]  # fmt: skip
    assert bucket_starts(date(2026, 3, 1), date(2026, 3, 3), "day") == [date(2026, 3, d) for d in (1, 2, 3)]
    assert bucket_starts(date(2026, 3, 4), date(2026, 3, 16), "week") == [
        date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)
    ]  # fmt: skip


def test_margin_percent():
    assert margin_percent(D("32.00"), D("14.00")) == D("43.8")
    assert margin_percent(D("-10.00"), D("-2.00")) == D("20.0")
    assert margin_percent(D("0"), D("0")) is None


def test_column_chart_scales_bars_and_the_line_to_one_axis():
    chart = column_chart(["a", "b", "c"], [D("100"), D("50"), D("-25")], [D("40"), D("20"), D("-10")])
    tallest, half, negative = chart.bars
    assert tallest.height == pytest.approx(half.height * 2)
    assert tallest.height == pytest.approx(negative.height * 4)
    # Positive bars stand on the zero line; a negative one hangs from it.
    assert tallest.y + tallest.height == pytest.approx(chart.zero_y)
    assert negative.y == pytest.approx(chart.zero_y)
    assert chart.top_value == D("100")
    points = [tuple(map(float, p.split(","))) for p in chart.line.split()]
    assert len(points) == 3 and points[2][1] > chart.zero_y > points[0][1]
    # The bars stay inside the box.
    assert all(chart.left <= bar.x and bar.x + bar.width <= chart.width for bar in chart.bars)


def test_column_chart_of_nothing_and_many_labels():
    empty = column_chart([], [])
    assert empty.bars == [] and empty.line == ""
    many = column_chart([str(i) for i in range(365)], [D(0)] * 365)
    assert all(bar.height == 0 for bar in many.bars)
    assert many.label_every == 31


def test_rank_bars_keep_the_largest_ten():
    labels = [f"item {i}" for i in range(12)]
    bars = rank_bars(labels, [D(i) for i in range(12)] + [], limit=10)
    assert [bar.label for bar in bars][:2] == ["item 11", "item 10"] and len(bars) == 10
    assert bars[0].width == 100.0 and bars[1].width == pytest.approx(90.9)
    assert rank_bars(["a"], [D("-5")])[0].width == 0.0
