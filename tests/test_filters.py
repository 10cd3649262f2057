"""What a date, outlet, country or kind filter keeps, asked through geo.views of a real store built
from the map fixture."""

from __future__ import annotations

import datetime as dt

import pytest
from map_fixture import build

from geo.filters import Filters
from geo.views import Views


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    with Views.open(build(tmp_path_factory.mktemp("data"))) as views:
        yield views


def shown(views, **kw) -> tuple[set[str], set[str]]:
    articles, mentions = views.selected_tables(Filters(**kw))
    return set(articles["article_id"]), set(mentions["place_name"])


def test_no_filter_shows_every_article_including_undated_and_hides_demonyms(tables):
    articles, places = shown(tables)
    assert articles == {"pyongyang-2024", "vladivostok-2022", "seoul-month-2024", "tbilisi-undated", "hostile"}
    assert "North Korea" not in places and "Russia" not in places  # only reached through demonyms
    assert {"Pyongyang", "Moscow", "Vladivostok", "Tbilisi"} <= places


def test_june_2024_shows_pyongyang_not_vladivostok_nor_undated(tables):
    _, places = shown(tables, date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30))
    assert "Pyongyang" in places
    assert "Vladivostok" not in places
    assert "Tbilisi" not in places


def test_include_undated_brings_undated_articles_back_into_a_date_range(tables):
    _, places = shown(
        tables, date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30), include_undated=True
    )
    assert "Tbilisi" in places


def test_month_precision_date_counts_when_its_month_overlaps(tables):
    # stored as 2024-06-01 (month precision): a range inside June still matches it
    _, places = shown(tables, date_from=dt.date(2024, 6, 20), date_to=dt.date(2024, 7, 10))
    assert "Seoul" in places
    assert "Kyiv" not in places  # day precision 2024-06-05 is outside


def test_day_precision_is_a_point_and_bounds_are_inclusive(tables):
    _, places = shown(tables, date_from=dt.date(2024, 6, 19), date_to=dt.date(2024, 6, 19))
    assert places >= {"Pyongyang"}
    _, places = shown(tables, date_from=dt.date(2024, 6, 20))
    assert "Pyongyang" not in places
    _, places = shown(tables, date_to=dt.date(2024, 5, 31))
    assert places == {"Vladivostok"}


def test_outlet_country_and_kind_filters(tables):
    articles, _ = shown(tables, outlets=("Asia Desk",))
    assert articles == {"pyongyang-2024", "seoul-month-2024"}
    _, places = shown(tables, countries=("RU",))
    assert places == {"Moscow", "Vladivostok"}
    _, places = shown(tables, countries=("RU",), kinds=("place", "demonym"))
    assert places == {"Vladivostok", "Russia"}


def test_date_extent_covers_month_precision_to_its_last_day(tables):
    assert tables.date_extent() == (dt.date(2022, 9, 6), dt.date(2024, 6, 30))


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="after"):
        Filters(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 6, 1))
    with pytest.raises(ValueError, match="unknown mention kind"):
        Filters(kinds=("river",))


def test_unknown_outlet_is_offered_and_picks_the_articles_with_no_outlet(tmp_path):
    from map_fixture import SEOUL, SPECS, Spec

    from geo.filters import UNKNOWN

    nameless = Spec("no-outlet", "Talks resumed in Seoul.", (("Seoul", "Seoul", "place", SEOUL),))
    with Views.open(build(tmp_path, (*SPECS, nameless))) as views:
        assert views.outlets()[-1] == UNKNOWN and views.outlets().count(UNKNOWN) == 1
        articles, _ = views.selected_tables(Filters(outlets=(UNKNOWN,)))
        assert set(articles["article_id"]) == {"no-outlet"}
        articles, _ = views.selected_tables(Filters(outlets=(UNKNOWN, "Caucasus Notes")))
        assert set(articles["article_id"]) == {"no-outlet", "tbilisi-undated"}
    with Views.open(build(tmp_path / "named", SPECS)) as views:
        assert UNKNOWN not in views.outlets()  # offered only when some article has no outlet
