"""`geo ingest`: read articles, clean them, geoparse them and store them.

    read + clean (here) ─> partitions ─> geoparse (here, a process pool or a Dask cluster)
                        ─> pins, online geocoder (here) ─> store, a partition per transaction

The per-article work (`prepare_article`, then `runners.geoparse_partition`) is a pure
function of the article, its metadata and the parser; only this module touches the store.
An article is skipped when its content and the parser (geo.parser_version) are unchanged,
decided before any cleaning (the geoparser is not even loaded when there is nothing new);
one stored by another version of the parser is resolved again. Partitions are stored as
their results arrive, so a run killed part-way keeps what it stored and a re-run skips it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from dateutil.parser import isoparse
from tqdm import tqdm

from geo.dates import find_printed_date
from geo.furniture import strip_furniture
from geo.metadata import ArticleMetadata, MetadataError, load_folder_metadata, parse_partial_date
from geo.parser_version import parser_version
from geo.readers import DEFAULT_MAX_BYTES, InputProblem, RawArticle, read_inputs
from geo.records import Article, DatePrecision, DateSource, ResolvedMention
from geo.runners import Parsed, Parser, make_runner
from geo.store import Store

TITLE_MAX_WORDS = 20
DATELINE_MAX_WORDS = 6
# Articles per partition: enough for spaCy's batching to pay off and a task to outweigh its
# scheduling; few enough that a killed run loses little and every worker stays busy.
PARTITION_SIZE = 32
# Without a terminal to draw a progress bar on, a plain line this often.
LOG_EVERY_S = 10.0


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
    reresolved: int = 0  # of `read`: unchanged articles stored by another parser version
    mentions: int = 0
    places: set[str] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)  # names no place was found for
    messages: list[str] = field(default_factory=list)

    def count(self, mentions: Sequence[ResolvedMention]) -> None:
        self.mentions += len(mentions)
        for rm in mentions:
            if rm.resolution.place is not None:
                self.places.add(rm.resolution.place.place_id)
            elif rm.mention.kind != "demonym":
                self.unresolved.add(rm.mention.name)

    def line(self, where: Path) -> str:
        return (
            f"geo ingest: {self.read} article(s) read, {self.skipped} skipped (unchanged), "
            f"{self.failed} failed, {self.reresolved} re-resolved (parser changed); "
            f"{self.mentions} mention(s) of {len(self.places)} place(s), "
            f"{len(self.unresolved)} unresolved name(s); tables in {where}"
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
    columns: Mapping[str, str] | None = None,
    force: bool = False,
    batch_size: int = PARTITION_SIZE,
    n_process: int = 1,
    cluster: str | None = None,
    steps: Sequence[Step] = (),
    report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    log_every_s: float = LOG_EVERY_S,
) -> IngestSummary:
    """Ingest `paths` into `store`. With `cluster` (see geo.cluster) the geoparsing runs on
    Dask workers, else on `n_process` local processes; everything else runs here."""
    summary = IngestSummary()

    def tell(message: str, *, failure: bool) -> None:
        summary.messages.append(message)
        summary.failed += failure
        report(f"geo ingest: {message}")

    version = parser_version()
    reresolving: set[str] = set()
    pending = _pending_articles(paths, store, summary, tell, reresolving,
                                version=version, max_bytes=max_bytes, columns=columns, force=force)
    partitions = iter(lambda: list(islice(pending, batch_size)), [])
    runner = make_runner(cluster, load_parser, n_process, report=lambda line: tell(line, failure=False))
    progress = _Progress(summary, report, log_every_s)
    try:
        for _, results in runner.map(partitions):
            _store_partition(store, results, steps, summary, tell, reresolving, version)
            progress.update(len(results))
    finally:
        runner.close()
        progress.close()
    for step in steps:
        for line in step.finish():
            tell(line, failure=False)
    return summary


def _store_partition(
    store: Store,
    results: list[Parsed],
    steps: Sequence[Step],
    summary: IngestSummary,
    tell: Callable[..., None],
    reresolving: set[str],
    version: str,
) -> None:
    """Run the steps that need the outside world, then store the partition in one transaction."""
    done: list[tuple[Article, list[ResolvedMention]]] = []
    for parsed in results:
        if parsed.failure is not None:
            tell(parsed.failure, failure=True)
            continue
        mentions = parsed.mentions
        for step in steps:
            mentions = step(parsed.article, mentions)
        done.append((parsed.article, mentions))
    store.replace_articles(done, version)
    for article, mentions in done:
        summary.read += 1
        summary.count(mentions)
        if article.article_id in reresolving:
            reresolving.discard(article.article_id)
            summary.reresolved += 1


class _Progress:
    """A progress bar on a terminal; elsewhere (a log, a pipe) a plain line now and then."""

    def __init__(self, summary: IngestSummary, report: Callable[[str], None], every_s: float) -> None:
        self.summary = summary
        self.report = report
        self.every_s = every_s
        self.started = self.last = time.monotonic()
        self.bar = tqdm(desc="geoparsing", unit="article", file=sys.stderr) if sys.stderr.isatty() else None

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            s = self.summary
            self.report(f"geo ingest: {s.read} article(s) stored so far, {s.skipped} skipped, {s.failed} failed "
                        f"({s.read / max(now - self.started, 1e-9):.1f} articles/s)")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _pending_articles(
    paths: Sequence[str | Path],
    store: Store,
    summary: IngestSummary,
    tell: Callable[..., None],
    reresolving: set[str],
    *,
    version: str,
    max_bytes: int,
    columns: Mapping[str, str] | None,
    force: bool,
) -> Iterator[Article]:
    """Prepared articles whose content or parser is new or changed; problems are told as
    they come. Two inputs with one id are a clash: the first is kept, the second named."""
    folders: dict[Path, dict[str, ArticleMetadata]] = {}
    first_sources = FirstSources()
    for item in read_inputs(paths, max_bytes=max_bytes, columns=columns):
        if isinstance(item, InputProblem):
            tell(str(item), failure=True)
            continue
        first = first_sources.claim(item.article_id, item.source_path)
        if first is not None:
            tell(f"{item.source_path}: id {item.article_id!r} is already the id of {first}; "
                 "skipped (ingest their common folder, or rename one)", failure=True)
            continue
        if item.notice:
            tell(f"{item.source_path}: {item.notice}", failure=False)
        metadata = _metadata_for(item, folders, tell)
        stored = None if force else store.stored_key(item.article_id)
        if stored is not None and stored[0] == content_hash(item, metadata):
            if stored[1] == version:
                summary.skipped += 1  # decided before any cleaning: unchanged input costs nothing
                continue
            reresolving.add(item.article_id)
        article, notices = prepare_article(item, metadata)
        for notice in notices:
            tell(notice, failure=False)
        yield article


class FirstSources:
    """The input each article id of this run came from first, to name both sides of a clash.
    Kept in a private temporary SQLite database, which lives on disk beyond a small page
    cache: held in a dict, the ids of a few million articles would be most of the client's
    memory, the one thing that must not grow with the corpus."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a temporary database of this connection's own
        self._db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID")

    def claim(self, article_id: str, source: str) -> str | None:
        """None when `article_id` is new in this run (now taken by `source`), else where it was first."""
        row = self._db.execute("SELECT source FROM ids WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            return str(row[0])
        self._db.execute("INSERT INTO ids VALUES (?, ?)", (article_id, source))
        return None


def _metadata_for(
    raw: RawArticle, folders: dict[Path, dict[str, ArticleMetadata]], tell: Callable[..., None]
) -> ArticleMetadata | None:
    folder = raw.folder
    if folder not in folders:
        try:
            folders[folder] = load_folder_metadata(folder)
        except (MetadataError, OSError) as err:
            tell(f"{err}; articles in {folder} are read without it", failure=True)
            folders[folder] = {}
    return folders[folder].get(raw.metadata_key)


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
