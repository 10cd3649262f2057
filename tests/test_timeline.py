"""The timeline's bins and brush: a day per bar over a short span, weeks over a long one."""

from __future__ import annotations

import datetime as dt

from dashboard.timeline import BRUSH, Bins, brushed_range


def test_short_spans_are_daily_long_ones_weekly_and_every_article_counts_once():
    short = Bins.of([("2024-06-01", 2), ("2024-06-19", 1)])
    assert short.unit == "day" and short.total == 3 and len(short.frame) == 2
    long = Bins.of([("2022-09-06", 1), ("2024-06-17", 2), ("2024-06-19", 1)])
    assert long.unit == "week" and long.total == 4
    assert [str(d.date()) for d in long.frame["start"]] == ["2022-09-05", "2024-06-17"]  # Mondays
    assert list(long.frame["articles"]) == [1, 3]
    assert Bins.of([]).total == 0


def test_a_brush_becomes_whole_days_and_weeks_and_no_brush_is_none():
    june_1, june_19 = dt.datetime(2024, 6, 1, tzinfo=dt.UTC).timestamp() * 1000, dt.datetime(2024, 6, 19, 12, tzinfo=dt.UTC).timestamp() * 1000
    assert brushed_range({BRUSH: {"start": [june_19, june_1]}}, "day") == (dt.date(2024, 6, 1), dt.date(2024, 6, 19))
    assert brushed_range({BRUSH: {"start": ["2024-06-17", "2024-06-17"]}}, "week") == (
        dt.date(2024, 6, 17), dt.date(2024, 6, 23))
    assert brushed_range({BRUSH: {}}, "day") is None and brushed_range({}, "day") is None
