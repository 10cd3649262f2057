"""Publication dates printed in an article's text.

Only the head of the article is searched (its first lines), only full dates count
("September 6, 2022", "6 Sept 2022", "2022-09-06"), and only on a dateline-like line: a
line that is little but the date ("September 6, 2022", "Sept. 1, 2022 — The drills
started"), a "Published" / "Updated" / "Posted" label before it, or a byline beside it
("By Jane Roe | 18 June 2024"). A date inside a sentence, even the first one ("Smith was
born on March 3, 1923", "On June 5, 2021, a truck crashed"), is what the story is about,
not when it was published: such an article stays undated.
"""

from __future__ import annotations

import datetime as dt
import re

HEAD_LINES = 4  # non-blank lines searched for a dateline
HEAD_CHARS = 400

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # September 6, 2022
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 6 September 2022
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2022-09-06
)


# A label that announces the publication date, and a byline.
_LABEL = re.compile(r"\b(?:published|updated|posted|last\s+modified|date)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\s+\S", re.IGNORECASE)
# What may follow a date at the start of a dateline: nothing, a dash, a pipe, a time.
_DATELINE_TAIL = re.compile(r"^\s*(?:$|[-\u2013\u2014|/•·]|\(|\d{1,2}[:.]\d\d|at\b)", re.IGNORECASE)
# Words a dateline may open with before the date: a weekday.
_WEEKDAY = re.compile(r"^\s*(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*)?$", re.IGNORECASE)
SHORT_LINE_WORDS = 6  # a line of at most this many words besides the date is a dateline


def find_printed_date(text: str) -> dt.date | None:
    """The first full date on a dateline-like line of the article's head, or None."""
    head_lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    budget = HEAD_CHARS
    for line in head_lines:
        line = line[:budget]
        budget -= len(line) + 1
        found = sorted(
            (match.start(), match.end(), date)
            for pattern in _PATTERNS for match in pattern.finditer(line)
            if (date := _to_date(match)) is not None
        )
        for start, end, date in found:
            if _dateline_like(line, start, end):
                return date
        if budget <= 0:
            break
    return None


def _dateline_like(line: str, start: int, end: int) -> bool:
    before, after = line[:start], line[end:]
    if _LABEL.search(before) or _BYLINE.match(line):
        return True
    if _WEEKDAY.match(before) and _DATELINE_TAIL.match(after):
        return True  # "September 6, 2022", "Sept. 1, 2022 — The drills started"
    return len((before + " " + after).split()) <= SHORT_LINE_WORDS and not before.strip().lower().endswith(
        ("on", "since", "until", "in", "born", "died")
    )


def _to_date(match: re.Match[str]) -> dt.date | None:
    month = match["month"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(match["year"]), number, int(match["day"]))
    except ValueError:
        return None
