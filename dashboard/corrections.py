"""Corrections from the page: "Wrong place?" on a card, the Corrections view, and what the map is missing.

Every correction is a pin written through geo.pins, the same functions as `geo pin`, which
re-place the stored mentions at once; the write changes the store's version, so every cached
answer is asked again and the map shows the correction on the rerun that follows the click.
Pins hold for later ingests (the ingest's pin step applies them). On a read-only deployment
($GEO_READONLY) none of the controls is drawn and the page says so; geo.pins refuses the
writes as well. Names from articles and notes from analysts are escaped wherever shown.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

import streamlit as st

from dashboard import basemap, finder
from dashboard.markup import counted, esc, plain_md
from geo import pins
from geo.pins import Pin, ReadOnlyError, UnresolvedName
from geo.placesearch import PlaceMatch, display_name
from geo.records import Place
from geo.store import Store
from geo.views import Card, PlaceSummary, Views

RUNNER_UPS = 5  # runner-ups a card offers
SEARCH_RESULTS = 5  # gazetteer answers a correction offers
MISSING_SHOWN = 25  # unresolved names listed
_NOTICE = "correction_notice"  # session key: (where it was made, "success"|"error", message)

ROW_STYLE = """
.geo-fix{font:14px/1.4 system-ui,sans-serif;padding:2px 0}
.geo-fix .geo-meta{color:#555;font-size:12px}
.geo-fix q{font-style:italic}
"""


def allowed() -> bool:
    """Whether this deployment takes corrections ($GEO_READONLY unset)."""
    return pins.corrections_allowed()


def read_only_notice() -> None:
    st.info(
        f"Read-only: corrections are switched off on this deployment (${pins.READONLY_ENV} is set), "
        "so this page changes nothing. Pins made with `geo pin` elsewhere still show."
    )


def notice(origin: str = "panel") -> None:
    """The outcome of the last correction made from `origin` ("panel", "list", "missing"), once."""
    made = st.session_state.get(_NOTICE)
    if made and made[0] == origin:
        del st.session_state[_NOTICE]
        (st.success if made[1] == "success" else st.error)(plain_md(made[2]))


# -- writing, in the callbacks of the buttons (before the rerun that shows the result) ----------


def _write(origin: str, data_dir: str, key: str | None, change: Callable[[Store], str],
           show: Place | None = None) -> None:  # fmt: skip
    """Make one correction through geo.pins (`change` says what it did) and say how it went.
    The correction's widgets (`key`…) are emptied, so its note never rides along with the next
    one; a pin to a place brings that place into view, where the analyst sees its marker."""
    try:
        with Store(data_dir) as store:
            done = change(store)
    except (ReadOnlyError, ValueError) as err:
        st.session_state[_NOTICE] = (origin, "error", f"Not changed: {err}")
        return
    except sqlite3.OperationalError as err:  # locked past the store's timeout by a long write elsewhere
        st.session_state[_NOTICE] = (origin, "error", f"Not changed, the tables are busy ({err}): try again.")
        return
    st.session_state[_NOTICE] = (origin, "success", done[0].upper() + done[1:] + ".")
    for widget in ("note", "context", "query"):
        st.session_state.pop(f"{key}-{widget}", None)
    if show is not None:
        finder.select_place(show.place_id, show.lat, show.lon, show.name)


def _options(key: str, focus: str | None) -> tuple[str | None, str | None]:
    """(context, note) as the analyst set them in the correction's widgets."""
    context = focus if focus and st.session_state.get(f"{key}-context") else None
    note = (st.session_state.get(f"{key}-note") or "").strip() or None
    return context, note


def _pin_runner_up(data_dir: str, card: Card, place: Place, key: str, focus: str | None) -> None:
    context, note = _options(key, focus)
    _write("panel", data_dir, key, lambda store: pins.pin_to_candidate(
        store, card.article_id, card.start, place.place_id, context=context, note=note).summary(), show=place)


def _pin_found(origin: str, data_dir: str, name: str, match: PlaceMatch, key: str, focus: str | None) -> None:
    context, note = _options(key, focus)
    _write(origin, data_dir, key, lambda store: pins.pin_to_place(
        store, name, match.place(), context=context, note=note).summary(), show=match.place())


def _not_a_place(origin: str, data_dir: str, name: str, key: str, focus: str | None) -> None:
    context, note = _options(key, focus)
    _write(origin, data_dir, key, lambda store: pins.mark_not_a_place(
        store, name, context=context, note=note).summary())


def _remove(data_dir: str, pin: Pin) -> None:
    def unpin(store: Store) -> str:
        articles = pins.remove_pin(store, pin.name, pin.context)
        if articles is None:
            raise ValueError(f"there is no pin for {pin.name!r} any more")
        return (f"removed the pin for {pin.name!r}; the next geo ingest resolves the name again in the "
                f"{counted(len(articles), 'article')} that mention it (until then it shows there unplaced)")

    _write("list", data_dir, None, unpin)


# -- reading -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _focus(data_dir: str, version: float, article_id: str) -> str | None:
    with Views.open(data_dir) as views:
        return views.article_focus(article_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _pins(data_dir: str, version: float) -> list[Pin]:
    with Views.open(data_dir) as views:
        return views.pins()


@st.cache_data(show_spinner=False, max_entries=4)
def _unresolved(data_dir: str, version: float) -> list[UnresolvedName]:
    with Views.open(data_dir) as views:
        return views.unresolved(MISSING_SHOWN)


def _country(code: str | None) -> str:
    return basemap.country_names().get(code or "", code or "")


# -- the controls --------------------------------------------------------------------------


def wrong_place(data_dir: str, version: float, card: Card, place: PlaceSummary, key: str) -> None:
    """"Wrong place?" under a card: pick a runner-up, search the gazetteer, or "not a place".
    Its widgets are drawn only once it is opened (a rerun): a panel of ten cards drew a hundred
    widgets nobody had asked for, and asked each card's article for its focus country, on every
    marker click."""
    popover = st.popover("Wrong place?", type="tertiary", icon=":material/edit_location_alt:", key=key,
                         on_change="rerun")  # fmt: skip
    if not popover.open:
        return
    with popover:
        st.markdown(f"**{plain_md(card.name)}** is placed at {plain_md(display_name(place.name, None, place.country_code, place.feature))}. "
                    "Where should it be?")  # fmt: skip
        focus = _options_widgets(data_dir, version, card.article_id, key)
        if card.runner_ups:
            st.caption("Other places the resolver weighed (its score)")
            for j, candidate in enumerate(card.runner_ups[:RUNNER_UPS]):
                p = candidate.place
                st.button(
                    f"{plain_md(display_name(p.name, None, p.country_code, p.feature))} · {candidate.score:.0%}",
                    key=f"{key}-runner-{j}", on_click=_pin_runner_up, args=(data_dir, card, p, key, focus),
                    width="stretch",
                )
        _search_and_pin("panel", data_dir, version, card.name, key, focus, start="")


def _options_widgets(data_dir: str, version: float, article_id: str | None, key: str) -> str | None:
    """The note box and, when the article has a focus country, "only in articles about it"."""
    st.text_input("Note (optional)", key=f"{key}-note", placeholder="Why, or where the right place comes from")
    focus = _focus(data_dir, version, article_id) if article_id else None
    if focus:
        st.checkbox(f"Only in articles about {_country(focus)}", key=f"{key}-context",
                    help="A pin with a context applies where most of an article's places are in that country.")
    return focus


def _search_and_pin(origin: str, data_dir: str, version: float, name: str, key: str, focus: str | None,
                    start: str) -> None:  # fmt: skip
    """A gazetteer search whose answers each pin `name` there, and "Not a place"."""
    if f"{key}-query" not in st.session_state:
        st.session_state[f"{key}-query"] = start
    query = st.text_input("Search the gazetteer", key=f"{key}-query", placeholder="The right place's name")
    if query.strip():
        matches = finder.find_places(data_dir, version, query.strip(), SEARCH_RESULTS)
        if not matches:
            st.caption(f"No place is called {plain_md(query.strip())}.")
        for j, match in enumerate(matches):
            on_map = counted(match.mentions, "mention") if match.mentions else "not on the map yet"
            st.button(f"{plain_md(match.display_name)} · {on_map}", key=f"{key}-found-{j}", width="stretch",
                      on_click=_pin_found, args=(origin, data_dir, name, match, key, focus))  # fmt: skip
    st.button("Not a place", key=f"{key}-not", icon=":material/block:", width="stretch",
              on_click=_not_a_place, args=(origin, data_dir, name, key, focus),
              help=f"Leave every mention of {plain_md(name)} unplaced, now and in later ingests.")  # fmt: skip


# -- the views under the map ------------------------------------------------------------------


def show(data_dir: str, version: float, on_read: Callable[[str, int], None]) -> None:
    """The Corrections view and what the map is missing, each in an expander under the map."""
    corrections_view(data_dir, version)
    missing_view(data_dir, version, on_read)


def pin_row_html(pin: Pin) -> str:
    """One pin: what, where to, where it applies, when, and the analyst's note (all escaped)."""
    where = f"in articles about {esc(_country(pin.context))}" if pin.context else "everywhere"
    when = esc((pin.pinned_at or "").replace("T", " ").replace("+00:00", " UTC"))
    note = f" · note: <q>{esc(pin.note)}</q>" if pin.note else ""
    place = pin.place()
    if pin.place_id and place is not None:  # a gazetteer place: named as the search names it, with its id
        named = display_name(place.name, None, place.country_code, place.feature)
        to = f"{esc(named)} <span class='geo-meta'>{esc(pin.place_id)}</span>"
    else:
        to = esc(pin.target())
    return (f"<div class='geo-fix'><b>{esc(pin.name)}</b> → {to}"
            f"<div class='geo-meta'>{where} · {when}{note}</div></div>")  # fmt: skip


def corrections_view(data_dir: str, version: float) -> None:
    """Every pin, newest first, each removable (unless read-only)."""
    made = _pins(data_dir, version)
    with st.expander(f"Corrections · {counted(len(made), 'pin')}", icon=":material/push_pin:", key="corrections"):
        notice("list")
        if not made:
            st.caption("No corrections yet. “Wrong place?” under an excerpt in the side panel makes one, "
                       "as does `geo pin`.")  # fmt: skip
        writable = allowed()
        for pin in made:
            text, action = st.columns([5, 1], vertical_alignment="center")
            text.html(f"<style>{ROW_STYLE}</style>{pin_row_html(pin)}")
            if writable:
                action.button("Remove", key=f"unpin-{_digest(pin.key, pin.context or '')}", on_click=_remove,
                              args=(data_dir, pin), help="Drop this pin; the next geo ingest resolves the name again.")
        if made and not writable:
            read_only_notice()


def missing_row_html(name: UnresolvedName) -> str:
    why = f" · {esc(name.reason)}" if name.reason else ""
    sample = f"<div class='geo-meta'>e.g. {esc(name.sample_title)}</div>" if name.sample_title else ""
    return (f"<div class='geo-fix'><b>{esc(name.name)}</b> · {counted(name.mentions, 'mention')} in "
            f"{counted(name.articles, 'article')}<span class='geo-meta'>{why}</span>{sample}</div>")  # fmt: skip


def missing_view(data_dir: str, version: float, on_read: Callable[[str, int], None]) -> None:
    """The names left unplaced, most mentioned first; "Pin…" opens a search for the name, one
    click from pinning it to a place found there."""
    names = _unresolved(data_dir, version)
    many = f"{len(names)}+ names" if len(names) == MISSING_SHOWN else counted(len(names), "name")
    label = f"What the map is missing · {many}"
    with st.expander(label, icon=":material/wrong_location:", key="missing"):
        notice("missing")
        if not names:
            st.caption("Every name found in the articles is on the map (or marked not a place).")
        writable = allowed()
        for name in names:
            key = f"missing-{_digest(name.name)}"
            text, read, pin = st.columns([5, 1, 1], vertical_alignment="center")
            text.html(f"<style>{ROW_STYLE}</style>{missing_row_html(name)}")
            read.button("Read", key=f"{key}-read", on_click=on_read, args=(name.sample_article_id, name.sample_start),
                        help="Open an article that names it")  # fmt: skip
            if not writable:
                continue
            with pin:
                popover = st.popover("Pin…", key=key, on_change="rerun")
                if popover.open:
                    with popover:
                        st.markdown(f"Where is **{plain_md(name.name)}**?")
                        focus = _options_widgets(data_dir, version, None, key)
                        _search_and_pin("missing", data_dir, version, name.name, key, focus, start=name.name)
        if names and not writable:
            read_only_notice()


def _digest(*parts: str) -> str:
    """A short stable widget key for text from articles (any characters, any length)."""
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:12]
