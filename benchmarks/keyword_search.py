"""How fast keyword search answers on a large store: `benchmarks/keyword_search.py [--articles N] [--data-dir DIR]`.

Builds (through the store's write API, so the index is kept by its triggers as in real use)
N synthetic articles of about 3 KB drawn from a vocabulary of 20,000 words with English-like
Zipf frequencies (the commonest word is about 9% of all words), unless DIR
already holds that many, then prints the build time, the store's size and, for queries of
rare, common and very common words, phrases, prefixes and OR, the time to the set of ids.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from pathlib import Path

from geo.fulltext import matching_articles
from geo.records import Article
from geo.store import DB_NAME, Store

VOCABULARY = 20_000
QUERIES = ("w5", "w300", "w12000", "w5 w300", '"w1 w2"', "w12*", "w300 OR w12000", "nosuchword")


WORDS = [f"w{rank}" for rank in range(1, VOCABULARY + 1)]
CUMULATIVE = list(itertools.accumulate(1 / rank for rank in range(1, VOCABULARY + 1)))


def words(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=CUMULATIVE, k=k))


def build(store: Store, n: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    for i in range(n):
        store.replace_article(Article(f"a{i:07d}", words(rng, 450), f"h{i}", f"a{i}.txt", title=words(rng, 6)), [])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="keyword-search-"))
    with Store(data_dir) as store:
        have = store.count("articles")
        if have < args.articles:
            seconds = build(store, args.articles)
            print(f"built {args.articles:,} articles in {seconds:.1f} s ({args.articles / seconds:,.0f}/s)")
        size = (data_dir / DB_NAME).stat().st_size
        print(f"store: {store.count('articles'):,} articles, {size / 1e6:.0f} MB at {data_dir}")
    with Store(data_dir, readonly=True) as reader:
        print(f"{'query':<20} {'matches':>9} {'median ms':>10}")
        for query in QUERIES:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                found = matching_articles(reader.conn, query)
                times.append((time.perf_counter() - started) * 1000)
            print(f"{query:<20} {len(found):>9,} {statistics.median(times):>10.1f}")


if __name__ == "__main__":
    main()
