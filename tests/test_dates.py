import datetime as dt

import pytest

from geo.dates import find_printed_date
from geo.metadata import parse_partial_date


@pytest.mark.parametrize(
    "head, expected",
    [
        ("September 6, 2022\n3 mins read\n\nRussia buys shells", dt.date(2022, 9, 6)),
        ("By Jane Roe | 18 June 2024\nPutin lands in Pyongyang", dt.date(2024, 6, 18)),
        ("Sept. 1, 2022 — The drills started", dt.date(2022, 9, 1)),
        ("Posted 2015-02-03\nRussia plans drills", dt.date(2015, 2, 3)),
    ],
)
def test_dateline_in_the_head_is_found(head: str, expected: dt.date) -> None:
    assert find_printed_date(head) == expected


def test_dates_deep_in_the_story_are_not_publication_dates() -> None:
    text = "Headline\nLede line.\nSecond line.\nThird line.\nIn a speech on March 3, 2021, he spoke."
    assert find_printed_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Mary Hale, teacher, dies at 98\nMary Hale was born on March 3, 1923, in a farmhouse near the river.",
        "Two hurt on the ring road\nOn June 5, 2021, a truck crashed into the barrier at the junction.",
        "Council votes on the bridge\nThe vote, first set for 12 May 2019 and then delayed, passed.",
    ],
)
def test_a_date_inside_a_sentence_of_the_head_leaves_the_article_undated(text: str) -> None:
    assert find_printed_date(text) is None


@pytest.mark.parametrize(
    "head, expected",
    [
        ("Bridge reopens\nUpdated: Tuesday, March 4, 2025 at 10:15\nThe bridge reopened.", dt.date(2025, 3, 4)),
        ("Bridge reopens\nPublished 4 March 2025, the council said\nThe bridge reopened.", dt.date(2025, 3, 4)),
        ("Bridge reopens\nBy Ann Lee, Staff Writer, March 4, 2025\nThe bridge reopened.", dt.date(2025, 3, 4)),
    ],
)
def test_a_label_or_a_byline_makes_the_line_a_dateline(head: str, expected: dt.date) -> None:
    assert find_printed_date(head) == expected


def test_impossible_dates_are_ignored() -> None:
    assert find_printed_date("February 30, 2022\nStory") is None


@pytest.mark.parametrize(
    "value, expected",
    [("2022-09-06", (dt.date(2022, 9, 6), "day")), ("2015-02", (dt.date(2015, 2, 1), "month")), ("2015", (dt.date(2015, 1, 1), "year"))],
)
def test_partial_dates_keep_their_precision(value: str, expected: tuple) -> None:
    assert parse_partial_date(value) == expected


def test_bad_partial_date_says_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="not YYYY-MM-DD"):
        parse_partial_date("6 Sept")
