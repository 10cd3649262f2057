"""Dates as analysts type them, on the command line and in URLs: a day, a month or a year.

`2022-09-06` is that day; `2022-09` is September 2022 and `2022` the year 2022. A bound of a
range takes the period's edge that keeps all of it in: `from 2022-09` starts on the month's
first day, `to 2022-09` ends on its last, so `?from=2022-09&to=2022-09` is the whole month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_SHAPE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
EXPECTED = "expected YYYY-MM-DD, YYYY-MM or YYYY"


def parse_period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day `value` covers. ValueError with a message for the user when
    it is not a day, a month or a year ("June 2024", "2022-13", "2022-02-30")."""
    text = value.strip()
    match = _SHAPE.fullmatch(text)
    if not match:
        raise ValueError(f"not a date: {value!r} ({EXPECTED})")
    year, month, day = int(match["year"]), match["month"], match["day"]
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not 1 <= int(month) <= 12:
        raise ValueError(f"not a date: {value!r} (there is no month {int(month)})")
    if day is None:
        return dt.date(year, int(month), 1), dt.date(year, int(month), calendar.monthrange(year, int(month))[1])
    try:
        date = dt.date(year, int(month), int(day))
    except ValueError:
        days = calendar.monthrange(year, int(month))[1]
        raise ValueError(f"not a date: {value!r} ({calendar.month_name[int(month)]} {year} has {days} days)") from None
    return date, date


def parse_from(value: str) -> dt.date:
    """The first day of a typed period, for the start of a range."""
    return parse_period(value)[0]


def parse_to(value: str) -> dt.date:
    """The last day of a typed period, for the end of a range."""
    return parse_period(value)[1]
