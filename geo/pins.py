"""Analysts' pins: "this name means that point", winning over every automatic choice.

A pin may carry a context country: it then applies only in articles whose focus (the
country most of their resolved mentions are in, as the resolver defines it) is that
country — "Georgia" pinned to the US state for US stories leaves Georgia the country
alone elsewhere. A pin with a context beats one without. Pinning is a step after the
geoparser: the per-article geoparsing stays a pure function of the text, and the same
`apply_pins` re-places mentions already stored when a pin is added.

A pin either places a name (at a point, or at a gazetteer place chosen from the mention's
runner-ups or by place search, keeping that place's id so its marker is the same one), or
says the name is NOT_A_PLACE: its mentions stay unplaced, everywhere or in its context.
Every correction goes through the functions below (`geo pin` and the dashboard alike),
which re-place the stored mentions at once and refuse when $GEO_READONLY is set.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geo.gazetteer.normalise import name_key
from geo.records import Article, Candidate, Place, Resolution, ResolvedMention

if TYPE_CHECKING:
    from geo.store import Store

PINNED = "pinned"
# Pin kinds: a point the name means, or "this name is not a place".
POINT = "point"
NOT_A_PLACE = "not_a_place"
PIN_KINDS = (POINT, NOT_A_PLACE)
#: Set to 1 (or true/yes/on) for a shared, read-only deployment: every correction is refused.
READONLY_ENV = "GEO_READONLY"


class ReadOnlyError(PermissionError):
    """A correction was asked of a deployment where corrections are switched off."""


@dataclass(frozen=True)
class Pin:
    name: str
    #: None for a NOT_A_PLACE pin
    lat: float | None
    lon: float | None
    #: ISO 3166 alpha-2 code of the article focus the pin is limited to; None: everywhere
    context: str | None = None
    feature: str = "city"
    #: where the analyst got the coordinates from, or why the name is not a place
    note: str | None = None
    pinned_at: str | None = None
    #: the gazetteer place pinned to (a runner-up, or one found by place search), if any
    place_id: str | None = None
    place_name: str | None = None
    country_code: str | None = None
    kind: str = POINT

    def __post_init__(self) -> None:
        if self.kind not in PIN_KINDS:
            raise ValueError(f"unknown pin kind {self.kind!r}; known: {', '.join(PIN_KINDS)}")
        if self.kind == POINT and (self.lat is None or self.lon is None):
            raise ValueError(f"a pin for {self.name!r} needs a latitude and a longitude")

    @property
    def key(self) -> str:
        return name_key(self.name)

    def place(self) -> Place | None:
        """Where the pin puts the name (None for NOT_A_PLACE)."""
        if self.kind == NOT_A_PLACE or self.lat is None or self.lon is None:
            return None
        if self.place_id:
            return Place(self.place_id, self.place_name or self.name, self.lat, self.lon, self.country_code,
                         self.feature, source=PINNED)
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

    def target(self) -> str:
        """What the pin does, in words: "not a place", "Kyiv, UA (geonames:703448)", "32.65, -83.44"."""
        if self.kind == NOT_A_PLACE:
            return "not a place"
        if self.place_id:
            country = f", {self.country_code}" if self.country_code else ""
            return f"{self.place_name or self.name}{country} ({self.place_id})"
        return f"{self.lat}, {self.lon}"


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
    chosen = place.place_id if place else None
    runners = tuple(c for c in previous.candidates if c.place.place_id != chosen)
    # the automatic choice becomes the first runner-up (an earlier pin's choice does not)
    if previous.place is not None and previous.place.place_id != chosen and previous.source != PINNED:
        runners = (Candidate(previous.place, previous.confidence), *runners)
    note = f": {pin.note}" if pin.note else ""
    if place is None:
        resolution = Resolution(None, 1.0, runners, PINNED, f"marked not a place by an analyst{note}")
    else:
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


# -- corrections: the one path `geo pin` and the dashboard write through ------------------


@dataclass(frozen=True)
class Pinned:
    """A correction made: the pin as stored, and how many stored articles were re-placed."""

    pin: Pin
    updated: int

    def summary(self) -> str:
        """What was done, in words (`geo pin` prints it, the dashboard shows it)."""
        pin = self.pin
        where = f" in articles about {pin.context}" if pin.context else ""
        did = f"marked {pin.name!r} as not a place" if pin.kind == NOT_A_PLACE else f"pinned {pin.name!r} to {pin.target()}"
        return f"{did}{where}; {self.updated} stored article(s) updated"


def corrections_allowed(env: Mapping[str, str] = os.environ) -> bool:
    """False when $GEO_READONLY says this deployment must write nothing."""
    return env.get(READONLY_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def _check_writable() -> None:
    if not corrections_allowed():
        raise ReadOnlyError(
            f"corrections are switched off here (${READONLY_ENV} is set): this deployment is read-only"
        )


def add_pin(store: Store, pin: Pin) -> Pinned:
    """Store `pin` (replacing one for the same name and context) and re-place, at once,
    the stored mentions of its name."""
    _check_writable()
    stored = store.add_pin(pin)
    pins = store.pins()
    updated = sum(
        store.update_mentions(article_id, lambda ms: apply_pins(ms, pins))
        for article_id in store.articles_mentioning(stored.name)
    )
    return Pinned(stored, updated)


def pin_to_place(store: Store, name: str, place: Place, *, context: str | None = None,
                 note: str | None = None) -> Pinned:
    """Pin `name` to a known place (a runner-up, or a place search found), keeping its id."""
    return add_pin(store, Pin(name, place.lat, place.lon, context, place.feature, note,
                              place_id=place.place_id, place_name=place.name, country_code=place.country_code))


def pin_to_candidate(store: Store, article_id: str, start: int, place_id: str, *,
                     context: str | None = None, note: str | None = None) -> Pinned:
    """Pin the name of the stored mention at `start` in `article_id` to one of its runner-ups.
    ValueError (saying what there is) when there is no such mention or candidate."""
    mention = store.mention(article_id, start)
    if mention is None:
        raise ValueError(f"article {article_id!r} has no mention starting at {start}")
    options = [c.place for c in mention.resolution.candidates]
    if mention.resolution.place is not None:
        options.insert(0, mention.resolution.place)
    chosen = next((p for p in options if p.place_id == place_id), None)
    if chosen is None:
        known = ", ".join(p.place_id for p in options) or "none"
        raise ValueError(f"{place_id!r} is not a candidate for {mention.mention.name!r} (candidates: {known})")
    return pin_to_place(store, mention.mention.name, chosen, context=context, note=note)


def mark_not_a_place(store: Store, name: str, *, context: str | None = None, note: str | None = None) -> Pinned:
    """Say `name` is not a place (everywhere, or in articles about `context`): its mentions
    are left unplaced now and in every later ingest."""
    return add_pin(store, Pin(name, None, None, context, note=note, kind=NOT_A_PLACE))


def remove_pin(store: Store, name: str, context: str | None = None) -> list[str] | None:
    """Drop the pin for `name` (and `context`); None when there was none. At once, the stored
    mentions it placed stop showing it (another pin for the name applies if one does; else
    they wait unplaced, saying why), and the articles that mention the name are marked for
    re-resolution by the next `geo ingest`, which restores the automatic choice (ids returned)."""
    _check_writable()
    if not store.remove_pin(name, context):
        return None
    remaining, key = store.pins(), name_key(name)

    def unpin(mentions: list[ResolvedMention]) -> list[ResolvedMention]:
        waiting = [_waiting(rm) if rm.resolution.source == PINNED and name_key(rm.mention.name) == key else rm
                   for rm in mentions]
        return apply_pins(waiting, remaining)

    articles = store.articles_mentioning(name)
    for article_id in articles:
        store.update_mentions(article_id, unpin)
    store.mark_stale(articles)
    return articles


def _waiting(rm: ResolvedMention) -> ResolvedMention:
    reason = "its pin was removed; the next geo ingest resolves it again"
    return replace(rm, resolution=Resolution(None, 0.0, rm.resolution.candidates, "gazetteer", reason))


@dataclass(frozen=True)
class UnresolvedName:
    """A name the map is missing: how often it was left unplaced, and one article to read it in."""

    name: str
    mentions: int
    articles: int
    sample_article_id: str
    sample_title: str | None
    reason: str | None
    sample_start: int  # where the name first occurs in the sample article, for the reader


def unresolved_names(conn: sqlite3.Connection, limit: int = 100) -> list[UnresolvedName]:
    """The names left unplaced (not those an analyst marked not a place), most mentioned first.
    `conn` is a store connection (read-only is enough)."""
    rows = conn.execute(
        """SELECT m.name, count(*) AS n, count(DISTINCT m.article_id), min(m.article_id), max(m.reason)
           FROM mentions m WHERE m.place_id IS NULL AND m.source != ?
           GROUP BY lower(m.name) ORDER BY n DESC, lower(m.name) LIMIT ?""",
        (PINNED, limit),
    ).fetchall()
    titles = dict(conn.execute(
        f"SELECT article_id, title FROM articles WHERE article_id IN ({','.join('?' * len(rows))})",
        [r[3] for r in rows],
    ).fetchall()) if rows else {}
    first = "SELECT min(start) FROM mentions WHERE article_id = ? AND lower(name) = lower(?) AND place_id IS NULL"
    return [UnresolvedName(name, n, articles, sample, titles.get(sample), reason,
                           conn.execute(first, (sample, name)).fetchone()[0])
            for name, n, articles, sample, reason in rows]
