"""Where the geoparsing of a corpus runs: in this process, on a pool of forked processes, or
on a Dask cluster (geo.cluster). All three run the same per-partition function,
`geoparse_partition`: articles in, resolved records out (never spaCy objects), one bad
article failing alone. A runner keeps a bounded number of partitions in flight, so memory
stays flat however long the corpus is, and hands results back in the order given.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Protocol, TypeVar

from geo.records import Article, ResolvedMention

P = TypeVar("P")


@dataclass(frozen=True)
class Parsed:
    """One article's outcome: its mentions, or why geoparsing it failed."""

    article: Article
    mentions: list[ResolvedMention]
    failure: str | None = None


class Parser(Protocol):
    def _parse_chunk(self, texts: list[str]) -> list[list[ResolvedMention]]: ...
    def parse(self, text: str) -> list[ResolvedMention]: ...


def geoparse_partition(articles: Sequence[Article], parser: Parser | None = None) -> list[Parsed]:
    """Geoparse a partition at full speed; if anything in it fails, redo it one by one so
    only the article at fault is lost, with a message that names it. Without `parser`,
    this process's own parser is used (see geoparser.process_parser)."""
    if parser is None:
        from geo.geoparser import process_parser

        with process_parser() as own:
            return geoparse_partition(articles, own)
    try:
        results = parser._parse_chunk([a.text for a in articles])
        return [Parsed(a, r) for a, r in zip(articles, results)]
    except Exception:  # noqa: BLE001 - isolate the culprit below
        pass
    out = []
    for article in articles:
        try:
            out.append(Parsed(article, parser.parse(article.text)))
        except Exception as err:  # noqa: BLE001 - one bad article must not stop the run
            out.append(Parsed(article, [], f"{article.source_path}: geoparsing failed: {type(err).__name__}: {err}"))
    return out


Articles = Callable[[P], Sequence[Article]]  # the articles of a partition (a partition may carry more)


def itself(partition: Sequence[Article]) -> Sequence[Article]:
    return partition


class Runner(Protocol):
    def map(self, partitions: Iterable[P], articles: Articles = itself) -> Iterator[tuple[P, list[Parsed]]]: ...
    def close(self) -> None: ...


def bounded(
    submit: Callable[[P], Callable[[], list[Parsed]]], partitions: Iterable[P], limit: int | Callable[[], int]
) -> Iterator[tuple[P, list[Parsed]]]:
    """Submit partitions with at most `limit` in flight (a number, or a function asked each
    time, for a limit learnt once connected); `submit` returns a function that waits for
    that partition's result. Results come back in submission order."""
    in_flight = limit if callable(limit) else lambda: limit
    pending: deque[tuple[P, Callable[[], list[Parsed]]]] = deque()
    for partition in partitions:
        pending.append((partition, submit(partition)))
        if len(pending) >= in_flight():
            done, wait = pending.popleft()
            yield done, wait()
    while pending:
        done, wait = pending.popleft()
        yield done, wait()


class InProcess:
    """Everything in this process: the default for one core, and for tests."""

    def __init__(self, load_parser: Callable[[], Parser]) -> None:
        self._load = load_parser
        self._parser: Parser | None = None

    def map(self, partitions: Iterable[P], articles: Articles = itself) -> Iterator[tuple[P, list[Parsed]]]:
        for partition in partitions:
            self._parser = self._parser or self._load()  # loaded only when there is work
            yield partition, geoparse_partition(articles(partition), self._parser)

    def close(self) -> None:
        pass


class ForkPool:
    """Worker processes forked from this one once its parser is loaded, so they share the
    model's and the name automaton's pages with it."""

    def __init__(self, load_parser: Callable[[], Parser], processes: int) -> None:
        self._load = load_parser
        self.processes = processes
        self._pool: multiprocessing.pool.Pool | None = None

    def map(self, partitions: Iterable[P], articles: Articles = itself) -> Iterator[tuple[P, list[Parsed]]]:
        it = iter(partitions)
        first = list(islice(it, 2))
        if len(first) < 2:  # one partition: forking would cost more than it saves
            yield from InProcess(self._load).map(first, articles)
            return

        def submit(partition: P) -> Callable[[], list[Parsed]]:
            if self._pool is None:
                from geo.geoparser import adopt

                context = multiprocessing.get_context("fork")
                self._pool = context.Pool(self.processes, initializer=adopt, initargs=(self._load(),))
            return self._pool.apply_async(geoparse_partition, (articles(partition),)).get

        yield from bounded(submit, chain(first, it), limit=2 * self.processes)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


def make_runner(
    cluster: str | None, load_parser: Callable[[], Parser], processes: int, report: Callable[[str], None]
) -> Runner:
    """The Dask cluster at `cluster` (see geo.cluster), else `processes` local processes."""
    if cluster is not None:
        from geo.cluster import DaskRunner  # Dask is imported only when asked for

        return DaskRunner(cluster, report=report)
    return ForkPool(load_parser, processes) if processes > 1 else InProcess(load_parser)
