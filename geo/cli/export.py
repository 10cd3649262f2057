"""`geo export --format geojson|csv [--data-dir DIR] [--from DATE] [--to DATE] [-o FILE]`.

Writes the places (GeoJSON, one Feature per place with its mentions and excerpts) or the
mentions (CSV) that the dashboard would show for the same filters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from geo import filters
from geo.cli.ingest import add_data_dir
from geo.records import MENTION_KINDS
from geo.store import DB_NAME
from geo.typed_dates import parse_from, parse_to

# The formats, by the geo.export function that writes each. geo.export and geo.views (pandas)
# are imported when the command runs: every `geo` command builds this parser.
WRITERS = {"geojson": "geojson_text", "csv": "mentions_csv"}


def _bound(parse: Callable[[str], dt.date]) -> Callable[[str], dt.date]:
    """An argparse type for one end of a date range (a day, a month or a year)."""

    def convert(value: str) -> dt.date:
        try:
            return parse(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "export",
        help="write the stored places as GeoJSON or the mentions as CSV",
        description=(
            "Write the places the tables hold as GeoJSON (one Feature per place, its mentions with "
            "excerpts in properties.mentions) or every mention as CSV, filtered like the dashboard. "
            "A month-precision date counts when its month overlaps the range."
        ),
    )
    parser.add_argument("--format", choices=sorted(WRITERS), required=True)
    add_data_dir(parser)
    parser.add_argument("--from", dest="date_from", type=_bound(parse_from), metavar="DATE",
                        help="first day: YYYY-MM-DD, or YYYY-MM / YYYY for the first day of that month / year")
    parser.add_argument("--to", dest="date_to", type=_bound(parse_to), metavar="DATE",
                        help="last day: YYYY-MM-DD, or YYYY-MM / YYYY for the last day of that month / year")
    parser.add_argument(
        "--include-undated", action="store_true", help="keep articles with no known date when --from/--to is given"
    )
    parser.add_argument("--outlet", action="append", default=[], help="only this outlet (repeatable)")
    parser.add_argument(
        "--country", action="append", default=[], help="only places in this ISO country code (repeatable)"
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=MENTION_KINDS,
        help=f"mention kinds to keep (repeatable; default: {', '.join(filters.DEFAULT_KINDS)})",
    )
    parser.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    return parser


def run(args: argparse.Namespace) -> int:
    from geo import export
    from geo.views import Views

    try:
        view = filters.Filters(
            date_from=args.date_from,
            date_to=args.date_to,
            include_undated=args.include_undated,
            outlets=tuple(args.outlet),
            countries=tuple(c.upper() for c in args.country),
            kinds=tuple(args.kind) if args.kind else filters.DEFAULT_KINDS,
        )
    except ValueError as exc:
        print(f"geo export: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(args.data_dir)
    try:
        views = Views.open(data_dir)
    except FileNotFoundError:
        print(f"geo export: no tables in {data_dir} ({DB_NAME} missing); run `geo ingest` first", file=sys.stderr)
        return 1
    with views:
        articles, mentions = views.selected_tables(view)
    text = getattr(export, WRITERS[args.format])(mentions, articles)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"geo export: wrote {len(mentions)} mentions of {mentions['place_id'].nunique()} places "
              f"from {len(articles)} articles to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
