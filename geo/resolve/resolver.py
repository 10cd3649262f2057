"""The resolver: runs the stages of geo.resolve over one article's mentions."""

from __future__ import annotations

import math
from collections.abc import Sequence

from geo.gazetteer import Gazetteer
from geo.records import Candidate, Mention, Resolution, ResolvedMention
from geo.resolve.candidates import Candidates
from geo.resolve.context import Context
from geo.resolve.corpus import NO_HOME, Home
from geo.resolve.discourse import settle_article
from geo.resolve.features import Features, Work, link_lists, qualify, sibling_share
from geo.resolve.scoring import Scorer, make_scorer

# Below this probability the best reading is a guess among namesakes (on LGL one right in
# seven between 0.2 and 0.25, one in eight below; most of the wrong ones over 1,000 km
# off): the mention is left unplaced, its readings kept as runners-up to pick from, rather
# than shown on the map at a place more likely wrong than right. Deciding the country
# first (country_first) makes such guesses among one country's namesakes commoner.
MIN_CONFIDENCE = 0.25
COHERENCE_ROUNDS = 3  # one strong mention ("Tbilisi") pulls its ambiguous neighbours ("Georgia")
RUNNERS_UP = 3


class Resolver:
    """Resolves the mentions of one article at a time; holds only the gazetteer and a scorer.

    `scorer` is a Scorer or the name of one in geo.resolve.scoring.SCORERS ("hand").
    """

    def __init__(self, gazetteer: Gazetteer, scorer: Scorer | str = "hand") -> None:
        self.gaz = gazetteer
        self.scorer = make_scorer(scorer) if isinstance(scorer, str) else scorer

    @property
    def gaz(self) -> Gazetteer:
        return self._gaz

    @gaz.setter
    def gaz(self, gazetteer: Gazetteer) -> None:
        # a forked worker gives the resolver its own connection (Geoparser.reconnected)
        self._gaz = gazetteer
        self.candidates = Candidates(gazetteer)

    def resolve(self, text: str, mentions: Sequence[Mention], home: Home = NO_HOME) -> list[ResolvedMention]:
        """One ResolvedMention per mention, in the same order. `home` is where the
        article's source's other articles are (geo.resolve.corpus), when known."""
        works = [self.candidates(text, m, home) for m in mentions]
        for work in works:
            self.scorer.local(work)
        link_lists(text, works)
        qualify(text, works, self.gaz, self.scorer.local)
        for work in works:
            self._rank(work, None)
        for _round in range(COHERENCE_ROUNDS):
            context = Context.of(works)
            for work in works:
                self._rank(work, context)
        settle_article(works)
        return [ResolvedMention(work.mention, _resolution(work)) for work in works]

    def _rank(self, work: Work, context: Context | None) -> None:
        """Score, rank and give each option its probability ("none of these" included)."""
        if not work.options:
            return
        for option in work.options:
            if context is None:
                option.score, option.context_note = option.base, ""
                continue
            context.read_into(option.features, option.hit, work.key)
            option.features.listed = sibling_share(work, option.hit.place)
            option.score, option.context_note = self.scorer.total(option)
        work.options.sort(key=lambda o: o.score, reverse=True)
        top = work.options[0].score
        total = math.exp(self.scorer.none_of_these - top) + sum(math.exp(o.score - top) for o in work.options)
        for option in work.options:
            option.p = math.exp(option.score - top) / total


# A stand-in needs the article's other places in its division or this close: being in
# the same country says nothing about which of a country's namesakes a feature is named for.
STAND_IN_SUPPORT = 0.5  # the best other name's probability of being in the same division
STAND_IN_KM = 300.0


def _nearby_support(f: Features) -> bool:
    return f.admin1_best >= STAND_IN_SUPPORT or f.listed > 0 or (f.nearest_km is not None and f.nearest_km <= STAND_IN_KM)


def _resolution(work: Work) -> Resolution:
    if not work.options:
        return Resolution(None, 0.0, (), "gazetteer", f"no gazetteer entry for '{work.mention.name}'")
    if work.ruled_out:
        return Resolution(None, 0.0, (), "gazetteer", work.ruled_out)
    chosen = work.options[0]
    if chosen.stand_in and not _nearby_support(chosen.features):
        # a stand-in no other name around it supports: "West Midlands" alone would be the
        # west of Zimbabwe's Midlands, "Lake Houston" the city, the Red River at Fargo a
        # Louisiana parish; better unplaced
        return Resolution(None, 0.0, (), "gazetteer", f"no support in the article for '{work.mention.name}'")
    if chosen.p < MIN_CONFIDENCE:
        readings = tuple(Candidate(o.hit.place, round(o.p, 3)) for o in work.options[:RUNNERS_UP])
        return Resolution(None, 0.0, readings, "gazetteer",
                          f"no reading of '{work.mention.name}' is likely enough (best {chosen.p:.0%})")
    others = tuple(Candidate(o.hit.place, round(o.p, 3)) for o in work.options[1 : 1 + RUNNERS_UP])
    notes = [*chosen.notes, chosen.context_note] if chosen.context_note else chosen.notes
    reason = "; ".join(dict.fromkeys(notes)) or ("only candidate" if len(work.options) == 1 else "most prominent")
    source = "curated" if chosen.hit.place.source == "curated" else "gazetteer"
    return Resolution(chosen.hit.place, round(chosen.p, 3), others, source, reason)
