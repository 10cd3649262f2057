"""Place spans for known gazetteer names the NER model missed or mislabelled.

A name found in the text is taken as a place when the model agrees it is a name
(proper-noun tags, no date or number entity over it) and either the name is prominent
(a country, a first-level division, a region, a sizeable city) or the context shows
it is used as a place ("in X", "X, Ohio", a dateline). A name the model tagged as a
person is taken only with such context or when it is a multi-word name of a country,
division or region (the model calls "Donetsk People's Republic" a person); it is never
taken when it is part of a longer person's name ("Lloyd Austin"), see filters.
"""

from __future__ import annotations

from spacy.tokens import Doc

from geo.recognition import evidence
from geo.recognition.names import MAJOR, MINOR, NameHit
from geo.recognition.spans import Span

NOT_A_PLACE_ENTITY = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "WORK_OF_ART",
     "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
)
NAME_TAGS = frozenset({"PROPN"})


def looks_like_a_name(toks, surface: str) -> bool:
    """Tagged a proper noun, written in capitals, or capitalised where a sentence does not
    start (the small model tags some foreign names, "Vladivostok", as common nouns)."""
    return (
        any(t.pos_ in NAME_TAGS for t in toks)
        or surface.isupper()
        or (not toks[0].is_sent_start and all(t.is_title or not t.is_alpha for t in toks))
    )


def gazetteer_spans(doc: Doc, text: str, hits: list[NameHit], confirmed: set[str]) -> list[Span]:
    """`confirmed` holds names already taken as places in this article (by the model):
    a name used as a place once is a place throughout ("one sense per discourse"), so an
    occurrence that lacked context on its own is taken too."""
    majors = evidence.major_starts(hits)
    spans = []
    deferred = []
    for hit in hits:
        toks = evidence.tokens(doc, hit.start, hit.end)
        if toks is None:
            continue
        ent_types = {t.ent_type_ for t in toks}
        if ent_types & NOT_A_PLACE_ENTITY:
            continue
        if not looks_like_a_name(toks, text[hit.start:hit.end]):
            continue
        strong = evidence.followed_by_major(text, hit.end, majors) or evidence.dateline(text, hit.start, hit.end)
        in_context = strong or evidence.after_preposition(doc, toks)
        if hit.common and not strong:
            continue
        multiword_major = hit.rank == MAJOR and " " in hit.name  # "Donetsk People's Republic"
        span = Span(hit.start, hit.end, hit.name, "place", "gazetteer")
        if ("PERSON" in ent_types and not (in_context or multiword_major)) or (hit.rank >= MINOR and not in_context):
            deferred.append(span)
        else:
            spans.append(span)
    confirmed = confirmed | {s.name for s in spans}
    return spans + [s for s in deferred if s.name in confirmed]
