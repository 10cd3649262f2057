"""`geo ingest PATH... [--data-dir DIR]`: read, clean, geoparse and store articles."""

from __future__ import annotations

import argparse
import sys

from geo.cli.parse import add_cluster, add_columns, add_processes
from geo.ingest import PARTITION_SIZE, Step, ingest
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
            f"Read articles ({', '.join(SUFFIXES)}; a folder means every such file in it and in its "
            "folders), strip page furniture, find and resolve the places they mention, and store articles "
            "and mentions. A file's id is its path under the folder given, without the extension; a record's "
            "is its id column. A metadata.csv beside the files supplies titles, outlets and dates. Articles "
            "are skipped when neither they nor the parser changed."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    add_data_dir(parser)
    parser.add_argument("--force", action="store_true", help="re-process articles even when unchanged")
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
        help="refuse article files, and records of record files, larger than this (bytes)",
    )
    add_columns(parser)
    add_processes(parser)
    add_cluster(parser)
    parser.add_argument("--partition-size", type=int, default=PARTITION_SIZE, metavar="N",
                        help=f"articles per partition: a task, and a transaction (default: {PARTITION_SIZE})")
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
    from geo.cluster import ClusterError, cluster_address, check_address
    from geo.geocoding import SettingsError

    cluster = cluster_address(args.cluster)
    try:
        if cluster:
            check_address(cluster)
    except ValueError as err:
        print(f"geo ingest: --cluster {err}", file=sys.stderr)
        return 2
    with Store(args.data_dir) as store:
        try:
            steps = _steps(args, store)
        except SettingsError as err:
            print(f"geo ingest: {err}", file=sys.stderr)
            return 2
        from geo.geoparser import Geoparser

        try:
            summary = ingest(
                args.paths,
                store,
                load_parser=Geoparser.load,
                max_bytes=args.max_bytes,
                columns=args.columns,
                force=args.force,
                batch_size=args.partition_size,
                n_process=args.processes,
                cluster=cluster,
                steps=steps,
            )
        except ClusterError as err:
            print(f"geo ingest: {err}; what was stored so far stays, and a re-run goes on from there", file=sys.stderr)
            return 1
        print(summary.line(store.path))
    return 1 if summary.failed else 0
