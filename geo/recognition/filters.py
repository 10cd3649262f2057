"""What looks like a place but is not one: parts of people's names, names inside a news
outlet's or an institution's name, organisations, streets, diseases, saints' churches and
schools, and bodies off the Earth."""

from __future__ import annotations

from spacy.tokens import Doc

from geo.recognition.evidence import after_preposition, tokens
from geo.recognition.spans import Span
import re

from geo.recognition.names import is_common_word
from geo.recognition.vocabulary import COMPASS, OFF_EARTH, OUTLET_WORDS, PHENOMENON_WORDS, STREET_WORDS


def off_earth(span: Span, text: str) -> bool:
    return text[span.start:span.end].lower() in OFF_EARTH


def bare_compass(span: Span, text: str) -> bool:
    return text[span.start:span.end].lower() in COMPASS


EntityOf = list  # token index -> the model's entity over that token, or None


def entity_index(doc: Doc) -> EntityOf:
    """Which entity covers each token; `doc.ents` is rebuilt on every access, so once a doc."""
    index: EntityOf = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


def _entity_around(doc: Doc, span: Span, label: str, entity_of: EntityOf):
    toks = tokens(doc, span.start, span.end)
    if toks is None:
        return None
    for tok in toks:
        ent = entity_of[tok.i]
        if ent is not None and ent.label_ == label:
            return ent
    return None


def _inside_longer(doc: Doc, span: Span, label: str, entity_of: EntityOf) -> bool:
    """The model's `label` entity over the span reaches beyond it."""
    ent = _entity_around(doc, span, label, entity_of)
    return ent is not None and (ent.start_char < span.start or ent.end_char > span.end)


def inside_person(doc: Doc, span: Span, entity_of: EntityOf) -> bool:
    """ "Austin" in "Lloyd Austin": a place name that is part of a longer person's name."""
    return _inside_longer(doc, span, "PERSON", entity_of)


def names_a_person(doc: Doc, text: str, span: Span, surnames: set[str]) -> bool:
    """A bare "Ripley" in an article about Mike Ripley is him, unless used as a place ("in Ripley")."""
    if text[span.start:span.end] not in surnames:
        return False
    toks = tokens(doc, span.start, span.end)
    return toks is None or not after_preposition(doc, toks)


def _outlet_word(tok) -> bool:
    return tok.lower_ in OUTLET_WORDS and (tok.is_title or tok.is_upper)


def inside_outlet(doc: Doc, span: Span, entity_of: EntityOf) -> bool:
    """ "New York" in "New York Times", "Nepal" in "Daily News Nepal".

    Either the model's ORG entity around the name holds an outlet word, or (when the model
    split the name) an outlet word touches the place name directly.
    """
    ent = _entity_around(doc, span, "ORG", entity_of)
    if ent is not None and any(_outlet_word(t) for t in ent):
        return True
    toks = tokens(doc, span.start, span.end)
    if toks is None:
        return False
    after = doc[toks.end] if toks.end < len(doc) else None
    before = doc[toks.start - 1] if toks.start > 0 else None
    return (after is not None and _outlet_word(after)) or (before is not None and _outlet_word(before) and before.lower_ != "today")


def inside_organisation(doc: Doc, span: Span, entity_of: EntityOf) -> bool:
    """ "Study" in "Institute for the Study of War": a name inside a longer organisation name."""
    return _inside_longer(doc, span, "ORG", entity_of)


def organisation(doc: Doc, span: Span, entity_of: EntityOf) -> bool:
    """ "NATO", "WHO": an acronym the gazetteer alone found (a town "Nato" in the
    Philippines) which the model calls an organisation (the recognizer keeps those of
    countries and divisions: "DRC", "NSW"). Longer upper-case names are
    datelines ("HARTFORD —"), and title-case names the model calls organisations are as
    often towns ("Fargo Mayor ...", "a Rolling Meadows man"), so only acronyms go."""
    if span.origin != "gazetteer":
        return False
    written = doc.text[span.start:span.end]
    if not (written.isupper() and written.isalpha() and len(written) <= MAX_ACRONYM):
        return False
    return _entity_around(doc, span, "ORG", entity_of) is not None


MAX_ACRONYM = 5


_WORD_AFTER = re.compile(r"^[\s-]+([A-Za-z]+)")


def names_a_phenomenon(span: Span, text: str) -> bool:
    """ "the Marburg virus", "Lassa fever", "the Delta variant": named for a place, not it."""
    after = _WORD_AFTER.match(text[span.end:span.end + 20])
    return after is not None and after.group(1).lower() in PHENOMENON_WORDS


def street(span: Span) -> bool:
    """ "North Street", "Richmond Road": a street the gazetteer does not know by its whole name."""
    words = span.name.split()
    return len(words) > 1 and words[-1].lower().rstrip(".") in STREET_WORDS and not span.known


_SAINT = re.compile(r"^(?:St\.?|Saint|Ste\.?)\s", re.IGNORECASE)


def saints_possessive(span: Span, text: str) -> bool:
    """ "St. Michael's", "St. Mary's": a saint's name in the possessive is the church, school or
    hospital named for the saint, not the parish in Barbados or the town in Ontario."""
    written = text[span.start:span.end]
    return bool(_SAINT.match(written)) and (
        written.endswith(("'s", "\u2019s")) or text[span.end:span.end + 2] in ("'s", "\u2019s")
    )


_NUMBER_AFTER = re.compile(r"^ \d{1,3}(?![\d.,:])")


def numbered(span: Span, text: str) -> bool:
    """ "Talla 2", "Apollo 11": a name with a small number after it is a room, a craft or a
    team named for a place, not the place (the village of Talla in Ireland is not meant)."""
    return span.origin == "gazetteer" and bool(_NUMBER_AFTER.match(text[span.end:span.end + 6]))


_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")


def initials_of_a_name(span: Span, text: str) -> bool:
    """ "O.D. Wyatt High School": initials before a name are a person's (the town of Od in
    India is not meant); checked only for names the gazetteer knows as towns. Before an
    everyday word ("Washington, D.C. The mother ...") the initials end a sentence instead."""
    if not _INITIALS.match(text[span.start:span.end]):
        return False
    after = re.match(r"^ ([A-Z][a-z]+)", text[span.end:span.end + 30])
    return after is not None and not is_common_word(after.group(1))
