"""Which articles and mentions a view shows: pure functions on the store's DataFrames.

`geo export` and the dashboard share these, so a downloaded file holds exactly what the map
showed. A publication date is a period, not a point: a month-precision date ("February 2015",
stored as 2015-02-01) covers the whole month and counts when that month overlaps the asked
range; a year-precision date covers its year. Articles with no date are left out of a dated
view unless the caller asks for them, because nothing says they belong in it; with no date
bound at all nothing is filtered by date, so undated articles show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from geo.records import MENTION_KINDS

# Demonyms ("Russian") say little about where something happened, so views hide them
# unless asked; literal places and metonyms ("Moscow said") show.
DEFAULT_KINDS: tuple[str, ...] = ("place", "metonym")


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


def article_periods(articles: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each article's first and last possible publication day (NaT when undated)."""
    first = pd.to_datetime(articles["published"], errors="coerce")
    precision = articles["date_precision"].fillna("day")
    month_end = first + pd.offsets.MonthEnd(0)
    year_end = first + pd.offsets.YearEnd(0)
    last = first.where(precision == "day", month_end.where(precision == "month", year_end))
    return first, last


def date_extent(articles: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first and last day any dated article covers, or None when none is dated."""
    first, last = article_periods(articles)
    if first.isna().all():
        return None
    return first.min().date(), last.max().date()


def select_articles(articles: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The articles a view shows: by publication period, undated switch and outlet."""
    keep = pd.Series(True, index=articles.index)
    if filters.dated:
        first, last = article_periods(articles)
        in_range = pd.Series(True, index=articles.index)
        if filters.date_from is not None:
            in_range &= last >= pd.Timestamp(filters.date_from)
        if filters.date_to is not None:
            in_range &= first <= pd.Timestamp(filters.date_to)
        undated = first.isna()
        keep &= (in_range & ~undated) | (undated & filters.include_undated)
    if filters.outlets:
        keep &= articles["outlet"].isin(filters.outlets)
    return articles[keep]


def select_mentions(
    mentions: pd.DataFrame, articles: pd.DataFrame, filters: Filters
) -> pd.DataFrame:
    """The resolved mentions a view shows: in the selected articles, of the asked kinds and countries.

    `articles` is the result of `select_articles`. Unresolved mentions (no coordinates)
    cannot be drawn or exported as places, so they are left out here.
    """
    keep = mentions["article_id"].isin(articles["article_id"])
    keep &= mentions["lat"].notna() & mentions["lon"].notna()
    keep &= mentions["kind"].isin(filters.kinds)
    if filters.countries:
        keep &= mentions["country_code"].isin(filters.countries)
    return mentions[keep]


def apply(
    articles: pd.DataFrame, mentions: pd.DataFrame, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables cut to a view: (articles that have a shown mention, shown mentions)."""
    chosen = select_articles(articles, filters)
    shown = select_mentions(mentions, chosen, filters)
    return chosen[chosen["article_id"].isin(shown["article_id"])], shown


def distinct(values: Iterable[object]) -> list[str]:
    """The non-empty values of a column, sorted, for filter choices."""
    return sorted({str(v) for v in values if isinstance(v, str) and v})
