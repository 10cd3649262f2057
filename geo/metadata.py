"""Sidecar metadata: what is known about articles but not printed in them.

A folder of articles may hold `metadata.csv` beside them, one row per article:

    id,title,outlet,url,published,date_precision,date_note

`id` is the file name without its extension (or a JSONL line's id); `published` is
YYYY-MM-DD, YYYY-MM or YYYY, and `date_precision` (day, month or year) defaults to what
`published` spells. `date_note` says how the date is known. The articles themselves stay
untouched, as they were published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from geo.records import DatePrecision

FILE_NAME = "metadata.csv"
COLUMNS = ("id", "title", "outlet", "url", "published", "date_precision", "date_note")


class MetadataError(ValueError):
    """A metadata row that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class ArticleMetadata:
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_note: str | None = None


def parse_partial_date(value: str) -> tuple[dt.date, DatePrecision]:
    """'2015-02' -> (2015-02-01, 'month'); '2022-09-06' -> (that day, 'day'); '2015' -> year."""
    value = value.strip()
    for fmt, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            return dt.datetime.strptime(value, fmt).date(), precision  # type: ignore[return-value]
        except ValueError:
            continue
    raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def load_folder_metadata(folder: Path) -> dict[str, ArticleMetadata]:
    """Rows of `folder/metadata.csv` by article id (empty when there is none).
    Raises MetadataError naming the file and line of the first bad row."""
    path = folder / FILE_NAME
    if not path.is_file():
        return {}
    try:
        # decoded whole, so a bad byte is reported by its offset in the file, with the file's name
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise MetadataError(f"{path}: not UTF-8 (invalid byte at offset {err.start})") from None
    rows: dict[str, ArticleMetadata] = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = {"id", "published"} - set(reader.fieldnames or ())
        if not missing:
            for row in reader:
                rows[row["id"].strip()] = _row_metadata(row)
    except (ValueError, csv.Error) as err:  # a bad value, or CSV the reader cannot split
        # the inner reader's count: DictReader updates its own only after a row is read whole
        raise MetadataError(f"{path}:{reader.reader.line_num}: {err}") from None
    if missing:
        raise MetadataError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
    return rows


def _row_metadata(row: dict[str, str]) -> ArticleMetadata:
    clean = {k: (v or "").strip() or None for k, v in row.items() if k in COLUMNS}
    published = precision = None
    if clean.get("published"):
        published, precision = parse_partial_date(clean["published"])
        if clean.get("date_precision"):
            if clean["date_precision"] not in ("day", "month", "year"):
                raise ValueError(f"date_precision {clean['date_precision']!r} is not day, month or year")
            precision = clean["date_precision"]
    return ArticleMetadata(
        title=clean.get("title"),
        outlet=clean.get("outlet"),
        url=clean.get("url"),
        published=published,
        date_precision=precision,
        date_note=clean.get("date_note"),
    )
