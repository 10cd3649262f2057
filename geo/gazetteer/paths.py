"""Where the curated tables and the compiled index live.

In a source checkout (the documented set-up installs it editable) the curated CSVs are the
repository's data/ folder and the index goes to <repo>/.cache/ (git-ignored). A plain
`pip install .` carries the CSVs along as data files (<prefix>/share/newsgeo/data, see
pyproject.toml) and keeps the index in the user's cache folder. GEO_DATA_SOURCES and
GEO_CACHE_DIR override either.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CURATED_FILES = ("curated_places.csv", "curated_points.csv", "curated_aliases.csv", "demonyms.csv")
INSTALLED_DATA = Path(sys.prefix) / "share" / "newsgeo" / "data"


def source_checkout() -> Path | None:
    """The repository this package runs from, if it runs from one."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "geo").is_dir() else None


def curated_dir() -> Path:
    """The folder holding the curated CSVs; fails loudly if it cannot be found."""
    checkout = source_checkout()
    folder = Path(os.environ.get("GEO_DATA_SOURCES") or (checkout / "data" if checkout else INSTALLED_DATA))
    missing = [name for name in CURATED_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"curated gazetteer tables {', '.join(missing)} not found in {folder}; "
            "reinstall the project (pip install .) or set GEO_DATA_SOURCES"
        )
    return folder


def cache_dir() -> Path:
    if os.environ.get("GEO_CACHE_DIR"):
        return Path(os.environ["GEO_CACHE_DIR"])
    checkout = source_checkout()
    if checkout:
        return checkout / ".cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsgeo"


def index_path() -> Path:
    return cache_dir() / "gazetteer.sqlite"
