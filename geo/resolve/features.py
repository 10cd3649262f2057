"""The named evidence each candidate place carries, and the stages that read it from the text.

A candidate (`Option`) holds one `Features` record: what is known about it before reading
the article (prior, alternate-name match, national capital), what the words around the
mention say (feature word, qualifier), and, once per coherence round, what the article's
other mentions say (same division, same country, nearby, list neighbours). A scorer
(geo.resolve.scoring) turns the record into a score; nothing here weighs anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.distance import great_circle_km
from geo.gazetteer import Gazetteer, Hit, name_key
from geo.records import Mention, Place

# What stands between two names in a list: "A, B", "A and B", "A, B, and C", "A or B".
_LIST_SEPARATOR = r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)"
_LIST_GAP = re.compile(f"^{_LIST_SEPARATOR}$")
# ... and another capitalised name after it: the list goes on ("Clay, Douglas, Grant").
_LIST_GOES_ON = re.compile(f"^{_LIST_SEPARATOR}[A-Z]")
# "X, Y" / "X in Y": up to three capitalised words (or an abbreviation like "Ga." / "N.Y.").
_QUALIFIER = re.compile(r"^(?:\s*,\s*|\s+in\s+)((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,2})")
LISTABLE = ("country", "admin1")


@dataclass
class Features:
    """Named evidence for one candidate; the scorer's only input besides the rival candidates."""

    prior: float  # prominence before reading: log10 population + class boost (build.prior)
    alt: int = 0  # 0 the place's own name, 1 an alternate spelling
    # a town matched by an alternate name (a former or variant one: "Maryville" for Beeville)
    # while other towns bear the name as their own
    alt_beside_owner: bool = False
    capital: bool = False  # a national capital with a namesake division elsewhere in its country
    town_in_alias_division: bool = False  # a town bearing the name its division has only as an alternate
    seat_of_namesake_division: bool = False  # "Tehran", "Istanbul": the big city its division is named for
    feature_word: bool = False  # "Laurel County", "the state of Washington" name this class
    qualifier: int = 0  # "X, Y" / "X in Y" place it inside Y (or Y contains the X so placed)
    # the corpus: how strongly the source's other articles sit in its country / division
    home_country: float = 0.0
    home_division: float = 0.0
    # coherence with the article's other mentions, refreshed each round
    admin1_best: float = 0.0  # best other name's probability of being in the same division
    admin1_share: float = 0.0  # probability-weighted share of the other mentions there
    country_best: float = 0.0
    country_share: float = 0.0
    nearest_km: float | None = None  # to the closest other place chosen in the article
    listed: float = 0.0  # share of list neighbours of the same class and country


@dataclass
class Option:
    """A candidate place for one mention, with its features and how the scorer ranks it."""

    hit: Hit
    features: Features
    notes: list[str] = field(default_factory=list)
    base: float = 0.0  # the scorer's context-free score
    score: float = 0.0
    p: float = 0.0  # probability under the softmax over options and "none of these"
    context_note: str = ""
    # stands in for a place the gazetteer lacks (a compass part, "Catawba River" by the
    # county it is named for): taken only when the article's other places support it
    stand_in: bool = False


@dataclass
class Work:
    """One mention being resolved: its candidates and what the article says around it."""

    mention: Mention
    key: str
    options: list[Option]
    siblings: list[Work] = field(default_factory=list)  # neighbours in a list of places
    # why the article's own words rule out every candidate ("Bradford, Ontario" when the
    # gazetteer knows only the English Bradford); the mention is then left unplaced
    ruled_out: str = ""

    def top_local(self) -> Option:
        """The option the context-free score ranks first."""
        return max(self.options, key=lambda o: o.base)

    def promote(self, option: Option) -> None:
        """Rank `option` first, the others keeping their order."""
        self.options.remove(option)
        self.options.insert(0, option)


def mark_capitals(options: Sequence[Option]) -> list[tuple[int, list[int]]]:
    """National capitals that share their name with a first-level division elsewhere in
    their country ("Washington"): (capital, its namesake divisions) as option indices."""
    out = []
    for i, capital in enumerate(options):
        if not (capital.hit.capital and capital.hit.place.feature == "city"):
            continue
        namesakes = [
            j for j, o in enumerate(options)
            if o.hit.place.feature == "admin1"
            and o.hit.place.country_code == capital.hit.place.country_code
            and o.hit.admin1_code != capital.hit.admin1_code
            and name_key(o.hit.place.name) == name_key(capital.hit.place.name)
        ]
        if namesakes:
            capital.features.capital = True
            out.append((i, namesakes))
    return out


def mark_alias_division_towns(options: Sequence[Option]) -> list[tuple[int, list[int]]]:
    """First-level divisions known by the name only as an alternate spelling, and the towns
    inside them that bear it ("Kherson" the city; the region is "Khersonska oblast")."""
    out = []
    for i, division in enumerate(options):
        if not (division.hit.place.feature == "admin1" and division.hit.alt):
            continue
        towns = [
            j for j, o in enumerate(options)
            if o.hit.place.feature == "city"
            and o.hit.place.country_code == division.hit.place.country_code
            and o.hit.admin1_code == division.hit.admin1_code
        ]
        if towns:
            for j in towns:
                options[j].features.town_in_alias_division = True
            out.append((i, towns))
    return out


# A town holding at least this share of the division's population named like it is what a
# bare name means ("Istanbul", "Tehran", "Rio de Janeiro"); a small namesake town is not
# ("Quebec City" is a fifteenth of Quebec; New York City is "New York" only as an alternate).
SEAT_SHARE = 0.25


def mark_division_seats(options: Sequence[Option]) -> list[tuple[int, list[int]]]:
    """First-level divisions named for the big city inside them that bears the same name,
    and that city: (division, [city]) as option indices."""
    out = []
    for i, division in enumerate(options):
        place = division.hit.place
        if place.feature != "admin1" or division.hit.alt or not place.population:
            continue
        seats = [
            j for j, o in enumerate(options)
            if o.hit.place.feature == "city" and not o.hit.alt
            and o.hit.admin1_code == division.hit.admin1_code
            and o.hit.place.country_code == place.country_code
            and o.hit.place.population >= SEAT_SHARE * place.population
        ]
        if seats:
            for j in seats:
                options[j].features.seat_of_namesake_division = True
            out.append((i, seats))
    return out


def link_lists(text: str, works: Sequence[Work]) -> None:
    """Make neighbours of mentions that stand in one list ("Oregon, Washington and Idaho")."""
    ordered = sorted(works, key=lambda w: w.mention.start)
    for left, right in zip(ordered, ordered[1:]):
        if _LIST_GAP.match(text[left.mention.end : right.mention.start]):
            left.siblings.append(right)
            right.siblings.append(left)


def qualify(text: str, works: Sequence[Work], gaz: Gazetteer, rescore) -> None:
    """Read "X, Y" / "X in Y" into X's options' `qualifier` and, when Y is a mention, into
    Y's options that contain the X so placed. `rescore(work)` refreshes a work's
    context-free scores after its features changed, since a later mention's reading
    depends on the ranking so far."""
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
            qualifiers = gaz.qualifier_hits(phrase.rstrip(",")) or (
                gaz.qualifier_hits(phrase.rstrip(".,")) if phrase.endswith(".") and size > 1 else ()
            )
            if qualifiers:
                break
        else:
            continue
        target = by_start.get(work.mention.end + match.start(1))
        if _town_in_list(text, target, by_start):
            continue  # "Becker, Clay, Douglas and Grant counties": a list, not Becker in Clay
        inside = [o for o in work.options if any(within(o.hit, q) for q in qualifiers)]
        if not inside and _names_its_division(text, work, qualifiers, target, by_start):
            work.ruled_out = f"no '{work.mention.name}' in '{phrase}' in the gazetteer"
        elif match.group(0).lstrip().startswith("in") and _far_from_its_town(work, target):
            work.ruled_out = f"no '{work.mention.name}' in or near '{phrase}' in the gazetteer"
            continue
        if not inside or len(inside) == len(work.options):
            continue
        for option in inside:
            option.features.qualifier += 1
            option.notes.append(f"qualified by '{phrase}'")
        rescore(work)
        if target is not None:
            for option in target.options:
                if any(within(o.hit, option.hit) for o in inside):
                    option.features.qualifier += 1
                    option.notes.append(f"contains '{work.mention.text}'")
            rescore(target)


def _listed_after_another(work: Work) -> bool:
    """Is this mention a later item of a list of divisions or countries, which it may
    be too ("Ohio, Washington, Pennsylvania": not Washington in Pennsylvania)? A town
    after a town stays qualifiable ("Atlanta and Athens, Ga.")."""
    if not any(o.hit.place.feature in LISTABLE for o in work.options):
        return False
    return any(
        s.mention.start < work.mention.start and s.top_local().hit.place.feature in LISTABLE
        for s in work.siblings if s.options
    )


def _names_its_division(
    text: str, work: Work, qualifiers: Sequence[Hit], target: Work | None, by_start: dict[int, Work]
) -> bool:
    """Does "X, Y" say which division or country the town X is in? Only when every
    candidate of X is a town or county, Y is a mention whose choice is one of the
    divisions or countries the qualifier names, and Y ends the phrase rather than
    continuing a list ("Lagos, Kano and Abuja": Kano is the next town, not Lagos's state).
    A country after a division of its own is the address going on, not a list
    ("Stroud, Ontario, Canada")."""
    if target is None or not target.options:
        return False
    if not all(o.hit.place.feature in ("city", "admin2") for o in work.options):
        return False
    top = target.top_local().hit.place
    if top.feature not in ("admin1", "country") or top.place_id not in {q.place.place_id for q in qualifiers}:
        return False
    return not _list_goes_on(text, target, by_start)


def _town_in_list(text: str, target: Work | None, by_start: dict[int, Work]) -> bool:
    """Is the name after "X, " a town or county with more names after it, a list rather
    than X's address? A division or country there is an address ("Athens, Ga., and Atlanta")."""
    return (
        target is not None and bool(target.options)
        and target.top_local().hit.place.feature not in LISTABLE
        and _list_goes_on(text, target, by_start)
    )


# How far from its town a part of it ("Hampton Park in Charleston") may lie in the gazetteer.
PART_OF_TOWN_KM = 50.0


def _far_from_its_town(work: Work, target: Work | None) -> bool:
    """ "X in Y" with Y a town: is every candidate of X, a town, county or division, far
    from every town Y may be? Then X is a part of Y the gazetteer lacks (a park, a
    neighbourhood), not a namesake on another continent."""
    if target is None or not target.options or target.top_local().hit.place.feature != "city":
        return False
    if not all(o.hit.place.feature in ("city", "admin2", "admin1") for o in work.options):
        return False
    towns = [(o.hit.place.lat, o.hit.place.lon) for o in target.options if o.hit.place.feature == "city"]
    return all(
        great_circle_km((o.hit.place.lat, o.hit.place.lon), town) > PART_OF_TOWN_KM
        for o in work.options for town in towns
    )


def _list_goes_on(text: str, target: Work, by_start: dict[int, Work]) -> bool:
    """Does another name follow `target` as the next item of a list ("Clay, Douglas")?
    A country after a division of its own is the address going on ("Ontario, Canada")."""
    goes_on = _LIST_GOES_ON.match(text[target.mention.end : target.mention.end + 40])
    if not goes_on:
        return False
    after = by_start.get(target.mention.end + goes_on.end() - 1)
    if after is None or not after.options or not target.options:
        return True
    top = target.top_local().hit.place
    country = after.top_local().hit.place
    return not (top.feature == "admin1" and country.feature == "country" and country.country_code == top.country_code)


def sibling_share(work: Work, place: Place) -> float:
    """Probability-weighted share of the list neighbours whose current choice has the
    class and country of `place` (for countries and divisions only; towns in a list
    may be anywhere)."""
    if place.feature not in LISTABLE or not work.siblings:
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


def within(hit: Hit, container: Hit) -> bool:
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
