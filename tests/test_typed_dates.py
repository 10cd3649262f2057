"""Typed dates: a day, a month or a year wherever a date is typed (command line, URL), with
a month or year reaching to its edges, and a message naming what is wrong with a bad one."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import urlstate
from geo.typed_dates import parse_from, parse_period, parse_to

D = dt.date


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("2022-09-06", (D(2022, 9, 6), D(2022, 9, 6))),
        ("2022-09", (D(2022, 9, 1), D(2022, 9, 30))),
        (" 2024-2 ", (D(2024, 2, 1), D(2024, 2, 29))),  # a leap year's February
        ("2023-02", (D(2023, 2, 1), D(2023, 2, 28))),
        ("2022", (D(2022, 1, 1), D(2022, 12, 31))),
    ],
)
def test_a_day_a_month_or_a_year(typed, period):
    assert parse_period(typed) == period
    assert (parse_from(typed), parse_to(typed)) == period


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("June 2024", "expected YYYY-MM-DD, YYYY-MM or YYYY"),
        ("22-09", "expected YYYY-MM-DD, YYYY-MM or YYYY"),
        ("2022-13", "there is no month 13"),
        ("2022-02-30", "February 2022 has 28 days"),
        ("", "expected"),
    ],
)
def test_bad_dates_say_what_is_wrong(typed, says):
    with pytest.raises(ValueError, match=says):
        parse_period(typed)


def test_a_month_in_the_url_covers_the_whole_month():
    view, problems = urlstate.parse({"from": ["2022-09"], "to": ["2022-09"]})
    assert problems == []
    assert (view.filters.date_from, view.filters.date_to) == (D(2022, 9, 1), D(2022, 9, 30))
    year, _ = urlstate.parse({"from": ["2024"]})
    assert year.filters.date_from == D(2024, 1, 1) and year.filters.date_to is None


def test_a_bad_url_date_is_a_warning_and_the_rest_of_the_view_stays():
    view, problems = urlstate.parse({"from": ["2022-13"], "to": ["2022-10"], "country": ["kp"]})
    assert problems == ["`from` ignored: not a date: '2022-13' (there is no month 13)"]
    assert view.filters.date_from is None and view.filters.date_to == D(2022, 10, 31)
    assert view.filters.countries == ("KP",)
