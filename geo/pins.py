"""Analysts' pins: "this name means that point", winning over every automatic choice.

A pin may carry a context country: it then applies only in articles whose focus (the
country most of their resolved mentions are in, as the resolver defines it) is that
country — "Georgia" pinned to the US state for US stories leaves Georgia the country
alone elsewhere. A pin with a context beats one without. Pinning is a step after the
geoparser: the per-article geoparsing stays a pure function of the text, and the same
`apply_pins` re-places mentions already stored when a pin is added.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geo.gazetteer.normalise import name_key
from geo.records import Article, Candidate, Place, Resolution, ResolvedMention

if TYPE_CHECKING:
    from geo.store import Store

PINNED = "pinned"


@dataclass(frozen=True)
class Pin:
    name: str
    lat: float
    lon: float
    #: ISO 3166 alpha-2 code of the article focus the pin is limited to; None: everywhere
    context: str | None = None
    feature: str = "city"
    #: where the analyst got the coordinates from
    note: str | None = None
    pinned_at: str | None = None

    @property
    def key(self) -> str:
        return name_key(self.name)

    def place(self) -> Place:
        slug = re.sub(r"[^a-z0-9]+", "-", self.key).strip("-") or "place"
        return Place(
            place_id=f"{PINNED}:{slug}" + (f"@{self.context}" if self.context else ""),
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            country_code=self.context,
            feature=self.feature,
            source=PINNED,
        )


def article_focus(mentions: Sequence[ResolvedMention]) -> str | None:
    """The country most resolved mentions are in (pins themselves do not vote)."""
    counts = Counter(
        rm.resolution.place.country_code
        for rm in mentions
        if rm.resolution.place and rm.resolution.place.country_code and rm.resolution.source != PINNED
    )
    return counts.most_common(1)[0][0] if counts else None


def apply_pins(mentions: Sequence[ResolvedMention], pins: Iterable[Pin]) -> list[ResolvedMention]:
    """The mentions with every pinned name re-placed; the automatic choice becomes the first runner-up."""
    table = {(pin.key, pin.context): pin for pin in pins}
    if not table:
        return list(mentions)
    focus = article_focus(mentions)
    out = []
    for rm in mentions:
        key = name_key(rm.mention.name)
        pin = table.get((key, focus)) if focus else None
        pin = pin or table.get((key, None))
        out.append(_pinned(rm, pin) if pin else rm)
    return out


def _pinned(rm: ResolvedMention, pin: Pin) -> ResolvedMention:
    place, previous = pin.place(), rm.resolution
    runners = tuple(c for c in previous.candidates if c.place.place_id != place.place_id)
    if previous.place is not None and previous.place.place_id != place.place_id:
        runners = (Candidate(previous.place, previous.confidence), *runners)
    note = f": {pin.note}" if pin.note else ""
    resolution = Resolution(place, 1.0, runners, PINNED, f"pinned by an analyst{note}")
    return replace(rm, resolution=resolution)


class PinStep:
    """The ingest step that applies the data dir's pins to each freshly parsed article."""

    def __init__(self, store: Store) -> None:
        self.pins = store.pins()
        self.placed = 0

    def __call__(self, article: Article, mentions: list[ResolvedMention]) -> list[ResolvedMention]:
        pinned = apply_pins(mentions, self.pins)
        self.placed += sum(rm.resolution.source == PINNED for rm in pinned)
        return pinned

    def finish(self) -> list[str]:
        return [f"{self.placed} mention(s) placed by {len(self.pins)} pin(s)"] if self.placed else []
