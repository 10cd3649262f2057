"""The records that flow through the pipeline: articles → mentions → places.

Every stage takes and returns these plain, immutable dataclasses, so each stage can be
tested on its own and the per-article work stays a pure function of its inputs (which is
what lets it move onto a distributed engine later without change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

DatePrecision = Literal["day", "month", "year"]
DateSource = Literal["metadata", "jsonl", "csv", "parquet", "html", "text"]

# What a mention is, so the map can show or hide each sort:
#  place   - a literal place ("fighting in Donetsk")
#  demonym - a people or adjective derived from a place ("Russian troops")
#  metonym - a place name standing for an institution or government ("Moscow said")
MentionKind = Literal["place", "demonym", "metonym"]
MENTION_KINDS: tuple[str, ...] = ("place", "demonym", "metonym")


@dataclass(frozen=True)
class Article:
    """One cleaned article. `text` has its page furniture removed; every offset refers to it."""

    article_id: str
    text: str
    content_hash: str
    source_path: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_source: DateSource | None = None


@dataclass(frozen=True)
class Mention:
    """A toponym found in a text: `text[start:end]` is what the article wrote.

    `name` is the form looked up in the gazetteer: for a demonym ("Russian") it is the
    place it derives from ("Russia"); otherwise the surface form, normalised.
    """

    start: int
    end: int
    text: str
    name: str
    kind: MentionKind = "place"
    sent_start: int = 0
    sent_end: int = 0


@dataclass(frozen=True)
class Place:
    """A gazetteer entry (or a geocoder's answer) with coordinates.

    `place_id` is namespaced by where it came from: "geonames:2013348",
    "curated:sergeyevsky-range", "nominatim:relation/60189".
    `feature` is a coarse class: country, admin1, admin2, city, region, continent,
    landmark, … (see geo.gazetteer for the list).
    """

    place_id: str
    name: str
    lat: float
    lon: float
    country_code: str | None = None
    feature: str = "city"
    population: int = 0
    admin1: str | None = None
    source: str = "geonames"


@dataclass(frozen=True)
class Candidate:
    """A place considered for a mention, with the score that ranked it."""

    place: Place
    score: float


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one mention.

    `place` is None when nothing fit; `reason` then says why (kept in the table so
    an analyst can see what went wrong). `candidates` holds the runners-up, best first,
    excluding the chosen place. `source` tells how the answer was obtained:
    "gazetteer", "curated", "pinned", or "geocoder:<service>".
    """

    place: Place | None
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    source: str = "gazetteer"
    reason: str | None = None


@dataclass(frozen=True)
class ResolvedMention:
    mention: Mention
    resolution: Resolution
    resolved_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    )
