"""Coherence: what the article's other mentions say about a candidate.

Built afresh each round from the current probabilities of every mention's options, and
read into each option's coherence features (same division, same country, nearest place).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from geo.distance import great_circle_km
from geo.gazetteer import Hit
from geo.records import Place
from geo.resolve.features import Features, Work

_CONTEXT_POINT_FEATURES = ("city", "admin2", "admin1", "landmark")


@dataclass
class Context:
    """What the article's other mentions may be, weighted by their current probabilities.

    For each first-level division and country: the summed probability over mentions
    (for the share of the article there) and the best single mention's probability
    (one "Ohio" is enough to place "Dublin"). Sums and bests are kept per name key so a
    name never supports itself.
    """

    admin1: dict[str, dict[str, float]]  # code -> name key -> P(mention of that key is there)
    country: dict[str, dict[str, float]]
    counts: dict[str, int]  # name key -> mentions with candidates
    points: list[tuple[str, float, float]]  # (name key, lat, lon) of current choices
    n_mentions: int
    # place id -> the name keys that may refer to it: a place gets no support from
    # another name for itself ("Mexico City" does not make "Mexico" the city)
    keys_of_place: dict[str, set[str]]
    # how many divisions / countries the article names outright: one "Ohio" places
    # "Dublin", but in a list of ten states each one says little about the others
    n_admin1_named: int
    n_countries_named: int

    @classmethod
    def of(cls, works: Sequence[Work]) -> Context:
        admin1: dict[str, dict[str, float]] = defaultdict(dict)
        country: dict[str, dict[str, float]] = defaultdict(dict)
        counts: dict[str, int] = defaultdict(int)
        points: dict[tuple[str, str], tuple[str, float, float]] = {}
        keys_of_place: dict[str, set[str]] = defaultdict(set)
        named: dict[str, set[str]] = {"admin1": set(), "country": set()}
        seen: set[str] = set()
        for work in works:
            if not work.options:
                continue
            counts[work.key] += 1
            place = work.options[0].hit.place
            if place.feature in _CONTEXT_POINT_FEATURES and not work.options[0].stand_in:
                # a stand-in is a guess at where an unknown feature is, not a place to be near
                points[(work.key, place.place_id)] = (work.key, place.lat, place.lon)
            if work.key in seen:
                continue
            seen.add(work.key)
            for option in work.options:
                keys_of_place[option.hit.place.place_id].add(work.key)
                if option.p >= 0.5 and option.hit.place.feature in named:
                    named[option.hit.place.feature].add(option.hit.place.place_id)
            for code_of, table in ((_admin1_of, admin1), (_country_of, country)):
                dist: dict[str, float] = defaultdict(float)
                for option in work.options:
                    code = code_of(option.hit.place, option.hit.admin1_code)
                    if code:
                        dist[code] += option.p
                for code, p in dist.items():
                    table[code][work.key] = min(p, 1.0)
        return cls(
            admin1, country, counts, list(points.values()), sum(counts.values()),
            keys_of_place, len(named["admin1"]), len(named["country"]),
        )

    def _support(
        self, table: dict[str, dict[str, float]], code: str | None, skip: set[str], named: int
    ) -> tuple[float, float]:
        """(best other name's probability, diluted by how many such places the article
        names outright; share of the other mentions) for `code`."""
        by_key = table.get(code or "")
        if not by_key:
            return 0.0, 0.0
        others = self.n_mentions - sum(self.counts.get(key, 0) for key in skip)
        best = max((p for key, p in by_key.items() if key not in skip), default=0.0)
        best /= max(named, 1)
        if others <= 0:
            return best, 0.0
        mass = sum(p * self.counts[key] for key, p in by_key.items() if key not in skip)
        return best, mass / others

    def read_into(self, features: Features, hit: Hit, own_key: str) -> None:
        """Set the coherence features of a candidate of the mention named `own_key`."""
        place = hit.place
        skip = self.keys_of_place.get(place.place_id, set()) | {own_key}
        features.admin1_best, features.admin1_share = self._support(
            self.admin1, _admin1_of(place, hit.admin1_code), skip, self.n_admin1_named
        )
        features.country_best, features.country_share = self._support(
            self.country, place.country_code, skip, self.n_countries_named
        )
        features.nearest_km = nearest_km(
            (place.lat, place.lon), [(lat, lon) for key, lat, lon in self.points if key != own_key]
        )


def _admin1_of(place: Place, admin1_code: str | None) -> str | None:
    return admin1_code if place.feature not in ("country", "continent", "region") else None


def _country_of(place: Place, _admin1_code: str | None) -> str | None:
    return place.country_code if place.feature not in ("continent",) else None


# Beyond this angle (about 3,300 km) the closest other place is "far": its nearness counts
# for nothing (exp(-3300 / 150) is 3e-10), so its distance is not measured.
_FAR_RADIANS = math.radians(30)
_FAR_CHORD_SQ = (2 * math.sin(_FAR_RADIANS / 2)) ** 2


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def nearest_km(point: tuple[float, float], others: Sequence[tuple[float, float]]) -> float | None:
    """Great-circle distance (geopy) from `point` to the closest of `others`; None if there
    are none, infinity if the closest is far (see _FAR_RADIANS).

    The closest is found by the straight chord between unit vectors, which orders points
    as the great circle does at a fraction of geopy's cost (some 30 us a call); only its
    distance is measured, once per pair of points however many rounds ask."""
    if not others:
        return None
    x, y, z = _unit(*point)
    best, best_sq = others[0], math.inf
    for other in others:
        ox, oy, oz = _unit(*other)
        sq = (x - ox) ** 2 + (y - oy) ** 2 + (z - oz) ** 2
        if sq < best_sq:
            best, best_sq = other, sq
    return math.inf if best_sq > _FAR_CHORD_SQ else great_circle_km(point, best)
