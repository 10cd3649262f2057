"""The view as the dashboard computed it before geo.views: pandas over whole tables.

Kept only as the reference the SQL view queries are checked against (tests/test_views.py):
the same filters, the same places and counts, computed the slow, obvious way.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.filters import Filters


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
