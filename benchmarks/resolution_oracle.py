"""Resolution alone, on gold toponym spans: A@161 with recognition taken as perfect.

    python benchmarks/resolution_oracle.py --gold ../shared/eval/lgl.jsonl [--out PRED.jsonl]

Gold spans become mentions (a span the gazetteer only knows as a demonym, "Russian",
becomes a demonym mention of its place), the Resolver places them, and the predictions
are scored by the evaluation's own score.py, run as a subprocess on the written file.
Also prints the resolver's speed (documents and mentions per second).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.gazetteer import Gazetteer
from geo.records import Mention
from geo.resolve import Resolver

REPO = Path(__file__).resolve().parents[1]


def gold_mentions(gaz: Gazetteer, toponyms: list[dict]) -> list[Mention]:
    mentions = []
    for top in toponyms:
        surface = top["name"]
        place = None if gaz.contains(surface) else gaz.demonym(surface)
        mentions.append(
            Mention(top["start"], top["end"], surface, place or surface, "demonym" if place else "place")
        )
    return mentions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True, type=Path, help="gold JSONL (id, text, toponyms)")
    parser.add_argument("--out", type=Path, help="where to write the predictions (default: a temp file)")
    parser.add_argument(
        "--score", type=Path, default=REPO.parent / "shared" / "eval" / "score.py",
        help="the evaluation's score.py (default: ../shared/eval/score.py)",
    )
    args = parser.parse_args()

    gaz = Gazetteer.load()
    resolver = Resolver(gaz)
    docs = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    out = args.out or Path(tempfile.mkstemp(suffix=".jsonl", prefix="oracle-")[1])
    started = time.perf_counter()
    n_mentions = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            mentions = gold_mentions(gaz, doc["toponyms"])
            n_mentions += len(mentions)
            resolved = resolver.resolve(doc["text"], mentions)
            fh.write(json.dumps({
                "id": doc["id"],
                "mentions": [
                    {
                        "start": r.mention.start, "end": r.mention.end,
                        "lat": r.resolution.place.lat if r.resolution.place else None,
                        "lon": r.resolution.place.lon if r.resolution.place else None,
                    }
                    for r in resolved
                ],
            }) + "\n")
    elapsed = time.perf_counter() - started
    print(f"resolved {n_mentions} gold mentions in {len(docs)} docs in {elapsed:.2f}s "
          f"({len(docs) / elapsed:.0f} docs/s, {n_mentions / elapsed:.0f} mentions/s); predictions: {out}")
    sys.stdout.flush()
    return subprocess.call([sys.executable, str(args.score), "--gold", str(args.gold), "--pred", str(out)])


if __name__ == "__main__":
    sys.exit(main())
