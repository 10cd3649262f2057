"""The map analysts open: every place the articles mention, with the excerpts behind each.

Run with `python -m dashboard` (or `streamlit run dashboard/app.py` with static serving on,
see .streamlit/config.toml). Reads the tables `geo ingest` wrote in $GEO_DATA_DIR (default
data/); it never geoparses, and writes only the analysts' corrections, through geo.pins
(none when $GEO_READONLY is set). This file is only the page: every figure and row it draws
is asked of geo.views (read-only SQL; article text only for the cards and the article on
screen), the files are geo.export, the map is dashboard.mapview, the side panel
dashboard.panel, the corrections dashboard.corrections, the reader dashboard.reader, the
escaped markup is dashboard.markup, the URL is dashboard.urlstate. Answers are cached under
the store's version (the files' modification time), so a rerun after a click or a filter
change asks again only what changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from dashboard import assets, basemap, corrections, panel, reader, timeline, urlstate
from dashboard.finder import find_places, resolve_place, select_place
from dashboard.mapview import Markers, build_map, view_layer
from dashboard.markup import (
    STYLE,
    article_row_html,
    counted,
    plain_md,
    popup_sources,
)
from geo import filters
from geo.export import geojson_text, mentions_csv
from geo.placesearch import PlaceMatch
from geo.store import DATA_DIR_ENV, DB_NAME, default_data_dir
from geo.views import ARTICLE_ORDERS, ArticleRow, PlaceSummary, Totals, Views

LIST_PAGE = 20  # rows per page of the articles-in-view list
# The map draws at most this many places, most articles first: beyond it the browser spends
# seconds clustering markers nobody can tell apart at world zoom, and the page grows with the
# corpus (in Chromium on 2 cores 10,000 places took 0.48 s to draw, 5,000 0.33 s, and a
# one-month view of 100,000 articles still holds 8,600). The header says when places are
# left off; narrowing the filters brings them back.
MAP_PLACES = 5_000
POPUP_PLACES = 100  # the places with most articles carry excerpts in their popups; the rest name the panel
MAP_HEIGHT = 620
# None of streamlit-folium's own values: the map sends its clicks itself (dashboard.mapview's
# MAP_EVENTS), so panning and zooming never rerun the script.
MAP_RETURNS: list[str] = []


@st.cache_resource(show_spinner=False)
def _vendored() -> bool:
    assets.ensure_static()
    return True


def _db_version(db: Path) -> float:
    """Changes whenever `geo ingest` writes (WAL mode writes the -wal file first). An empty -wal
    is what a read-only reader leaves when it finds none: nothing was written."""
    wal = db.with_name(db.name + "-wal")
    stamps = [db.stat().st_mtime_ns] + ([wal.stat().st_mtime_ns] if wal.exists() and wal.stat().st_size else [])
    return max(stamps)


# Each cached answer is keyed on (data dir, store version, what was asked); shared, never modified.


@st.cache_resource(show_spinner=False, max_entries=4)
def widget_choices(data_dir: str, version: float) -> tuple[list[str], list[str], Any]:
    with Views.open(data_dir) as views:
        return views.outlets(), views.countries(), views.date_extent()


@st.cache_resource(show_spinner=False, max_entries=16)
def view_places(data_dir: str, version: float, view_filters: filters.Filters) -> tuple[list[PlaceSummary], Totals]:
    with Views.open(data_dir) as views:
        places = views.places(view_filters)
        return places, views.totals(view_filters, places)


@st.cache_resource(show_spinner=False, max_entries=16)
def view_rows(
    data_dir: str, version: float, view_filters: filters.Filters, online_tiles: bool, app_url: str
) -> Markers:
    """The map's marker rows, the largest places' popups with up to three excerpts."""
    places, _ = view_places(data_dir, version, view_filters)
    link_params = urlstate.encode(urlstate.View(view_filters, online_tiles))
    with Views.open(data_dir) as views:
        sources = {
            p.place_id: popup_sources(
                views.evidence(p.place_id, view_filters, limit=3), p.n_articles, p.place_id, app_url, link_params
            )
            for p in places[:POPUP_PLACES]
        }
    return Markers.of(places[:MAP_PLACES], sources)


@st.cache_data(show_spinner=False, max_entries=64)
def keyword_problem(data_dir: str, version: float, keyword: str) -> str | None:
    with Views.open(data_dir) as views:
        return views.keyword_problem(keyword)


def _select_place(match: PlaceMatch) -> None:
    """A search result picked: the panel shows it, the map flies to it and opens its popup."""
    select_place(match.place_id, match.lat, match.lon, match.display_name)


def place_search(data_dir: str, version: float) -> None:
    """The "Find a place" box and its results, each a button that brings the place into view."""
    query = st.sidebar.text_input("Find a place", key="place_query", placeholder="A name, e.g. Kyiv")
    if not query.strip():
        return
    matches = find_places(data_dir, version, query.strip())
    if not matches:
        st.sidebar.caption(f"No place is called {plain_md(query.strip())}.")
        return
    for i, match in enumerate(matches):
        on_map = counted(match.mentions, "mention") if match.mentions else "not on the map"
        st.sidebar.button(
            f"{plain_md(match.display_name)} · {on_map}", key=f"found-{i}", on_click=_select_place, args=(match,),
            width="stretch",
        )


@st.cache_data(show_spinner=False, max_entries=16)
def timeline_counts(data_dir: str, version: float, undated_filters: filters.Filters) -> tuple[list[tuple[str, int]], int]:
    """(dated articles per day, articles in view) for the view's filters with no date range."""
    with Views.open(data_dir) as views:
        return views.day_counts(undated_filters), views.article_count(undated_filters)


def show_timeline(data_dir: str, version: float, view_filters: filters.Filters) -> None:
    """Articles over time for every filter but the dates; a brushed range becomes the date filter."""
    every_date = dataclasses.replace(view_filters, date_from=None, date_to=None, include_undated=False)
    days, in_view = timeline_counts(data_dir, version, every_date)
    bins = timeline.Bins.of(days)
    undated = in_view - bins.total
    if bins.total:
        st.altair_chart(
            timeline.chart(bins), key="timeline", on_select=_brushed, selection_mode=timeline.BRUSH, width="stretch"
        )
        st.session_state["timeline_unit"] = bins.unit
    if not view_filters.dated:
        stand = "shown (no date range is set)"
    elif view_filters.include_undated:
        stand = "included in the date range"
    else:
        stand = "left out while a date range is set (tick “Include undated articles” to add them)"
    bars = f"Drag across the chart to set the date range. {counted(bins.total, 'dated article')}, counted per {bins.unit}; "
    st.caption((bars if bins.total else "No article in view has a date; ") + f"{counted(undated, 'undated article')}: {stand}.")


def _brushed() -> None:
    """The timeline's brush, before the script reruns: it sets the date widgets it reads."""
    picked = timeline.brushed_range(
        st.session_state["timeline"].selection, st.session_state.get("timeline_unit", "day")
    )
    if picked:
        st.session_state["dated"] = True
        st.session_state["dates"] = picked


@st.cache_data(show_spinner=False, max_entries=32)
def article_page(
    data_dir: str, version: float, view_filters: filters.Filters, order: str, page: int
) -> tuple[list[ArticleRow], int]:
    with Views.open(data_dir) as views:
        return views.articles_in_view(view_filters, order, limit=LIST_PAGE, offset=page * LIST_PAGE)


def articles_list(data_dir: str, version: float, view_filters: filters.Filters) -> None:
    """Every article in view, a page at a time, in the order picked; "Read" opens the reader."""
    st.subheader("Articles in view")
    order = st.selectbox("Sort by", list(ARTICLE_ORDERS), key="list_order")
    if st.session_state.get("list_for") != (view_filters, order):  # a new view starts on its first page
        st.session_state["list_for"], st.session_state["list_page"] = (view_filters, order), 0
    page = st.session_state.get("list_page", 0)
    rows, total = article_page(data_dir, version, view_filters, order, page)
    for row in rows:
        text, read = st.columns([6, 1])
        text.html(f"<style>{STYLE}</style>{article_row_html(row)}")
        read.button("Read", key=f"list-read-{row.article_id}", on_click=reader.open_reader, args=(row.article_id, None))
    panel.pager("list_page", len(rows), total, LIST_PAGE, ("Previous page", "Next page"))


def _init(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar(url_view: urlstate.View, outlet_choices: list[str], country_choices: list[str], extent) -> urlstate.View:
    """The filter widgets, first filled from the URL; returns the view they describe."""
    f = url_view.filters
    today = dt.date.today()
    low, high = extent or (today, today)
    start, end = f.date_from or low, f.date_to or high
    _init("dated", f.dated)
    _init("dates", (start, end))
    _init("undated", f.include_undated)
    _init("outlets", list(f.outlets))
    _init("countries", list(f.countries))
    _init("demonyms", "demonym" in f.kinds)
    _init("metonyms", "metonym" in f.kinds)
    _init("tiles", url_view.online_tiles)
    _init("q", f.keyword)
    _init("min_outlets", f.min_outlets)

    st.sidebar.header("Filters")
    keyword = st.sidebar.text_input(
        "Keywords", key="q", placeholder="Words in the title or text",
        help='Every word must occur; "double quotes" for a phrase, ukrain* for a prefix, OR and NOT between words.',
    )
    dated = st.sidebar.checkbox("Filter by publication date", key="dated")
    date_from = date_to = None
    if dated:
        picked = st.sidebar.date_input(
            "Published between", key="dates",
            min_value=min(low, start, *st.session_state["dates"]), max_value=max(high, end, *st.session_state["dates"]),
        )
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        date_from = picked[0] if picked else None
        date_to = picked[1] if len(picked) > 1 else None
        st.sidebar.checkbox(
            "Include undated articles", key="undated", help="Articles whose date is unknown match no date range."
        )
        st.sidebar.caption("A month-only date counts when its month overlaps the range.")
    outlets = st.sidebar.multiselect(
        "Outlet", outlet_choices + [o for o in f.outlets if o not in set(outlet_choices)],
        key="outlets", placeholder="All outlets", format_func=lambda o: o or "outlet unknown",
    )
    names = basemap.country_names()
    countries = st.sidebar.multiselect(
        "Places located in", country_choices + [c for c in f.countries if c not in set(country_choices)], key="countries",
        format_func=lambda c: f"{names.get(c, c)} ({c})", placeholder="All countries",
        help="Only the places located in these countries, whichever country the article comes from "
             "(Moscow counts under Russia in a Ukrainian article).",
    )
    min_outlets = st.sidebar.number_input(
        "Reported by at least this many outlets", key="min_outlets", min_value=1, step=1,
        help="Corroboration: a place shows when this many distinct outlets mention it in the view.",
    )
    st.sidebar.header("Mentions")
    metonyms = st.sidebar.checkbox(
        "Metonyms (\u201cMoscow said\u201d)", key="metonyms", help="Shown in orange and marked in popups."
    )
    demonyms = st.sidebar.checkbox("Demonyms (\u201cRussian\u201d)", key="demonyms")
    st.sidebar.header("Basemap")
    tiles = st.sidebar.checkbox(
        "Online map tiles (OpenStreetMap)", key="tiles",
        help="Needs internet. The offline country outlines stay underneath if tiles cannot load.",
    )
    kinds = ("place",) + (("metonym",) if metonyms else ()) + (("demonym",) if demonyms else ())
    return urlstate.View(
        filters=filters.Filters(
            date_from=date_from,
            date_to=date_to,
            include_undated=bool(dated and st.session_state["undated"]),
            outlets=tuple(outlets),
            countries=tuple(countries),
            kinds=kinds,
            keyword=keyword.strip(),
            min_outlets=int(min_outlets),
        ),
        online_tiles=tiles,
        place=st.session_state.get("place", url_view.place),
    )


def _map_sent() -> None:
    """The map sent a new value (a click), before the rerun it causes. The map stays the same
    frame across reruns, so after a filter change or a search it still holds its last click,
    which must not take the panel back from the place picked since: only a new one counts."""
    st.session_state["map_sent"] = True


def map_event(result: dict[str, Any] | None, places: list[PlaceSummary]) -> None:
    """A click the map has just sent (see dashboard.mapview's MAP_EVENTS): a marker's selects its
    place, if the view holds it, and leaves the map where the user took it; a popup's "Read
    article" opens the reader. The ids come from the page, so they are looked up, never trusted."""
    if not st.session_state.pop("map_sent", False) or not result:
        return
    if isinstance(result.get("place"), str):
        place_id = html.unescape(result["place"])  # as the marker row holds it, escaped
        if place_id != st.session_state.get("place") and any(p.place_id == place_id for p in places):
            st.session_state["place"] = place_id
            st.session_state.pop("focus", None)
    read = result.get("read")
    if isinstance(read, dict) and read.get("article"):
        mention = read.get("mention")
        reader.open_reader(str(read["article"]), mention if isinstance(mention, int) else None)
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="News places", page_icon="🗺️", layout="wide")
    _vendored()
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    data_dir = default_data_dir()
    db = data_dir / DB_NAME
    if not db.is_file():
        st.title("News places")
        st.info(f"No tables in {data_dir}/ yet. Run `geo ingest seeds/` (or set {DATA_DIR_ENV}) and reload.")
        return
    version, where = _db_version(db), str(data_dir)
    base = st.get_option("server.baseUrlPath") or ""
    app_url = ("/" + base.strip("/") + "/") if base.strip("/") else "/"

    target = urlstate.reader_target(params)
    if target is not None:
        with Views.open(where) as views:
            reader.show_reader(views, target, app_url)
        return

    url_view, problems = urlstate.parse(params)
    for problem in problems:
        st.warning(plain_md(problem))
    if url_view.place and "place" not in st.session_state:
        url_view = _place_from_url(where, version, url_view)
    place_search(where, version)
    view = sidebar(url_view, *widget_choices(where, version))
    problem = keyword_problem(where, version, view.filters.keyword)
    if problem:
        st.warning(f"Keywords ignored: {plain_md(problem)}")
        view = dataclasses.replace(view, filters=dataclasses.replace(view.filters, keyword=""))
    places, totals = view_places(where, version, view.filters)

    st.markdown(
        " · ".join(f"**{n:,}** {noun if n == 1 else noun + 's'}" for n, noun in
                   ((totals.places, "place"), (totals.mentions, "mention"), (totals.articles, "article")))
        + " in view"
    )
    if not places:
        relax = _relax(view.filters)
        st.info(f"Nothing in view. To see places, relax {relax}." if relax else
                "Nothing in view: no article in the tables names a place yet.")  # fmt: skip
    if len(places) > MAP_PLACES:
        st.caption(
            f"The map shows the {MAP_PLACES:,} places with most articles; narrow the filters to see the other "
            f"{len(places) - MAP_PLACES:,}."
        )
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Places (GeoJSON)", lambda: geojson_text(*_files(where, view.filters)),
        file_name="places.geojson", mime="application/geo+json", on_click="ignore",
        disabled=not places, help=None if places else "Nothing to download: no place is in view.",
    )
    right.download_button(
        "Mentions (CSV)", lambda: mentions_csv(*_files(where, view.filters)),
        file_name="mentions.csv", mime="text/csv", on_click="ignore",
        disabled=not places, help=None if places else "Nothing to download: no mention is in view.",
    )

    map_col, panel_col = st.columns([3, 1])
    with map_col:
        markers = view_rows(where, version, view.filters, view.online_tiles, app_url)
        focus = st.session_state.get("focus")
        result = st_folium(
            build_map(online_tiles=view.online_tiles, base_url_path=base), feature_group_to_add=view_layer(markers, focus),
            height=MAP_HEIGHT, use_container_width=True, returned_objects=MAP_RETURNS, on_change=_map_sent,
        )
        show_timeline(where, version, view.filters)
    map_event(result, places)
    place_id = st.session_state.get("place", view.place)
    st.query_params.from_dict(urlstate.encode(urlstate.View(view.filters, view.online_tiles, place_id)))
    with panel_col:
        chosen = next((p for p in places if p.place_id == place_id), None)
        if place_id and chosen is None and st.session_state.get("focus"):
            st.info(
                f"{plain_md(st.session_state.get('focus_name', place_id))} has no articles in this view: "
                "the map is centred on it."
            )
        panel.side_panel(where, version, view.filters, chosen, on_read=reader.open_reader)
    articles_list(where, version, view.filters)
    corrections.show(where, version, on_read=reader.open_reader)


def _relax(f: filters.Filters) -> str:
    """The filters that narrow the view, named as the sidebar names them ("" when none do)."""
    set_ = [name for name, on in (
        ("the keywords", bool(f.keyword)), ("the publication dates", f.dated), ("the outlets", bool(f.outlets)),
        ("the countries", bool(f.countries)), ("the least number of outlets", f.min_outlets > 1),
        ("the mention kinds", tuple(f.kinds) != filters.DEFAULT_KINDS),
    ) if on]  # fmt: skip
    if not set_:
        return ""
    return ", ".join(set_[:-1]) + (" or " if len(set_) > 1 else "") + set_[-1]


def _place_from_url(data_dir: str, version: float, url_view: urlstate.View) -> urlstate.View:
    """`?place=` on arrival: an id or a name, selected, centred and opened; a note when it was
    another name (which place it was taken to mean) or matches nothing (then no place is selected)."""
    chosen = resolve_place(data_dir, version, url_view.place)
    if chosen.note and not chosen.own_name:
        st.warning(f"`place`: {plain_md(chosen.note)}")
    if chosen.match is None:
        return dataclasses.replace(url_view, place=None)
    _select_place(chosen.match)
    return dataclasses.replace(url_view, place=chosen.match.place_id)


def _files(data_dir: str, view_filters: filters.Filters):
    """(mentions, articles) for the download buttons: the same rows `geo export` writes."""
    with Views.open(data_dir) as views:
        articles, mentions = views.selected_tables(view_filters)
    return mentions, articles


main()
