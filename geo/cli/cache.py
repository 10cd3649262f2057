"""`geo cache stats|export|forget NAME`: look into, export and drop cached resolutions.

The cache is what lets a run skip work: the online geocoder's answers (one per name and
service, never asked again) and the resolved mentions themselves. `forget` drops a name's
online answers and marks the articles mentioning it, so the next `geo ingest` resolves
it afresh (asking the geocoder again if one is switched on); until then the map keeps
showing the old answer, so nothing is lost.
"""

from __future__ import annotations

import argparse
import json
import sys

from geo.cli.ingest import add_data_dir
from geo.store import Store


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "cache", help="inspect, export and drop cached resolutions", description=__doc__.split("\n\n", 1)[1]
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    stats = actions.add_parser("stats", help="how mentions were resolved, and what the geocoder cache holds")
    export = actions.add_parser("export", help="write the geocoder cache as CSV or JSON lines")
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    forget = actions.add_parser("forget", help="drop a name's cached answers; the next ingest resolves it afresh")
    forget.add_argument("name", metavar="NAME")
    forget.add_argument("--service", metavar="NAME", help="only this geocoder's answer")
    for action in (stats, export, forget):
        add_data_dir(action)
    return parser


def run(args: argparse.Namespace) -> int:
    with Store(args.data_dir) as store:
        return {"stats": _stats, "export": _export, "forget": _forget}[args.action](store, args)


def _stats(store: Store, args: argparse.Namespace) -> int:
    mentions = store.mentions()
    print(f"{store.count('articles')} article(s), {len(mentions)} mention(s) in {store.path}")
    if len(mentions):
        placed = mentions["place_id"].notna()
        by_source = mentions[placed].groupby("source").size()
        for source, n in by_source.items():
            print(f"  {n:>7}  resolved by {source}")
        print(f"  {int((~placed).sum()):>7}  unresolved")
    cache = store.geocoder_cache()
    if cache.empty:
        print("geocoder cache: empty")
    for service, rows in cache.groupby("service"):
        found = rows["places"].map(lambda p: p != "[]")
        print(
            f"geocoder cache {service}: {len(rows)} name(s), {int(found.sum())} found, "
            f"{int((~found).sum())} without a match; asked {rows['queried_at'].min()} .. {rows['queried_at'].max()}"
        )
    print(f"pins: {store.count('pins')}")
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    """One row per cached name: the chosen place flattened, the whole answer kept as JSON."""
    import pandas as pd  # here, not at the top: every `geo` command imports this module

    cache = store.geocoder_cache()
    first = cache["places"].map(lambda p: (json.loads(p) or [{}])[0])
    table = pd.DataFrame({
        "service": cache["service"],
        "query": cache["query"],
        "found": first.map(bool),
        **{col: first.map(lambda p, c=col: p.get(c)) for col in ("place_id", "name", "lat", "lon", "country_code", "feature")},
        "url": cache["url"],
        "queried_at": cache["queried_at"],
        "answers": cache["places"],
    })
    out = args.output or sys.stdout
    if args.format == "csv":
        table.to_csv(out, index=False)
    else:
        table.to_json(out, orient="records", lines=True, force_ascii=False)
    if args.output:
        print(f"{len(table)} cached answer(s) written to {args.output}", file=sys.stderr)
    return 0


def _forget(store: Store, args: argparse.Namespace) -> int:
    dropped, articles = store.forget(args.name, args.service)
    if not dropped and not articles:
        print(f"geo cache: nothing cached under {args.name!r}", file=sys.stderr)
        return 1
    print(
        f"forgot {dropped} geocoder answer(s) for {args.name!r}; "
        f"the next geo ingest re-resolves {len(articles)} article(s) mentioning it"
    )
    return 0
