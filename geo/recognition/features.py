"""Place names built from a name plus a feature word, which neither the model nor the
gazetteer list as such: "the Sergeyevsky range", "Primorsky Krai", "Russia's Far East".
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from geo.recognition.spans import Span
from geo.recognition.vocabulary import FEATURE_NOUNS, FEATURE_PREFIXES, FEATURE_TITLES, NAME_SUFFIXES

Known = Callable[[str], bool]
Lookup = Callable[[str], "str | None"]
Adjectives = Callable[[str], "tuple[str, ...]"]


class FeatureNames:
    """Finds "<Proper> [modifier…] <feature noun>" and "<Name…> <Feature>" spans, and
    "<Country>['s] <Region>" when the gazetteer knows "<adjective> <Region>"."""

    def __init__(self, vocab: Vocab, known: Known, demonym: Lookup, adjectives: Adjectives):
        self._known, self._demonym, self._adjectives = known, demonym, adjectives
        self._matcher = Matcher(vocab)
        self._matcher.add("ADJ_FEATURE", [[
            {"IS_TITLE": True, "POS": {"IN": ["PROPN", "ADJ"]}},
            {"IS_LOWER": True, "IS_ALPHA": True, "POS": {"IN": ["ADJ", "NOUN"]}, "OP": "{0,2}"},
            {"LOWER": {"IN": sorted(FEATURE_NOUNS)}, "IS_LOWER": True},
        ]])
        self._matcher.add("NAME_FEATURE", [[
            {"IS_TITLE": True, "POS": "PROPN", "OP": "+"},
            {"ORTH": {"IN": sorted(FEATURE_TITLES)}},
        ]])
        # "Lake Cunningham", "Zion National Park", "Griffith Park", "Jerome Township": a lake,
        # park or township named for a person or a town is not that town; the whole name is
        # kept (and placed only if the gazetteer or the article's other places know it).
        self._matcher.add("NAMED_FEATURE", [
            [{"ORTH": {"IN": sorted(FEATURE_PREFIXES)}}, {"IS_TITLE": True, "POS": "PROPN"}],
            [{"IS_TITLE": True, "POS": "PROPN"}, {"ORTH": {"IN": sorted(NAME_SUFFIXES)}}],
            [{"IS_TITLE": True, "POS": "PROPN"}, {"ORTH": "National"}, {"ORTH": {"IN": ["Park", "Forest"]}}],
        ])
        self._matcher.add("POSSESSIVE_REGION", [[
            {"ENT_TYPE": "GPE", "IS_TITLE": True},
            {"ORTH": {"IN": ["'s", "\u2019s"]}, "OP": "?"},
            {"IS_TITLE": True, "POS": {"IN": ["PROPN", "ADJ"]}, "OP": "+"},
        ]])

    def __call__(self, doc: Doc) -> list[Span]:
        spans = []
        for match_id, start, end in self._matcher(doc):
            rule = doc.vocab.strings[match_id]
            span = doc[start:end]
            if rule == "ADJ_FEATURE":
                proper = span[0].text
                name = f"{proper} {span[-1].lower_}"
                if not self._known(name) and (self._known(proper) or self._demonym(proper)):
                    continue  # "Russian military range", "Moscow region": the name itself is found elsewhere
            elif rule in ("NAME_FEATURE", "NAMED_FEATURE"):
                name = span.text
            else:
                # "Russia's Far East", "Russia Far East" -> "Russian Far East"
                rest = doc[start + 2 if span[1].lower_ in {"'s", "\u2019s"} else start + 1:end].text
                name = next((f"{a} {rest}" for a in self._adjectives(span[0].text) if self._known(f"{a} {rest}")), "")
                if not name:
                    continue
            spans.append(Span(span.start_char, span.end_char, name, "place", "feature"))
        return spans
