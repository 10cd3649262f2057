"""Candidate generation: the places a mention may refer to, with the evidence of its own words.

The gazetteer is asked for the name; when it has nothing, for the name without a feature
word ("Donetsk region"), a compass part of a known place ("North Texas"), or the town a
physical feature is named for ("Catawba River"). A feature word beside the name ("Laurel
County", "the state of Washington") marks the candidates of that class. A demonym's
candidates are its country or region, never a town of that name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.gazetteer import Gazetteer, Hit, name_key
from geo.records import Mention
from geo.resolve.corpus import NO_HOME, TOWN_FEATURES, Home, division_key
from geo.resolve.features import Features, Option, Work

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
_FEATURE_BEFORE = re.compile(
    r"\b(city|town|village|state|county|parish|borough|district|province|region|republic|oblast|governorate|prefecture|territory) of\s+$",
    re.IGNORECASE,
)
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
_WATER_WORDS = frozenset("river creek lake bay reservoir harbor harbour delta".split())
# A name used as a modifier of these nouns is a town's (or a county's or state's): "Palestine
# police", "a Lebanon woman", "Jordan boys", "the Paris firefighters". A country so used
# is written as its demonym ("Jordanian police"), so the country is not meant.
_LOCAL_NOUN_AFTER = re.compile(
    r"^[ \t]+(?:police|policemen|firefighters|fire\s+department|man|woman|men|women|boy|boys|girl|girls|"
    r"teen|teenager|teens|youth|couple|resident|residents|native|mayor|selectmen|aldermen|"
    r"city\s+council|council|councilman|councilwoman|school\s+board|schools|"
    r"(?:elementary|middle|high)\s+schools?|league|juniors|taxpayers|voters|educators?|library|"
    r"public\s+library|hospital|churches|church|area\s+residents)\b",
    re.IGNORECASE,
)
# "Terry Smith, 60, Lebanon, was arrested": a person's age, then their home town.
_AGE_BEFORE = re.compile(r"\w,[ \t]+\d{1,3},[ \t]+$")
_LOCAL_FEATURES = ("city", "admin1")
# "Los Angeles City Council", "Dublin city manager": the city word belongs to the town's
# government, not to a longer name ("Angeles City" in the Philippines, Ireland's Dublin City).
_CITY_GOVERNMENT = re.compile(
    r"^[ \t]+city[ \t]+(?:council|councilman|councilwoman|councilmember|manager|hall|clerk|attorney|"
    r"commission|commissioner|officials|limits|police|schools|government|administrator)",
    re.IGNORECASE,
)
PART = "#"  # place ids of compass parts: "<id of Texas>#0" is North Texas
_DEMONYM_FEATURES = ("country", "admin1", "region", "continent")


def _local_use(text: str, mention: Mention) -> str:
    """Why the mention is used as a town's name (a note), or "" when it is not. A demonym
    ("Palestinian women"), an abbreviation ("U.S. residents", "UK police") or a name joined
    to another ("the NATO-Russia Council") is not."""
    name = mention.name or mention.text
    written = text[mention.start : mention.end]
    if mention.kind == "demonym" or written.isupper() or "." in written or text[mention.start - 1 : mention.start] in ("-", "/"):
        return ""
    noun = _LOCAL_NOUN_AFTER.match(text[mention.end : mention.end + 40])
    if noun:
        return f"'{name} {noun.group(0).strip()}': a town's"
    if _AGE_BEFORE.search(text[max(0, mention.start - 30) : mention.start]):
        return "a person's home town after their age"
    return ""


class Candidates:
    """The candidate generator: a mention and its text in, a `Work` of options out."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def __call__(self, text: str, mention: Mention, home: Home = NO_HOME) -> Work:
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
        following = text[mention.end : mention.end + 40]
        after = _FEATURE_AFTER.match(following)
        if after and _CITY_GOVERNMENT.match(following):
            preferred, note = ("city",), f"'{name} {after.group(1)}' government"
        elif local := _local_use(text, mention):
            preferred, note = _LOCAL_FEATURES, local
            # never the country of that name, when the name has another reading
            hits = tuple(h for h in hits if h.place.feature != "country") or hits
        elif after:
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
        # The source's home weighs namesake towns and states, never against a country's
        # own name ("Egypt", "Georgia" the country) nor for a demonym
        homely = home.weight_for(key) if mention.kind == "place" and not any(
            h.place.feature == "country" and h.alt == 0 for h in hits
        ) else 0.0
        owned = any(h.alt == 0 and h.place.feature == "city" for h in hits)
        # "Red River" found as Red River County: the river the county is named for, which
        # only the article's places near that county make the county stand in for
        waterside = name.split()[-1].lower() in _WATER_WORDS
        options = []
        seen: set[str] = set()
        for hit in hits:
            if hit.place.place_id in seen:
                continue
            seen.add(hit.place.place_id)
            option = Option(
                hit, Features(prior=hit.prior, alt=hit.alt),
                stand_in=named_for or PART in hit.place.place_id or (waterside and hit.place.feature == "admin2"),
            )
            option.features.alt_beside_owner = bool(hit.alt) and hit.place.feature == "city" and owned
            if preferred and hit.place.feature in preferred:
                option.features.feature_word = True
                option.notes.append(note)
            if homely and hit.place.feature in TOWN_FEATURES:
                option.features.home_country = homely * home.country(hit.place.country_code)
                option.features.home_division = homely * home.division(division_key(hit.place))
            options.append(option)
        return Work(mention, key, options)

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
                        hit.place, place_id=f"{hit.place.place_id}{PART}{bearing:g}", name=name,
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
