"""`geo gazetteer build|lookup`: compile the offline gazetteer index, or query it.

`build` is run by the set-up; it is quick to skip when the index is up to date.
`lookup` shows what a name may refer to, most prominent first, for analysts checking why
a mention was placed where it was.
"""

from __future__ import annotations

import argparse
import sys

from geo.gazetteer import Gazetteer
from geo.gazetteer.build import build
from geo.gazetteer.paths import index_path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "gazetteer", help="build or query the offline gazetteer index",
        description="Build or query the offline gazetteer index.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    build_cmd = actions.add_parser("build", help="compile the index (skipped when up to date)")
    build_cmd.add_argument("--force", action="store_true", help="rebuild even if up to date")
    lookup = actions.add_parser("lookup", help="list the places a name may refer to")
    lookup.add_argument("names", nargs="+", metavar="NAME")
    lookup.add_argument("-n", "--limit", type=int, default=10, help="places shown per name")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.action == "build":
        path = index_path()
        if not build(path, force=args.force):
            print(f"gazetteer: {path} is up to date", file=sys.stderr)
        return 0
    gaz = Gazetteer.load()
    missing = 0
    for name in args.names:
        hits = gaz.hits(name)
        demonym = gaz.demonym(name)
        if demonym:
            print(f"{name}: demonym of {demonym}")
        if not hits:
            if not demonym:
                print(f"{name}: not in the gazetteer", file=sys.stderr)
                missing += 1
            continue
        print(f"{name}:")
        for hit in hits[: args.limit]:
            p = hit.place
            where = ", ".join(x for x in (p.admin1, p.country_code) if x)
            print(
                f"  {p.name} [{p.feature}] {where} ({p.lat:.4f}, {p.lon:.4f}) "
                f"pop {p.population:,} prior {hit.prior:.2f}{' alt' if hit.alt else ''} {p.place_id}"
            )
    return 1 if missing else 0
