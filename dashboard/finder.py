"""Place search for the page, cached under the store's version: the sidebar's "Find a place",
`?place=`, and the corrections' "search the gazetteer" all ask geo.placesearch through here."""

from __future__ import annotations

import streamlit as st

from geo.gazetteer.index import Gazetteer
from geo.placesearch import PlaceMatch, PlaceParam, PlaceSearch
from geo.store import Store

PLACE_RESULTS = 8  # answers a place search lists


@st.cache_resource(show_spinner=False)
def _gazetteer() -> Gazetteer:
    return Gazetteer.load()


@st.cache_data(show_spinner=False, max_entries=64)
def find_places(data_dir: str, version: float, query: str, limit: int = PLACE_RESULTS) -> list[PlaceMatch]:
    """Places called `query`: places on the map first, then the gazetteer's."""
    with Store(data_dir, readonly=True) as store:
        return PlaceSearch(store, _gazetteer()).search(query, limit=limit)


@st.cache_data(show_spinner=False, max_entries=64)
def resolve_place(data_dir: str, version: float, value: str) -> PlaceParam:
    """What `?place=` names: an id or a name."""
    with Store(data_dir, readonly=True) as store:
        return PlaceSearch(store, _gazetteer()).resolve(value)


def select_place(place_id: str, lat: float, lon: float, name: str) -> None:
    """Bring a place into view on the next run: the panel shows it, the map flies to it and opens it."""
    st.session_state["place"] = place_id
    st.session_state["focus"] = (place_id, lat, lon)
    st.session_state["focus_name"] = name
