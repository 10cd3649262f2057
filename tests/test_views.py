"""geo.views against the pandas path it replaced, on real stores: the same places, counts and rows.

Two stores: the map fixture (day, month-precision and undated articles, three kinds, a hostile
article) and a seeded random one (year precision too, unresolved mentions, many outlets and
countries). For each of many filter sets the SQL view must agree with tests/pandas_view.py
(today's filters.apply + export.place_features) place by place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3

import pytest
from map_fixture import PYONGYANG, build
from pandas_view import apply, date_extent

from geo.cli import main
from geo.export import geojson_text, mentions_csv, place_features
from geo.filters import Filters
from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import SCHEMA_VERSION, Store
from geo.views import Views

OUTLETS = ["North Wire", "South Post", "East Ledger", None]
COUNTRIES = ["RU", "KP", "UA", "GE", None]
KINDS = ["place", "place", "place", "metonym", "demonym"]


def random_store(data_dir, n_articles=120, seed=3):
    rng = random.Random(seed)
    places = [
        Place(f"test:{i}", f"Place {i}", rng.uniform(-60, 60), rng.uniform(-170, 170), rng.choice(COUNTRIES), "city")
        for i in range(40)
    ]
    with Store(data_dir) as store:
        for a in range(n_articles):
            words, mentions, cursor = [], [], 0
            for _ in range(rng.randint(0, 8)):
                place = places[min(int(rng.paretovariate(1.2)) - 1, len(places) - 1)]
                sentence = f"News from {place.name} today. "
                start = cursor + len("News from ")
                resolved = rng.random() > 0.1
                mentions.append(ResolvedMention(
                    Mention(start, start + len(place.name), place.name, place.name, rng.choice(KINDS),
                            cursor, cursor + len(sentence) - 1),
                    Resolution(place if resolved else None, 0.8, reason=None if resolved else "no candidate"),
                ))  # fmt: skip
                words.append(sentence)
                cursor += len(sentence)
            text = "".join(words) or "Nothing here."
            precision = rng.choice(["day", "day", "day", "month", "year", None])
            published = None if precision is None else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
            if precision == "month":
                published = published.replace(day=1)
            elif precision == "year":
                published = published.replace(month=1, day=1)
            store.replace_article(
                Article(f"r{a:03d}", text, hashlib.sha256(text.encode()).hexdigest(), f"r/{a}.txt",
                        title=f"Story {a}", outlet=rng.choice(OUTLETS), published=published,
                        date_precision=precision),
                mentions,
            )  # fmt: skip
    return data_dir


FILTER_SETS = [
    Filters(),
    Filters(kinds=("place", "metonym", "demonym")),
    Filters(kinds=("demonym",)),
    Filters(date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30)),
    Filters(date_from=dt.date(2024, 6, 20), date_to=dt.date(2024, 7, 10), include_undated=True),
    Filters(date_from=dt.date(2023, 3, 15), date_to=dt.date(2023, 5, 2)),
    Filters(date_from=dt.date(2023, 12, 31), date_to=dt.date(2024, 1, 1)),
    Filters(date_from=dt.date(2024, 2, 1)),
    Filters(date_to=dt.date(2023, 6, 30), include_undated=True),
    Filters(outlets=("Asia Desk",)),
    Filters(outlets=("North Wire", "East Ledger"), countries=("RU", "UA")),
    Filters(countries=("RU",), kinds=("place", "demonym")),
    Filters(countries=("KP", "GE"), kinds=("metonym", "demonym")),
    Filters(countries=("GE",), date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31), include_undated=True),
]


@pytest.fixture(scope="module", params=["map_fixture", "random"])
def data_dir(request, tmp_path_factory):
    target = tmp_path_factory.mktemp(request.param)
    return build(target) if request.param == "map_fixture" else random_store(target)


@pytest.fixture(scope="module")
def tables(data_dir):
    with Store(data_dir, readonly=True) as store:
        return store.articles(), store.mentions()


@pytest.mark.parametrize("filters", FILTER_SETS, ids=range(len(FILTER_SETS)))
def test_places_and_counts_match_the_pandas_path(data_dir, tables, filters):
    articles, mentions = apply(*tables, filters)
    expected = {f["properties"]["place_id"]: f for f in place_features(mentions, articles)}
    with Views.open(data_dir) as views:
        places = views.places(filters)
        totals = views.totals(filters)
    assert [p.place_id for p in places] == list(expected)  # same places, same order
    for place in places:
        props = expected[place.place_id]["properties"]
        assert (place.name, place.country_code, place.feature) == (props["name"], props["country_code"], props["feature"])
        assert [place.lon, place.lat] == expected[place.place_id]["geometry"]["coordinates"]
        assert (place.n_mentions, place.n_articles) == (props["n_mentions"], props["n_articles"])
        assert list(place.kinds) == props["kinds"] and place.pinned == props["pinned"]
        outlets = {m["outlet"] for m in props["mentions"] if m["outlet"]}
        assert place.n_outlets == len(outlets)
    assert (totals.places, totals.mentions, totals.articles) == (len(expected), len(mentions), len(articles))


@pytest.mark.parametrize("filters", FILTER_SETS[:6], ids=range(6))
def test_evidence_is_one_card_per_article_newest_first(data_dir, tables, filters):
    articles, mentions = apply(*tables, filters)
    with Views.open(data_dir) as views:
        for feature in place_features(mentions, articles)[:8]:
            props = feature["properties"]
            in_order = list(dict.fromkeys(m["article_id"] for m in props["mentions"]))
            cards = views.evidence(props["place_id"], filters, limit=1000)
            assert [c.article_id for c in cards] == in_order
            assert sum(c.n_mentions for c in cards) == props["n_mentions"]
            firsts = {}
            for m in props["mentions"]:
                if m["article_id"] not in firsts or m["start"] < firsts[m["article_id"]]["start"]:
                    firsts[m["article_id"]] = m
            for card in cards:  # the card's excerpt is the article's first mention of the place
                first = firsts[card.article_id]
                assert (card.start, card.excerpt) == (first["start"], first["excerpt"])
                i, j = card.excerpt_span
                assert card.excerpt[i:j] == first["excerpt"][first["excerpt_span"][0] : first["excerpt_span"][1]]
            paged = views.evidence(props["place_id"], filters, limit=2, offset=1)
            assert [c.article_id for c in paged] == in_order[1:3]


@pytest.mark.parametrize(
    "filters", [Filters(kinds=("place", "metonym", "demonym")), *FILTER_SETS], ids=range(len(FILTER_SETS) + 1)
)
def test_day_counts_and_extent_match(data_dir, tables, filters):
    articles, _ = apply(*tables, filters)
    with Views.open(data_dir) as views:
        counts = dict(views.day_counts(filters))
        extent = views.date_extent()
    dated = articles.dropna(subset=["published"])
    assert counts == dated.groupby(dated["published"].str[:10])["article_id"].nunique().to_dict()
    mapped = tables[0][tables[0]["article_id"].isin(tables[1].dropna(subset=["lat"])["article_id"])]
    assert extent == date_extent(mapped)


@pytest.mark.parametrize("filters", FILTER_SETS, ids=range(len(FILTER_SETS)))
def test_export_files_are_unchanged_by_the_sql_selection(data_dir, tables, filters):
    old = apply(*tables, filters)
    with Views.open(data_dir) as views:
        new = views.selected_tables(filters)
    assert list(new[0]["article_id"]) == list(old[0]["article_id"])
    keys = ["article_id", "start", "end", "place_id", "kind"]
    assert new[1][keys].values.tolist() == old[1][keys].values.tolist()
    assert geojson_text(new[1], new[0]) == geojson_text(old[1], old[0])
    assert mentions_csv(new[1], new[0]) == mentions_csv(old[1], old[0])


def test_filter_widgets_and_the_reader(tmp_path):
    with Views.open(build(tmp_path / "data")) as views:
        assert views.outlets()[:2] == ["<img src=x onerror=\"window.top.__pwned=3;alert(3)\">Evil Wire", "Asia Desk"]
        assert views.countries() == ["GE", "KP", "KR", "RU", "UA"]
        shown = views.article("pyongyang-2024")
        assert shown.article["title"] == "Putin lands in Pyongyang"
        assert [m["text"] for m in shown.mentions] == ["Pyongyang", "North Korean", "Moscow", "Pyongyang"]
        assert views.article("nope") is None


def test_summary_follows_reingest_and_pins(tmp_path, capsys):
    data_dir = build(tmp_path / "data")
    assert main(["pin", "Pyongyang", "39.0", "125.7", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    with Views.open(data_dir) as views:
        (pinned,) = [p for p in views.places(Filters()) if p.pinned]
        assert (pinned.name, pinned.lat, pinned.n_mentions) == ("Pyongyang", 39.0, 2)
        assert PYONGYANG.place_id not in {p.place_id for p in views.places(Filters())}
        assert views.evidence(pinned.place_id, Filters())[0].source == "pinned"
    with Store(data_dir) as store:  # the article rewritten with no mentions: its summary rows go
        row = store.conn.execute("SELECT * FROM articles WHERE article_id = 'pyongyang-2024'").fetchone()
        store.replace_article(Article(row["article_id"], "No places.", "h", row["source_path"]), [])
    with Views.open(data_dir) as views:
        assert "Pyongyang" not in {p.name for p in views.places(Filters())}


@pytest.mark.parametrize("version, dropped", [
    (1, ("place_articles", "article_summary", "place_kinds", "place_outlets")),
    (2, ("article_summary", "place_kinds", "place_outlets")),
    (3, ("place_kinds", "place_outlets")),
])
def test_a_store_from_before_the_summary_is_upgraded_once_and_reads_the_same(tmp_path, version, dropped):
    data_dir = random_store(tmp_path / "data", n_articles=40)
    with Views.open(data_dir) as views:
        before = views.places(Filters()), views.totals(Filters()), views.day_counts(Filters())
        listed = views.articles_in_view(Filters(), limit=100)
    with sqlite3.connect(data_dir / "geo.sqlite") as conn:  # as that version left it
        for table in dropped:
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"PRAGMA user_version={version}")
    with Views.open(data_dir) as views:  # the reader asks the writer to upgrade, once
        assert (views.places(Filters()), views.totals(Filters()), views.day_counts(Filters())) == before
        assert views.articles_in_view(Filters(), limit=100) == listed
    with sqlite3.connect(data_dir / "geo.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_keyword_narrows_places_counts_and_cards_to_the_matching_articles(tmp_path):
    data_dir = random_store(tmp_path)
    with Store(data_dir, readonly=True) as store:
        articles, mentions = apply(store.articles(), store.mentions(), Filters())
    matching = set(articles.loc[articles["text"].str.contains(r"\bPlace 7\b", regex=True), "article_id"])
    assert 0 < len(matching) < len(articles)
    shown = mentions[mentions["article_id"].isin(matching)]
    with Views.open(data_dir) as views:
        places = views.places(Filters(keyword='"place 7"'))
        totals = views.totals(Filters(keyword='"place 7"'))
        cards = views.evidence(places[0].place_id, Filters(keyword='"place 7"'), limit=1000)
        assert views.keyword_problem('"place 7"') is None
        assert "not closed" in views.keyword_problem('"place 7')
    assert {p.place_id for p in places} == set(shown["place_id"])
    assert (totals.mentions, totals.articles) == (len(shown), shown["article_id"].nunique())
    assert {c.article_id for c in cards} <= matching


def test_at_least_n_outlets_keeps_only_places_that_many_outlets_report(data_dir):
    with Views.open(data_dir) as views:
        every = views.places(Filters())
        two = views.places(Filters(min_outlets=2))
        totals = views.totals(Filters(min_outlets=2))
    assert [p.place_id for p in two] == [p.place_id for p in every if p.n_outlets >= 2]
    assert totals.places == len(two)
    assert totals.mentions == sum(p.n_mentions for p in two)


def test_articles_in_view_are_paged_sorted_and_narrowed_like_the_map(data_dir, tables):
    articles, mentions = apply(*tables, Filters())
    with Views.open(data_dir) as views:
        first, total = views.articles_in_view(Filters(), order="most places", limit=5)
        rest, _ = views.articles_in_view(Filters(), order="most places", limit=10_000, offset=5)
        newest, _ = views.articles_in_view(Filters(), order="newest", limit=10_000)
    assert total == len(first) + len(rest) == articles["article_id"].nunique()
    assert {r.article_id for r in first + rest} == set(articles["article_id"])
    places = mentions.groupby("article_id")["place_id"].nunique()
    counts = [r.n_places for r in first + rest]
    assert counts == sorted(counts, reverse=True)
    assert all(r.n_places == places[r.article_id] for r in first + rest)
    dated = [r.published for r in newest if r.published]
    assert dated == sorted(dated, reverse=True) and all(r.published for r in newest[: len(dated)])
