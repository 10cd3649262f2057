"""Scorers: from a candidate's named features to a score, swappable by name.

A scorer ranks one mention's candidates twice: context-free (`local`, before the
article's coherence is known, and what qualifiers and lists read as the mention's
current choice) and with coherence (`total`). `HandScorer` holds today's hand-set
weights, in the units of the prior (decades of population). A learned ranker would be
one more entry in SCORERS reading the same `Features`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from geo.resolve.features import Option, Work, mark_alias_division_towns, mark_capitals, mark_division_seats


class Scorer(Protocol):
    #: score of the "not in the gazetteer" option in the softmax
    none_of_these: float

    def local(self, work: Work) -> None:
        """Set every option's `base`, its context-free score (and notes on why)."""

    def total(self, option: Option) -> tuple[float, str]:
        """The option's score with its coherence features, and a note on the strongest
        coherence reason ("" when coherence did not matter)."""


@dataclass(frozen=True)
class Weights:
    """How much each signal counts, in the same units as the prior (decades of population)."""

    alt_name: float = 1.0  # penalty when only an alternate spelling matched
    alt_beside_owner: float = 3.0  # more for a town's alternate name other towns bear as their own
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
    none_of_these: float = 3.0
    # a source's home at full strength (all its other articles' towns there) counts as a qualifier
    home_country: float = 4.0
    home_division: float = 4.0


class HandScorer:
    """Hand-set weights: a linear score, plus rules that lift a candidate just above its
    rivals among the same mention's candidates (a capital, a town over its division)."""

    def __init__(self, weights: Weights | None = None) -> None:
        self.w = weights or Weights()
        self.none_of_these = self.w.none_of_these

    def local(self, work: Work) -> None:
        w = self.w
        options = work.options
        base = [
            o.features.prior - w.alt_name * o.features.alt - w.alt_beside_owner * o.features.alt_beside_owner
            for o in options
        ]
        # A national capital outranks a namesake first-level division of its country that
        # does not contain it ("Washington" the capital, not the state), by a margin small
        # enough for the article's own evidence for the division to overturn.
        for capital, namesakes in mark_capitals(options):
            lead = max(base[j] for j in namesakes) + w.capital_margin
            if base[capital] < lead:
                base[capital] = lead
                _note(options[capital], "national capital over a namesake division")
        # A division yields to the town inside it that bears its name, when it has the name
        # only as an alternate ("Kherson"; a division itself called so, "Quebec", keeps its
        # rank) or is named for that big city ("Istanbul", "Tehran"); a feature word in the
        # text ("Kherson region", "Tehran province") still wins.
        for mark, note in (
            (mark_alias_division_towns, "town named so, over its division's alternate name"),
            (mark_division_seats, "the city its namesake division is named for"),
        ):
            for division, towns in mark(options):
                town = max(towns, key=base.__getitem__)
                lead = base[division] + w.capital_margin
                if base[town] < lead:
                    base[town] = lead
                    _note(options[town], note)
        for option, score in zip(options, base):
            f = option.features
            if f.feature_word:
                score += w.feature_word
            for _ in range(f.qualifier):
                score += w.qualifier
            if f.home_country or f.home_division:
                score += w.home_country * f.home_country + w.home_division * f.home_division
                _note(option, "where the source's other articles are")
            option.base = score

    def total(self, option: Option) -> tuple[float, str]:
        w, f = self.w, option.features
        parts = {
            "same division as other places": w.admin1_best * f.admin1_best + w.admin1_share * f.admin1_share,
            "same country as other places": w.country_best * f.country_best + w.country_share * f.country_share,
        }
        if f.nearest_km is not None:
            parts["near other places"] = w.nearby * math.exp(-f.nearest_km / w.nearby_km)
        bonus = sum(parts.values())
        note = max(parts, key=parts.__getitem__) if bonus > 1.0 else ""
        listed = w.list_sibling * f.listed
        if listed > bonus:
            note = "like the places listed with it"
        return option.base + bonus + listed, note


def _note(option: Option, note: str) -> None:
    if note not in option.notes:
        option.notes.append(note)


SCORERS: dict[str, Callable[[], Scorer]] = {"hand": HandScorer}


def make_scorer(name: str) -> Scorer:
    """The scorer registered under `name`; a clear error naming the known ones otherwise."""
    try:
        return SCORERS[name]()
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; known: {', '.join(sorted(SCORERS))}") from None

