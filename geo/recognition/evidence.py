"""Context that shows a capitalised name is used as a place: "in X", "X, Ohio", datelines."""

from __future__ import annotations

from spacy.tokens import Doc, Span as TokenSpan

from geo.recognition.names import MAJOR, NameHit
from geo.recognition.vocabulary import (
    AGENT_VERBS, LOCATIVE_PREPOSITIONS, PERSON_RELATIONS, PERSON_TITLES, PLACE_NOUNS, PLACE_VERBS,
)


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


def _initial(tok) -> bool:
    """ "A." in "Terry A. Corbin", which the small model tags as a common noun."""
    return len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "."


def surnames(doc: Doc) -> set[str]:
    """Last words of the people the model found by full name: a later bare "Ripley" or
    "Lincoln" (or "Corbin" after "Terry A. Corbin") in the same article is that person,
    not the town."""
    return {
        ent[-1].text for ent in doc.ents
        if ent.label_ == "PERSON" and len(ent) > 1
        and all(t.pos_ == "PROPN" or _initial(t) for t in ent)  # not "Rethinking Egypt" (a headline)
        and ent[-1].is_title and ent[-1].is_alpha  # not "Bush Jr." or "Bush Jr administration"
    }


def place_syntax(span: TokenSpan) -> bool:
    """ "the convoy left Kherson", "Bakhmut was shelled", "the outskirts of Kherson",
    "strikes on Mykolaiv": the name fills a slot that holds places, not people."""
    root = span.root
    head = root.head
    if root.dep_ in {"dobj", "nsubjpass"}:
        return head.lemma_.lower() in PLACE_VERBS
    if root.dep_ == "pobj" and head.lower_ in {"of", "on"}:
        return head.head.lower_ in PLACE_NOUNS
    return False


def coordinated_with(span: TokenSpan, taken: set[int]) -> bool:
    """ "Chittagong and Sylhet", "Kherson, Mykolaiv and Odesa": a name in one list of
    names with a place already taken (`taken` holds token indices) is a place too."""
    return any(t.i in taken for t in span.root.conjuncts)


def person_marked(doc: Doc, span: TokenSpan) -> bool:
    """Signs the name is a person's though the gazetteer knows it: a title before it
    ("President Duda", "Mr. Arlington"), a person's possessive ("Lara's wife") or an age
    after it ("Mendoza, 45,")."""
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (before.is_title or before.is_upper) and before.lower_.rstrip(".") in PERSON_TITLES:
        return True
    after = doc[span.end:span.end + 2]
    if len(after) == 2 and after[0].lower_ in {"'s", "\u2019s"} and after[1].lower_ in PERSON_RELATIONS:
        return True
    return len(after) == 2 and after[0].text == "," and after[1].text.isdigit() and int(after[1].text) < 120


def speaks(span: TokenSpan) -> bool:
    """ "Robertson said": a weaker sign, since places speak too ("Tbilisi says")."""
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in AGENT_VERBS
