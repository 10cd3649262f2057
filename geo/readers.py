"""Reading articles from disk: plain text, HTML pages and JSON Lines.

Readers turn paths into `RawArticle`s (text as published, plus whatever metadata the
input itself carries) or `InputProblem`s. A problem names the file (and line) and what is
wrong, and never stops the other inputs from being read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from geo.records import DateSource

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# JSONL fields an article line may carry besides id and text.
OPTIONAL_FIELDS = ("title", "outlet", "url", "published")


@dataclass(frozen=True)
class RawArticle:
    """An article as read, before furniture is stripped. `fields` holds the metadata the
    input carried itself (JSONL fields, or what trafilatura found in an HTML page)."""

    article_id: str
    text: str
    source_path: str
    raw_hash: str
    fields: dict[str, str] = field(default_factory=dict)
    fields_source: DateSource | None = None  # "jsonl" or "html": where `fields` came from
    notice: str | None = None  # something worth telling the user that is not a failure


@dataclass(frozen=True)
class InputProblem:
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputProblem]:
    """Expand folders into the article files they hold, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield InputProblem(str(path), f"folder holds no {', '.join(SUFFIXES)} files")
            yield from files
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield InputProblem(str(path), "no such file or folder")


def read_inputs(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawArticle | InputProblem]:
    for item in iter_input_files(paths):
        if isinstance(item, InputProblem):
            yield item
        else:
            yield from read_file(item, max_bytes=max_bytes)


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawArticle | InputProblem]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputProblem(str(path), f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
        return
    decoded = read_text(path, max_bytes=max_bytes)
    if isinstance(decoded, InputProblem):
        yield decoded
        return
    text, notice = decoded
    if suffix == ".jsonl":
        yield from parse_jsonl(text, path, notice)
    elif suffix in (".html", ".htm"):
        yield parse_html(text, path, notice)
    else:
        yield RawArticle(path.stem, text, str(path), sha256(text), notice=notice)


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
    if not data.strip():
        return InputProblem(where, "file is empty")
    if b"\x00" in data[:8192]:
        return InputProblem(where, "binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        best = _detect_encoding(data)
        if best is None:
            return InputProblem(where, f"not UTF-8 (invalid byte at offset {err.start}) and no text encoding could be detected")
        return str(best), f"not UTF-8; decoded as {best.encoding}"


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


def parse_jsonl(text: str, path: Path, notice: str | None) -> Iterator[RawArticle | InputProblem]:
    seen: set[str] = set()
    # Lines end at "\n" only: str.splitlines() would also break at U+0085 or U+2028,
    # which JSON allows unescaped inside a string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        problem, record = _jsonl_record(line)
        if problem is None and record["id"] in seen:
            problem = f"duplicate id {record['id']!r} in this file"
        if problem is not None:
            yield InputProblem(str(path), problem, line=number)
            continue
        seen.add(record["id"])
        fields = {k: str(record[k]).strip() for k in OPTIONAL_FIELDS if record.get(k) not in (None, "")}
        yield RawArticle(
            record["id"],
            record["text"],
            f"{path}:{number}",
            sha256(json.dumps(record, sort_keys=True, ensure_ascii=False)),
            fields=fields,
            fields_source="jsonl",
            notice=notice,
        )


def _jsonl_record(line: str) -> tuple[str | None, dict]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return f"malformed JSON: {err.msg} (column {err.colno})", {}
    if not isinstance(record, dict):
        return "expected a JSON object with 'id' and 'text'", {}
    for key in ("id", "text"):
        if key not in record:
            return f"missing required field {key!r}", {}
    if not isinstance(record["id"], (str, int)) or not str(record["id"]).strip():
        return "field 'id' must be a non-empty string", {}
    if not isinstance(record["text"], str) or not record["text"].strip():
        return "field 'text' must be a non-empty string", {}
    record["id"] = str(record["id"]).strip()
    return None, record


def parse_html(html: str, path: Path, notice: str | None) -> RawArticle | InputProblem:
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
        path.stem,
        doc.text,
        str(path),
        sha256(html),
        fields={k: v.strip() for k, v in fields.items() if v and v.strip()},
        fields_source="html",
        notice=notice,
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
