"""How fast `geo parse` runs next to the NER model alone, and how much memory it takes.

    python benchmarks/parse_speed.py CORPUS.jsonl [--processes 2] [--limit N]

CORPUS lines are {"id", "text", ...}. Three timings over the same texts, each after the
models are loaded (loading is reported apart):
  spacy-pipe  spaCy's pipeline alone through its own nlp.pipe(n_process=N), which ships
              whole Doc objects back to the parent (for reference)
  model       spaCy's pipeline alone on N forked workers laid out exactly as the geoparser's
              (same chunks, only the entities sent back): the baseline
  geoparse    Geoparser.parse_many(n_process=N): model + gazetteer matching + resolution
The cost of recognition rules and resolution is geoparse time / model time - 1 (target:
at most +25 %). Peak memory is the largest sum of the RSS of this process and all its
children, sampled every 50 ms while each phase runs (target: under 1.5 GB); shared pages
of forked workers count once per process, so the sum overstates physical memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from geo.geoparser import CHUNK, Geoparser, _chunks


class PeakRSS:
    """Samples the RSS of this process and its children in a background thread: the peak
    of their sum (`peak`), of this process alone (`own`) and of the largest child (`child`)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = self.own = self.child = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        own = me.memory_info().rss
        children = []
        for child in me.children(recursive=True):
            try:
                children.append(child.memory_info().rss)
            except psutil.Error:
                pass
        self.own = max(self.own, own)
        self.child = max(self.child, *children, 0)
        return own + sum(children)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def timed(label: str, n_docs: int, work: Callable[[], object]) -> float:
    with PeakRSS() as rss:
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
    print(f"{label:<11} {seconds:8.2f} s  {n_docs / seconds:8.1f} docs/s  peak RSS {rss.peak / 2**20:7.0f} MB")
    return seconds


_nlp = None  # the model a forked baseline worker uses


def _entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in _nlp.pipe(texts, batch_size=CHUNK)]


def model_on_workers(nlp, texts: list[str], processes: int) -> int:
    """The NER model alone, on forked workers fed the same chunks as Geoparser.parse_many."""
    global _nlp
    _nlp = nlp
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return sum(len(chunk) for chunk in pool.imap(_entities, _chunks(texts, CHUNK)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only the first N documents")
    args = ap.parse_args(argv)

    texts = [json.loads(line)["text"] for line in args.corpus.open(encoding="utf-8") if line.strip()]
    texts = texts[: args.limit] if args.limit else texts
    chars = sum(map(len, texts))
    print(f"corpus {args.corpus}: {len(texts)} documents, {chars / 1000:.0f}k characters, "
          f"{args.processes} process(es)")


    start = time.perf_counter()
    parser = Geoparser.load()
    nlp = parser.recognizer.nlp
    print(f"load       {time.perf_counter() - start:8.2f} s  (model, gazetteer, name automaton)")

    timed("spacy-pipe", len(texts), lambda: sum(1 for _ in nlp.pipe(texts, n_process=args.processes)))
    model = timed("model", len(texts), lambda: model_on_workers(nlp, texts, args.processes))
    full = timed("geoparse", len(texts), lambda: sum(1 for _ in parser.parse_many(texts, n_process=args.processes)))
    print(f"overhead   {100 * (full / model - 1):+7.1f} %  (geoparse over the model on the same workers; target <= +25 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
