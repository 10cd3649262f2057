"""The dashboard's logic under Streamlit's AppTest: filters, the URL both ways, offline assets, escaping."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from map_fixture import HOSTILE_TEXT, build
from streamlit.testing.v1 import AppTest

from dashboard.markup import esc
from geo.views import PlaceSummary

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("data"))


@pytest.fixture
def open_app(data_dir, monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))

    def run(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(params)
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def header(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "in view" in m.value)


def map_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return json.loads(component.proto.json_args)


def marker_rows(at: AppTest) -> list[list]:
    script = map_args(at)["feature_group"]  # the markers: what a rerun swaps in the map it keeps
    data = re.search(r"var data = (\[.*?\]);\n", script, re.S).group(1)
    return json.loads(data)


def place_names(at: AppTest) -> set[str]:
    return {re.sub(r",.*", "", row[4]) for row in marker_rows(at)}


def test_opening_shows_every_place_and_counts_them(open_app):
    at = open_app()
    assert header(at) == "**6** places · **8** mentions · **5** articles in view"
    assert place_names(at) == {"Pyongyang", "Moscow", "Vladivostok", "Seoul", "Tbilisi", "Kyiv"}
    assert [b.label for b in at.get("download_button")] == ["Places (GeoJSON)", "Mentions (CSV)"]


def test_reading_the_tables_leaves_them_untouched_so_a_click_does_not_reload_them(tmp_path, monkeypatch):
    """The app caches the tables under the database files' modification time, so opening them
    to read must not write: otherwise every rerun (each click) reads every table again. (A
    read-only SQLite reader of a WAL file leaves an empty -wal where there was none: no data.)"""
    data_dir = build(tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))
    db = data_dir / "geo.sqlite"

    def stamps() -> list[int]:
        return [p.stat().st_mtime_ns for p in (db, db.with_name(db.name + "-wal")) if p.exists() and p.stat().st_size]

    before = stamps()
    for _ in range(2):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception, at.exception
        assert stamps() == before


def test_date_range_from_the_url_filters_the_map(open_app):
    at = open_app(**{"from": "2024-06-01", "to": "2024-06-30"})
    assert at.checkbox(key="dated").value is True
    assert "Pyongyang" in place_names(at)
    assert "Vladivostok" not in place_names(at)
    assert "Tbilisi" not in place_names(at)  # undated needs the switch
    assert header(at) == "**4** places · **6** mentions · **3** articles in view"


def test_changing_filters_updates_the_url(open_app):
    at = open_app()
    at.checkbox(key="demonyms").check().run()
    assert at.query_params["kind"] == ["place", "metonym", "demonym"]
    assert {"North Korea", "Russia"} <= place_names(at)
    at.checkbox(key="dated").check().run()
    at.date_input(key="dates").set_value((dt.date(2022, 9, 6), dt.date(2022, 9, 30))).run()
    assert at.query_params["from"] == "2022-09-06" and at.query_params["to"] == "2022-09-30"
    assert place_names(at) == {"Vladivostok", "Russia"}
    at.checkbox(key="undated").check().run()
    assert at.query_params["undated"] == "1"
    assert "Tbilisi" in place_names(at)
    at.multiselect(key="countries").select("GE").run()
    assert at.query_params["country"] == "GE"
    assert place_names(at) == {"Tbilisi"}


def test_outlet_and_country_from_the_url(open_app):
    at = open_app(outlet="Asia Desk", country="KR")
    assert at.multiselect(key="outlets").value == ["Asia Desk"]
    assert place_names(at) == {"Seoul"}


def test_bad_url_values_are_reported_not_fatal(open_app):
    at = open_app(**{"from": "last June", "kind": "river"})
    warnings = " ".join(w.value for w in at.warning)
    assert "YYYY-MM-DD" in warnings and "river" in warnings
    assert header(at).startswith("**6** places")


def test_every_map_script_and_stylesheet_is_served_by_the_app(open_app):
    at = open_app()
    args = map_args(at)
    for link in args["js_links"] + args["css_links"]:
        assert urlsplit(link).netloc == "" and link.startswith("/app/static/vendor/"), link
    assert [link.rsplit("/", 1)[1] for link in args["js_links"]] == ["leaflet.js", "leaflet.markercluster.js"]
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", args["header"])
    assert "{z}" not in args["script"]  # no tile layer unless asked for
    assert args["returned_objects"] == []  # the map sends its own clicks (mapview.MAP_EVENTS)


def test_online_tiles_are_opt_in_and_report_failure(open_app):
    at = open_app(tiles="1")
    script = map_args(at)["script"]
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in script
    assert "tileerror" in script and "offline country outlines" in script


def test_hostile_article_reaches_the_map_only_escaped(open_app):
    at = open_app()
    script = map_args(at)["script"] + map_args(at)["feature_group"]
    for payload in ("<script>window", "<img src=x", "${window", "`${alert", "javascript:"):
        assert payload not in script
    kyiv = next(row for row in marker_rows(at) if row[4].startswith("Kyiv"))
    sources = kyiv[-1]  # the popup's excerpts (one per article), the last field of a marker row
    assert esc("<script>window.top.__pwned=5;alert(5)</script>") in sources
    assert "&#36;&#123;window.top.__pwned=2&#125;" in sources  # from the title


def reader_body(at) -> str:
    return next(h.proto.body for h in at.get("html") if "geo-reader'" in h.proto.body)


def test_reader_marks_every_mention_and_focuses_the_clicked_one(open_app):
    text = "Putin arrived in Pyongyang on Wednesday"
    at = open_app(article="pyongyang-2024", mention=str(text.index("Pyongyang")))
    page = reader_body(at)
    assert page.count("<mark") == 4
    assert re.search(r'<mark class="geo-m place focus"[^>]*>Pyongyang</mark></a> on Wednesday', page)
    at.button[0].click().run()  # back to the map
    assert "article" not in at.query_params and header(at).startswith("**6** places")


def test_reader_escapes_the_hostile_article(open_app):
    at = open_app(article="hostile", mention=str(HOSTILE_TEXT.index("Kyiv")))
    page = reader_body(at)
    assert "<script" not in page and "<img" not in page and "${" not in page
    titles = " ".join(h.proto.body for h in at.get("html"))
    assert "<script>window" not in titles and "&lt;script&gt;" in titles


def test_names_and_queries_in_labels_and_notes_are_shown_as_typed():
    from dashboard.markup import plain_md

    hostile = "[click](javascript:alert(1)) ![x](http://evil/x.png) <b>bold</b> **loud** $x$"
    shown = plain_md(hostile)
    assert "\\[click\\]" in shown and "\\!\\[x\\]" in shown and "\\<b\\>" in shown and "\\*\\*loud\\*\\*" in shown


def test_an_empty_view_says_which_filters_to_relax(open_app):
    at = open_app(q="putin", country="GE")
    assert header(at) == "**0** places · **0** mentions · **0** articles in view"
    advice = " ".join(i.value for i in at.info)
    assert "relax the keywords or the countries" in advice
    buttons = at.get("download_button")
    assert len(buttons) == 2 and all(b.proto.disabled for b in buttons)


def _place(name: str, lat: float, lon: float, n_articles: int = 1, feature: str = "city") -> PlaceSummary:
    return PlaceSummary(f"test:{name}", name, lat, lon, "XX", feature, n_articles, n_articles, 1, ("place",),
                        None, None, False)  # fmt: skip


def test_the_first_view_is_fitted_to_most_places_not_to_far_ones_or_broad_areas():
    from dashboard.mapview import core_bounds

    europe = [_place(f"E{i}", 40 + i % 15, -5 + (i * 7) % 35, n_articles=3) for i in range(60)]
    outliers = [_place("Arctic station", 82.5, 62.0), _place("Pacific isle", -14.0, -170.0)]
    areas = [_place("Arctic Ocean", 85.0, 0.0, 40, "water"), _place("Asia", 45.0, 90.0, 40, "continent")]
    (south, west), (north, east) = core_bounds(europe + outliers + areas)
    assert 40 <= south and north <= 55 and -5 <= west and east <= 30
    few = [_place("Pyongyang", 39.0, 125.8), _place("Moscow", 55.8, 37.6), _place("Tbilisi", 41.7, 44.8)]
    assert core_bounds(few) == ((39.0, 37.6), (55.8, 125.8))  # a few places: every one in view
    assert core_bounds(areas) == ((45.0, 0.0), (85.0, 90.0))  # only areas: they are what there is


def test_the_map_has_a_legend_and_clusters_in_no_kind_colour(open_app):
    from dashboard.markup import KIND_COLOUR

    args = map_args(open_app())
    assert "geo-legend-map" in args["script"] and "places close together" in args["script"]
    assert "only as a metonym" in args["script"]
    clusters = re.findall(r"marker-cluster-\w+ div\{background-color:(#[0-9a-f]{6})", args["header"])
    assert len(clusters) == 3 and not set(clusters) & set(KIND_COLOUR.values())


def test_marker_sizes_tell_apart_places_of_a_big_corpus_and_the_legend_says_the_views_scale():
    from dashboard.mapview import LARGEST_RADIUS, SMALLEST_RADIUS, Markers, ViewLayer

    counts = [120_000, 9_000, 700, 40, 1]
    markers = Markers.of([_place(f"P{n}", 10, 10, n_articles=n) for n in counts], {})
    radii = [row[2] for row in json.loads(markers.json)]
    assert radii[0] == LARGEST_RADIUS and radii[-1] == SMALLEST_RADIUS
    assert radii == sorted(radii, reverse=True) and len(set(radii)) == len(radii)  # every one its own size
    legend = json.loads(ViewLayer(markers).sizes_json)
    assert re.findall(r"</i>([^<]+)</span>", legend) == ["1", "340", "120k"]
    small = Markers.of([_place("Kyiv", 50, 30, n_articles=3), _place("Lviv", 49, 24)], {})
    assert small.top == 3 and re.findall(r"</i>([^<]+)</span>", json.loads(ViewLayer(small).sizes_json)) == ["1", "5", "25"]
