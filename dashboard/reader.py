"""The reader: one article in full, every mention marked by its kind and linked to its place on the map.

It opens by one change of the URL (`?article=ID&mention=START` beside the map's own
parameters, `open_reader`), so one browser Back returns to the map. The text is drawn in the
page itself (`st.html`, sanitised by Streamlit on top of our escaping), not in a frame, so
its links are ordinary links: each placed mention goes to the map with that place selected
(`?place=ID`, the view's other parameters kept and the mention's kind shown if the view
hides it), as a shared `?place=` link does. A mention no place was found for says "not
placed". Back, the title and the legend sit in a header that stays at the top of the window
however far the article is scrolled. Everything from the article is escaped (dashboard.markup).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from dashboard import urlstate
from dashboard.markup import KIND_COLOUR, esc, published_label, safe_url
from geo.views import Views

READER_KEYS = ("article", "mention")
UNPLACED_COLOUR = "#6b7280"
# What each kind means, in the legend's words.
KIND_WORDS = {
    "place": "place",
    "metonym": "metonym (\u201cMoscow said\u201d)",
    "demonym": "demonym (\u201cRussian\u201d)",
}
HEAD_KEY = "geo-reader-head"  # Streamlit gives the keyed container the class st-key-<key>
# The header sticks under the toolbar Streamlit pins to the top of the window (3.75rem high).
# Stickiness is set on the container's layout wrapper, a box of the container's own height
# in the page's column (a sticky box never leaves its parent, and that parent is the page).
STYLE = f"""
[data-testid=stLayoutWrapper]:has(> .st-key-{HEAD_KEY}){{position:sticky;top:3.75rem;z-index:10}}
.st-key-{HEAD_KEY}{{background:var(--background-color,#fff);padding:4px 0 6px;border-bottom:1px solid #e5e7eb}}
.geo-reader-title{{margin:0;font-size:1.6rem;line-height:1.25}}
.geo-reader-meta{{color:#444;font-size:13px;margin-top:2px}}
.geo-legend{{font:12px/1.6 system-ui,sans-serif;color:#374151;margin-top:4px}}
.geo-legend span{{margin-right:14px;white-space:nowrap}}
.geo-legend i{{display:inline-block;width:22px;height:0;margin-right:4px;vertical-align:middle;border-bottom:3px solid}}
.geo-reader{{font:17px/1.65 Georgia,serif;max-width:46em;white-space:pre-wrap;padding-bottom:40vh}}
.geo-reader mark{{background:#fef3c7;color:inherit;padding:0 1px}}
.geo-reader mark.focus{{background:#fbbf24;outline:2px solid #b45309}}
.geo-reader a.geo-m-link{{color:inherit;text-decoration:none}}
.geo-reader a.geo-m-link:hover mark{{background:#fde68a}}
.geo-m.unplaced{{border-bottom:2px dashed {UNPLACED_COLOUR};background:#f3f4f6}}
""" + "".join(f".geo-m.{k}{{border-bottom:2px solid {c}}}" for k, c in KIND_COLOUR.items())
# Brings the clicked mention into view once the text is on the page (it may arrive after this).
SCROLL_TO_FOCUS = """<script>
(function () {
  var tries = 0;
  (function look() {
    var focus = document.querySelector(".geo-reader mark.focus");
    if (focus) { focus.scrollIntoView({block: "center"}); return; }
    if (++tries < 100) { setTimeout(look, 50); }
  })();
})();
</script>"""


# -- the URL --------------------------------------------------------------------------------


def current_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def map_params() -> dict[str, list[str]]:
    """The URL's parameters that describe the map (everything but the reader's)."""
    return {key: values for key, values in current_params().items() if key not in READER_KEYS}


def set_params(params: dict[str, Any]) -> None:
    if params != current_params():
        st.query_params.from_dict(params)


def open_reader(article_id: str, start: int | None) -> None:
    """One change of the URL, so one browser Back returns to the map (with its place)."""
    set_params({**map_params(), "article": article_id, "mention": str(start)})


def close_reader() -> None:
    set_params(map_params())


def place_link(app_url: str, view: urlstate.View) -> Callable[[Mapping[str, Any]], str | None]:
    """A mention's link to the map with its place selected, in `view` (the kind shown when hidden)."""

    def link(mention: Mapping[str, Any]) -> str | None:
        if not mention.get("place_id"):
            return None
        f = view.filters
        kinds = f.kinds if mention["kind"] in f.kinds else (*f.kinds, mention["kind"])
        shown = dataclasses.replace(view, filters=dataclasses.replace(f, kinds=kinds), place=mention["place_id"])
        return app_url + "?" + urlencode(urlstate.encode(shown), doseq=True)

    return link


# -- the page -------------------------------------------------------------------------------


def show_reader(views: Views, target: urlstate.ReaderTarget, app_url: str) -> None:
    """The article `target` names, scrolled to its mention, under a header that stays in view."""
    shown = views.article(target.article_id)
    view, _ = urlstate.parse(map_params())
    with st.container(key=HEAD_KEY):
        st.button("← Back to the map", on_click=close_reader)
        if shown is None:
            st.error(f"No article with id {target.article_id!r} in the tables.")
            return
        st.html(f"<style>{STYLE}</style>{header_html(shown.article, shown.mentions)}")
    body = reader_html(shown.article["text"], shown.mentions, target.mention_start, place_link(app_url, view))
    st.html(f"<div class='geo-reader'>{body}</div>")
    st.html(SCROLL_TO_FOCUS, unsafe_allow_javascript=True)


def header_html(article: Mapping[str, Any], mentions: Iterable[Mapping[str, Any]]) -> str:
    """Title, outlet — date · Original, and the legend of the marks (with how many of each)."""
    url = safe_url(article.get("url"))
    original = f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">Original</a>' if url else ""
    return (
        f"<h2 class='geo-reader-title'>{esc(article.get('title') or article['article_id'])}</h2>"
        f"<div class='geo-reader-meta'>{esc(article.get('outlet') or 'outlet unknown')} — "
        f"{esc(published_label(article))}{original}</div>{legend_html(mentions)}"
    )


def legend_html(mentions: Iterable[Mapping[str, Any]]) -> str:
    """One swatch per kind of mark, with the article's count of each; says what a click does."""
    counts = Counter("unplaced" if not m.get("place_id") else m.get("kind", "place") for m in mentions)
    swatches = [
        f"<span class='geo-legend-{kind}'><i style='border-color:{colour}'></i>{words} {counts[kind]}</span>"
        for kind, words, colour in (
            *((k, w, KIND_COLOUR[k]) for k, w in KIND_WORDS.items()),
            ("unplaced", "not placed", UNPLACED_COLOUR),
        )
    ]
    return (
        f"<div class='geo-legend'>{''.join(swatches)}"
        "<span>Click a marked name to see its place on the map.</span></div>"
    )


def reader_html(
    text: str,
    mentions: Iterable[Mapping[str, Any]],
    focus_start: int | None,
    link: Callable[[Mapping[str, Any]], str | None] = lambda m: None,
) -> str:
    """The full text, every mention marked by kind, the focused one with the class "focus" (an
    id would not survive Streamlit's sanitiser); a placed
    mention is a link (`link(mention)`), an unplaced one says so in its hover text.

    Mentions are rows (start, end, kind, place_id, place_name) with offsets into `text`;
    overlapping ones after the first are skipped, so the output never nests or tears a mark.
    """
    parts, cursor = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = int(m["start"]), int(m["end"])
        if start < cursor or end > len(text):
            continue
        focused = focus_start is not None and start == focus_start
        kind = m.get("kind") or "place"
        href = link(m)
        placed = bool(m.get("place_id"))
        kind_note = f" ({kind})" if kind != "place" else ""
        title = f"{m.get('place_name') or m['place_id']}{kind_note}: show on the map" if placed else f"not placed{kind_note}"
        classes = f"geo-m {esc(kind) if placed else 'unplaced'}" + (" focus" if focused else "")
        mark = f'<mark class="{classes}" title="{esc(title)}">{esc(text[start:end])}</mark>'
        parts.append(esc(text[cursor:start]))
        parts.append(f'<a class="geo-m-link" href="{esc(href)}">{mark}</a>' if href else mark)
        cursor = end
    parts.append(esc(text[cursor:]))
    return "".join(parts)
