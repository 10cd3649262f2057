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
    text TEXT (cleaned; every mention offset refers to it), source_path, content_hash, ingested_at

mentions   one row per toponym in context: the cached resolution table
    article_id, start, end (end exclusive), text (as written), name (looked-up form),
    kind ('place'|'demonym'|'metonym'), sent_start, sent_end (the sentence around it),
    place_id, place_name, lat, lon, country_code, feature (NULL when unresolved),
    confidence, candidates (JSON list of runner-ups), source ('gazetteer'|'curated'|
    'pinned'|'geocoder:<service>'), reason (why unresolved), resolved_at
    PRIMARY KEY (article_id, start, end)

An article and its mentions are written in one transaction, replacing that article's
previous rows and nothing else, so a re-run after a crash finishes the job without duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from geo.records import Article, ResolvedMention

DB_NAME = "geo.sqlite"
SCHEMA_VERSION = 1

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
"""


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """The tables of one data dir. Use as a context manager; each write is one transaction."""

    def __init__(self, data_dir: str | Path, *, timeout_s: float = 60.0) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
        # is exactly the span we mean and never left open by the driver.
        self.conn = sqlite3.connect(self.path, timeout=timeout_s, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        with self.transaction():
            self._create_schema()

    def _create_schema(self) -> None:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.conn.execute(statement)
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
        row = self.conn.execute(
            "SELECT content_hash FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def replace_article(self, article: Article, mentions: Sequence[ResolvedMention]) -> None:
        """Store an article with its mentions, replacing its own earlier rows and nothing else."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (article.article_id,))
            conn.execute("DELETE FROM articles WHERE article_id = ?", (article.article_id,))
            conn.execute(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
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
                ),
            )
            conn.executemany(
                "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [mention_row(article.article_id, rm) for rm in mentions],
            )

    # -- reading ------------------------------------------------------------------

    def articles(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM articles ORDER BY article_id", self.conn)

    def mentions(self) -> pd.DataFrame:
        return pd.read_sql_query(
            'SELECT * FROM mentions ORDER BY article_id, start, "end"', self.conn
        )

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions"}:
            raise ValueError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


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
