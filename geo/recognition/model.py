"""Place and demonym spans from the statistical NER model's entities."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from geo.recognition.spans import Span, strip_article

PLACE_LABELS = frozenset({"GPE", "LOC"})

Demonym = Callable[[str], "str | None"]


def normalise(text: str) -> str:
    """The form looked up in the gazetteer: typographic apostrophes and spaces made plain."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def demonym_place(text: str, demonym: Demonym) -> str | None:
    """The place a demonym derives from, trying the singular of a plural ("Palestinians")."""
    word = normalise(text)
    place = demonym(word)
    if place is None and word.endswith("s"):
        place = demonym(word[:-1])
    return place


def model_spans(doc: Doc, demonym: Demonym, known: Callable[[str], bool]) -> list[Span]:
    """GPE/LOC entities become place spans; NORP entities that derive from a place, demonyms.

    Facilities (FAC) count only when the gazetteer knows the name: the model tags
    buildings and roads as FAC far more often than places a map should show.
    """
    spans = []
    for ent in doc.ents:
        text, start = strip_article(ent.text, ent.start_char)
        end = ent.end_char
        if text.endswith(("'s", "\u2019s")):  # "North Korea's"
            text, end = text[:-2], end - 2
        if not text or not text[0].isupper():
            continue  # "eastern coast": a description, not a name
        place = demonym_place(text, demonym)
        if ent.label_ == "NORP" or (ent.label_ in PLACE_LABELS and place and not known(normalise(text))):
            if place:
                spans.append(Span(start, end, place, "demonym", "ner"))
        elif ent.label_ in PLACE_LABELS or (ent.label_ == "FAC" and known(normalise(text))):
            spans.append(Span(start, end, normalise(text), "place", "ner", known(normalise(text))))
    return spans
