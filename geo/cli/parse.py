"""`geo parse --in DOCS --out PRED.jsonl | DIR`: geoparse documents into predictions.

Input records are {"id", "text"} (JSONL, CSV or Parquet, JSONL and CSV maybe gzipped);
with --out PRED.jsonl each output line is {"id", "mentions": [...]} with every mention's
span (offsets into the given text, end exclusive), the words as written, the name looked
up, the place's coordinates, country code and feature class (null when unresolved), its
kind (place, demonym, metonym) and the resolver's confidence, in input order. With --out
DIR (a folder or fsspec URL; --in may then be a glob such as 'feeds/*.jsonl.gz') the same
mentions go to a partitioned Parquet dataset, one file per input partition (see
geo.dataset), with --cluster to run on Dask. Bad input records are reported as FILE:LINE
and skipped; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from geo.dataset import mention_record
from geo.readers import OPTIONAL_FIELDS, REQUIRED_FIELDS, InputProblem, read_file
from geo.records import ResolvedMention

# Articles per partition of a dataset: one Parquet file each, a few hundred kB.
DATASET_PARTITION = 500


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "parse",
        help="geoparse documents into a JSONL file of mentions, or a partitioned Parquet dataset",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("--in", dest="input", required=True, metavar="DOCS",
                        help="a file of {id, text} records; for a dataset, also a glob or fsspec URL")
    parser.add_argument("--out", dest="output", required=True, metavar="PRED.jsonl|DIR",
                        help="a .jsonl file, or a folder (fsspec URL) for a Parquet dataset")
    add_columns(parser)
    add_processes(parser)
    add_cluster(parser)
    parser.add_argument("--partition-size", type=int, default=DATASET_PARTITION, metavar="N",
                        help=f"documents per Parquet file of a dataset (default: {DATASET_PARTITION})")
    return parser


def add_processes(parser: argparse.ArgumentParser) -> None:
    """One name for "how many local processes geoparse" in every command (--jobs: the old
    name `geo ingest` used, kept so scripts keep working)."""
    parser.add_argument("--processes", "--jobs", dest="processes", type=int, default=min(2, os.cpu_count() or 1),
                        metavar="N", help="local worker processes for the geoparser (default: 2, or 1 on one core)")


def add_cluster(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cluster", metavar="ADDRESS",
        help="geoparse on a Dask cluster: a scheduler (tcp://host:8786), or local / local:N for N worker "
             "processes here (default: $DASK_SCHEDULER_ADDRESS if set, else no cluster)",
    )


def _columns(value: str) -> dict[str, str]:
    known = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
    mapping = {}
    for pair in value.split(","):
        ours, _, theirs = pair.partition("=")
        if ours.strip() not in known or not theirs.strip():
            raise argparse.ArgumentTypeError(f"{pair!r}: expected FIELD=COLUMN with FIELD one of {', '.join(known)}")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def add_columns(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns", type=_columns, metavar="FIELD=COLUMN,...",
        help="the names a CSV, Parquet or JSONL file uses for our fields, e.g. id=story_id,text=body",
    )


def read_documents(path: Path, columns: dict[str, str] | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """Good (id, text) pairs in file order, and a FILE:LINE message for each bad line.

    The same JSONL reader as `geo ingest`, so both commands accept and refuse the same lines;
    the text is taken as given (no furniture stripping), since offsets must refer to it."""
    docs: list[tuple[str, str]] = []
    problems: list[str] = []
    for item in read_file(path, max_bytes=sys.maxsize, columns=columns):
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
    if not args.output.endswith(".jsonl"):
        return _to_dataset(args)
    docs, problems = read_documents(Path(args.input), args.columns)
    if not docs and problems:
        print(f"geo parse: {problems[0]}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    output = Path(args.output)
    tmp = output.with_name(output.name + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        for doc_id, resolved in parse_documents(docs, args.processes):
            row = {"id": doc_id, "mentions": [mention_record(r) for r in resolved]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(output)
    print(f"geo parse: {len(docs)} document(s) written to {output}"
          + (f", {len(problems)} bad line(s) skipped" if problems else ""), file=sys.stderr)
    return 1 if problems else 0


def _to_dataset(args: argparse.Namespace) -> int:
    from geo.cluster import ClusterError, check_address, cluster_address
    from geo.dataset import Dataset, Partition, input_files, partitions
    from geo.geoparser import Geoparser
    from geo.runners import make_runner

    def say(line: str) -> None:
        print(f"geo parse: {line}", file=sys.stderr)

    cluster = cluster_address(args.cluster)
    try:
        files = input_files(args.input)
        if cluster:
            check_address(cluster)
        dataset = Dataset(args.output)
    except (ValueError, OSError, ImportError) as err:
        say(f"{err}")
        return 2
    if not files:
        say(f"{args.input}: no such file")
        return 2
    problems: list[InputProblem] = []

    def tell(problem: InputProblem) -> None:
        problems.append(problem)
        print(f"{problem}; skipped", file=sys.stderr)

    kept = written = documents = mentions = failed = 0

    def todo() -> Iterator[Partition]:
        """The partitions still to write: a part already there (a killed run's) is kept."""
        nonlocal kept
        for partition in partitions(files, args.partition_size, tell, columns=args.columns):
            if dataset.has(partition.name):
                kept += 1
            else:
                yield partition

    runner = make_runner(cluster, Geoparser.load, args.processes, report=say)
    try:
        for partition, results in runner.map(todo(), articles=lambda p: p.articles):
            for parsed in results:
                if parsed.failure:
                    failed += 1
                    say(parsed.failure)
            mentions += dataset.write(partition, [r.mentions for r in results])
            written += 1
            documents += len(results)
    except ClusterError as err:
        say(f"{err}; the parts written so far stay, and a re-run writes the rest")
        return 1
    finally:
        runner.close()
    say(f"{documents} document(s), {mentions} mention(s) written to {args.output} in {written} part(s)"
        + (f"; {kept} part(s) already there kept" if kept else "")
        + (f"; {len(problems)} bad record(s) skipped" if problems else "")
        + (f"; {failed} failed" if failed else ""))
    return 1 if problems or failed else 0
