"""The sentence around a mention, as an analyst reads it in a popup or an export.

The geoparser stores each mention's sentence as `sent_start`/`sent_end`; this module cuts
that sentence out of the cleaned article text, folds its line breaks, and trims a very long
sentence to a window around the mention, so a popup stays readable. When the stored span is
missing or does not contain the mention (older rows, hand-made tables) the sentence is found
again from punctuation, so every mention still gets an excerpt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 320
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Excerpt:
    """An excerpt split around its mention, so a caller can highlight the middle part."""

    before: str
    mention: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.before}{self.mention}{self.after}"

    @property
    def span(self) -> tuple[int, int]:
        """Where the mention sits in `text` (end exclusive)."""
        return len(self.before), len(self.before) + len(self.mention)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` that holds `text[start:end]`, found from punctuation and blank lines."""
    sent_start = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        sent_start = match.end()
    following = _SENTENCE_END.search(text, end)
    if following is None:
        return sent_start, len(text)
    return sent_start, following.start() + len(following.group().rstrip())


def excerpt(
    text: str,
    start: int,
    end: int,
    sent_start: int | None = None,
    sent_end: int | None = None,
    max_chars: int = MAX_CHARS,
) -> Excerpt:
    """The sentence around `text[start:end]`, whitespace folded, cut to about `max_chars`."""
    if sent_start is None or sent_end is None or not (0 <= sent_start <= start < end <= sent_end):
        sent_start, sent_end = sentence_span(text, start, end)
    before = _fold(text[sent_start:start]).lstrip()
    mention = _fold(text[start:end])
    after = _fold(text[end:sent_end]).rstrip()
    room = max(max_chars - len(mention), 0)
    if len(before) + len(after) > room:
        keep_before = min(len(before), room // 2)
        keep_after = min(len(after), room - keep_before)
        keep_before = min(len(before), room - keep_after)
        before = _cut_left(before, keep_before)
        after = _cut_right(after, keep_after)
    return Excerpt(before, mention, after)


def _fold(s: str) -> str:
    return _SPACES.sub(" ", s)


def _cut_left(s: str, keep: int) -> str:
    """Keep the last `keep` characters of `s`, starting at a word boundary."""
    if keep >= len(s):
        return s
    tail = s[len(s) - keep :]
    space = tail.find(" ")
    if 0 <= space < len(tail) - 1:
        tail = tail[space + 1 :]
    return ELLIPSIS + tail


def _cut_right(s: str, keep: int) -> str:
    """Keep the first `keep` characters of `s`, ending at a word boundary."""
    if keep >= len(s):
        return s
    head = s[:keep]
    space = head.rfind(" ")
    if space > 0:
        head = head[:space]
    return head + ELLIPSIS
