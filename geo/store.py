"""The durable store: one SQLite file in the data dir, readable with pandas.

Why SQLite: it is an open, single-file format every analyst tool reads
(`pandas.read_sql("select * from mentions", sqlite3.connect("data/geo.sqlite"))`),
its transactions make each article's write atomic, and in WAL mode several
`geo ingest` processes can share one data dir without corrupting it.

Tables (the contract between `geo` and the dashboard):

articles   one row per article
    article_id TEXT PRIMARY KEY, title, outlet, url,
    published TEXT (ISO date; for a month-precision date, the month's first day),
    date_precision TEXT ('day'|'month'|'year'|NULL), date_source TEXT ('metadata'|'jsonl'|'text'|NULL),
    text TEXT (cleaned; every mention offset refers to it), source_path, content_hash, ingested_at,
    parser_version TEXT (geo.parser_version of the parser that resolved it; NULL before it was kept)

mentions   one row per toponym in context: the cached resolution table
    article_id, start, end (end exclusive), text (as written), name (looked-up form),
    kind ('place'|'demonym'|'metonym'), sent_start, sent_end (the sentence around it),
    place_id, place_name, lat, lon, country_code, feature (NULL when unresolved),
    confidence, candidates (JSON list of runner-ups), source ('gazetteer'|'curated'|
    'pinned'|'geocoder:<service>'), reason (why unresolved), resolved_at
    PRIMARY KEY (article_id, start, end)

geocoder_cache   one row per name asked of an online geocoder (never asked again)
    service, query_key (name_key of the query), query (as sent), places (JSON list, best
    first; [] when the service knew no such place), url (the instance asked), queried_at
    PRIMARY KEY (service, query_key)

articles_fts  the keyword index over articles' title and text (geo.fulltext), kept in step
    by triggers on articles

pins       analysts' pins (see geo.pins): name_key, context ('' = everywhere, else a
    country code), name, lat, lon (NULL for "not a place"), feature, note, pinned_at,
    place_id, place_name, country_code (the gazetteer place pinned to, if any),
    kind ('point'|'not_a_place'); PRIMARY KEY (name_key, context)

place_articles, article_summary, place_kinds, place_outlets   the summaries geo.views
    queries, derived from articles and mentions and rewritten with each article's write: one
    row per (place, article), per article, per (place, kind set) and per (place, outlet). What
    each holds, and why, is in geo.summaries.

An article and its mentions are written in one transaction, replacing that article's
previous rows and nothing else, so a re-run after a crash finishes the job without duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo import fulltext, summaries
from geo.gazetteer.normalise import name_key
from geo.pins import Pin
from geo.records import Article, Candidate, Mention, Place, Resolution, ResolvedMention

if TYPE_CHECKING:
    import pandas as pd

DB_NAME = "geo.sqlite"
# Where `geo` writes the tables and the dashboard reads them, unless told otherwise.
DATA_DIR_ENV = "GEO_DATA_DIR"
DEFAULT_DATA_DIR = "data"
# 2: the map's place_articles summary; the keyword index (geo.fulltext); pins to gazetteer
# places and "not a place"; articles.parser_version (the skip key of `geo ingest`)
# 3: article_summary, place_articles added up per article
# 4: place_kinds and place_outlets, place_articles added up per place (geo.summaries)
SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id     TEXT PRIMARY KEY,
    title          TEXT,
    outlet         TEXT,
    url            TEXT,
    published      TEXT,
    date_precision TEXT,
    date_source    TEXT,
    text           TEXT NOT NULL,
    source_path    TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    ingested_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id   TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sent_start   INTEGER NOT NULL,
    sent_end     INTEGER NOT NULL,
    place_id     TEXT,
    place_name   TEXT,
    lat          REAL,
    lon          REAL,
    country_code TEXT,
    feature      TEXT,
    confidence   REAL NOT NULL,
    candidates   TEXT NOT NULL,
    source       TEXT NOT NULL,
    reason       TEXT,
    resolved_at  TEXT NOT NULL,
    PRIMARY KEY (article_id, start, "end")
);
CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id);
CREATE TABLE IF NOT EXISTS geocoder_cache (
    service    TEXT NOT NULL,
    query_key  TEXT NOT NULL,
    query      TEXT NOT NULL,
    places     TEXT NOT NULL,
    url        TEXT NOT NULL,
    queried_at TEXT NOT NULL,
    PRIMARY KEY (service, query_key)
);
CREATE TABLE IF NOT EXISTS pins (
    name_key     TEXT NOT NULL,
    context      TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    lat          REAL,
    lon          REAL,
    feature      TEXT NOT NULL,
    note         TEXT,
    pinned_at    TEXT NOT NULL,
    place_id     TEXT,
    place_name   TEXT,
    country_code TEXT,
    kind         TEXT NOT NULL DEFAULT 'point',
    PRIMARY KEY (name_key, context)
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
"""

_PIN_COLUMNS = ("name_key", "context", "name", "lat", "lon", "feature", "note", "pinned_at",
                "place_id", "place_name", "country_code", "kind")


@dataclass(frozen=True)
class CachedAnswer:
    """What an online geocoder said about a name, and when."""

    service: str
    query: str
    places: tuple[Place, ...]
    queried_at: dt.datetime


def default_data_dir() -> Path:
    """$GEO_DATA_DIR, else ./data: the one default the command line and the dashboard share."""
    return Path(os.environ.get(DATA_DIR_ENV, DEFAULT_DATA_DIR))


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """The tables of one data dir. Use as a context manager; each write is one transaction."""

    def __init__(self, data_dir: str | Path, *, timeout_s: float = 60.0, readonly: bool = False) -> None:
        """Open (creating when needed) the tables of `data_dir`. A pure reader such as
        `geo export` passes readonly=True: it never takes the write lock, so it neither waits
        for nor delays a running `geo ingest`, and it fails (FileNotFoundError) rather than
        creating an empty store where there is none."""
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        if readonly and not self.path.is_file():
            raise FileNotFoundError(f"no tables at {self.path}")
        if not readonly:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
        # is exactly the span we mean and never left open by the driver.
        target = f"{self.path.resolve().as_uri()}?mode=ro" if readonly else str(self.path)
        self.conn = sqlite3.connect(target, timeout=timeout_s, isolation_level=None, uri=readonly)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        # the same name key the gazetteer uses, so "the U.S." and "US" are one name in SQL too
        self.conn.create_function("name_key", 1, name_key, deterministic=True)
        if readonly:
            return
        _use_wal(self.conn, timeout_s)
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        with self.transaction():
            self._create_schema()

    def _create_schema(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        before = summaries.tables(self.conn)
        for statement in (SCHEMA + ";" + summaries.SCHEMA).split(";"):
            if statement.strip():
                self.conn.execute(statement)
        fulltext.ensure_index(self.conn, version)
        _migrate_pins(self.conn, version)
        _add_parser_version(self.conn)
        # Only when it differs: setting it writes the file even to the same value, and the
        # dashboard takes the file's modification time to mean "the tables changed".
        if version != SCHEMA_VERSION:
            if before:  # an older store: fill the summaries it did not have from what it has
                summaries.fill(self.conn, summaries.tables(self.conn) - before)
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: takes the write lock up front, so two writers queue
        instead of failing half-way, and a killed process leaves nothing half-written."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- articles -----------------------------------------------------------------

    def content_hash(self, article_id: str) -> str | None:
        stored = self.stored_key(article_id)
        return stored[0] if stored else None

    def stored_key(self, article_id: str) -> tuple[str, str | None] | None:
        """(content hash, parser version) of a stored article: what `geo ingest` skips on."""
        row = self.conn.execute(
            "SELECT content_hash, parser_version FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def replace_article(
        self, article: Article, mentions: Sequence[ResolvedMention], parser_version: str | None = None
    ) -> None:
        """Store an article with its mentions, replacing its own earlier rows and nothing else."""
        self.replace_articles([(article, mentions)], parser_version)

    def replace_articles(
        self, parsed: Sequence[tuple[Article, Sequence[ResolvedMention]]], parser_version: str | None = None
    ) -> None:
        """Store several articles with their mentions in one transaction (a partition of an
        ingest: all of it or none of it), each replacing its own earlier rows and nothing else."""
        with self.transaction() as conn:
            for article, mentions in parsed:
                conn.execute("DELETE FROM mentions WHERE article_id = ?", (article.article_id,))
                conn.execute("DELETE FROM articles WHERE article_id = ?", (article.article_id,))
                conn.execute(
                    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({','.join('?' * len(_ARTICLE_COLUMNS))})",
                    (
                        article.article_id,
                        article.title,
                        article.outlet,
                        article.url,
                        article.published.isoformat() if article.published else None,
                        article.date_precision,
                        article.date_source,
                        article.text,
                        article.source_path,
                        article.content_hash,
                        utc_now(),
                        parser_version,
                    ),
                )
                _insert_mentions(conn, article.article_id, mentions)
                summaries.refresh(conn, article.article_id)

    # -- reading ------------------------------------------------------------------

    # The tables as DataFrames, for tests and scripts; pandas is imported only here, since
    # ingest never needs it and importing it is a good part of a short run's start-up.

    def articles(self) -> pd.DataFrame:
        import pandas as pd

        return pd.read_sql_query("SELECT * FROM articles ORDER BY article_id", self.conn)

    def mentions(self) -> pd.DataFrame:
        import pandas as pd

        return pd.read_sql_query(
            'SELECT * FROM mentions ORDER BY article_id, start, "end"', self.conn
        )

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions", "geocoder_cache", "pins"}:
            raise ValueError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- re-placing stored mentions (pins, late online answers) -----------------------

    def mention(self, article_id: str, start: int) -> ResolvedMention | None:
        """The stored mention starting at `start` in `article_id`, if any."""
        row = self.conn.execute(
            "SELECT * FROM mentions WHERE article_id = ? AND start = ? ORDER BY \"end\" LIMIT 1", (article_id, start)
        ).fetchone()
        return resolved_mention(row) if row else None

    def articles_mentioning(self, name: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT article_id FROM mentions WHERE name_key(name) = ? ORDER BY article_id", (name_key(name),)
        )
        return [row[0] for row in rows]

    def update_mentions(
        self, article_id: str, change: Callable[[list[ResolvedMention]], list[ResolvedMention]]
    ) -> bool:
        """Rewrite one article's mentions through `change`, read and written in one transaction
        so a concurrent ingest of the same article cannot interleave. True if anything changed."""
        with self.transaction() as conn:
            rows = conn.execute(
                'SELECT * FROM mentions WHERE article_id = ? ORDER BY start, "end"', (article_id,)
            ).fetchall()
            before = [resolved_mention(row) for row in rows]
            after = change(before)
            if after == before:
                return False
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            _insert_mentions(conn, article_id, after)
            summaries.refresh(conn, article_id)
            return True

    def mark_mentioning_stale(self, name: str) -> list[str]:
        """Mark the articles that mention `name` for re-resolution by the next `geo ingest`
        (after a forgotten answer or a removed pin); returns their ids."""
        articles = self.articles_mentioning(name)
        self.mark_stale(articles)
        return articles

    def mark_stale(self, article_ids: Sequence[str]) -> None:
        """Make the next `geo ingest` process these articles again (their rows stay until then)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE articles SET content_hash = '' WHERE article_id = ?", [(a,) for a in article_ids])

    # -- the online geocoder cache ---------------------------------------------------

    def cached_answer(self, service: str, query: str) -> CachedAnswer | None:
        row = self.conn.execute(
            "SELECT * FROM geocoder_cache WHERE service = ? AND query_key = ?", (service, name_key(query))
        ).fetchone()
        return _cached_answer(row) if row else None

    def cache_answer(self, service: str, query: str, places: Sequence[Place], url: str) -> CachedAnswer:
        row = (service, name_key(query), query, json.dumps([asdict(p) for p in places], ensure_ascii=False), url, utc_now())
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO geocoder_cache VALUES (?,?,?,?,?,?)", row)
        return _cached_answer(dict(zip(("service", "query_key", "query", "places", "url", "queried_at"), row)))

    def geocoder_cache(self) -> pd.DataFrame:
        import pandas as pd

        return pd.read_sql_query("SELECT * FROM geocoder_cache ORDER BY service, query_key", self.conn)

    def forget(self, name: str, service: str | None = None) -> tuple[int, list[str]]:
        """Drop the cached online answers for `name` and mark the articles mentioning it for
        re-resolution. Returns (answers dropped, articles marked)."""
        where, params = "query_key = ?", [name_key(name)]
        if service:
            where, params = where + " AND service = ?", [*params, service]
        with self.transaction() as conn:
            dropped = conn.execute(f"DELETE FROM geocoder_cache WHERE {where}", params).rowcount
        return dropped, self.mark_mentioning_stale(name)

    # -- pins ------------------------------------------------------------------------

    def pins(self) -> list[Pin]:
        rows = self.conn.execute("SELECT * FROM pins ORDER BY name_key, context").fetchall()
        return [
            Pin(r["name"], r["lat"], r["lon"], r["context"] or None, r["feature"], r["note"], r["pinned_at"],
                r["place_id"], r["place_name"], r["country_code"], r["kind"])
            for r in rows
        ]

    def add_pin(self, pin: Pin) -> Pin:
        pin = replace(pin, pinned_at=utc_now())
        row = (pin.key, pin.context or "", pin.name, pin.lat, pin.lon, pin.feature, pin.note, pin.pinned_at,
               pin.place_id, pin.place_name, pin.country_code, pin.kind)
        with self.transaction() as conn:
            conn.execute(
                f"INSERT OR REPLACE INTO pins ({', '.join(_PIN_COLUMNS)}) VALUES ({','.join('?' * len(row))})", row
            )
        return pin

    def remove_pin(self, name: str, context: str | None = None) -> int:
        with self.transaction() as conn:
            return conn.execute(
                "DELETE FROM pins WHERE name_key = ? AND context = ?", (name_key(name), context or "")
            ).rowcount


def _use_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Put the file in WAL mode, waiting for another process doing the same: switching takes the
    file's exclusive lock and SQLite does not run the busy handler for it, so two `geo ingest`
    runs started at once on a new data dir failed with "database is locked". WAL is a property
    of the file, so once it is set there is nothing to switch and no lock to take."""
    deadline = time.monotonic() + timeout_s
    while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _migrate_pins(conn: sqlite3.Connection, user_version: int) -> None:
    """Stores before version 2 have pins with required coordinates and no place or kind:
    copy them into the current shape (every old pin is a point pin)."""
    if user_version >= 2:
        return
    columns = {row[1] for row in conn.execute("PRAGMA table_info(pins)")}
    if "kind" in columns:
        return
    old = ", ".join(c for c in _PIN_COLUMNS if c in columns)
    conn.execute("ALTER TABLE pins RENAME TO pins_v1")
    conn.execute(next(st for st in SCHEMA.split(";") if "CREATE TABLE IF NOT EXISTS pins" in st))
    conn.execute(f"INSERT INTO pins ({old}) SELECT {old} FROM pins_v1")
    conn.execute("DROP TABLE pins_v1")


_ARTICLE_COLUMNS = (
    "article_id", "title", "outlet", "url", "published", "date_precision", "date_source",
    "text", "source_path", "content_hash", "ingested_at", "parser_version",
)


def _add_parser_version(conn: sqlite3.Connection) -> None:
    """Schema 2: articles.parser_version, for stores made before it (and fresh ones)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= 2:
        return
    columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    if "parser_version" not in columns:
        conn.execute("ALTER TABLE articles ADD COLUMN parser_version TEXT")


def _insert_mentions(conn: sqlite3.Connection, article_id: str, mentions: Sequence[ResolvedMention]) -> None:
    conn.executemany(
        "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [mention_row(article_id, rm) for rm in mentions],
    )


def mention_row(article_id: str, rm: ResolvedMention) -> tuple[object, ...]:
    m, r, p = rm.mention, rm.resolution, rm.resolution.place
    candidates = [
        {
            "place_id": c.place.place_id,
            "name": c.place.name,
            "lat": c.place.lat,
            "lon": c.place.lon,
            "country_code": c.place.country_code,
            "feature": c.place.feature,
            "score": round(c.score, 4),
        }
        for c in r.candidates
    ]
    return (
        article_id,
        m.start,
        m.end,
        m.text,
        m.name,
        m.kind,
        m.sent_start,
        m.sent_end,
        p.place_id if p else None,
        p.name if p else None,
        p.lat if p else None,
        p.lon if p else None,
        p.country_code if p else None,
        p.feature if p else None,
        round(r.confidence, 4),
        json.dumps(candidates, ensure_ascii=False),
        r.source,
        r.reason,
        rm.resolved_at.isoformat(),
    )


def resolved_mention(row: sqlite3.Row) -> ResolvedMention:
    """The record a stored mention row was written from (the inverse of `mention_row`)."""
    place = (
        Place(row["place_id"], row["place_name"], row["lat"], row["lon"], row["country_code"], row["feature"],
              source=row["source"])
        if row["place_id"] is not None
        else None
    )
    candidates = stored_candidates(row["candidates"])
    mention = Mention(row["start"], row["end"], row["text"], row["name"], row["kind"], row["sent_start"], row["sent_end"])
    resolution = Resolution(place, row["confidence"], candidates, row["source"], row["reason"])
    return ResolvedMention(mention, resolution, dt.datetime.fromisoformat(row["resolved_at"]))


def stored_candidates(text: str) -> tuple[Candidate, ...]:
    """A mention's runner-ups from its `candidates` column (JSON, best first)."""
    return tuple(
        Candidate(Place(c["place_id"], c["name"], c["lat"], c["lon"], c["country_code"], c["feature"]), c["score"])
        for c in json.loads(text)
    )


def _cached_answer(row: sqlite3.Row | dict[str, str]) -> CachedAnswer:
    return CachedAnswer(
        service=row["service"],
        query=row["query"],
        places=tuple(Place(**p) for p in json.loads(row["places"])),
        queried_at=dt.datetime.fromisoformat(row["queried_at"]),
    )
