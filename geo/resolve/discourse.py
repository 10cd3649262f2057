"""Decisions over the whole article, once coherence has settled each mention's ranking.

Three rules that look at every mention together: the country is decided before the town
(`country_first`), a lone reading abroad that nothing in the article supports is left
unplaced (`alone_abroad`), and a name is read one way throughout (`one_sense`).
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.resolve.features import Work

# A reading needs support to be placed abroad only when it is weak on its own: a small
# town, or a generic descriptor. (An alternate name is not weak: "Kiev", "Quebec City".)
SMALL_TOWN = 15_000
CONFIDENT = 0.5  # another mention's reading this likely says where the article is
# Words that make a name a description any country could have ("Central Coast", "West
# Coast", "the Delta")
_DESCRIPTOR_WORDS = frozenset(
    "north south east west northeast northwest southeast southwest northern southern eastern "
    "western central upper lower inner outer coast coastal shore side end delta valley bay "
    "highlands lowlands midlands islands".split()
)
_NEVER_ALONE = frozenset({"country", "continent", "region", "water", "physical"})


def settle_article(works: Sequence[Work]) -> None:
    for work in works:
        country_first(work)
    alone_abroad(works)
    one_sense(works)


def country_first(work: Work) -> None:
    """Decide the country before the town: when the namesakes in one country are together
    likelier than the reading ranked first, which lies elsewhere, the best of them is read.
    Twenty small Parises at a Texas paper's home outweigh the one in France though none
    of them alone does; the reading keeps its own probability, so a guess among them is
    still left unplaced."""
    if len(work.options) < 2:
        return
    mass: dict[str | None, float] = {}
    for option in work.options:
        code = option.hit.place.country_code
        mass[code] = mass.get(code, 0.0) + option.p
    likeliest = max(mass, key=mass.__getitem__)
    top = work.options[0]
    if top.hit.place.country_code == likeliest or mass[likeliest] <= mass[top.hit.place.country_code]:
        return
    work.promote(next(o for o in work.options if o.hit.place.country_code == likeliest))


def _own_words(work: Work) -> bool:
    """Do the words at this mention say what it is ("Jordan league", "Springfield, Ill.",
    "Laurel County") for the reading ranked first?"""
    if not work.options or work.ruled_out:
        return False
    f = work.options[0].features
    return bool(f.qualifier or f.feature_word)


def one_sense(works: Sequence[Work]) -> None:
    """One sense per discourse: a name the article's words place at one mention ("the
    Jordan league", "Dublin, Ohio") is that place at its other mentions too, unless their
    own words say otherwise. The other mentions take its reading and its probability."""
    told: dict[str, Work] = {}
    for work in works:
        if _own_words(work) and (work.key not in told or work.options[0].p > told[work.key].options[0].p):
            told[work.key] = work
    for work in works:
        teller = told.get(work.key)
        if teller is None or work is teller or _own_words(work) or work.ruled_out or not work.options:
            continue
        meant = teller.options[0]
        same = next((o for o in work.options if o.hit.place.place_id == meant.hit.place.place_id), None)
        if same is None or same is work.options[0]:
            continue
        work.promote(same)
        same.p = meant.p
        same.context_note = f"as '{teller.mention.text}' is read nearby"


def alone_abroad(works: Sequence[Work]) -> None:
    """ "Heathrow" beside London is not the Florida town of that name, nor "Central Coast"
    beside British Columbia the Australian city: a weak reading (a small town or a generic
    descriptor such as "West Coast") in a country where none of the article's confidently placed
    names lies is left unplaced. A country, region or sea is named from anywhere, and a big
    town abroad ("Kandahar" in a story from Ohio) stands on its own."""
    placing: dict[str, set[str]] = {}  # country -> the names placed there confidently
    for work in works:
        top = work.options[0] if work.options else None
        if top and not work.ruled_out and top.p >= CONFIDENT and not top.stand_in and top.hit.place.country_code:
            placing.setdefault(top.hit.place.country_code, set()).add(work.key)
    placed = set().union(*placing.values())
    for work in works:
        if not work.options or work.ruled_out:
            continue
        place = work.options[0].hit.place
        elsewhere = bool(placed - {work.key})
        supported = bool(placing.get(place.country_code or "", set()) - {work.key})
        if not elsewhere or supported or place.feature in _NEVER_ALONE:
            continue
        small = place.feature == "city" and place.population < SMALL_TOWN
        descriptor = all(word.lower() in _DESCRIPTOR_WORDS for word in work.mention.name.split())
        if small or descriptor:
            work.ruled_out = (
                f"'{work.mention.name}' would be in {place.country_code}, where nothing else in the article is"
            )
