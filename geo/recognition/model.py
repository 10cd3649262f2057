"""Place and demonym spans from the statistical NER model's entities."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from geo.recognition.spans import Span, strip_article

PLACE_LABELS = frozenset({"GPE", "LOC"})
USED_LABELS = PLACE_LABELS | {"NORP", "FAC"}

Demonym = Callable[[str], "str | None"]


def normalise(text: str) -> str:
    """The form looked up in the gazetteer: typographic apostrophes and spaces made plain."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def model_spans(doc: Doc, demonym: Demonym, known: Callable[[str], bool]) -> list[Span]:
    """GPE/LOC entities become place spans; NORP entities that derive from a place, demonyms.

    Facilities (FAC) count only when the gazetteer knows the name: the model tags
    buildings and roads as FAC far more often than places a map should show. A GPE/LOC
    the gazetteer does not know as a name but as a demonym ("Palestinians") is a demonym.
    Other entities (people, dates, organisations) are not looked up at all.
    """
    spans = []
    for ent in doc.ents:
        if ent.label_ not in USED_LABELS:
            continue
        text, start = strip_article(ent.text, ent.start_char)
        end = ent.end_char
        if text.endswith(("'s", "\u2019s")):  # "North Korea's"
            text, end = text[:-2], end - 2
        if not text or not text[0].isupper():
            continue  # "eastern coast": a description, not a name
        name = normalise(text)
        place = demonym(name)  # Gazetteer.demonym also tries the singular ("Palestinians")
        if ent.label_ == "NORP":
            if place:
                spans.append(Span(start, end, place, "demonym", "ner"))
            continue
        is_known = known(name)
        if ent.label_ in PLACE_LABELS and place and not is_known:
            spans.append(Span(start, end, place, "demonym", "ner"))
        elif ent.label_ in PLACE_LABELS or is_known:
            spans.append(Span(start, end, name, "place", "ner", is_known))
    return spans
