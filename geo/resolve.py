"""Toponym resolution: choose, for each mention, the place the article means.

Each mention's candidates are scored on a few cheap, explainable signals:
- prior: prominence before reading the article (population + feature class, see
  geo.gazetteer.build.prior), less a penalty when only an alternate spelling matched;
- qualifier: "Springfield, Illinois" / "Athens, Ga." / "Springfield in Illinois" favour
  the namesakes inside the named division or country (and the division that contains one);
  when no candidate town is inside ("Bradford, Ontario" and only the English Bradford
  known), the mention stays unplaced rather than pinned to the wrong continent;
- feature words: "Laurel County", "Donetsk People's Republic", "Donetsk region",
  "the state of Washington" pick the name with the word, or the places of that class;
- national capitals: a capital that shares its name with a first-level division elsewhere
  in its country ("Washington") is the capital unless the article says otherwise (the
  state's feature word, its places, a list of states); news names the division in full
  ("Washington state") and the seat of government bare. Homonyms that are not capitals
  ("New York") keep the division's greater prominence;
- lists: "Oregon, Washington and Idaho" / "Georgia and Armenia": a name in a list of
  places takes the class and country of its neighbours in the list;
- coherence with the rest of the article: the share of the other mentions in the same
  country and the same first-level division, and closeness to them. Coherence is
  iterated three times from the context-free choice, so one strong mention ("Tbilisi",
  "Atlanta") pulls its ambiguous neighbours ("Georgia") its way.
Scores turn into a confidence by a softmax that includes a "none of these" option, so a
lone, obscure match is not reported as certain. Per mention the work is a few dict
look-ups and at most MAX_CANDIDATES x (context places) distances.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from geopy.distance import EARTH_RADIUS, great_circle

from geo.gazetteer import Gazetteer, Hit, name_key
from geo.records import Candidate, Mention, Place, Resolution, ResolvedMention

# Words that, right after a name, say what kind of place it is, and the classes they favour.
FEATURE_WORDS: dict[str, tuple[str, ...]] = {
    "peoples republic": ("region", "admin1", "country"),
    "republic": ("country", "admin1", "region"),
    "county": ("admin2",),
    "parish": ("admin2",),
    "borough": ("admin2", "city"),
    "district": ("admin2", "admin1"),
    "raion": ("admin2",),
    "oblast": ("admin1",),
    "krai": ("admin1",),
    "kray": ("admin1",),
    "province": ("admin1",),
    "region": ("admin1", "region"),
    "state": ("admin1",),
    "governorate": ("admin1",),
    "prefecture": ("admin1",),
    "territory": ("admin1", "region"),
    "city": ("city",),
    "town": ("city",),
    "village": ("city",),
    "coast": ("water", "physical", "region", "country", "admin1"),  # "Indian Ocean coast", "Kenya coast"
    "range": ("landmark", "physical"),
    "training ground": ("landmark",),
}
# Longest first, so "peoples republic" is tried before "republic".
_FEATURE_WORDS_LONGEST_FIRST = tuple(sorted(FEATURE_WORDS, key=len, reverse=True))
_FEATURE_AFTER = re.compile(
    r"^[ \t]+(" + "|".join(
        w.replace("peoples", r"people['’]?s").replace(" ", r"\s+") for w in _FEATURE_WORDS_LONGEST_FIRST
    ) + r")\b",
    re.IGNORECASE,
)
_FEATURE_BEFORE = re.compile(r"\b(city|town|village|state|county|province|region|republic) of\s+$", re.IGNORECASE)
# What stands between two names in a list: "A, B", "A and B", "A, B, and C", "A or B".
_LIST_SEPARATOR = r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)"
_LIST_GAP = re.compile(f"^{_LIST_SEPARATOR}$")
# ... and another capitalised name after it: the list goes on ("Clay, Douglas, Grant").
_LIST_GOES_ON = re.compile(f"^{_LIST_SEPARATOR}[A-Z]")
# "X, Y" / "X in Y": up to three capitalised words (or an abbreviation like "Ga." / "N.Y.").
_QUALIFIER = re.compile(r"^(?:\s*,\s*|\s+in\s+)((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,2})")
# Compass parts of a place: "North Texas", "north-western Sydney", "South East Asia".
_BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0,
             "south": 180.0, "southwest": 225.0, "west": 270.0, "northwest": 315.0}
_COMPASS_PART = re.compile(
    r"^((?:north|south)(?:[- ]?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?)[- ]+(\S.*)$", re.IGNORECASE
)
# Physical features and minor divisions often named for a nearby town or county.
_NAMED_FOR_FEATURES = frozenset(
    "river creek lake valley township islands island bay delta mountains mountain hills "
    "reservoir harbor harbour springs falls".split()
)
_PART = "#"  # place ids of compass parts: "<id of Texas>#0" is North Texas
_DEMONYM_FEATURES = ("country", "admin1", "region", "continent")
_CONTEXT_POINT_FEATURES = ("city", "admin2", "admin1", "landmark")
_LISTABLE = ("country", "admin1")
# km per degree of latitude on geopy's sphere, a little under, so the bound stays a lower bound
_KM_PER_DEGREE = math.radians(1) * EARTH_RADIUS * (1 - 1e-9)


@dataclass(frozen=True)
class Weights:
    """How much each signal counts, in the same units as the prior (decades of population)."""

    alt_name: float = 1.0  # penalty when only an alternate spelling matched
    qualifier: float = 4.0
    feature_word: float = 3.0
    # Coherence: "best" is the probability that some other name is in (or is) the same
    # division / country; "share" the probability-weighted share of the other mentions there.
    admin1_best: float = 3.0
    admin1_share: float = 1.5
    country_best: float = 1.0
    country_share: float = 1.5
    nearby: float = 1.5  # times exp(-distance / nearby_km) to the closest other place
    nearby_km: float = 150.0
    capital_margin: float = 0.5  # a capital's lead over its namesake division elsewhere
    list_sibling: float = 2.5  # times the share of list neighbours of the same class and country
    none_of_these: float = 3.0  # score of the "not in the gazetteer" option in the softmax
    runners_up: int = 3


@dataclass
class _Option:
    hit: Hit
    base: float
    notes: list[str] = field(default_factory=list)
    score: float = 0.0
    p: float = 0.0  # probability under the softmax over options and "none of these"
    context_note: str = ""
    # stands in for a place the gazetteer lacks (a compass part, "Catawba River" by the
    # county it is named for): taken only when the article's other places support it
    stand_in: bool = False


@dataclass
class _Work:
    mention: Mention
    key: str
    options: list[_Option]
    pinned: Place | None = None
    siblings: list[_Work] = field(default_factory=list)  # neighbours in a list of places
    # why the article's own words rule out every candidate ("Bradford, Ontario" when the
    # gazetteer knows only the English Bradford); the mention is then left unplaced
    ruled_out: str = ""


class Resolver:
    """Resolves the mentions of one article at a time; holds only the gazetteer."""

    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None) -> None:
        self.gaz = gazetteer
        self.w = weights or Weights()

    def resolve(
        self,
        text: str,
        mentions: Sequence[Mention],
        pins: Mapping[str | tuple[str, str], Place] | None = None,
    ) -> list[ResolvedMention]:
        """One ResolvedMention per mention, in the same order.

        `pins` are analysts' overrides keyed by name ("Georgia") or by name and the
        article's country focus (("Georgia", "US")); a pin wins over the automatic choice.
        """
        works = [self._options(text, m) for m in mentions]
        _link_lists(text, works)
        self._qualify(text, works)
        for work in works:
            self._choose(work, coherence=None)
        for _round in range(3):
            context = _Context.of(works)
            for work in works:
                self._choose(work, coherence=context)
        if pins:
            self._apply_pins(works, pins, _Context.of(works).focus())
        return [ResolvedMention(work.mention, self._resolution(work)) for work in works]

    # --- candidates and local evidence ---------------------------------------------

    def _options(self, text: str, mention: Mention) -> _Work:
        name = mention.name or mention.text
        key = name_key(name)
        hits = self.gaz.lookup(key)
        preferred: tuple[str, ...] = ()
        note = ""
        if not hits:
            hits, preferred, note = self._strip_feature_word(name)
        named_for = False
        if not hits:
            hits, note = self._part_of(name)
            if not hits:
                hits, note = self._namesake_of_feature(name)
                named_for = bool(hits)
        after = _FEATURE_AFTER.match(text[mention.end : mention.end + 40])
        if after:
            word = name_key(after.group(1))
            joined = self.gaz.lookup(name_key(f"{name} {after.group(1)}"))
            if joined:
                # The article wrote the longer name: only its places are in question.
                hits, note = joined, f"named '{name} {after.group(1)}'"
                preferred = tuple({h.place.feature for h in joined})
            else:
                preferred, note = FEATURE_WORDS.get(word, ()), f"feature word '{after.group(1)}'"
        else:
            before = _FEATURE_BEFORE.search(text[max(0, mention.start - 25) : mention.start])
            if before:
                preferred, note = FEATURE_WORDS.get(before.group(1).lower(), ()), f"'{before.group(0).strip()}'"
        if mention.kind == "demonym":
            narrowed = tuple(h for h in hits if h.place.feature in _DEMONYM_FEATURES)
            hits = narrowed or hits
        options = []
        seen: set[str] = set()
        for hit in hits:
            if hit.place.place_id in seen:
                continue
            seen.add(hit.place.place_id)
            options.append(_Option(hit, hit.prior - self.w.alt_name * hit.alt, stand_in=named_for or _PART in hit.place.place_id))
        self._prefer_capital(options)  # on prominence alone: the words below may overturn it
        self._prefer_town_over_alias_division(options)
        for option in options:
            if preferred and option.hit.place.feature in preferred:
                option.base += self.w.feature_word
                option.notes.append(note)
        return _Work(mention, key, options)

    def _prefer_capital(self, options: list[_Option]) -> None:
        """A national capital outranks a namesake first-level division of its country that
        does not contain it ("Washington" the capital, not the state), by a margin small
        enough for the article's own evidence for the division to overturn."""
        for capital in (o for o in options if o.hit.capital and o.hit.place.feature == "city"):
            namesakes = [
                o for o in options
                if o.hit.place.feature == "admin1"
                and o.hit.place.country_code == capital.hit.place.country_code
                and o.hit.admin1_code != capital.hit.admin1_code
                and name_key(o.hit.place.name) == name_key(capital.hit.place.name)
            ]
            if namesakes:
                lead = max(o.base for o in namesakes) + self.w.capital_margin
                if capital.base < lead:
                    capital.base = lead
                    capital.notes.append("national capital over a namesake division")

    def _prefer_town_over_alias_division(self, options: list[_Option]) -> None:
        """A first-level division known by the name only as an alternate spelling yields to
        a town inside it that bears the name: "Kherson" is the city, the region's own name
        being "Khersonska oblast". A division that is itself called so ("Quebec", "Punjab")
        keeps its rank, and a feature word in the text ("Kherson region") still wins."""
        for division in [o for o in options if o.hit.place.feature == "admin1" and o.hit.alt]:
            towns = [
                o for o in options
                if o.hit.place.feature == "city"
                and o.hit.place.country_code == division.hit.place.country_code
                and o.hit.admin1_code == division.hit.admin1_code
            ]
            if not towns:
                continue
            town = max(towns, key=lambda o: o.base)
            lead = division.base + self.w.capital_margin
            if town.base < lead:
                town.base = lead
                town.notes.append("town named so, over its division's alternate name")

    def _part_of(self, name: str) -> tuple[tuple[Hit, ...], str]:
        """ "North Texas", "North-Western Sydney", "Eastern Anatolia": a compass part of a
        known place. A town or county stands for its parts; a division or country gets the
        point of its towns in that direction (Gazetteer.part_point), so "North Texas" is
        placed near Dallas, not at the middle of Texas. Unknown otherwise."""
        match = _COMPASS_PART.match(name)
        if not match:
            return (), ""
        bearing = _BEARINGS[name_key(match.group(1)).replace(" ", "").removesuffix("ern")]
        parts = []
        for hit in self.gaz.lookup(name_key(match.group(2))):
            if hit.place.feature in ("city", "admin2"):
                parts.append(hit)
            elif hit.place.feature in ("admin1", "country"):
                point = self.gaz.part_point(hit, bearing)
                if point is not None:
                    place = replace(
                        hit.place, place_id=f"{hit.place.place_id}{_PART}{bearing:g}", name=name,
                        lat=point[0], lon=point[1], feature="region",
                    )
                    parts.append(replace(hit, place=place))
        return tuple(parts), f"'{match.group(1)}' part of '{match.group(2)}'"

    def _namesake_of_feature(self, name: str) -> tuple[tuple[Hit, ...], str]:
        """ "Catawba River", "Lake Houston", "Hamilton Township": a physical feature or minor
        division the gazetteer lacks, by the town or county it is named for (a stand-in)."""
        words = name.split()
        if len(words) < 2:
            return (), ""
        for stem, word in ((" ".join(words[:-1]), words[-1]), (" ".join(words[1:]), words[0])):
            if word.lower() in _NAMED_FOR_FEATURES:
                hits = tuple(h for h in self.gaz.lookup(name_key(stem)) if h.place.feature in ("city", "admin2"))
                if hits:
                    return hits, f"named for '{stem}'"
        return (), ""

    def _strip_feature_word(self, name: str) -> tuple[tuple[Hit, ...], tuple[str, ...], str]:
        """ "Donetsk region" -> the places named "Donetsk", preferring divisions."""
        key = name_key(name)
        for word in _FEATURE_WORDS_LONGEST_FIRST:
            for stem in (key.removesuffix(" " + word), key.removeprefix(word + " of ")):
                if stem != key and stem:
                    hits = self.gaz.lookup(stem)
                    if hits:
                        return hits, FEATURE_WORDS[word], f"feature word '{word}'"
        if key.endswith("s") and " " not in key:  # possessive: "Russia's" -> "Russia"
            return self.gaz.lookup(key[:-1]), (), ""
        return (), (), ""

    def _qualify(self, text: str, works: list[_Work]) -> None:
        """Apply "X, Y" / "X in Y" to X's options and, when Y is a mention, to Y's."""
        by_start = {work.mention.start: work for work in works}
        for work in works:
            if not work.options or _listed_after_another(work):
                continue  # "cases in Ohio, Washington, Pennsylvania and Texas": a list, not "X, Y"
            match = _QUALIFIER.match(text[work.mention.end : work.mention.end + 60])
            if not match:
                continue
            words = match.group(1).split()
            for size in range(len(words), 0, -1):
                phrase = " ".join(words[:size])
                qualifiers = self.gaz.qualifier_hits(phrase.rstrip(",")) or (
                    self.gaz.qualifier_hits(phrase.rstrip(".,")) if phrase.endswith(".") and size > 1 else ()
                )
                if qualifiers:
                    break
            else:
                continue
            inside = [o for o in work.options if any(_within(o.hit, q) for q in qualifiers)]
            target = by_start.get(work.mention.end + match.start(1))
            if not inside and _names_its_division(text, work, qualifiers, target):
                work.ruled_out = f"no '{work.mention.name}' in '{phrase}' in the gazetteer"
            if not inside or len(inside) == len(work.options):
                continue
            for option in inside:
                option.base += self.w.qualifier
                option.notes.append(f"qualified by '{phrase}'")
            if target is not None:
                for option in target.options:
                    if any(_within(o.hit, option.hit) for o in inside):
                        option.base += self.w.qualifier
                        option.notes.append(f"contains '{work.mention.text}'")

    # --- choice -------------------------------------------------------------------

    def _choose(self, work: _Work, coherence: _Context | None) -> None:
        """Score, rank and give each option its probability ("none of these" included)."""
        if not work.options:
            return
        for option in work.options:
            option.score, option.context_note = option.base, ""
            if coherence is not None:
                bonus, option.context_note = coherence.bonus(option.hit, work.key, self.w)
                option.score += bonus
                listed = self.w.list_sibling * _sibling_share(work, option.hit.place)
                if listed > bonus:
                    option.context_note = "like the places listed with it"
                option.score += listed
        work.options.sort(key=lambda o: o.score, reverse=True)
        top = work.options[0].score
        total = math.exp(self.w.none_of_these - top) + sum(math.exp(o.score - top) for o in work.options)
        for option in work.options:
            option.p = math.exp(option.score - top) / total

    def _apply_pins(
        self, works: list[_Work], pins: Mapping[str | tuple[str, str], Place], focus: str | None
    ) -> None:
        table: dict[tuple[str, str | None], Place] = {}
        for pin_key, place in pins.items():
            name, country = (pin_key, None) if isinstance(pin_key, str) else pin_key
            table[(name_key(name), country.upper() if country else None)] = place
        for work in works:
            work.pinned = table.get((work.key, focus)) or table.get((work.key, None))

    def _resolution(self, work: _Work) -> Resolution:
        if work.pinned is not None:
            others = tuple(
                Candidate(o.hit.place, round(o.p, 3))
                for o in work.options if o.hit.place.place_id != work.pinned.place_id
            )[: self.w.runners_up]
            return Resolution(work.pinned, 1.0, others, "pinned", "pinned by an analyst")
        if not work.options:
            return Resolution(None, 0.0, (), "gazetteer", f"no gazetteer entry for '{work.mention.name}'")
        if work.ruled_out:
            return Resolution(None, 0.0, (), "gazetteer", work.ruled_out)
        chosen = work.options[0]
        if chosen.stand_in and not chosen.context_note:
            # a stand-in no other name in the article supports: "West Midlands" alone
            # would be the west of Zimbabwe's Midlands, "Lake Houston" the city; better unplaced
            return Resolution(None, 0.0, (), "gazetteer", f"no support in the article for '{work.mention.name}'")
        others = tuple(Candidate(o.hit.place, round(o.p, 3)) for o in work.options[1 : 1 + self.w.runners_up])
        notes = [*chosen.notes, chosen.context_note] if chosen.context_note else chosen.notes
        reason = "; ".join(dict.fromkeys(notes)) or (
            "only candidate" if len(work.options) == 1 else "most prominent"
        )
        source = "curated" if chosen.hit.place.source == "curated" else "gazetteer"
        return Resolution(chosen.hit.place, round(chosen.p, 3), others, source, reason)


def _link_lists(text: str, works: list[_Work]) -> None:
    """Make neighbours of mentions that stand in one list ("Oregon, Washington and Idaho")."""
    ordered = sorted(works, key=lambda w: w.mention.start)
    for left, right in zip(ordered, ordered[1:]):
        if _LIST_GAP.match(text[left.mention.end : right.mention.start]):
            left.siblings.append(right)
            right.siblings.append(left)


def _listed_after_another(work: _Work) -> bool:
    """Is this mention a later item of a list of divisions or countries, which it may
    be too ("Ohio, Washington, Pennsylvania": not Washington in Pennsylvania)? A town
    after a town stays qualifiable ("Atlanta and Athens, Ga.")."""
    if not any(o.hit.place.feature in _LISTABLE for o in work.options):
        return False
    return any(
        s.mention.start < work.mention.start
        and max(s.options, key=lambda o: o.base).hit.place.feature in _LISTABLE
        for s in work.siblings if s.options
    )


def _names_its_division(text: str, work: _Work, qualifiers: Sequence[Hit], target: _Work | None) -> bool:
    """Does "X, Y" say which division or country the town X is in? Only when every
    candidate of X is a town or county, Y is a mention whose choice is one of the
    divisions or countries the qualifier names, and Y ends the phrase rather than
    continuing a list ("Lagos, Kano and Abuja": Kano is the next town, not Lagos's state)."""
    if target is None or not target.options:
        return False
    if not all(o.hit.place.feature in ("city", "admin2") for o in work.options):
        return False
    top = max(target.options, key=lambda o: o.base).hit.place
    if top.feature not in ("admin1", "country") or top.place_id not in {q.place.place_id for q in qualifiers}:
        return False
    return not _LIST_GOES_ON.match(text[target.mention.end : target.mention.end + 40])


def _sibling_share(work: _Work, place: Place) -> float:
    """Probability-weighted share of the list neighbours whose current choice has the
    class and country of `place` (for countries and divisions only; towns in a list
    may be anywhere)."""
    if place.feature not in _LISTABLE or not work.siblings:
        return 0.0
    same = 0.0
    for sibling in work.siblings:
        if sibling.options and sibling.key != work.key:
            top = sibling.options[0]
            if top.hit.place.feature == place.feature and (
                place.feature == "country" or top.hit.place.country_code == place.country_code
            ):
                same += top.p
    return same / len(work.siblings)


def _within(hit: Hit, container: Hit) -> bool:
    """Is `hit` inside `container` (a country or a division)?"""
    place, outer = hit.place, container.place
    if place.place_id == outer.place_id:
        return False
    if outer.feature == "country":
        return place.country_code == outer.country_code and place.feature != "country"
    if outer.feature == "admin1":
        return hit.admin1_code == container.admin1_code and place.feature not in ("admin1", "country")
    if outer.feature == "admin2":
        return hit.admin1_code == container.admin1_code and place.feature == "city"
    return False


@dataclass
class _Context:
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
    def of(cls, works: list[_Work]) -> _Context:
        admin1: dict[str, dict[str, float]] = defaultdict(dict)
        country: dict[str, dict[str, float]] = defaultdict(dict)
        counts: dict[str, int] = defaultdict(int)
        points: dict[tuple[str, str], tuple[str, float, float]] = {}
        keys_of_place: dict[str, set[str]] = defaultdict(set)
        named: dict[str, set[str]] = {"admin1": set(), "country": set()}
        seen: set[str] = set()
        for work in works:
            if not work.options and work.pinned is None:
                continue
            counts[work.key] += 1
            place = work.pinned or work.options[0].hit.place
            if place.feature in _CONTEXT_POINT_FEATURES:
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
                if work.pinned is not None:
                    code = code_of(work.pinned, None)
                    if code:
                        dist[code] = 1.0
                else:
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

    def bonus(self, hit: Hit, own_key: str, w: Weights) -> tuple[float, str]:
        """Coherence bonus of `hit`, and a note naming the strongest reason."""
        place = hit.place
        skip = self.keys_of_place.get(place.place_id, set()) | {own_key}
        a_best, a_share = self._support(self.admin1, _admin1_of(place, hit.admin1_code), skip, self.n_admin1_named)
        c_best, c_share = self._support(self.country, place.country_code, skip, self.n_countries_named)
        parts = {
            "same division as other places": w.admin1_best * a_best + w.admin1_share * a_share,
            "same country as other places": w.country_best * c_best + w.country_share * c_share,
        }
        closest = nearest_km((place.lat, place.lon), [(lat, lon) for key, lat, lon in self.points if key != own_key])
        if closest is not None:
            parts["near other places"] = w.nearby * math.exp(-closest / w.nearby_km)
        total = sum(parts.values())
        return total, max(parts, key=parts.__getitem__) if total > 1.0 else ""

    def focus(self) -> str | None:
        """The country most of the article's mentions are in, if any."""
        if not self.country:
            return None
        return max(self.country, key=lambda cc: sum(p * self.counts[k] for k, p in self.country[cc].items()))


def _admin1_of(place: Place, admin1_code: str | None) -> str | None:
    return admin1_code if place.feature not in ("country", "continent", "region") else None


def _country_of(place: Place, _admin1_code: str | None) -> str | None:
    return place.country_code if place.feature not in ("continent",) else None


def nearest_km(point: tuple[float, float], others: Sequence[tuple[float, float]]) -> float | None:
    """Great-circle distance (geopy) from `point` to the closest of `others`, None if none.

    geopy's distance costs some 30 us a call, and a mention weighs up to MAX_CANDIDATES
    candidates against every other place of the article: a point whose latitude alone is
    farther than the closest so far (a lower bound of the distance) is not measured."""
    best: float | None = None
    lat = point[0]
    for other in others:
        if best is not None and abs(other[0] - lat) * _KM_PER_DEGREE >= best:
            continue
        km = great_circle(point, other).km
        if best is None or km < best:
            best = km
    return best
