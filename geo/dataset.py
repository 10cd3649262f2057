"""`geo parse` into a partitioned Parquet dataset, for corpora bigger than one store.

    DIR/mentions/<input>-<n>.parquet   one row per mention (the columns of `geo parse`'s
                                       JSONL mentions, plus the article's id)
    DIR/articles/<input>-<n>.parquet   one row per article: id, title, outlet, url,
                                       published (as the input gave them), source (file:line)

One pair of files per input partition (a run of records of one input file), each written
to a temporary name and renamed into place, so a reader never sees half a file and a run
killed part-way, run again, keeps the parts it finished and writes the rest. Read it with
`pandas.read_parquet("DIR/mentions")`, DuckDB (`'DIR/mentions/*.parquet'`) or
`dask.dataframe.read_parquet`. Input and output may be fsspec URLs (s3://bucket/...) where
that filesystem's package is installed; remote inputs are fetched to a local cache first.
"""

from __future__ import annotations

import io
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from geo.readers import Columns, InputProblem, RawArticle, read_file
from geo.records import Article, ResolvedMention

TABLES = ("mentions", "articles")
ARTICLE_FIELDS = ("title", "outlet", "url", "published")


@dataclass(frozen=True)
class Partition:
    """A run of records of one input file, and the name of its part files."""

    name: str
    articles: list[Article]
    fields: dict[str, dict[str, str]]  # article id -> title, outlet, url, published as given


def input_files(pattern: str) -> list[str]:
    """Local paths for a path, glob or fsspec URL (remote files fetched to a local cache)."""
    import fsspec

    fs, _ = fsspec.core.url_to_fs(pattern)
    local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
    found = sorted(fs.glob(pattern)) if fs.glob is not None and any(c in pattern for c in "*?[") else [pattern]
    if local:
        return [str(Path(p)) for p in found]
    return [fsspec.open_local(f"simplecache::{fs.unstrip_protocol(p)}") for p in found]


def partitions(
    files: Iterable[str], size: int, tell: Callable[[InputProblem], None], columns: Columns | None = None
) -> Iterator[Partition]:
    """Each file's good records in runs of `size`; bad records are told and left out. The
    texts are taken as given (no furniture stripping): offsets must refer to them."""
    for file in files:
        good = (item for item in read_file(Path(file), max_bytes=sys.maxsize, columns=columns) if not _told(item, tell))
        stem = re.sub(r"[^\w.-]+", "_", Path(file).name)
        for number, run in enumerate(iter(lambda: list(islice(good, size)), []), start=1):
            yield Partition(
                f"{stem}-{number:05d}",
                [Article(r.article_id, r.text, r.raw_hash, r.source_path) for r in run],
                {r.article_id: {k: r.fields.get(k) for k in ARTICLE_FIELDS} for r in run},
            )


def _told(item: RawArticle | InputProblem, tell: Callable[[InputProblem], None]) -> bool:
    if isinstance(item, InputProblem):
        tell(item)
        return True
    return False


class Dataset:
    """The output folder (a path or fsspec URL) and its finished parts."""

    def __init__(self, url: str) -> None:
        import fsspec

        self.fs, self.root = fsspec.core.url_to_fs(url)
        for table in TABLES:
            self.fs.makedirs(f"{self.root}/{table}", exist_ok=True)

    def has(self, name: str) -> bool:
        """Both files of the part are there (written last, mentions first)."""
        return all(self.fs.exists(self._path(table, name)) for table in TABLES)

    def write(self, partition: Partition, mentions: list[list[ResolvedMention]]) -> int:
        """Write a partition's two files, each atomically; returns the mentions written."""
        rows = [{"id": a.article_id, **mention_record(rm)} for a, ms in zip(partition.articles, mentions) for rm in ms]
        articles = [{"id": a.article_id, **partition.fields[a.article_id], "source": a.source_path}
                    for a in partition.articles]
        self._put("mentions", partition.name, rows)
        self._put("articles", partition.name, articles)
        return len(rows)

    def _put(self, table: str, name: str, rows: list[dict[str, object]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows, schema=_schema(table)), buffer)
        final = self._path(table, name)
        tmp = f"{self.root}/{table}/.{name}.{uuid.uuid4().hex}.tmp"  # hidden: readers skip it
        with self.fs.open(tmp, "wb") as out:
            out.write(buffer.getvalue())
        self.fs.mv(tmp, final)

    def _path(self, table: str, name: str) -> str:
        return f"{self.root}/{table}/{name}.parquet"


def _schema(table: str):
    """Every part has the same columns and types, so the parts read as one table even
    where a part has no mentions at all."""
    import pyarrow as pa

    if table == "articles":
        return pa.schema([(name, pa.string()) for name in ("id", *ARTICLE_FIELDS, "source")])
    types = {"start": pa.int64(), "end": pa.int64(), "lat": pa.float64(), "lon": pa.float64(), "confidence": pa.float64()}
    return pa.schema([(name, types.get(name, pa.string())) for name in ("id", *MENTION_FIELDS)])


MENTION_FIELDS = ("start", "end", "text", "name", "lat", "lon", "country_code", "feature", "kind", "confidence")


def mention_record(resolved: ResolvedMention) -> dict[str, object]:
    """A mention as `geo parse` writes it (JSONL line or Parquet row): its span in the given
    text, the words as written, the name looked up, the place (None when unresolved)."""
    m, r = resolved.mention, resolved.resolution
    place = r.place
    return {
        "start": m.start, "end": m.end, "text": m.text, "name": m.name,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "country_code": place.country_code if place else None,
        "feature": place.feature if place else None,
        "kind": m.kind, "confidence": round(r.confidence, 4),
    }
