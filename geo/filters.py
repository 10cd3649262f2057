"""Which articles and mentions a view shows, as the one SQL condition every view query uses.

`geo export`, the dashboard and every query in geo.views build their WHERE clause here
(`where`), so a downloaded file holds exactly what the map showed. A publication date is a
period, not a point: a month-precision date ("February 2015", stored as 2015-02-01) covers
the whole month and counts when that month overlaps the asked range; a year-precision date
covers its year. Articles with no date are left out of a dated view unless the caller asks
for them, because nothing says they belong in it; with no date bound at all nothing is
filtered by date, so undated articles show.

The conditions apply to rows of the store's `place_articles` summary (one per place and
article, with a count and first offset per mention kind); the kinds asked for also decide
how a row's mentions are counted (`Where.mentions`) and which is its first (`Where.first`).
A new filter is one more `_clause` in `where`: a condition on those rows (say,
`article_id IN (SELECT … FROM a full-text index)`), or one on a whole place's aggregate in
`Where.having` (say, `count(DISTINCT outlet) >= ?`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geo.fulltext import MATCHING_SQL, fts_expression
from geo.records import MENTION_KINDS

# Demonyms ("Russian") say little about where something happened, so views hide them
# unless asked; literal places and metonyms ("Moscow said") show.
DEFAULT_KINDS: tuple[str, ...] = ("place", "metonym")

# In `Filters.outlets` (and `countries`): the articles whose outlet is not known (in a URL, `outlet=`).
UNKNOWN = ""

# The longest period a stored date covers (a year-precision date): how far before a range's
# first day a period may start and still overlap it, which lets the date index bound the scan.
LONGEST_PERIOD = dt.timedelta(days=366)


@dataclass(frozen=True)
class Filters:
    """What to show. Empty `outlets`/`countries` mean "all", and UNKNOWN ("") among them
    means the articles with no outlet, the places with no country; an empty `keyword` matches every
    article (else see geo.fulltext for its syntax); `min_outlets` keeps the places at least
    that many distinct outlets report (an article with no outlet names none)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_undated: bool = False
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEFAULT_KINDS
    keyword: str = ""
    min_outlets: int = 1

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date range is empty: {self.date_from} is after {self.date_to}")
        unknown = set(self.kinds) - set(MENTION_KINDS)
        if unknown:
            raise ValueError(f"unknown mention kind(s) {sorted(unknown)}; known: {MENTION_KINDS}")
        if self.min_outlets < 1:
            raise ValueError(f"at least {self.min_outlets} outlets: the least is 1")

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None


@dataclass(frozen=True)
class Where:
    """A view as SQL over `place_articles`: row conditions, conditions on a place's aggregate,
    and the row expressions the asked kinds make of it."""

    sql: str
    params: tuple[object, ...]
    kinds: tuple[str, ...]
    having: str = ""
    having_params: tuple[object, ...] = field(default=())
    # the conditions are about articles only (no country, no outlets-per-place), so they hold
    # on article_summary too: its columns have the same names
    per_article: bool = False
    # the conditions are about places only (kinds, countries, outlets per place: no dates,
    # outlets or keyword), so they hold on the per-place summaries (geo.summaries), with
    # `place_having` for `having`
    per_place: bool = False
    place_having: str = ""
    place_bound: tuple[str, tuple[object, ...]] | None = None  # see _date_bound

    @property
    def mentions(self) -> str:
        """A row's mentions of the asked kinds."""
        return " + ".join(f"n_{k}" for k in self.kinds) or "0"

    @property
    def first(self) -> str:
        """A row's first mention offset among the asked kinds."""
        firsts = [f"coalesce(first_{k}, {_NEVER})" for k in self.kinds]
        return f"min({', '.join(firsts)})" if len(firsts) > 1 else (firsts or ["NULL"])[0]

    def shown_rows(self, columns: str = "*") -> tuple[str, tuple[object, ...]]:
        """SELECT of the summary rows the view shows (a subquery for the view queries)."""
        sql = f"SELECT {columns} FROM place_articles WHERE {self.sql}"
        if not self.having:
            return sql, self.params
        places = f"SELECT place_id FROM place_articles WHERE {self.sql} GROUP BY place_id HAVING {self.having}"
        return f"{sql} AND place_id IN ({places})", self.params + self.params + self.having_params


    def place_rows(self, columns: str = "*") -> tuple[str, tuple[object, ...]]:
        """`shown_rows` of one place, whose id is the last parameter still to add."""
        rows, params = self.shown_rows(columns)
        bound, bound_params = self.place_bound or ("1", ())
        return f"{rows} AND ({bound}) AND place_id = ?", params + bound_params

    def shown_articles(self, columns: str = "article_id") -> tuple[str, tuple[object, ...]]:
        """SELECT of `columns` of article_summary, one row per article the view shows."""
        if self.per_article:
            return f"SELECT {columns} FROM article_summary WHERE {self.sql}", self.params
        rows, params = self.shown_rows("article_id")
        return f"SELECT {columns} FROM article_summary WHERE article_id IN ({rows})", params


def where(filters: Filters) -> Where:
    """The one translation of `filters` into SQL; every view query goes through it.
    geo.fulltext.QueryError when the keyword cannot be a query."""
    kinds = tuple(k for k in MENTION_KINDS if k in filters.kinds)  # column names: only known kinds
    clauses = [
        _dates(filters),
        _among("outlet", filters.outlets),
        _among("country_code", filters.countries),
        (" OR ".join(f"n_{k} > 0" for k in kinds) or "0", ()),  # no kind asked: nothing shows
        _keyword(filters.keyword),
    ]
    clauses = [c for c in clauses if c is not None]
    sql = " AND ".join(f"({text})" for text, _ in clauses)
    having, place_having, having_params = (
        ("count(DISTINCT outlet) >= ?", "n_outlets >= ?", (filters.min_outlets,)) if filters.min_outlets > 1
        else ("", "", ())
    )  # fmt: skip
    per_article = not filters.countries and not having
    per_place = not filters.dated and not filters.outlets and not filters.keyword.strip()
    return Where(
        sql, tuple(p for _, params in clauses for p in params), kinds, having, having_params,
        per_article=per_article, per_place=per_place, place_having=place_having, place_bound=_date_bound(filters),
    )


_Clause = tuple[str, tuple[object, ...]]
_NEVER = 1 << 62  # past any text offset: a kind with no mention in the row


def _dates(filters: Filters) -> _Clause | None:
    """A period overlaps [from, to] when it begins inside it, or begins before and ends on or after
    `from`; only a month or year (day_first <> day_last) can do the latter.

    Written `+day_first`, which keeps SQLite from answering it through the day indexes: with
    them it looked up each matching row by key and sorted them all to group by place, 13.6 s
    for two years of 900,000 place-article rows and 0.64 s for one month; scanning the table
    in place order and testing each row takes 0.95 s and 0.38 s. (One place's rows in a range
    still seek through `_date_bound`.)"""
    if not filters.dated:
        return None
    start, end = filters.date_from, filters.date_to
    if start is None:
        sql, params = "+day_first <= ?", [end.isoformat()]
    else:
        begins = "+day_first >= ?" + (" AND +day_first <= ?" if end else "")
        before = "+day_first <> day_last AND +day_first >= ? AND +day_first < ? AND day_last >= ?"
        sql = f"({begins}) OR ({before})"
        params = [start.isoformat()] + ([end.isoformat()] if end else [])
        params += [(start - LONGEST_PERIOD).isoformat(), start.isoformat(), start.isoformat()]
    if filters.include_undated:
        sql = f"{sql} OR +day_first IS NULL"
    return sql, tuple(params)


def _date_bound(filters: Filters) -> _Clause | None:
    """What `_dates` implies as one range of day_first (a period overlapping [from, to] begins
    in [from - LONGEST_PERIOD, to]), which the (place_id, day_first) index can seek to: one
    place's rows in a month, not all of them. Only for one place: over every place, scanning
    the table in place order is faster (see `_dates`)."""
    if not filters.dated or filters.include_undated:
        return None
    bounds = [("day_first >= ?", filters.date_from - LONGEST_PERIOD)] if filters.date_from else []
    bounds += [("day_first <= ?", filters.date_to)] if filters.date_to else []
    return " AND ".join(sql for sql, _ in bounds), tuple(day.isoformat() for _, day in bounds)


def _keyword(keyword: str) -> _Clause | None:
    """The articles the full-text index matches, as a sub-select SQLite runs once."""
    if not keyword.strip():
        return None
    return f"article_id IN ({MATCHING_SQL})", (fts_expression(keyword),)


def _among(column: str, values: tuple[str, ...]) -> _Clause | None:
    """`column` is one of `values`; an empty string among them stands for "not known" (NULL or '')."""
    if not values:
        return None
    named = tuple(v for v in values if v)
    clauses = [f"{column} IN ({','.join('?' * len(named))})"] if named else []
    if len(named) < len(values):
        clauses.append(f"{column} IS NULL OR {column} = ''")
    return " OR ".join(clauses), named


