"""Context that shows a capitalised name is used as a place: "in X", "X, Ohio", datelines."""

from __future__ import annotations

from spacy.tokens import Doc, Span as TokenSpan

from geo.recognition.names import MAJOR, NameHit
from geo.recognition.vocabulary import LOCATIVE_PREPOSITIONS


def tokens(doc: Doc, start: int, end: int) -> TokenSpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def after_preposition(doc: Doc, span: TokenSpan) -> bool:
    """ "in Gainesville", "from the Congo": a locative preposition just before the name."""
    i = span.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in LOCATIVE_PREPOSITIONS


def followed_by_major(text: str, end: int, major_starts: set[int]) -> bool:
    """ "Huntsville, Ala." / "Athens, Georgia": a name followed by its state or country."""
    i = end
    if i < len(text) and text[i] == ",":
        i += 1
        while i < len(text) and text[i] == " ":
            i += 1
        return i in major_starts
    return False


def dateline(text: str, start: int, end: int) -> bool:
    """ "COLUMBUS, Ohio —": an upper-case name opening a line and followed by a comma or dash."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t(") or not text[start:end].isupper():
        return False
    return text[end:end + 1] in {",", " ", "-", "\u2014", "\u2013"}


def major_starts(hits: list[NameHit]) -> set[int]:
    return {h.start for h in hits if h.rank == MAJOR}


def surnames(doc: Doc) -> set[str]:
    """Last words of the people the model found by full name: a later bare "Ripley" or
    "Lincoln" in the same article is that person, not the town."""
    return {
        ent[-1].text for ent in doc.ents
        if ent.label_ == "PERSON" and len(ent) > 1
        and all(t.pos_ == "PROPN" for t in ent)  # not "Rethinking Egypt" (a headline)
        and ent[-1].is_title and ent[-1].is_alpha  # not "Bush Jr." or "Bush Jr administration"
    }
