"""How `geo ingest` scales: one process, the local pool, and Dask clusters of 1 and 2 workers.

    python benchmarks/scale_out.py CORPUS.jsonl [--limit N] [--client-articles N [--client-only] [--client-chars N]]

CORPUS lines are {"id", "text", ...}. Each setup ingests the same texts into a fresh store
through the real path (read, clean, geoparse, pins, one transaction per partition), after
its parsers are loaded (loading is reported apart, as the whole-process cost of a one-article
`geo ingest`). Printed per setup: seconds, docs/s, and peak RSS of the client (this process)
and of the largest worker process. `model` is spaCy's pipeline alone on the same texts in
one process: the floor. Then the projected time for 1,000,000 articles on N workers, from
the 2-worker rate per worker. With --client-articles N the corpus is cycled (ids made
unique) to N articles on the 2-worker cluster, to show the client's memory stays flat: a line
every five minutes gives the articles stored so far and the client's RSS at that moment.
--client-only skips the other setups; --client-chars N cuts each text of that run to its first
sentences within N characters, so that 50,000 articles take minutes rather than an hour and a
half: the client holds articles, partitions and results, whose count is what this run tests.

Targets on a 2-core machine: 2 workers >= 1.8x one worker; client <= 500 MB over 50,000
articles; each worker <= 1.2 GB; a one-article ingest under 5 s in all.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from parse_speed import PeakRSS

from geo.cluster import keep_few_messages
from geo.geoparser import Geoparser, process_parser
from geo.ingest import ingest
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(texts: list[tuple[str, str]], n: int, folder: Path, max_chars: int = 0) -> Path:
    """The texts as one JSONL file of n articles (cycled, ids made unique), each cut to
    `max_chars` (at a sentence end) when that is set."""
    path = folder / f"corpus-{n}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i, (doc_id, text) in zip(range(n), itertools.cycle(texts)):
            out.write(json.dumps({"id": f"{doc_id}-{i}", "text": first_sentences(text, max_chars)}) + "\n")
    return path


def first_sentences(text: str, max_chars: int) -> str:
    """The text's first sentences within max_chars (0: the whole text)."""
    if not max_chars or len(text) <= max_chars:
        return text
    end = text.rfind(". ", 0, max_chars)
    return text[: end + 1] if end > 0 else text[:max_chars]


def timed_ingest(label: str, corpus: Path, n: int, work: Callable[[Store], object]) -> float:
    with tempfile.TemporaryDirectory() as data, Store(data) as store, PeakRSS() as rss:
        start = time.perf_counter()
        work(store)
        seconds = time.perf_counter() - start
    worker = f"largest worker {rss.child / 2**20:6.0f} MB" if rss.child else ""
    print(f"{label:<13} {seconds:8.1f} s  {n / seconds:7.1f} docs/s  client {rss.own / 2**20:6.0f} MB  {worker}", flush=True)
    return n / seconds


def _warm() -> None:
    with process_parser():
        pass


def rss_now(line: str) -> None:
    """A progress line with the client's RSS at that moment, for the long run."""
    if "stored so far" in line:
        print(f"{'':<13} {line.removeprefix('geo ingest: ')}  client {psutil.Process().memory_info().rss / 2**20:.0f} MB",
              flush=True)


def on_cluster(corpus: Path, n: int, workers: int, label: str, batch_size: int,
               report: Callable[[str], None] = lambda _: None) -> float:
    from distributed import Client, LocalCluster

    keep_few_messages()  # as `geo ingest --cluster local` does before its LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        client.run(_warm)  # each worker loads its parser once, before the clock starts
        print(f"{'':<13} cluster of {workers} started, parsers loaded: {time.perf_counter() - start:.1f} s", flush=True)
        return timed_ingest(label, corpus, n, lambda store: ingest(
            [corpus], store, load_parser=None, cluster=cluster.scheduler_address, batch_size=batch_size,
            report=report, log_every_s=300))


def startup_seconds(folder: Path) -> float:
    story = folder / "one.txt"
    story.write_text("Floods hit Nairobi, the capital of Kenya, on Friday.\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", "ingest", str(story), "--data-dir", str(folder / "one"),
                    "--processes", "1"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def compare(texts: list[tuple[str, str]], corpus: Path, folder: Path, partition_size: int) -> None:
    """Start-up, load, the model alone, and the four setups on the same texts; the speed-up."""
    n = len(texts)
    print(f"start-up      {startup_seconds(folder):8.1f} s  (whole-process cost of a one-article geo ingest)",
          flush=True)

    start = time.perf_counter()
    parser = Geoparser.load()
    print(f"load          {time.perf_counter() - start:8.1f} s  (model, gazetteer, name automaton)", flush=True)
    nlp = parser.recognizer.nlp
    with PeakRSS() as rss:
        start = time.perf_counter()
        sum(1 for _ in nlp.pipe((t for _, t in texts), batch_size=16))
        seconds = time.perf_counter() - start
    print(f"{'model':<13} {seconds:8.1f} s  {n / seconds:7.1f} docs/s  client {rss.own / 2**20:6.0f} MB  "
          "(spaCy alone: the floor)", flush=True)

    for label, processes in (("one process", 1), ("local pool 2", 2)):
        timed_ingest(label, corpus, n, lambda store, p=processes: ingest(
            [corpus], store, load_parser=lambda: parser, n_process=p, batch_size=partition_size,
            report=lambda _: None))
    one = on_cluster(corpus, n, 1, "cluster of 1", partition_size)
    two = on_cluster(corpus, n, 2, "cluster of 2", partition_size)
    print(f"speed-up      {two / one:8.2f} x  (2 workers over 1; target >= 1.8 on 2 quiet cores)")
    per_worker = two / 2
    for workers in (1, 2, 8, 32, 128):
        hours = 1_000_000 / (per_worker * workers) / 3600
        print(f"projected     1,000,000 articles on {workers:>3} worker(s): {hours:7.1f} h")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--partition-size", type=int, default=32)
    ap.add_argument("--client-articles", type=int, default=0, metavar="N",
                    help="also ingest N articles (the corpus cycled) on 2 workers, for the client's memory")
    ap.add_argument("--client-only", action="store_true", help="with --client-articles, only that run")
    ap.add_argument("--client-chars", type=int, default=0, metavar="N",
                    help="with --client-articles, each text cut to its first sentences within N characters")
    args = ap.parse_args(argv)

    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    texts = [(str(r["id"]), r["text"]) for r in records][: args.limit or None]
    n = len(texts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = write_corpus(texts, n, folder)
        print(f"corpus {args.corpus}: {n} documents, {sum(len(t) for _, t in texts) / 1000:.0f}k characters; "
              f"partitions of {args.partition_size}", flush=True)
        if not args.client_only:
            compare(texts, corpus, folder, args.partition_size)
        if args.client_articles:
            big = write_corpus(texts, args.client_articles, folder, args.client_chars)
            on_cluster(big, args.client_articles, 2, f"{args.client_articles:,} docs", args.partition_size, rss_now)
    return 0


if __name__ == "__main__":
    sys.exit(main())
