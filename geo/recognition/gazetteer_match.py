"""Place spans for known gazetteer names the NER model missed or mislabelled.

A name found in the text is taken as a place when the model agrees it is a name
(proper-noun tags, no date or number entity over it) and either the name is prominent
(a country, a first-level division, a region, a sizeable city) or the context shows
it is used as a place ("in X", "X, Ohio", a dateline, "the convoy left X", "X and
<a place>"). A name the model tagged as a person is taken only with such context, when
it is a multi-word name of a country, division or region (the model calls "Donetsk
People's Republic" a person), or when it is a single-word country, division or region
that is rare as an English word and shows no sign of a person ("Sylhet", "Kherson": the
small model calls unfamiliar foreign names people). It is never taken when it is part of
a longer person's name ("Lloyd Austin"), see filters.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span as TokenSpan
from wordfreq import zipf_frequency

from geo.recognition import evidence
from geo.recognition.names import MAJOR, MINOR, NameHit
from geo.recognition.spans import Span

NOT_A_PLACE_ENTITY = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "WORK_OF_ART",
     "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
)
NAME_TAGS = frozenset({"PROPN"})
# Below this Zipf frequency a prominent place name is not also a common surname or word:
# oblasts and divisions such as "Kherson" (2.1) or "Sylhet" (2.2) fall below it, the
# surnames "Mendoza" (3.2) and "Guerrero" (3.2), both Latin American divisions, above.
RARE_NAME_ZIPF = 3.0


def looks_like_a_name(toks, surface: str) -> bool:
    """Tagged a proper noun, written in capitals, or capitalised where a sentence does not
    start (the small model tags some foreign names, "Vladivostok", as common nouns)."""
    return (
        any(t.pos_ in NAME_TAGS for t in toks)
        or surface.isupper()
        or (not toks[0].is_sent_start and all(t.is_title or not t.is_alpha for t in toks))
    )


def _prominent_rare(hit: NameHit) -> bool:
    return hit.rank == MAJOR and " " not in hit.name and zipf_frequency(hit.name.lower(), "en") < RARE_NAME_ZIPF


def gazetteer_spans(doc: Doc, text: str, hits: list[NameHit], confirmed: list[Span]) -> list[Span]:
    """`confirmed` holds the places the model already found in this article. A name used
    as a place once is a place throughout ("one sense per discourse"), and a name listed
    with a place ("Chittagong and Sylhet") is one, so an occurrence that lacked context
    on its own is taken too."""
    majors = evidence.major_starts(hits)
    spans = []
    deferred: Deferred = []
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
        person_tagged = "PERSON" in ent_types
        if not in_context and evidence.person_marked(doc, toks):
            continue  # "Mayor Hidalgo", "Lara's wife", "Mendoza, 45,"
        if (person_tagged and not (in_context or multiword_major)) or (hit.rank >= MINOR and not in_context):
            speaking = person_tagged and evidence.speaks(toks)  # "Robertson said"
            if not speaking and (evidence.place_syntax(toks) or (person_tagged and _prominent_rare(hit))):
                spans.append(span)
            else:
                deferred.append((span, toks, speaking))
        else:
            spans.append(span)
    return spans + _confirmed_later(doc, deferred, confirmed + spans)


Deferred = list[tuple[Span, TokenSpan, bool]]  # span, its tokens, whether it speaks like a person


def _confirmed_later(doc: Doc, deferred: Deferred, taken: list[Span]) -> list[Span]:
    """Deferred names taken because the same name or a coordinated name is a place; a
    name taken so can confirm others in turn ("Kherson, Mykolaiv and Odesa"). A name
    that speaks like a person ("Robertson said") is taken only by its name."""
    names = {s.name for s in taken}
    taken_tokens: set[int] = set()
    for s in taken:
        toks = evidence.tokens(doc, s.start, s.end)
        if toks is not None:
            taken_tokens.update(range(toks.start, toks.end))
    found: list[Span] = []
    changed = True
    while changed and deferred:
        changed = False
        waiting = []
        for span, toks, speaking in deferred:
            if span.name in names or (not speaking and evidence.coordinated_with(toks, taken_tokens)):
                found.append(span)
                names.add(span.name)
                taken_tokens.update(range(toks.start, toks.end))
                changed = True
            else:
                waiting.append((span, toks, speaking))
        deferred = waiting
    return found
