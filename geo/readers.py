"""Reading articles: plain text and HTML pages (one article a file), and the record files
analysts export (JSON Lines, CSV, Parquet; JSONL and CSV also gzip-compressed).

Readers turn paths into `RawArticle`s (text as published, plus whatever metadata the
input itself carries) or `InputProblem`s. A problem names the file (and line or row) and
what is wrong, and never stops the other inputs from being read. Record files are read as
a stream, record by record, so a file of a million articles costs the memory of one.

Ids: a one-article file's id is its path relative to the folder given (without the
extension): `a/x.txt` and `b/x.txt` under `corpus/` are `a/x` and `b/x`; a file named
directly is its stem. A record's id is its own `id` field.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import charset_normalizer

from geo.metadata import FILE_NAME as METADATA_FILE
from geo.records import DateSource

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".parquet")
SUFFIXES = ARTICLE_SUFFIXES + RECORD_SUFFIXES
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Record fields an article may carry besides id and text.
OPTIONAL_FIELDS = ("title", "outlet", "url", "published")
REQUIRED_FIELDS = ("id", "text")
# Bytes looked at to tell binary data and the text encoding of a record file.
SNIFF_BYTES = 64 * 1024

Columns = Mapping[str, str]  # our field name -> the name a file uses for it ("text" -> "body")


@dataclass(frozen=True)
class RawArticle:
    """An article as read, before furniture is stripped. `fields` holds the metadata the
    input carried itself (record fields, or what trafilatura found in an HTML page)."""

    article_id: str
    text: str
    source_path: str
    raw_hash: str
    fields: dict[str, str] = field(default_factory=dict)
    fields_source: DateSource | None = None  # "jsonl", "csv", "parquet" or "html": where `fields` came from
    notice: str | None = None  # something worth telling the user that is not a failure
    file: str | None = None  # the record file a record came from (None: the article is the file)

    @property
    def folder(self) -> Path:
        """The folder whose metadata.csv describes this article."""
        return Path(self.file or self.source_path).parent

    @property
    def metadata_key(self) -> str:
        """Its id in that metadata.csv: a record's id, or the file name without extension."""
        return self.article_id if self.file else _stem(Path(self.source_path))


@dataclass(frozen=True)
class InputProblem:
    path: str
    reason: str
    line: int | None = None
    row: int | None = None  # for Parquet, which has rows and no lines

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.path}: row {self.row}: {self.reason}"
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class InputFile:
    path: Path
    article_id: str  # the id a one-article file gets (record files give their own)


def suffix_of(path: Path) -> str:
    """The reader-relevant suffix: '.jsonl.gz' for 'feed.jsonl.gz', '.txt' for 'a.txt'."""
    name = path.name.lower()
    return next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.endswith(s)), path.suffix.lower())


def _stem(path: Path) -> str:
    suffix = suffix_of(path)
    return path.name[: -len(suffix)] if suffix and path.name.lower().endswith(suffix) else path.stem


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[InputFile | InputProblem]:
    """Expand folders (and the folders inside them) into the article files they hold, in a
    stable order. Hidden files and folders, and the metadata.csv sidecars, are not articles."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and suffix_of(p) in SUFFIXES and p.name != METADATA_FILE
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputProblem(str(path), f"folder holds no {', '.join(SUFFIXES)} files")
            for file in files:
                yield InputFile(file, file.relative_to(path).with_name(_stem(file)).as_posix())
        elif path.exists() or path.is_symlink():
            yield InputFile(path, _stem(path))
        else:
            yield InputProblem(str(path), "no such file or folder")


def read_inputs(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, columns: Columns | None = None
) -> Iterator[RawArticle | InputProblem]:
    for item in iter_input_files(paths):
        if isinstance(item, InputProblem):
            yield item
        else:
            yield from read_file(item.path, max_bytes=max_bytes, columns=columns, article_id=item.article_id)


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, columns: Columns | None = None, article_id: str | None = None
) -> Iterator[RawArticle | InputProblem]:
    """The articles of one file. `max_bytes` bounds a one-article file, and each record of a
    record file (a record file itself may be of any size)."""
    suffix = suffix_of(path)
    if suffix not in SUFFIXES:
        yield InputProblem(str(path), f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
        return
    if suffix in RECORD_SUFFIXES:
        yield from read_records(path, max_bytes=max_bytes, columns=columns)
        return
    decoded = read_text(path, max_bytes=max_bytes)
    if isinstance(decoded, InputProblem):
        yield decoded
        return
    text, notice = decoded
    article_id = article_id or _stem(path)
    if suffix in (".html", ".htm"):
        yield parse_html(text, path, notice, article_id)
    else:
        yield RawArticle(article_id, text, str(path), sha256(text), notice=notice)


def read_text(path: Path, *, max_bytes: int) -> tuple[str, str | None] | InputProblem:
    """Read a file as text. UTF-8 is expected; another encoding is detected with
    charset-normalizer and reported as a notice; undecodable or binary data is a problem."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputProblem(where, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        if not os.access(path, os.R_OK):
            return InputProblem(where, "cannot read file: permission denied")
        data = path.read_bytes()
    except IsADirectoryError:
        return InputProblem(where, "is a folder, not a file")
    except OSError as err:
        return InputProblem(where, f"cannot read file: {err.strerror or err}")
    problem = _looks_unreadable(data, where)
    if problem:
        return problem
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        best = _detect_encoding(data)
        if best is None:
            return InputProblem(where, f"not UTF-8 (invalid byte at offset {err.start}) and no text encoding could be detected")
        return str(best), f"not UTF-8; decoded as {best.encoding}"


def _looks_unreadable(head: bytes, where: str) -> InputProblem | None:
    if not head.strip():
        return InputProblem(where, "file is empty")
    if b"\x00" in head[:8192]:
        return InputProblem(where, "binary file, not text")
    return None


# When charset-normalizer finds several encodings equally plausible (cp1250 and cp1252
# decode most Western text alike), prefer the one English-language news most often uses.
_PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


def _detect_encoding(data: bytes) -> charset_normalizer.CharsetMatch | None:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return min(tied, key=lambda m: _PREFERRED_ENCODINGS.index(m.encoding) if m.encoding in _PREFERRED_ENCODINGS else len(_PREFERRED_ENCODINGS))


# --- record files ----------------------------------------------------------------------


def read_records(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, columns: Columns | None = None
) -> Iterator[RawArticle | InputProblem]:
    """The articles of a JSONL, CSV or Parquet file (JSONL and CSV maybe gzipped), streamed.
    Each bad record is one problem naming its line (row for Parquet); the others are read."""
    suffix = suffix_of(path)
    kind: DateSource = "parquet" if suffix == ".parquet" else "csv" if suffix.startswith(".csv") else "jsonl"
    where = str(path)
    seen: set[str] = set()
    rename = {source: ours for ours, source in (columns or {}).items()}
    try:
        needed = [(columns or {}).get(name, name) for name in REQUIRED_FIELDS]  # as the file names them
        records = _parquet_rows(path, needed) if kind == "parquet" else _text_records(path, kind, max_bytes, needed)
        for item in records:
            if isinstance(item, InputProblem):
                yield item
                continue
            number, record, notice = item
            record = {rename.get(k, k): v for k, v in record.items()} if rename else record
            problem, article = _record_article(record, path, kind, number, notice, max_bytes)
            if problem is None and article.article_id in seen:
                problem = f"duplicate id {article.article_id!r} in this file"
            if problem is not None:
                yield InputProblem(where, problem, row=number) if kind == "parquet" else InputProblem(where, problem, line=number)
                continue
            seen.add(article.article_id)
            yield article
    except PermissionError:
        yield InputProblem(where, "cannot read file: permission denied")
    except IsADirectoryError:
        yield InputProblem(where, "is a folder, not a file")
    except OSError as err:
        yield InputProblem(where, f"cannot read file: {err.strerror or err}")


Record = tuple[int, dict, str | None]  # (line or row number, the record, a notice for its file)


def _text_records(path: Path, kind: str, max_bytes: int, needed: list[str]) -> Iterator[Record | InputProblem]:
    """Records of a JSONL or CSV file, plain or gzipped, decoded as a stream."""
    where = str(path)
    gz = path.name.lower().endswith(".gz")
    try:
        with _open_binary(path, gz) as raw:
            head = raw.read(SNIFF_BYTES)
    except (OSError, EOFError, zlib.error) as err:
        if not gz or isinstance(err, (PermissionError, FileNotFoundError, IsADirectoryError)):
            raise
        yield InputProblem(where, f"not a readable gzip file: {err}")
        return
    problem = _looks_unreadable(head, where)
    if problem:
        yield problem
        return
    encoding, notice = _stream_encoding(head)
    if encoding is None:
        yield InputProblem(where, "not UTF-8 and no text encoding could be detected")
        return
    number = 0
    try:
        with _open_binary(path, gz) as raw:
            # JSON Lines end at "\n" only: JSON allows U+0085 and U+2028 unescaped inside a string
            text = io.TextIOWrapper(raw, encoding=encoding, newline="" if kind == "csv" else "\n")
            if kind == "csv":
                yield from _csv_rows(text, where, notice, max_bytes, needed)
                return
            for number, line in enumerate(text, start=1):
                if line.strip():
                    problem, record = _json_object(line)
                    yield InputProblem(where, problem, line=number) if problem else (number, record, notice)
    except UnicodeDecodeError as err:
        yield InputProblem(where, f"not {encoding} after line {number} ({err.reason}); the rest of the file is skipped")
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        yield InputProblem(where, f"gzip data broken after line {number} ({err}); the rest of the file is skipped")


def _open_binary(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else path.open("rb")


def _stream_encoding(head: bytes) -> tuple[str | None, str | None]:
    """UTF-8 when the first bytes decode as such (a character cut at the end is fine);
    otherwise the encoding charset-normalizer finds in them, with a notice."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return "utf-8-sig", None
    except UnicodeDecodeError:
        best = _detect_encoding(head)
        return (best.encoding, f"not UTF-8; decoded as {best.encoding}") if best else (None, None)


def _csv_rows(
    text: IO[str], where: str, notice: str | None, max_bytes: int, needed: list[str]
) -> Iterator[Record | InputProblem]:
    reader = csv.reader(text)
    header = [h.strip() for h in next(reader, [])]
    missing = [name for name in needed if name not in header]
    if missing:
        yield InputProblem(where, f"no column(s) {', '.join(map(repr, missing))} in the header "
                                  "(--columns maps other names)", line=1)
        return
    while True:
        try:
            row = _next_row(reader, max_bytes)
        except StopIteration:
            return
        except csv.Error as err:  # a row the reader cannot split; it resynchronises at the next line
            yield InputProblem(where, str(err), line=reader.line_num)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield InputProblem(where, f"{len(row)} field(s) where the header has {len(header)}", line=reader.line_num)
            continue
        # the line a row starts on, as editors and `sed -n` count (a cell may span lines)
        yield reader.line_num - sum(cell.count("\n") for cell in row), dict(zip(header, row)), notice


def _next_row(reader: Iterator[list[str]], max_bytes: int) -> list[str]:
    """The next row, with cells as large as an article may be. The csv module's limit is a
    process-wide setting (128 KiB by default, which metadata.csv keeps): raised only here."""
    before = csv.field_size_limit(max_bytes)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(before)


def _parquet_rows(path: Path, needed: list[str]) -> Iterator[Record | InputProblem]:
    import pyarrow as pa  # imported here: only Parquet input needs it
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        if isinstance(err, (PermissionError, FileNotFoundError, IsADirectoryError)):
            raise
        yield InputProblem(str(path), f"not a readable Parquet file: {err}")
        return
    missing = [name for name in needed if name not in table.schema_arrow.names]
    if missing:
        yield InputProblem(str(path), f"no column(s) {', '.join(map(repr, missing))} (--columns maps other names)")
        return
    if table.metadata.num_rows == 0:
        yield InputProblem(str(path), "file is empty")
        return
    number = 0
    for batch in table.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            number += 1
            yield number, record, None


def _json_object(line: str) -> tuple[str | None, dict]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return f"malformed JSON: {err.msg} (column {err.colno})", {}
    if not isinstance(record, dict):
        return "expected a JSON object with 'id' and 'text'", {}
    return None, record


def _record_article(
    record: dict, path: Path, kind: DateSource, number: int, notice: str | None, max_bytes: int
) -> tuple[str | None, RawArticle]:
    """The article a record holds, or what is wrong with it."""
    for key in REQUIRED_FIELDS:
        if key not in record:
            return f"missing required field {key!r}", None  # type: ignore[return-value]
    if not isinstance(record["id"], (str, int)) or not str(record["id"]).strip():
        return "field 'id' must be a non-empty string", None  # type: ignore[return-value]
    if not isinstance(record["text"], str) or not record["text"].strip():
        return "field 'text' must be a non-empty string", None  # type: ignore[return-value]
    if len(record["text"]) > max_bytes or len(record["text"].encode("utf-8")) > max_bytes:
        return f"text is over the {max_bytes:,}-byte limit", None  # type: ignore[return-value]
    record = {**record, "id": str(record["id"]).strip()}
    fields = {k: _field_text(record[k]) for k in OPTIONAL_FIELDS if record.get(k) not in (None, "")}
    where = f"{path}:{number}" if kind != "parquet" else f"{path}#row={number}"
    raw_hash = sha256(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str))
    return None, RawArticle(record["id"], record["text"], where, raw_hash, fields=fields,
                            fields_source=kind, notice=notice, file=str(path))


def _field_text(value: object) -> str:
    """A field as text; a Parquet date or timestamp as ISO 8601."""
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value).strip()


def parse_html(html: str, path: Path, notice: str | None, article_id: str | None = None) -> RawArticle | InputProblem:
    """Main text and metadata of a web page, by trafilatura (made for exactly this)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        return InputProblem(str(path), "no article text found in this HTML page")
    fields = {
        "title": doc.title,
        "outlet": doc.sitename,
        "url": doc.url,
        "published": doc.date,
    }
    return RawArticle(
        article_id or _stem(path),
        doc.text,
        str(path),
        sha256(html),
        fields={k: v.strip() for k, v in fields.items() if v and v.strip()},
        fields_source="html",
        notice=notice,
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
