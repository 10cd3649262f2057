"""The corpus as evidence: where a source's other articles place their towns.

A local outlet writes about its home: when most of the towns its other articles name with
confidence lie in one country (or one state), a bare "Dublin" or "Paris" in one more of its
articles is more likely the namesake there. The signal reaches the resolver as a plain
`Home` record per article (shares of the source's other articles' places, the article's
own left out); the resolver never sees the store or the other articles, and a corpus of
world news, with no country holding a majority, gives no home at all.

Articles are grouped by source: their outlet when known; articles given together with no
outlet (one input file) are taken as one source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from geo.gazetteer import name_key
from geo.records import Place, ResolvedMention

if TYPE_CHECKING:
    from geo.resolve.resolver import Resolver

# What counts as a placed town of an article: a confident choice of a town, county or
# state, each distinct name once per article (a story repeating "Dublin" is one vote).
CONFIDENT = 0.6
TOWN_FEATURES = frozenset({"city", "admin2", "admin1"})
MIN_ARTICLES = 5  # fewer other articles from the source say nothing about its home
MAJORITY = 0.5  # a home holds more than this share of the source's places


@dataclass(frozen=True)
class Home:
    """How strongly a source's other articles sit in a country or a first-level division:
    0 at half of their places, 1 when all of them are there (absent: no majority).

    The article's own geography wins: `elsewhere` and `at_home` hold the towns and counties
    the article itself places confidently outside and inside the home country, and the
    home counts for a mention by the share of the article's other such towns that are at
    home: nothing in a story from England ("Oxford" beside "Twickenham"), half in a story
    from Tennessee that names one Guatemalan village. A country or a continent does not
    weigh: a local story names them too (a mission trip to Guatemala, a soldier back from
    Iraq) and is still about home."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1: dict[str, float] = field(default_factory=dict)
    elsewhere: frozenset[str] = frozenset()
    at_home: frozenset[str] = frozenset()

    def weight_for(self, key: str) -> float:
        """How much the home bears on the mention named `key`: the share of the article's
        other towns that are at home (1 when it names none)."""
        if not (self.countries or self.admin1):
            return 0.0
        away, home = len(self.elsewhere - {key}), len(self.at_home - {key})
        return home / (home + away) if away else 1.0

    def country(self, code: str | None) -> float:
        return self.countries.get(code or "", 0.0)

    def division(self, code: str | None) -> float:
        return self.admin1.get(code or "", 0.0)


NO_HOME = Home()


def _votes(resolved: Sequence[ResolvedMention]) -> tuple[set[str], set[str]]:
    countries: dict[str, str] = {}
    divisions: dict[str, str] = {}
    for rm in resolved:
        place, res = rm.resolution.place, rm.resolution
        if place is None or rm.mention.kind != "place" or res.source == "pinned" or res.confidence < CONFIDENT:
            continue
        if place.feature not in TOWN_FEATURES or not place.country_code:
            continue
        key = name_key(rm.mention.name)
        countries.setdefault(key, place.country_code)
        division = division_key(place)
        if division:
            divisions.setdefault(key, division)
    return set(countries.items()), set(divisions.items())


# What places an article away from home: a town or county there, not a country or a region.
_LOCAL_FEATURES = frozenset({"city", "admin2"})


def _placed_towns(resolved: Sequence[ResolvedMention]) -> set[tuple[str, str]]:
    """(name key, country) of every town or county the article places confidently."""
    return {
        (name_key(rm.mention.name), rm.resolution.place.country_code)
        for rm in resolved
        if rm.resolution.place is not None and rm.resolution.place.country_code
        and rm.resolution.place.feature in _LOCAL_FEATURES
        and rm.mention.kind == "place" and rm.resolution.confidence >= CONFIDENT
    }


def division_key(place: Place) -> str | None:
    """ "US:Ohio" for Dublin, Ohio and for Ohio itself; None above or outside a division."""
    name = place.name if place.feature == "admin1" else place.admin1
    return f"{place.country_code}:{name}" if name and place.country_code else None


class CorpusTally:
    """Votes of every article of each source, so each article gets its source's home
    with its own votes left out."""

    def __init__(self) -> None:
        self._articles: dict[Hashable, tuple[Hashable, Counter[str], Counter[str]]] = {}
        self._countries: dict[Hashable, Counter[str]] = {}
        self._divisions: dict[Hashable, Counter[str]] = {}
        self._n: Counter[Hashable] = Counter()
        self._placed: dict[Hashable, set[tuple[str, str]]] = {}

    def add(self, article: Hashable, source: Hashable, resolved: Sequence[ResolvedMention]) -> None:
        countries, divisions = _votes(resolved)
        c = Counter(code for _key, code in countries)
        d = Counter(code for _key, code in divisions)
        self._articles[article] = (source, c, d)
        self._placed[article] = _placed_towns(resolved)
        self._countries.setdefault(source, Counter()).update(c)
        self._divisions.setdefault(source, Counter()).update(d)
        self._n[source] += 1

    def home(self, article: Hashable) -> Home:
        """The home of the article's source, from the source's other articles."""
        source, own_c, own_d = self._articles[article]
        if self._n[source] - 1 < MIN_ARTICLES:
            return NO_HOME
        countries = _strengths(self._countries[source] - own_c)
        divisions = _strengths(self._divisions[source] - own_d)
        if not (countries or divisions):
            return NO_HOME
        placed = self._placed[article]
        elsewhere = frozenset(key for key, country in placed if country not in countries) if countries else frozenset()
        at_home = frozenset(key for key, _country in placed) - elsewhere
        return Home(countries, divisions, elsewhere, at_home)


def _strengths(votes: Counter[str]) -> dict[str, float]:
    total = sum(votes.values())
    if not total:
        return {}
    return {
        code: (n / total - MAJORITY) / (1 - MAJORITY)
        for code, n in votes.items() if n / total > MAJORITY
    }


def settle(
    resolver: Resolver, articles: Sequence[tuple[Hashable, str, Sequence[ResolvedMention]]]
) -> list[list[ResolvedMention]]:
    """Resolve each article's mentions again with its source's home, from a first pass.

    `articles` are (source, text, first-pass resolved mentions); an article whose source
    has no home keeps its first pass."""
    tally = CorpusTally()
    for i, (source, _text, resolved) in enumerate(articles):
        tally.add(i, source, resolved)
    out = []
    for i, (_source, text, resolved) in enumerate(articles):
        home = tally.home(i)
        if home is NO_HOME or not resolved:
            out.append(list(resolved))
        else:
            out.append(resolver.resolve(text, [rm.mention for rm in resolved], home))
    return out
