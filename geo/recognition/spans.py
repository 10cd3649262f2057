"""The working record of recognition: a stretch of text that may name a place.

Recognition steps pass lists of `Span` along and the recognizer turns the survivors into
`geo.records.Mention`s at the end. A span remembers where it came from (`origin`) because
the steps trust the statistical model and the gazetteer differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from geo.records import MentionKind

Origin = Literal["ner", "gazetteer", "feature"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str
    kind: MentionKind = "place"
    origin: Origin = "ner"
    known: bool = True  # whether the gazetteer knows `name`
    # An unknown name that is still one name, not known names with noise around them:
    # a feature or compass word or a rare word beside them ("Lake Houston", "West Midlands",
    # "Abu Shok"). It keeps its full extent rather than yield to "Houston" or "Abu".
    whole: bool = False

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def strip_article(text: str, start: int) -> tuple[str, int]:
    """Drop a leading "the " so "the Baltics" is matched and looked up as "Baltics"."""
    if text[:4].lower() == "the ":
        return text[4:], start + 4
    return text, start
