"""The map analysts open: every place the articles mention, with the excerpts behind each.

Run with `python -m dashboard` (or `streamlit run dashboard/app.py` with static serving on,
see .streamlit/config.toml). Reads the tables `geo ingest` wrote in $GEO_DATA_DIR (default
data/); it never geoparses. This file is only the page: filtering is geo.filters, the
GeoJSON/CSV and the per-place evidence are geo.export, the map is dashboard.mapview, the
escaped markup is dashboard.markup, the URL is dashboard.urlstate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from dashboard import assets, basemap, urlstate
from dashboard.mapview import build_map
from dashboard.markup import (
    KIND_COLOUR,
    STYLE,
    counted,
    esc,
    excerpt_html,
    pinned_badge,
    place_label,
    published_label,
    reader_html,
    safe_url,
    source_line,
)
from geo import filters
from geo.export import geojson_text, mentions_csv, place_features
from geo.store import DATA_DIR_ENV, DB_NAME, Store, default_data_dir

PANEL_LIMIT = 50
MAP_HEIGHT = 620
# Only clicks reach Python: panning and zooming change neither, so they never rerun the script.
MAP_RETURNS = ["last_object_clicked", "last_object_clicked_tooltip"]


@st.cache_resource(show_spinner=False)
def _vendored() -> bool:
    assets.ensure_static()
    return True


def _db_version(db: Path) -> float:
    """Changes whenever `geo ingest` writes (WAL mode writes the -wal file first)."""
    return max((p.stat().st_mtime_ns for p in (db, db.with_name(db.name + "-wal")) if p.exists()), default=0)


@st.cache_resource(show_spinner=False, max_entries=2)
def load_tables(db: str, version: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Store(Path(db).parent) as store:
        return store.articles(), store.mentions()


@st.cache_resource(show_spinner=False, max_entries=16)
def compute_view(db: str, version: float, view_filters: filters.Filters):
    """(articles, mentions, place features) for a filter set; shared, never modified."""
    articles, mentions = load_tables(db, version)
    shown_articles, shown_mentions = filters.apply(articles, mentions, view_filters)
    return shown_articles, shown_mentions, place_features(shown_mentions, shown_articles)


def _init(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar(url_view: urlstate.View, articles: pd.DataFrame, mentions: pd.DataFrame) -> urlstate.View:
    """The filter widgets, first filled from the URL; returns the view they describe."""
    f = url_view.filters
    extent = filters.date_extent(articles)
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

    st.sidebar.header("Filters")
    dated = st.sidebar.checkbox("Filter by publication date", key="dated")
    date_from = date_to = None
    if dated:
        picked = st.sidebar.date_input(
            "Published between", key="dates", min_value=min(low, start), max_value=max(high, end)
        )
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        date_from = picked[0] if picked else None
        date_to = picked[1] if len(picked) > 1 else None
        st.sidebar.checkbox(
            "Include undated articles", key="undated", help="Articles whose date is unknown match no date range."
        )
        st.sidebar.caption("A month-only date counts when its month overlaps the range.")
    outlets = st.sidebar.multiselect(
        "Outlet", filters.distinct(articles["outlet"]) + [o for o in f.outlets if o not in set(articles["outlet"])],
        key="outlets", placeholder="All outlets",
    )
    names = basemap.country_names()
    codes = filters.distinct(mentions["country_code"])
    countries = st.sidebar.multiselect(
        "Country", codes + [c for c in f.countries if c not in codes], key="countries",
        format_func=lambda c: f"{names.get(c, c)} ({c})", placeholder="All countries",
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
        ),
        online_tiles=tiles,
        place=st.session_state.get("place", url_view.place),
    )


def clicked_place(result: dict[str, Any] | None, features: list[dict[str, Any]]) -> str | None:
    """The place_id of the marker the user last clicked (tooltip text, nearest on a tie)."""
    if not result or not result.get("last_object_clicked_tooltip"):
        return None
    label = result["last_object_clicked_tooltip"].strip()
    matches = [f for f in features if place_label(f["properties"]) == label]
    where = result.get("last_object_clicked") or {}
    if len(matches) > 1 and "lat" in where:
        matches.sort(
            key=lambda f: (f["geometry"]["coordinates"][1] - where["lat"]) ** 2
            + (f["geometry"]["coordinates"][0] - where["lng"]) ** 2
        )
    return matches[0]["properties"]["place_id"] if matches else None


def _open_reader(article_id: str, start: int) -> None:
    st.query_params["article"] = article_id
    st.query_params["mention"] = str(start)


def _close_reader() -> None:
    for key in ("article", "mention"):
        if key in st.query_params:
            del st.query_params[key]


def side_panel(features: list[dict[str, Any]], place_id: str | None) -> None:
    chosen = next((f["properties"] for f in features if f["properties"]["place_id"] == place_id), None)
    if chosen is None:
        st.caption("Click a marker to list the articles that mention the place.")
        return
    country = basemap.country_names().get(chosen.get("country_code") or "", chosen.get("country_code") or "")
    st.html(
        f"<style>{STYLE}</style><h3 class='geo-panel-title'>{esc(chosen['name'])}{pinned_badge(chosen)}</h3>"
        f"<div class='geo-meta'>{esc(country)} · {counted(chosen['n_mentions'], 'mention')} in "
        f"{counted(chosen['n_articles'], 'article')}</div>"
    )
    for i, mention in enumerate(chosen["mentions"][:PANEL_LIMIT]):
        st.html(
            f'<div class="geo-src geo-panel-src"><p class="geo-ex">{excerpt_html(mention)}</p>'
            f'<div class="geo-meta">{source_line(mention)}</div></div>'
        )
        left, right = st.columns(2)
        left.button(
            "Read article", key=f"read-{i}", on_click=_open_reader,
            args=(mention["article_id"], mention["start"]), width="stretch",
        )
        url = safe_url(mention.get("url"))
        if url:
            right.link_button("Original", url, width="stretch")
    if len(chosen["mentions"]) > PANEL_LIMIT:
        st.caption(f"…and {len(chosen['mentions']) - PANEL_LIMIT} more; download the CSV for all.")


def show_reader(articles: pd.DataFrame, mentions: pd.DataFrame, target: urlstate.ReaderTarget) -> None:
    st.button("← Back to the map", on_click=_close_reader)
    rows = articles[articles["article_id"] == target.article_id]
    if rows.empty:
        st.error(f"No article with id {target.article_id!r} in the tables.")
        return
    article = {key: (None if pd.isna(value) else value) for key, value in rows.iloc[0].items()}
    shown = mentions[mentions["article_id"] == target.article_id]
    url = safe_url(article.get("url"))
    original = f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">Original</a>' if url else ""
    st.html(
        f"<h2 class='geo-reader-title'>{esc(article.get('title') or article['article_id'])}</h2>"
        f"<div class='geo-reader-meta'>{esc(article.get('outlet') or 'outlet unknown')} — "
        f"{esc(published_label(article))}{original}</div>"
    )
    body = reader_html(article["text"], shown.to_dict("records"), target.mention_start)
    components.html(_reader_page(body), height=640, scrolling=True)


def _reader_page(body: str) -> str:
    colours = "".join(f".geo-m.{k}{{border-bottom:2px solid {c}}}" for k, c in KIND_COLOUR.items())
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "body{font:16px/1.6 Georgia,serif;max-width:46em;margin:0 auto;padding:8px 16px;white-space:pre-wrap}"
        "mark{background:#fef3c7}mark.focus{background:#fbbf24;outline:2px solid #b45309}"
        f"{colours}</style></head><body><div class='geo-reader'>{body}</div>"
        "<script>var f=document.getElementById('focus');if(f){f.scrollIntoView({block:'center'});}</script>"
        "</body></html>"
    )


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
    version = _db_version(db)
    articles, mentions = load_tables(str(db), version)

    target = urlstate.reader_target(params)
    if target is not None:
        show_reader(articles, mentions, target)
        return

    url_view, problems = urlstate.parse(params)
    for problem in problems:
        st.warning(problem)
    view = sidebar(url_view, articles, mentions)
    shown_articles, shown_mentions, features = compute_view(str(db), version, view.filters)
    link_params = urlstate.encode(view)

    st.markdown(
        f"**{len(features)}** places · **{len(shown_mentions)}** mentions · "
        f"**{len(shown_articles)}** articles in view"
    )
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Places (GeoJSON)", lambda: geojson_text(shown_mentions, shown_articles),
        file_name="places.geojson", mime="application/geo+json", on_click="ignore",
    )
    right.download_button(
        "Mentions (CSV)", lambda: mentions_csv(shown_mentions, shown_articles),
        file_name="mentions.csv", mime="text/csv", on_click="ignore",
    )

    map_col, panel_col = st.columns([3, 1])
    base = st.get_option("server.baseUrlPath") or ""
    with map_col:
        fmap = build_map(
            features,
            app_url=("/" + base.strip("/") + "/") if base.strip("/") else "/",
            base_params=link_params,
            online_tiles=view.online_tiles,
            base_url_path=base,
        )
        result = st_folium(fmap, height=MAP_HEIGHT, use_container_width=True, returned_objects=MAP_RETURNS)
        st.caption(
            "Marker size: number of articles. Blue: places; orange: only used as a metonym "
            "(\u201cMoscow said\u201d); purple: only as a demonym. Outlines: Natural Earth via countryinfo."
        )
    clicked = clicked_place(result, features)
    if clicked:
        st.session_state["place"] = clicked
    place = st.session_state.get("place", view.place)
    st.query_params.from_dict(urlstate.encode(urlstate.View(view.filters, view.online_tiles, place)))
    with panel_col:
        side_panel(features, place)


main()
