"""Read side of the compiled gazetteer: name look-ups against the SQLite index.

Only the index file is opened; each process keeps an LRU of recent look-ups, so the
memory held stays small (a parse with two processes must stay under 1.5 GB in all).
"""

from __future__ import annotations

import math
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.gazetteer.build import build, is_current
from geo.gazetteer.normalise import name_key
from geo.gazetteer.paths import index_path
from geo.records import Place

# Most names have a handful of places; "Springfield" has dozens. Beyond this many the
# least prominent namesakes cannot win on context either, and scoring them costs time.
MAX_CANDIDATES = 40


@dataclass(frozen=True)
class Hit:
    """A place a name may refer to, with what ranking needs to know about the match.

    `alt` is 0 when the name is the place's own, 1 for an alternate spelling and
    2 for a qualifier-only abbreviation; `prior` is its prominence (see build.prior);
    `capital` says the place is its country's capital (the resolver prefers a capital
    over a namesake division elsewhere in the country: "Washington").
    """

    place: Place
    admin1_code: str | None
    prior: float
    alt: int
    capital: bool = False


class Gazetteer:
    """Places by name: countries, divisions, populated places, regions, curated additions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # check_same_thread=False: look-ups are read-only; the LRU is per process anyway.
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._con.execute("PRAGMA query_only = ON")
        self._con.execute("PRAGMA cache_size = -16000")  # 16 MB of pages at most
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)
        self._demonym = lru_cache(maxsize=10_000)(self._demonym_uncached)

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Open the compiled index, building it first (with a note on stderr) if missing or stale."""
        path = path or index_path()
        if not is_current(path):
            print(f"gazetteer: compiling the index at {path} (once; about a minute)", file=sys.stderr)
            build(path)
        return cls(path)

    @property
    def fingerprint(self) -> str:
        """The build's fingerprint (see geo.gazetteer.build), naming what was built from what."""
        row = self._con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
        return str(row[0]) if row else "unknown"

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, object]) -> None:
        path = state["path"]
        assert isinstance(path, Path)
        self.__init__(path)  # type: ignore[misc]

    # --- look-ups -------------------------------------------------------------------

    def _lookup(self, key: str, qualifiers: bool = False) -> tuple[Hit, ...]:
        """Places whose name has this key, most prominent first."""
        rows = self._con.execute(
            """SELECT p.place_id, p.name, p.lat, p.lon, p.country_code, p.feature,
                      p.population, p.admin1, p.source, p.admin1_code, p.prior, n.alt, p.capital
               FROM names n JOIN places p ON p.pid = n.pid
               WHERE n.key = ? AND n.alt <= ?
               ORDER BY p.prior - n.alt DESC LIMIT ?""",
            (key, 2 if qualifiers else 1, MAX_CANDIDATES),
        ).fetchall()
        return tuple(
            Hit(Place(*row[:9]), admin1_code=row[9], prior=row[10], alt=row[11], capital=bool(row[12]))
            for row in rows
        )

    def hits(self, name: str) -> tuple[Hit, ...]:
        return self.lookup(name_key(name))

    def qualifier_hits(self, name: str) -> tuple[Hit, ...]:
        """Divisions and countries a qualifier names ("Ga.", "GA", "Georgia", "Ontario")."""
        return tuple(
            h for h in self.lookup(name_key(name), True)
            if h.place.feature in ("admin1", "country", "admin2")
        )

    def candidates(self, name: str) -> list[Place]:
        """Places `name` may refer to, most prominent first ([] when unknown)."""
        return [hit.place for hit in self.hits(name)]

    def contains(self, name: str) -> bool:
        return bool(self.hits(name))

    def _demonym_uncached(self, key: str) -> str | None:
        row = self._con.execute("SELECT place FROM demonyms WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def demonym(self, word: str) -> str | None:
        """The place a demonym derives from: "Russian" -> "Russia", "Russians" -> "Russia"."""
        key = name_key(word)
        found = self._demonym(key)
        if found is None and key.endswith("s"):
            found = self._demonym(key[:-1])
        return found

    def demonyms(self) -> Iterator[str]:
        """Every demonym key known (lower-case, normalised), for the recogniser's matcher."""
        for (key,) in self._con.execute("SELECT key FROM demonyms"):
            yield key

    def names(
        self,
        min_population: int = 0,
        features: Iterable[str] | None = None,
        alternates: bool = False,
    ) -> Iterator[str]:
        """Surface names for phrase matching, each once.

        Filter by prominence with `min_population` and `features` (e.g. {"country",
        "admin1", "region", "continent"} whatever their population); `alternates` adds
        alternate spellings to the places' own names.
        """
        sql = """SELECT DISTINCT n.surface FROM names n JOIN places p ON p.pid = n.pid
                 WHERE n.alt <= ? AND p.population >= ?"""
        params: list[object] = [1 if alternates else 0, min_population]
        if features is not None:
            wanted = list(features)
            sql += f" AND p.feature IN ({','.join('?' * len(wanted))})"
            params += wanted
        for (surface,) in self._con.execute(sql, params):
            yield surface

    def part_point(self, hit: Hit, bearing: float) -> tuple[float, float] | None:
        """The point of one part of a country or division ("North Texas", bearing 0°):
        the population-weighted mean of its towns that lie within 60° of that bearing
        from its own point. None when it has no such towns."""
        place = hit.place
        if place.feature == "country":
            rows = self._con.execute(
                "SELECT lat, lon, population FROM places WHERE country_code = ? AND feature = 'city'",
                (place.country_code,),
            )
        elif place.feature == "admin1" and hit.admin1_code:
            rows = self._con.execute(
                "SELECT lat, lon, population FROM places WHERE admin1_code = ? AND feature = 'city'",
                (hit.admin1_code,),
            )
        else:
            return None
        lat_sum = lon_sum = weight = 0.0
        cos_lat = math.cos(math.radians(place.lat))
        for lat, lon, population in rows:
            dy, dx = lat - place.lat, (lon - place.lon) * cos_lat
            if dx == dy == 0:
                continue
            off = abs((math.degrees(math.atan2(dx, dy)) - bearing + 180) % 360 - 180)
            if off <= 60:
                w = max(population, 1)
                lat_sum, lon_sum, weight = lat_sum + w * lat, lon_sum + w * lon, weight + w
        return (round(lat_sum / weight, 5), round(lon_sum / weight, 5)) if weight else None
