"""Which articles and mentions a view shows, as the one SQL condition every view query uses.

`geo export`, the dashboard and every query in geo.views build their WHERE clause here
(`where`), so a downloaded file holds exactly what the map showed. A publication date is a
period, not a point: a month-precision date ("February 2015", stored as 2015-02-01) covers
the whole month and counts when that month overlaps the asked range; a year-precision date
covers its year. Articles with no date are left out of a dated view unless the caller asks
for them, because nothing says they belong in it; with no date bound at all nothing is
filtered by date, so undated articles show.

The conditions apply to rows of the store's `place_articles` summary (one per place, article
and kind). A new filter is one more `_clause` in `where`: a condition on those rows (say,
`article_id IN (SELECT … FROM a full-text index)`), or one on a whole place's aggregate in
`Where.having` (say, `count(DISTINCT outlet) >= ?`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geo.records import MENTION_KINDS

# Demonyms ("Russian") say little about where something happened, so views hide them
# unless asked; literal places and metonyms ("Moscow said") show.
DEFAULT_KINDS: tuple[str, ...] = ("place", "metonym")

# The longest period a stored date covers (a year-precision date): how far before a range's
# first day a period may start and still overlap it, which lets the date index bound the scan.
LONGEST_PERIOD = dt.timedelta(days=366)


@dataclass(frozen=True)
class Filters:
    """What to show. Empty `outlets`/`countries` mean "all"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_undated: bool = False
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEFAULT_KINDS

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date range is empty: {self.date_from} is after {self.date_to}")
        unknown = set(self.kinds) - set(MENTION_KINDS)
        if unknown:
            raise ValueError(f"unknown mention kind(s) {sorted(unknown)}; known: {MENTION_KINDS}")

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None


@dataclass(frozen=True)
class Where:
    """A view as SQL over `place_articles`: row conditions, and conditions on a place's aggregate."""

    sql: str
    params: tuple[object, ...]
    having: str = ""
    having_params: tuple[object, ...] = field(default=())

    def shown_rows(self, columns: str = "*") -> tuple[str, tuple[object, ...]]:
        """SELECT of the summary rows the view shows (a subquery for the view queries)."""
        sql = f"SELECT {columns} FROM place_articles WHERE {self.sql}"
        if not self.having:
            return sql, self.params
        places = f"SELECT place_id FROM place_articles WHERE {self.sql} GROUP BY place_id HAVING {self.having}"
        return f"{sql} AND place_id IN ({places})", self.params + self.params + self.having_params


def where(filters: Filters) -> Where:
    """The one translation of `filters` into SQL; every view query goes through it."""
    clauses = [
        _dates(filters),
        _among("outlet", filters.outlets),
        _among("country_code", filters.countries),
        _among("kind", filters.kinds) or ("0", ()),  # no kind asked: nothing shows
    ]
    clauses = [c for c in clauses if c is not None]
    sql = " AND ".join(f"({text})" for text, _ in clauses) or "1"
    return Where(sql, tuple(p for _, params in clauses for p in params))


_Clause = tuple[str, tuple[object, ...]]


def _dates(filters: Filters) -> _Clause | None:
    if not filters.dated:
        return None
    parts, params = [], []
    if filters.date_from is not None:
        # day_first's lower bound is implied by the overlap; it is spelled out for the index
        parts.append("day_last >= ? AND day_first >= ?")
        params += [filters.date_from.isoformat(), (filters.date_from - LONGEST_PERIOD).isoformat()]
    if filters.date_to is not None:
        parts.append("day_first <= ?")
        params.append(filters.date_to.isoformat())
    sql = " AND ".join(parts)
    if filters.include_undated:
        sql = f"({sql}) OR day_first IS NULL"
    return sql, tuple(params)


def _among(column: str, values: tuple[str, ...]) -> _Clause | None:
    if not values:
        return None
    return f"{column} IN ({','.join('?' * len(values))})", tuple(values)


def parse_date(value: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) from a command line or URL, with a message that says what was wrong."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
