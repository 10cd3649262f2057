"""The `geo` command line: one module a subcommand, each with `add_parser` and `run`.

Adding a command touches one file here plus one name in COMMANDS.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from geo.gazetteer.curated import CuratedDataError

COMMANDS = ("ingest", "export", "gazetteer", "cache", "pin", "parse", "evaluate")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geo", description="Find, resolve and map the places news articles mention."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"geo.cli.{name}")
        command = module.add_parser(sub)
        command.set_defaults(run=module.run)
    return parser


# What a shell reports for a command killed by SIGPIPE (128 + 13): `geo ... | head` then
# ends as `seq ... | head` does, quietly.
BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe can still be caught
        return status
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except CuratedDataError as err:  # any command may (re)build the gazetteer first
        print(f"geo {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("geo: interrupted", file=sys.stderr)
        return 130


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`| head`): stop without a traceback. Standard
    output is pointed at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE
