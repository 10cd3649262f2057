"""Telling metonymy from literal places: "Moscow said", "according to Washington"."""

from __future__ import annotations

from spacy.tokens import Doc

from geo.recognition.evidence import tokens
from geo.recognition.spans import Span
from geo.recognition.vocabulary import AGENT_VERBS


def is_metonym(doc: Doc, span: Span) -> bool:
    """A place name that is the subject of a verb of saying or deciding, or the source
    after "according to", stands for its government or institutions."""
    toks = tokens(doc, span.start, span.end)
    if toks is None:
        return False
    head = toks.root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head  # "Washington and Brussels imposed": the first conjunct carries the role
    if head.dep_ in {"nsubj", "nsubjpass"} and head.head.lemma_.lower() in AGENT_VERBS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "to" and head.head.head.lower_ == "according":
        return True
    return False
