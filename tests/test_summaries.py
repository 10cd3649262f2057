"""The per-place summaries (geo.summaries) stay equal to what they summarise through every kind
of write: re-ingested articles whose date, outlet, kinds or places change, articles that lose
every mention, pins and their removal. The first map of a session is drawn from them, so a
drift would show as wrong counts on the markers."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from test_views import OUTLETS, random_store

from geo import summaries
from geo.cli import main
from geo.filters import Filters, where
from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import Store
from geo.views import Views

# Each shows every article, so it must draw what the summary-only view of the same kinds draws:
# dated (date_to far ahead, undated kept), it is answered by scanning the (place, article) rows.
EVERYTHING = {"date_to": dt.date(9999, 12, 31), "include_undated": True}
PLACE_VIEWS = [
    Filters(),
    Filters(kinds=("place", "metonym", "demonym")),
    Filters(kinds=("demonym",)),
    Filters(kinds=("metonym",), countries=("RU", "GE")),
    Filters(min_outlets=2),
    Filters(countries=("", "UA"), min_outlets=2),
]


def summary_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("place_kinds", "place_outlets")}


def rewrite_some(data_dir, seed: int = 11) -> None:
    """Re-store a third of the articles with other dates, outlets, kinds and places, and empty a few."""
    rng = random.Random(seed)
    with Store(data_dir) as store:
        rows = store.conn.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
        places = {r["place_id"]: r for r in store.conn.execute("SELECT * FROM mentions WHERE place_id IS NOT NULL")}
        pool = [Place(p["place_id"], p["place_name"], p["lat"], p["lon"], p["country_code"], p["feature"])
                for p in places.values()]  # fmt: skip
        for row in rng.sample(rows, len(rows) // 3):
            mentions = []
            for i in range(rng.choice([0, 1, 3, 6])):
                place = rng.choice(pool[:6])  # the popular few, whose days and outlets many articles share
                mentions.append(ResolvedMention(
                    Mention(i * 10, i * 10 + 5, place.name, place.name, rng.choice(["place", "metonym", "demonym"]),
                            i * 10, i * 10 + 9),
                    Resolution(place, 0.9),
                ))  # fmt: skip
            published = rng.choice([None, dt.date(2022, 12, 1), dt.date(2025, 3, 3), dt.date(2023, 6, 6)])
            store.replace_article(
                Article(row["article_id"], "x" * 80, f"changed-{seed}", row["source_path"], title=row["title"],
                        outlet=rng.choice(OUTLETS), published=published,
                        date_precision=rng.choice(["day", "month", "year"]) if published else None),
                mentions,
            )  # fmt: skip


@pytest.fixture
def written(tmp_path):
    data_dir = random_store(tmp_path / "data")
    rewrite_some(data_dir)
    assert main(["pin", "Place 1", "10.0", "20.0", "--data-dir", str(data_dir)]) == 0
    rewrite_some(data_dir, seed=12)  # over the pinned rows too
    return data_dir


def test_the_summaries_after_many_writes_equal_a_fresh_fill(written):
    with Store(written) as store:
        kept = summary_rows(store.conn)
        with store.transaction() as conn:
            summaries.fill(conn, ["place_kinds", "place_outlets"])
        rebuilt = summary_rows(store.conn)
    assert kept == rebuilt
    assert len(kept["place_kinds"]) > 20 and len(kept["place_outlets"]) > 20
    assert any(row["pinned"] for row in kept["place_kinds"])


@pytest.mark.parametrize("filters", PLACE_VIEWS, ids=range(len(PLACE_VIEWS)))
def test_a_view_from_the_summaries_draws_what_the_full_scan_draws(written, filters):
    everything = Filters(**{**vars(filters), **EVERYTHING})
    assert where(filters).per_place and not where(everything).per_place  # the two paths, compared
    with Views.open(written) as views:
        quick = views.places(filters)
        assert quick == views.places(everything)
    assert quick


def test_an_article_that_loses_its_only_mention_of_a_place_takes_the_place_off_the_map(tmp_path):
    place = Place("test:lone", "Lonely Town", 1.0, 2.0, "GE", "city")
    article = Article("lone", "In Lonely Town.", "h", "lone.txt", outlet="North Wire", published=dt.date(2024, 5, 5),
                      date_precision="day")  # fmt: skip
    with Store(tmp_path) as store:
        store.replace_article(article, [ResolvedMention(Mention(3, 14, "Lonely Town", "Lonely Town", "place", 0, 15),
                                                        Resolution(place, 0.9))])  # fmt: skip
    with Views.open(tmp_path) as views:
        assert [(p.name, p.n_outlets, p.first_day) for p in views.places(Filters())] == [("Lonely Town", 1, "2024-05-05")]
        assert views.countries() == ["GE"] and views.date_extent() == (dt.date(2024, 5, 5),) * 2
    with Store(tmp_path) as store:
        store.replace_article(article, [])
    with Views.open(tmp_path) as views:
        assert views.places(Filters()) == [] and views.countries() == [] and views.date_extent() is None
