"""Where the curated tables and the compiled index live.

The project is installed editable (the documented set-up), so the curated CSVs are read
from the repository's data/ folder next to the `geo` package; GEO_DATA_SOURCES overrides
that for other layouts. The index goes to $GEO_CACHE_DIR or <repo>/.cache/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

CURATED_FILES = ("curated_places.csv", "curated_points.csv", "curated_aliases.csv", "demonyms.csv")


def curated_dir() -> Path:
    """The folder holding the curated CSVs; fails loudly if it cannot be found."""
    folder = Path(os.environ.get("GEO_DATA_SOURCES") or REPO_ROOT / "data")
    missing = [name for name in CURATED_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"curated gazetteer tables {', '.join(missing)} not found in {folder}; "
            "install the project editable (pip install -e .) or set GEO_DATA_SOURCES"
        )
    return folder


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR") or REPO_ROOT / ".cache")


def index_path() -> Path:
    return cache_dir() / "gazetteer.sqlite"
