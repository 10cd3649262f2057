"""`geo parse --in DOCS.jsonl --out PRED.jsonl`: geoparse documents into a predictions file.

Input lines are {"id", "text"}; each output line is {"id", "mentions": [...]} with every
mention's span (offsets into the given text, end exclusive), the words as written, the
name looked up, the place's coordinates, country code and feature class (null when
unresolved), its kind (place, demonym, metonym) and the resolver's confidence. Output
lines keep the input order. Bad input lines are reported as FILE:LINE and skipped; the
exit code is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from geo.readers import InputProblem, parse_jsonl, read_text
from geo.records import ResolvedMention


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "parse",
        help="geoparse a JSONL file of documents into a JSONL file of mentions",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("--in", dest="input", type=Path, required=True, metavar="DOCS.jsonl",
                        help='one {"id", "text"} object a line')
    parser.add_argument("--out", dest="output", type=Path, required=True, metavar="PRED.jsonl")
    add_processes(parser)
    return parser


def add_processes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes for the geoparser (default: 2, or 1 on one core)")


def mention_record(resolved: ResolvedMention) -> dict[str, object]:
    m, r = resolved.mention, resolved.resolution
    place = r.place
    return {
        "start": m.start, "end": m.end, "text": m.text, "name": m.name,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "country_code": place.country_code if place else None,
        "feature": place.feature if place else None,
        "kind": m.kind, "confidence": round(r.confidence, 4),
    }


def read_documents(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """Good (id, text) pairs in file order, and a FILE:LINE message for each bad line.

    The same JSONL reader as `geo ingest`, so both commands accept and refuse the same lines;
    the text is taken as given (no furniture stripping), since offsets must refer to it."""
    decoded = read_text(path, max_bytes=sys.maxsize)
    if isinstance(decoded, InputProblem):
        return [], [str(decoded)]
    text, _ = decoded
    docs: list[tuple[str, str]] = []
    problems: list[str] = []
    for item in parse_jsonl(text, path, notice=None):
        if isinstance(item, InputProblem):
            problems.append(f"{item}; skipped")
        else:
            docs.append((item.article_id, item.text))
    return docs, problems


def parse_documents(docs: list[tuple[str, str]], processes: int) -> Iterator[tuple[str, list[ResolvedMention]]]:
    """Geoparse, then settle namesakes by where the file's other documents are (one
    source: geo.resolve.corpus)."""
    if not docs:
        return
    from geo.geoparser import Geoparser  # loads the model: only when there is work
    from geo.resolve.corpus import settle

    parser = Geoparser.load()
    first = list(parser.parse_many((text for _, text in docs), n_process=processes))
    results = settle(parser.resolver, [(None, text, resolved) for (_, text), resolved in zip(docs, first)])
    yield from zip((doc_id for doc_id, _ in docs), results)


def run(args: argparse.Namespace) -> int:
    docs, problems = read_documents(args.input)
    if not docs and problems:
        print(f"geo parse: {problems[0]}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    tmp = args.output.with_name(args.output.name + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        for doc_id, resolved in parse_documents(docs, args.processes):
            row = {"id": doc_id, "mentions": [mention_record(r) for r in resolved]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(args.output)
    print(f"geo parse: {len(docs)} document(s) written to {args.output}"
          + (f", {len(problems)} bad line(s) skipped" if problems else ""), file=sys.stderr)
    return 1 if problems else 0
