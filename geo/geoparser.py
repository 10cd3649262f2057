"""The geoparser: recognition then resolution, one article at a time or a corpus on all cores.

    text ─> Recognizer (spaCy NER + gazetteer names) ─> Mentions ─> Resolver ─> ResolvedMentions

`parse` is a pure function of the text (analysts' pins are applied after it, by
geo.pins), which is what lets geo.runners farm articles out to worker processes. Workers are forked after
the model and the name automaton are loaded, so they share those pages with the parent; each opens
its own gazetteer connection (an SQLite handle must not cross a fork) and sends back only
the small resolved records, never spaCy documents. A process that was not forked from a
loaded parent (a Dask worker) builds its own parser once, on first use (`process_parser`).

Long texts are parsed in pieces of at most PIECE_CHARS, cut at a paragraph, line or sentence
end, and the mentions of each piece shifted back to offsets in the whole text: spaCy's
memory grows with the length of what it is given (one 1 MB article took 3.4 GB at once),
and a piece's sentences never need the rest of the article to be recognised.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from typing import TypeVar

from spacy.tokens import Doc

from geo.gazetteer import Gazetteer
from geo.recognition import Recognizer
from geo.records import Article, Mention, ResolvedMention
from geo.resolve import Resolver

# Articles per task sent to a worker: big enough for spaCy's batching to pay off, small
# enough that both workers stay busy until the end of a corpus.
CHUNK = 16
# The longest text handed to spaCy at once (well within its max_length of 1,000,000).
PIECE_CHARS = 20_000
# The most characters spaCy is given in one batch (16 typical articles are ~50,000).
BATCH_CHARS = 60_000
# Where a piece may end, best first: a paragraph, a line, a sentence, a space.
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'’”)\]]*\s"), re.compile(r"\s"))

T = TypeVar("T")

_worker: Geoparser | None = None  # this process's parser: adopted from a forking parent, or built here
_worker_lock = threading.Lock()


class GeoparseError(RuntimeError):
    """A text the geoparser could not parse (the message names it)."""


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
        return self._parse_chunk([text])[0]

    def _resolve(self, text: str, mentions: list[Mention]) -> list[ResolvedMention]:
        return self.resolver.resolve(text, mentions)

    def _parse_chunk(self, texts: list[str]) -> list[list[ResolvedMention]]:
        """Recognise every piece of every text in one spaCy stream, and resolve each piece's
        mentions (in offsets of the whole text) together. An article of one piece (almost
        all of them) is resolved whole; in a longer one, coherence looks at the mentions of
        the same piece, which keeps resolution linear in the length (it compares every
        mention with every other: a 1 MB text holds thousands)."""
        cut = [pieces(text) for text in texts]
        docs = self._docs([piece for parts in cut for _, piece in parts])
        results = []
        for text, parts in zip(texts, cut):
            resolved: list[ResolvedMention] = []
            for offset, _ in parts:
                resolved += self._resolve(text, [_shifted(m, offset) for m in self.recognizer.mentions(next(docs))])
            results.append(resolved)
        return results

    def _docs(self, texts: list[str]) -> Iterator[Doc]:
        """spaCy's documents for `texts`, in order, in batches of at most CHUNK texts and
        BATCH_CHARS characters: what spaCy holds at once is bounded by the batch (16 pieces of
        a long article at once took 1.1 GB; 2 take 0.4 GB)."""
        batch: list[str] = []
        for text in texts:
            if batch and (len(batch) == CHUNK or sum(map(len, batch)) + len(text) > BATCH_CHARS):
                yield from self.recognizer.nlp.pipe(batch, batch_size=len(batch))
                batch = []
            batch.append(text)
        if batch:
            yield from self.recognizer.nlp.pipe(batch, batch_size=len(batch))

    def parse_many(self, texts: Iterable[str], n_process: int = 1) -> Iterator[list[ResolvedMention]]:
        """Parse texts in order; with n_process > 1, on that many forked worker processes (the
        same runners as `geo ingest`, see geo.runners). A text that fails raises."""
        from geo.runners import make_runner

        articles = (Article(str(i), text, "", f"text {i + 1}") for i, text in enumerate(texts))
        runner = make_runner(None, lambda: self, n_process, report=lambda _: None)
        try:
            for _, results in runner.map(_chunks(articles, CHUNK)):
                for parsed in results:
                    if parsed.failure:
                        raise GeoparseError(parsed.failure)
                    yield parsed.mentions
        finally:
            runner.close()

    def reconnected(self) -> Geoparser:
        """The same parser with its own gazetteer connection (for a forked process)."""
        gaz = Gazetteer(self.resolver.gaz.path)
        self.recognizer.gaz = gaz
        self.resolver.gaz = gaz
        return self


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs that put together make `text`, each at most `limit` long, cut
    at the best boundary in the second half of the window (so no piece is needlessly short)."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        end = limit
        for cut in _CUTS:
            ends = [m.end() for m in cut.finditer(window, limit // 2)]
            if ends:
                end = ends[-1]
                break
        out.append((start, window[:end]))
        start += end
    out.append((start, text[start:]))
    return out


def _shifted(m: Mention, offset: int) -> Mention:
    if not offset:
        return m
    return replace(m, start=m.start + offset, end=m.end + offset,
                   sent_start=m.sent_start + offset, sent_end=m.sent_end + offset)


@contextmanager
def process_parser() -> Iterator[Geoparser]:
    """This process's geoparser, held for one piece of work: the parser a forking parent
    handed over, else one loaded here on first use (the model, and the gazetteer, compiled
    first if missing). A Dask worker running tasks on several threads shares the one
    parser, a task at a time, rather than loading one per thread."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = Geoparser.load()
        yield _worker


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def adopt(parser: Geoparser) -> None:
    """Make `parser` this process's own (the initializer of a pool forked once it is loaded)."""
    global _worker
    _worker = parser.reconnected()
