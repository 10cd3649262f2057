"""Finding gazetteer names in raw text with one Aho-Corasick pass.

The statistical model misses or mislabels many place names (small towns tagged as
people or organisations, abbreviations such as "U.S."), so every known name is looked
for directly. pyahocorasick keeps the automaton compact and scans a whole article in
one pass, which is what keeps matching cheap next to the NER model.

A found name gets a *rank* so later steps can trust prominent names more: MAJOR
(countries, first-level divisions, continents, regions), CITY (counties, landmarks and
populated places of some size) and MINOR (every other place). Ranks are looked up only
for names actually found, so building the index needs nothing but the names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
from wordfreq import zipf_frequency

MAJOR, CITY, MINOR = 0, 1, 2

# Runs of upper-case words of four letters or more ("COLUMBUS", "NEW YORK CITY"); shorter
# ones are mostly abbreviations ("US", "UK"), which the index holds as written.
# "ST. PAUL", "ST. JOHN'S" and "FT. MYERS" count too, the abbreviation of the saint or fort with them.
_UPPER_WORDS = re.compile(
    r"\b(?:(?:ST|FT|MT)\.?[ ])?(?:[A-Z]{4,}(?:[ -][A-Z]{2,})*|[A-Z]{2,}(?:[ -][A-Z]{4,})+)(?:['’]S)?\b"
    r"|\b(?:ST|FT|MT)\.?[ ][A-Z]{2,}(?:['’]S)?\b"
)
_WORD = re.compile(r"[A-Z]+")


def _title(words: str) -> str:
    """ "ST. JOHN'S" -> "St. John's": each word capitalised, a possessive s left small
    (str.title would write "John'S")."""
    return _WORD.sub(lambda m: m.group()[0] + m.group()[1:].lower(), words).replace("'S", "'s").replace("’S", "’s")

# Zipf frequency (log10 per billion words) from which a one-word name is also an everyday
# English word ("Police", "March", "Union", "Reading"): such a name needs more than its
# capital letter before it is taken as a place. wordfreq folds case, so famous names
# ("Paris" 4.8) also pass the bar; that only costs them the gazetteer-only route, and the
# NER model still finds them.
COMMON_WORD_ZIPF = 4.5


def is_common_word(name: str) -> bool:
    return " " not in name and zipf_frequency(name.lower(), "en") >= COMMON_WORD_ZIPF


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    name: str
    rank: int
    common: bool = False


def _word_char(ch: str) -> bool:
    return ch.isalnum()


class NameIndex:
    """Case-sensitive index of place names. Upper-case words ("GAINESVILLE, Ga." in a
    dateline) are looked up in title case, which keeps the automaton half the size that
    storing every name twice would make it.

    `rank` maps a name to (MAJOR, CITY or MINOR, whether it is also an everyday word);
    it is called once per distinct name found.
    """

    def __init__(self, names: Iterable[str], rank: Callable[[str], tuple[int, bool]]):
        automaton = ahocorasick.Automaton()
        for name in names:
            name = name.strip()
            if len(name) < 2 or not name[0].isupper():
                continue  # lowercase-initial names ("de", "la") would match common words
            automaton.add_word(name, (len(name), name))
        if len(automaton):
            automaton.make_automaton()
        self._adopt(automaton, rank)

    def _adopt(self, automaton: ahocorasick.Automaton, rank: Callable[[str], tuple[int, bool]]) -> None:
        self._rank = rank
        self._ranks: dict[str, tuple[int, bool]] = {}
        self._automaton = automaton
        self._size = len(automaton)

    @classmethod
    def cached(
        cls, path: Path, names: Callable[[], Iterable[str]], rank: Callable[[str], tuple[int, bool]]
    ) -> NameIndex:
        """The index kept in `path`, built from `names()` and saved there when the file is
        missing or unreadable. Reading the ~230,000 gazetteer names and building their
        automaton is most of a one-article ingest's start-up (and of each cluster worker's);
        unpickling the automaton takes a fraction of it. `path` must name what the names came
        from (the gazetteer's fingerprint): a stale file is never checked for."""
        try:
            with path.open("rb") as f:
                automaton = pickle.load(f)
            if isinstance(automaton, ahocorasick.Automaton):
                index = cls.__new__(cls)
                index._adopt(automaton, rank)
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # missing or damaged: built afresh below
        index = cls(names(), rank)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as f:
                pickle.dump(index._automaton, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: parallel workers never read half a file
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only cache folder: no saving, still correct
        return index

    def __len__(self) -> int:
        return self._size

    def _rank_of(self, name: str) -> tuple[int, bool]:
        found = self._ranks.get(name)
        if found is None:
            found = self._ranks[name] = self._rank(name)
        return found

    def find(self, text: str) -> Iterator[NameHit]:
        """Every whole-word occurrence of a known name (overlaps included)."""
        if not self._size:
            return
        hits = list(self._find(text))
        yield from hits
        titled = _UPPER_WORDS.sub(lambda m: _title(m.group()), text)  # same length, same offsets
        if titled != text:
            seen = set(hits)  # the scan above, not a second pass over the same text
            yield from (hit for hit in self._find(titled) if hit not in seen)

    def _find(self, text: str) -> Iterator[NameHit]:
        for end_idx, (length, name) in self._automaton.iter(text):
            end = end_idx + 1
            start = end - length
            if start > 0 and _word_char(text[start - 1]):
                continue
            if end < len(text) and _word_char(text[end]):
                continue
            yield NameHit(start, end, name, *self._rank_of(name))
