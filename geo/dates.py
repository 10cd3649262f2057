"""Publication dates printed in an article's text.

Only the head of the article is searched (its first lines, where a dateline stands:
"September 6, 2022", "6 Sept 2022", "2022-09-06"), and only full dates count: a story
body is full of other dates ("In March 2021, …") that are not when it was published.
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


def find_printed_date(text: str) -> dt.date | None:
    """The first full date in the article's head, or None."""
    head_lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    head = "\n".join(head_lines)[:HEAD_CHARS]
    found: list[tuple[int, dt.date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(head):
            date = _to_date(match)
            if date is not None:
                found.append((match.start(), date))
    return min(found)[1] if found else None


def _to_date(match: re.Match[str]) -> dt.date | None:
    month = match["month"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(match["year"]), number, int(match["day"]))
    except ValueError:
        return None
