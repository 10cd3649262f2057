"""The side panel beside the map: the clicked place's articles, one card each, newest first.

Each card shows its excerpt, where it is from, and how sure the resolver was of the place
(its confidence, and how many other places it weighed); "Wrong place?" under it opens the
corrections (dashboard.corrections), unless this deployment is read-only. What the panel
shows is asked of geo.views, cached under the store's version, so a correction (which
writes, and so changes the version) shows at once.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import basemap, corrections
from dashboard.markup import STYLE, card_html, counted, esc, pinned_badge, safe_url
from geo import filters
from geo.pins import PINNED
from geo.views import Card, PlaceSummary, Views

PANEL_PAGE = 10  # article cards per page


def _fix_key(i: int) -> str:
    """The widget key of the i-th card's "Wrong place?" (closed when the panel changes place)."""
    return f"fix-{i}"
LOW_CONFIDENCE = 0.5  # below it, a card's confidence is shown as doubtful

PANEL_STYLE = """
.geo-conf{color:#444;font-size:12px;margin-top:2px}
.geo-conf b{font-weight:600}
.geo-conf.low b{color:#b45309}
"""


@st.cache_data(show_spinner=False, max_entries=64)
def place_cards(data_dir: str, version: float, place_id: str, view_filters: filters.Filters, page: int) -> list[Card]:
    with Views.open(data_dir) as views:
        return views.evidence(place_id, view_filters, limit=PANEL_PAGE, offset=page * PANEL_PAGE)


def confidence_html(card: Card) -> str:
    """How the card's place was chosen: the resolver's confidence and its other candidates."""
    others = counted(len(card.runner_ups), "other candidate") if card.runner_ups else "no other candidate"
    if card.source == PINNED:
        return f'<div class="geo-conf">Placed by an analyst · {others}</div>'
    low = " low" if card.confidence < LOW_CONFIDENCE else ""
    return f'<div class="geo-conf{low}">Confidence <b>{card.confidence:.0%}</b> · {others}</div>'


def side_panel(
    data_dir: str, version: float, view_filters: filters.Filters, place: PlaceSummary | None,
    on_read: Callable[[str, int], None],
) -> None:
    """The clicked place (None: a hint to click one), a page of cards at a time. `on_read`
    opens the reader on an article at a mention's offset."""
    writable = corrections.allowed()
    corrections.notice()
    if not writable:
        corrections.read_only_notice()
    if place is None:
        st.caption("Click a marker to list the articles that mention the place.")
        return
    if st.session_state.get("panel_place") != place.place_id:
        st.session_state["panel_place"], st.session_state["panel_page"] = place.place_id, 0
        for i in range(PANEL_PAGE):  # a correction left open is another place's: closed
            st.session_state.pop(_fix_key(i), None)
    page = st.session_state.get("panel_page", 0)
    country = basemap.country_names().get(place.country_code or "", place.country_code or "")
    where = f"{esc(country)} · " if country else ""
    st.html(
        f"<style>{STYLE}{PANEL_STYLE}</style><h3 class='geo-panel-title'>{esc(place.name)}{pinned_badge(place)}</h3>"
        f"<div class='geo-meta'>{where}{counted(place.n_mentions, 'mention')} in "
        f"{counted(place.n_articles, 'article')} from {counted(place.n_outlets, 'outlet')}</div>"
    )
    cards = place_cards(data_dir, version, place.place_id, view_filters, page)
    for i, card in enumerate(cards):
        st.html(f'<div class="geo-src geo-panel-src">{card_html(card)}{confidence_html(card)}</div>')
        read, original = st.columns(2)
        read.button("Read article", key=f"read-{i}", on_click=on_read, args=(card.article_id, card.start),
                    width="stretch")  # fmt: skip
        url = safe_url(card.url)
        if url:
            original.link_button("Original", url, width="stretch")
        if writable:
            corrections.wrong_place(data_dir, version, card, place, key=_fix_key(i))
    pager("panel_page", len(cards), place.n_articles, PANEL_PAGE, ("Newer articles", "Older articles"))


def pager(state_key: str, shown: int, total: int, per_page: int, helps: tuple[str, str]) -> None:
    """← and → under a paged list (its page number in session_state[state_key]), and where it is."""
    page = st.session_state.get(state_key, 0)
    pages = -(-total // per_page)
    if pages <= 1:
        return
    back, where, forward = st.columns([1, 2, 1])
    back.button("←", key=f"{state_key}-back", on_click=_turn, args=(state_key, -1), disabled=page == 0, help=helps[0])
    where.caption(f"Articles {page * per_page + 1}–{page * per_page + shown} of {total:,}")
    forward.button("→", key=f"{state_key}-forward", on_click=_turn, args=(state_key, 1), disabled=page + 1 >= pages,
                   help=helps[1])  # fmt: skip


def _turn(state_key: str, step: int) -> None:
    st.session_state[state_key] = max(0, st.session_state.get(state_key, 0) + step)
