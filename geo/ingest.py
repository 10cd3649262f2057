"""`geo ingest`: read articles, clean them, geoparse them and store them.

The per-article work (`prepare_article`, then the geoparser) is a pure function of the
article, its metadata and the gazetteer; only `ingest` touches the store, one article per
transaction. Unchanged articles are recognised by their content hash and cost nothing
(the geoparser is not even loaded when there is nothing new).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from dateutil.parser import isoparse
from tqdm import tqdm

from geo.dates import find_printed_date
from geo.furniture import strip_furniture
from geo.metadata import ArticleMetadata, MetadataError, load_folder_metadata, parse_partial_date
from geo.readers import DEFAULT_MAX_BYTES, InputProblem, RawArticle, read_inputs
from geo.records import Article, DatePrecision, DateSource, ResolvedMention
from geo.store import Store

TITLE_MAX_WORDS = 20
DATELINE_MAX_WORDS = 6


class Parser(Protocol):
    def parse(self, text: str) -> list[ResolvedMention]: ...
    def parse_many(self, texts: Iterable[str], n_process: int = ...) -> Iterator[list[ResolvedMention]]: ...


class Step(Protocol):
    """Work after the geoparser that needs the outside world (analysts' pins, an online
    geocoder), so the geoparsing itself stays a pure function of the article."""

    def __call__(self, article: Article, mentions: list[ResolvedMention]) -> list[ResolvedMention]: ...
    def finish(self) -> list[str]:
        """Called once after the last article; returns lines for the run's summary."""
        ...


@dataclass
class IngestSummary:
    """What a run did, for the closing line and the exit code."""

    read: int = 0
    skipped: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)

    def line(self, where: Path) -> str:
        return (
            f"geo ingest: {self.read} article(s) read, {self.skipped} skipped (unchanged), "
            f"{self.failed} failed; tables in {where}"
        )


def prepare_article(raw: RawArticle, metadata: ArticleMetadata | None) -> tuple[Article, list[str]]:
    """Clean one article and settle its title and date. Returns notices for the user."""
    notices: list[str] = []
    text = strip_furniture(raw.text)
    fields = raw.fields
    meta = metadata or ArticleMetadata()

    published, precision = meta.published, meta.date_precision
    source: DateSource | None = "metadata" if published else None
    if published is None and fields.get("published"):
        try:
            published, precision = _parse_field_date(fields["published"])
            source = raw.fields_source
        except ValueError as err:
            notices.append(f"{raw.source_path}: ignoring field 'published': {err}")
    if published is None:
        published = find_printed_date(text)
        precision, source = ("day", "text") if published else (None, None)

    title = meta.title or fields.get("title") or _first_line_title(text)
    article = Article(
        article_id=raw.article_id,
        text=text,
        content_hash=content_hash(raw, metadata),
        source_path=raw.source_path,
        title=title,
        outlet=meta.outlet or fields.get("outlet"),
        url=meta.url or fields.get("url"),
        published=published,
        date_precision=precision,
        date_source=source,
    )
    return article, notices


def content_hash(raw: RawArticle, metadata: ArticleMetadata | None) -> str:
    """Changes when the article or what is known about it changes, and only then."""
    return hashlib.sha256(f"{raw.raw_hash}\n{metadata!r}".encode()).hexdigest()


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    *,
    load_parser: Callable[[], Parser],
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
    batch_size: int = 32,
    n_process: int = 1,
    steps: Sequence[Step] = (),
    report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
) -> IngestSummary:
    summary = IngestSummary()

    def tell(message: str, *, failure: bool) -> None:
        summary.messages.append(message)
        summary.failed += failure
        report(f"geo ingest: {message}")

    pending = _pending_articles(paths, store, summary, tell, max_bytes=max_bytes, force=force)
    parser: Parser | None = None
    with tqdm(desc="geoparsing", unit="article", disable=None, file=sys.stderr) as bar:
        while batch := list(islice(pending, batch_size)):
            parser = parser or load_parser()
            for article, mentions in _parse_batch(parser, batch, n_process, tell):
                for step in steps:
                    mentions = step(article, mentions)
                store.replace_article(article, mentions)
                summary.read += 1
            bar.update(len(batch))
    for step in steps:
        for line in step.finish():
            tell(line, failure=False)
    return summary


def _pending_articles(
    paths: Sequence[str | Path],
    store: Store,
    summary: IngestSummary,
    tell: Callable[..., None],
    *,
    max_bytes: int,
    force: bool,
) -> Iterator[Article]:
    """Prepared articles whose content is new or changed; problems are told as they come."""
    folders: dict[Path, dict[str, ArticleMetadata]] = {}
    for item in read_inputs(paths, max_bytes=max_bytes):
        if isinstance(item, InputProblem):
            tell(str(item), failure=True)
            continue
        if item.notice:
            tell(f"{item.source_path}: {item.notice}", failure=False)
        metadata = _metadata_for(item, folders, tell)
        if not force and store.content_hash(item.article_id) == content_hash(item, metadata):
            summary.skipped += 1  # decided before any cleaning: unchanged input costs nothing
            continue
        article, notices = prepare_article(item, metadata)
        for notice in notices:
            tell(notice, failure=False)
        yield article


def _metadata_for(
    raw: RawArticle, folders: dict[Path, dict[str, ArticleMetadata]], tell: Callable[..., None]
) -> ArticleMetadata | None:
    folder = Path(raw.source_path.rsplit(":", 1)[0] if raw.fields_source == "jsonl" else raw.source_path).parent
    if folder not in folders:
        try:
            folders[folder] = load_folder_metadata(folder)
        except (MetadataError, OSError) as err:
            tell(f"{err}; articles in {folder} are read without it", failure=True)
            folders[folder] = {}
    return folders[folder].get(raw.article_id)


def _parse_batch(
    parser: Parser, batch: list[Article], n_process: int, tell: Callable[..., None]
) -> Iterator[tuple[Article, list[ResolvedMention]]]:
    """Geoparse a batch at full speed; if anything in it fails, redo it one by one so
    only the article at fault is lost, with a message that names it."""
    try:
        results = list(parser.parse_many((a.text for a in batch), n_process=n_process))
    except Exception:  # noqa: BLE001 - isolate the culprit below
        results = None
    if results is not None:
        yield from zip(batch, results)
        return
    for article in batch:
        try:
            yield article, parser.parse(article.text)
        except Exception as err:  # noqa: BLE001 - one bad article must not stop the run
            tell(f"{article.source_path}: geoparsing failed: {type(err).__name__}: {err}", failure=True)


def _parse_field_date(value: str) -> tuple[dt.date, DatePrecision]:
    try:
        return parse_partial_date(value)
    except ValueError:
        pass
    try:
        return isoparse(value).date(), "day"
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD, YYYY-MM, YYYY or a timestamp)") from None


def _first_line_title(text: str) -> str | None:
    """A headline-like first line (short, no closing full stop, not a dateline) serves as the title."""
    lines = (line.strip() for line in text.splitlines() if line.strip())
    first = next((line for line in lines if not _is_dateline(line)), "")
    if first and len(first.split()) <= TITLE_MAX_WORDS and not first.endswith("."):
        return first.strip("‘’'\"“”")
    return None


def _is_dateline(line: str) -> bool:
    return len(line.split()) <= DATELINE_MAX_WORDS and find_printed_date(line) is not None
