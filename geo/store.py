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

place_articles   the map's summary, derived from the two first (see PLACE_ARTICLES): one row
    per resolved (place, article) with the counts and first offsets of each mention kind, the
    article's period (day_first, day_last) and outlet; what geo.views queries

article_summary  the same added up per article (mentions of each kind, places, period, outlet):
    what geo.views counts and lists articles from when no filter is about places

An article and its mentions are written in one transaction, replacing that article's
previous rows and nothing else, so a re-run after a crash finishes the job without duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo import fulltext
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
SCHEMA_VERSION = 3

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

# The map's summary: one row per (place, article) for every resolved mention, counting its
# mentions of each kind (n_place, n_metonym, n_demonym) with each kind's first offset, and the
# article's publication period and outlet copied in, so the dashboard's per-place aggregates
# and one place's evidence are scans of one narrow table (in place order, or by date through
# an index), never a read of article text. Rewritten with each article (replace_article,
# update_mentions) and filled on migration.
PLACE_ARTICLES = """
CREATE TABLE IF NOT EXISTS place_articles (
    place_id      TEXT NOT NULL,
    article_id    TEXT NOT NULL,
    n_place       INTEGER NOT NULL,
    n_metonym     INTEGER NOT NULL,
    n_demonym     INTEGER NOT NULL,
    first_place   INTEGER,
    first_metonym INTEGER,
    first_demonym INTEGER,
    day_first     TEXT,
    day_last      TEXT,
    outlet        TEXT,
    pinned        INTEGER NOT NULL,
    place_name    TEXT,
    lat           REAL NOT NULL,
    lon           REAL NOT NULL,
    country_code  TEXT,
    feature       TEXT,
    PRIMARY KEY (place_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS place_articles_article ON place_articles(article_id);
CREATE INDEX IF NOT EXISTS place_articles_day ON place_articles(day_first);
CREATE INDEX IF NOT EXISTS place_articles_place_day ON place_articles(place_id, day_first);
CREATE INDEX IF NOT EXISTS place_articles_country ON place_articles(country_code);
CREATE TABLE IF NOT EXISTS article_summary (
    article_id    TEXT PRIMARY KEY,
    n_place       INTEGER NOT NULL,
    n_metonym     INTEGER NOT NULL,
    n_demonym     INTEGER NOT NULL,
    n_places      INTEGER NOT NULL,
    day_first     TEXT,
    day_last      TEXT,
    outlet        TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_summary_day ON article_summary(day_first);
-- earlier stores indexed the rows that cover more than a day, for date ranges: no query has
-- read them since a range is tested row by row (geo.filters._dates), and each write paid for them
DROP INDEX IF EXISTS place_articles_period;
DROP INDEX IF EXISTS article_summary_period
"""

# article_summary: place_articles added up per article (the counts of each kind, how many
# places, and the same period and outlet columns), so a view filtered only by what an article
# is (dates, outlets, kinds, keywords) counts and lists articles over one row per article
# rather than one per place and article (ten times as many): the header's article count,
# the timeline and the articles list. Rewritten with place_articles.
_FILL_ARTICLE_SUMMARY = """
INSERT INTO article_summary
SELECT article_id, sum(n_place), sum(n_metonym), sum(n_demonym), count(*), day_first, day_last, outlet
FROM place_articles {where} GROUP BY article_id
"""

# An article's publication period in SQL: a month-precision date covers its month, a year its year.
_DAY_LAST = """CASE a.date_precision
    WHEN 'month' THEN date(a.published, 'start of month', '+1 month', '-1 day')
    WHEN 'year' THEN date(a.published, 'start of year', '+1 year', '-1 day')
    ELSE date(a.published) END"""

_FILL_PLACE_ARTICLES = f"""
INSERT INTO place_articles
SELECT m.place_id, m.article_id,
       sum(m.kind = 'place'), sum(m.kind = 'metonym'), sum(m.kind = 'demonym'),
       min(CASE WHEN m.kind = 'place' THEN m.start END), min(CASE WHEN m.kind = 'metonym' THEN m.start END),
       min(CASE WHEN m.kind = 'demonym' THEN m.start END),
       date(a.published), {_DAY_LAST}, a.outlet,
       max(m.source = 'pinned'), m.place_name, m.lat, m.lon, m.country_code, m.feature
FROM mentions m JOIN articles a USING (article_id)
WHERE m.place_id IS NOT NULL AND m.lat IS NOT NULL AND m.lon IS NOT NULL {{where}}
GROUP BY m.article_id, m.place_id
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
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        with self.transaction():
            self._create_schema()

    def _create_schema(self) -> None:
        for statement in (SCHEMA + ";" + PLACE_ARTICLES).split(";"):
            if statement.strip():
                self.conn.execute(statement)
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        fulltext.ensure_index(self.conn, version)
        _migrate_pins(self.conn, version)
        _add_parser_version(self.conn)
        # Only when it differs: setting it writes the file even to the same value, and the
        # dashboard takes the file's modification time to mean "the tables changed".
        if version != SCHEMA_VERSION:
            if version < 2:
                _fill_place_articles(self.conn)
            if version < 3:
                _fill_article_summary(self.conn)
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
                _refresh_place_articles(conn, article.article_id)

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
            _refresh_place_articles(conn, article_id)
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


def _fill_place_articles(conn: sqlite3.Connection) -> None:
    """Migration to version 2: the summary of a store written before it existed."""
    conn.execute("DELETE FROM place_articles")
    conn.execute(_FILL_PLACE_ARTICLES.format(where=""))


def _fill_article_summary(conn: sqlite3.Connection) -> None:
    """Migration to version 3: the per-article summary, from place_articles."""
    conn.execute("DELETE FROM article_summary")
    conn.execute(_FILL_ARTICLE_SUMMARY.format(where=""))


def _refresh_place_articles(conn: sqlite3.Connection, article_id: str) -> None:
    """Keep one article's summary rows in step with its mentions (inside the caller's transaction)."""
    conn.execute("DELETE FROM place_articles WHERE article_id = ?", (article_id,))
    conn.execute(_FILL_PLACE_ARTICLES.format(where="AND m.article_id = ?"), (article_id,))
    conn.execute("DELETE FROM article_summary WHERE article_id = ?", (article_id,))
    conn.execute(_FILL_ARTICLE_SUMMARY.format(where="WHERE article_id = ?"), (article_id,))


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
