"""The geoparser: recognition then resolution, one article at a time or a corpus on all cores.

    text ─> Recognizer (spaCy NER + gazetteer names) ─> Mentions ─> Resolver ─> ResolvedMentions

`parse` is a pure function of the text (analysts' pins are applied after it, by
geo.pins), which is what lets `parse_many` farm articles out to worker processes. Workers are forked after the model
and the name automaton are loaded, so they share those pages with the parent; each opens
its own gazetteer connection (an SQLite handle must not cross a fork) and sends back only
the small resolved records, never spaCy documents.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from geo.gazetteer import Gazetteer
from geo.recognition import Recognizer
from geo.records import Mention, ResolvedMention
from geo.resolve import Resolver

# Articles per task sent to a worker: big enough for spaCy's batching to pay off, small
# enough that both workers stay busy until the end of a corpus.
CHUNK = 16

_worker: Geoparser | None = None  # the parser a forked worker process uses


class Geoparser:
    """Finds the places an article mentions and resolves each to coordinates."""

    def __init__(self, recognizer: Recognizer, resolver: Resolver):
        self.recognizer = recognizer
        self.resolver = resolver

    @classmethod
    def load(cls, gazetteer: Gazetteer | None = None) -> Geoparser:
        """The geoparser over the compiled gazetteer (built on first use) and spaCy's model."""
        gaz = gazetteer or Gazetteer.load()
        return cls(Recognizer.load(gaz), Resolver(gaz))

    def parse(self, text: str) -> list[ResolvedMention]:
        return self._resolve(text, self.recognizer.recognize(text))

    def _resolve(self, text: str, mentions: list[Mention]) -> list[ResolvedMention]:
        return self.resolver.resolve(text, mentions)

    def _parse_chunk(self, texts: list[str]) -> list[list[ResolvedMention]]:
        # the texts as given: doc.text equals them but is rebuilt from the tokens on each access
        return [self._resolve(text, self.recognizer.mentions(doc))
                for text, doc in zip(texts, self.recognizer.nlp.pipe(texts, batch_size=CHUNK))]

    def parse_many(self, texts: Iterable[str], n_process: int = 1) -> Iterator[list[ResolvedMention]]:
        """Parse texts in order; with n_process > 1, on that many forked worker processes."""
        chunks = _chunks(texts, CHUNK)
        if n_process <= 1:
            for chunk in chunks:
                yield from self._parse_chunk(chunk)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(n_process, initializer=_adopt, initargs=(self,)) as pool:
            for results in pool.imap(_parse_in_worker, chunks):
                yield from results

    def reconnected(self) -> Geoparser:
        """The same parser with its own gazetteer connection (for a forked process)."""
        gaz = Gazetteer(self.resolver.gaz.path)
        self.recognizer.gaz = gaz
        self.resolver.gaz = gaz
        return self


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


def _adopt(parser: Geoparser) -> None:
    global _worker
    _worker = parser.reconnected()


def _parse_in_worker(texts: list[str]) -> list[list[ResolvedMention]]:
    assert _worker is not None, "worker not initialised"
    return _worker._parse_chunk(texts)
