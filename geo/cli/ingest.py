"""`geo ingest PATH... [--data-dir DIR]`: read, clean, geoparse and store articles."""

from __future__ import annotations

import argparse
import os
import sys

from geo.ingest import Step, ingest
from geo.pins import PinStep
from geo.readers import DEFAULT_MAX_BYTES, SUFFIXES
from geo.store import DATA_DIR_ENV, DEFAULT_DATA_DIR, Store, default_data_dir


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """The --data-dir option every command that touches the tables shares."""
    parser.add_argument(
        "--data-dir",
        default=default_data_dir(),
        help=f"folder holding the tables (default: ${DATA_DIR_ENV} or ./{DEFAULT_DATA_DIR})",
    )


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "ingest",
        help="read articles and store their places",
        description=(
            f"Read articles ({', '.join(SUFFIXES)}; a folder means every such file in it), strip page "
            "furniture, find and resolve the places they mention, and store articles and mentions. "
            "A metadata.csv beside the files supplies titles, outlets and dates. Unchanged articles are skipped."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    add_data_dir(parser)
    parser.add_argument("--force", action="store_true", help="re-process articles even when unchanged")
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse input files larger than this (bytes)"
    )
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for geoparsing (default: up to 2)"
    )
    parser.add_argument(
        "--geocoder",
        metavar="NAME",
        help="ask this online service (nominatim, photon, pelias) for names the offline gazetteer cannot place; "
        "off unless given here, in geo.toml or $GEO_GEOCODER ('none' switches it off); see docs/online-geocoding.md",
    )
    parser.add_argument("--geocoder-url", metavar="URL", help="base URL of a self-hosted instance of that service")
    return parser


def _steps(args: argparse.Namespace, store: Store) -> list[Step]:
    """Pins always; the online geocoder when the user switched it on (never by default)."""
    from geo.geocoding import GeocoderClient, SettingsError, load_settings
    from geo.geocoding.step import OnlineLookup

    steps: list[Step] = [PinStep(store)]
    settings = load_settings({"service": args.geocoder, "url": args.geocoder_url})
    if settings is None and args.geocoder_url:
        raise SettingsError("--geocoder-url needs a service: add --geocoder NAME")
    if settings is not None:
        client = GeocoderClient(settings)
        print(f"geo ingest: names the gazetteer cannot place go to {client.name} at {client.url} (cache first)",
              file=sys.stderr)
        steps.append(OnlineLookup(store, client))
    return steps


def run(args: argparse.Namespace) -> int:
    from geo.geocoding import SettingsError

    with Store(args.data_dir) as store:
        try:
            steps = _steps(args, store)
        except SettingsError as err:
            print(f"geo ingest: {err}", file=sys.stderr)
            return 2
        from geo.geoparser import Geoparser

        summary = ingest(
            args.paths,
            store,
            load_parser=Geoparser.load,
            max_bytes=args.max_bytes,
            force=args.force,
            n_process=args.jobs,
            steps=steps,
        )
        print(summary.line(store.path))
    return 1 if summary.failed else 0
