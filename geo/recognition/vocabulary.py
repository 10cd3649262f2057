"""Small closed word lists the recognition rules rely on, each with why it exists.

These are about English and about kinds of names, not about any corpus: feature nouns
that turn an adjective or a name into a place ("Sergeyevsky range", "Laurel County"),
words that mark a news outlet, bodies off the Earth, and verbs whose subject, when it is
a place name, stands for a government or institution ("Moscow said").
"""

from __future__ import annotations

# "the Sergeyevsky range", "Primorsky krai": a proper adjective or name + one of these
# lower-case nouns names a place (with at most two modifiers between: "military range").
FEATURE_NOUNS = frozenset(
    "range ground grounds oblast krai okrug region district province county parish prefecture "
    "river valley lake mountains mountain hills island islands peninsula desert bay gulf sea "
    "strait basin plateau canyon forest reservoir".split()
)

# Capitalised feature words that finish a multi-word name the model may not know
# ("Primorsky Krai", "Licking County").
FEATURE_TITLES = frozenset(w.capitalize() for w in FEATURE_NOUNS - {"ground", "grounds"})

# Capitalised words that, before or after a name, make a lake, mountain, park or township
# named for a person or a town ("Lake Cunningham", "Griffith Park", "Jerome Township").
FEATURE_PREFIXES = frozenset("Lake Mount Mt.".split())
NAME_SUFFIXES = frozenset("Park Township".split())

# Capitalised words that end the name of a square or a house of worship, which is most
# often named after a saint, an event or a person ("St. Peter's Square", "Tahrir Square",
# "St. Paul's Cathedral"): the name inside is a different place, so the whole name is kept
# rather than placed by its part. Roads, ports and bridges are not listed: "Newmarket
# Road" and "Port of Los Angeles" lie on the way to, or in, the place they name.
LANDMARK_TITLES = frozenset("Square Cathedral Basilica Mosque Church Temple Abbey Chapel".split())

# A place name next to one of these is part of a news outlet's name ("New York Times",
# "Daily News Nepal"): the outlet reports from elsewhere, so the name places nothing.
OUTLET_WORDS = frozenset(
    "times news post journal herald tribune gazette telegraph chronicle observer guardian "
    "examiner inquirer radio television tv press daily star globe register bulletin courier "
    "dispatch magazine reporter broadcasting network newspaper sentinel mirror express "
    "standard independent today".split()
)

# Bodies off the Earth: never placed on a map of the Earth, nor is the Earth itself.
OFF_EARTH = frozenset(
    "moon sun earth mars venus mercury jupiter saturn uranus neptune pluto titan europa "
    "ganymede callisto io phobos deimos ceres vesta".split()
) | frozenset({"milky way", "solar system"})

# A place name that is the subject of one of these stands for who governs it.
AGENT_VERBS = frozenset(
    "say tell announce accuse urge warn refuse deny claim insist condemn demand threaten "
    "reject agree sign approve recognise recognize impose sanction respond retaliate "
    "confirm criticise criticize vow pledge call seek want order ban vote decide declare "
    "negotiate protest denounce blame praise welcome support oppose veto expel summon "
    "request ask promise plan intend allow".split()
)

# Words before a capitalised name that show it is used as a place.
LOCATIVE_PREPOSITIONS = frozenset(
    "in at from near to into outside across throughout around toward towards between via "
    "within inside through".split()
)

# A bare compass word ("the West", "the North") is a direction or a political bloc, not a
# place a map can show; as part of a name ("West Virginia") it is matched with the name.
COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest "
    "north-east north-west south-east south-west".split()
)

# Verbs whose object (or passive subject) is a place far more often than a person:
# "the convoy left Kherson", "troops shelled Bakhmut", "Kherson was liberated".
PLACE_VERBS = frozenset(
    "leave reach enter flee shell capture bomb visit hit strike attack seize liberate occupy "
    "evacuate raid storm besiege encircle surround invade annex retake recapture bombard "
    "tour depart cross flood pound overrun".split()
)

# Nouns whose "of"/"on" object is a place: "the outskirts of Kherson", "strikes on Mykolaiv".
PLACE_NOUNS = frozenset(
    "city town village capital outskirts suburbs suburb centre center streets province region "
    "district residents mayor governor port attack attacks strike strikes shelling bombing "
    "bombardment siege liberation occupation invasion offensive assault raid raids evacuation".split()
)

# Words just before a name that make it a person's: "President Duda", "Mr Sucre", "Gen. Lara".
PERSON_TITLES = frozenset(
    "mr mrs ms miss dr prof president premier minister secretary senator sen rep gov governor "
    "mayor judge justice gen general col colonel maj major capt captain lt lieutenant sgt "
    "sergeant officer chancellor king queen prince princess sheikh pope sir lord lady "
    "rev reverend father sister brother coach spokesman spokeswoman chairman ceo".split()
)

# Nouns after a possessive that belong to a person, not a place: "Guerrero's wife".
PERSON_RELATIONS = frozenset(
    "wife husband son daughter father mother brother sister family parents children lawyer "
    "attorney spokesman spokeswoman spokesperson girlfriend boyfriend widow career".split()
)

# Words that end a street's name: "North Street", "Richmond Road". A street is not a place
# the map shows, and its name is not the place it shares a word with (the village of Street).
STREET_WORDS = frozenset(
    "street st road rd avenue ave boulevard blvd lane drive highway parkway pike turnpike "
    "expressway freeway alley terrace crescent".split()
)

# Words after a name that make it a disease or its agent named for a place, not the place:
# "the Marburg virus", "Lassa fever", "the Delta variant".
PHENOMENON_WORDS = frozenset("virus viruses fever disease strain variant".split())
