"""The read side: exactly what a map, a popup, a panel or a reader draws, asked of the store in SQL.

Every query runs on a read-only connection (`mode=ro`): it never takes the write lock, so it
neither waits for nor delays a running `geo ingest` (WAL readers see the last commit). The
per-place queries read the store's `place_articles` summary (one row per place, article and
kind, kept in step by every write), so drawing a map of 100,000 articles reads no article
text; text is read only for the few cards or the one article on screen. Filters become SQL in
one place, geo.filters.where.

    with Views.open(data_dir) as views:
        places = views.places(Filters(date_from=dt.date(2024, 6, 1)))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geo import fulltext, pins
from geo.excerpts import excerpt
from geo.filters import UNKNOWN, Filters, where
from geo.pins import Pin, UnresolvedName
from geo.records import Candidate
from geo.store import DB_NAME, SCHEMA_VERSION, Store, resolved_mention, stored_candidates


@dataclass(frozen=True)
class PlaceSummary:
    """One place on the map for a view: where, what, and how much reporting supports it."""

    place_id: str
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str | None
    n_mentions: int
    n_articles: int
    n_outlets: int
    kinds: tuple[str, ...]
    first_day: str | None  # the earliest day an article about it may be from (None: all undated)
    last_day: str | None
    pinned: bool  # an analyst pinned it (`geo pin`)


@dataclass(frozen=True)
class Card:
    """One article's evidence for one place: its best excerpt (the first mention) and how often."""

    article_id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    date_precision: str | None
    n_mentions: int
    kind: str  # 'place' when the article names it literally at least once
    source: str  # how the excerpt's mention was resolved ('gazetteer', 'pinned', ...)
    start: int  # the excerpt's mention, offsets into the article text
    end: int
    excerpt: str
    excerpt_span: tuple[int, int]  # the mention's words within `excerpt`
    name: str  # the excerpt's mention as looked up (what a pin for it is keyed on)
    confidence: float  # how sure the resolver was of the place (1.0 when pinned)
    runner_ups: tuple[Candidate, ...]  # the other places it weighed, best first


@dataclass(frozen=True)
class Totals:
    places: int
    mentions: int
    articles: int


@dataclass(frozen=True)
class ArticleView:
    """One article for the reader: its row and every mention (start, end, kind, place_name, …)."""

    article: dict[str, Any]
    mentions: list[dict[str, Any]]


@dataclass(frozen=True)
class ArticleRow:
    """One line of the articles-in-view list."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    date_precision: str | None
    n_places: int
    first_line: str


# The orders the articles list offers, as SQL (undated articles last in both date orders).
ARTICLE_ORDERS = {
    "newest": "s.day_first IS NULL, s.day_first DESC",
    "oldest": "s.day_first IS NULL, s.day_first ASC",
    "most places": "s.n_places DESC",
    "title": "coalesce(a.title, a.text) COLLATE NOCASE",
}
ORDERS_BY_ARTICLE = {"title"}  # the orders that read the articles table (a.), not only the summary (s.)
FIRST_LINE_CHARS = 160  # what the list shows of an untitled article


def _first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


class OutdatedStore(RuntimeError):
    """The tables predate the summary the views read; any `geo` write (or `migrate`) upgrades them."""


class Views:
    """Read-only view queries over one data dir's store."""

    def __init__(self, data_dir: str | Path, *, timeout_s: float = 5.0) -> None:
        self.store = Store(data_dir, readonly=True, timeout_s=timeout_s)
        self.conn = self.store.conn
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            self.close()
            raise OutdatedStore(f"the tables in {data_dir} are version {version}; {SCHEMA_VERSION} is needed")

    @classmethod
    def open(cls, data_dir: str | Path, *, timeout_s: float = 5.0) -> Views:
        """Views on `data_dir`, upgrading a store written by an older `geo` first (a one-time write)."""
        try:
            return cls(data_dir, timeout_s=timeout_s)
        except OutdatedStore:
            migrate(data_dir, timeout_s=timeout_s)
            return cls(data_dir, timeout_s=timeout_s)

    def __enter__(self) -> Views:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- the map -----------------------------------------------------------------------

    def places(self, filters: Filters) -> list[PlaceSummary]:
        """Every place the view shows, most articles first (the biggest markers are drawn first).

        A view of kinds and countries only (every first map) adds up the per-place summaries,
        at most seven rows a place: over the (place, article) rows it took 412 s at a million
        articles with a cold disk cache. Any other view scans those rows."""
        w = where(filters)
        used = ", ".join(f"max(n_{k} > 0)" for k in w.kinds)
        if w.per_place:
            outlets = f"WITH outlets AS (SELECT place_id, count(*) AS n FROM place_outlets WHERE {w.sql} GROUP BY place_id)"
            source = "place_kinds k LEFT JOIN outlets o ON o.place_id = k.place_id"
            n_articles, n_outlets, having, params = "sum(n_articles)", "coalesce(max(o.n), 0)", w.place_having, w.params
        else:
            outlets, source = "", "place_articles k"
            n_articles, n_outlets, having, params = "count(*)", "count(DISTINCT outlet)", w.having, ()
        rows = self.conn.execute(
            f"""{outlets}
                SELECT k.place_id, place_name, lat, lon, country_code, feature, sum({w.mentions}), {n_articles},
                       {n_outlets} AS n_outlets, min(day_first), max(day_last), max(pinned), {used}
                FROM {source} WHERE {w.sql} GROUP BY k.place_id {f"HAVING {having}" if having else ""}""",
            params + w.params + w.having_params,
        ).fetchall()
        places = [
            PlaceSummary(*r[:9], tuple(sorted(k for k, on in zip(w.kinds, r[12:], strict=True) if on)),
                         r[9], r[10], bool(r[11]))
            for r in rows
        ]  # fmt: skip
        places.sort(key=lambda p: (-p.n_articles, str(p.name)))
        return places

    def totals(self, filters: Filters, places: list[PlaceSummary] | None = None) -> Totals:
        """How many places, mentions and articles the view shows (the header's counts); pass
        the view's `places()` when you have them, which saves a scan."""
        places = self.places(filters) if places is None else places
        return Totals(len(places), sum(p.n_mentions for p in places), self.article_count(filters))

    def article_count(self, filters: Filters) -> int:
        """How many articles the view shows."""
        rows, params = where(filters).shown_articles()
        return self.conn.execute(f"SELECT count(*) FROM ({rows})", params).fetchone()[0]

    def day_counts(self, filters: Filters) -> list[tuple[str, int]]:
        """Articles in view per first day of their period (a timeline); undated ones are left out."""
        rows, params = where(filters).shown_articles("day_first")
        return [
            (day, n)
            for day, n in self.conn.execute(
                f"SELECT day_first, count(*) FROM ({rows}) WHERE day_first IS NOT NULL GROUP BY day_first ORDER BY day_first",
                params,
            )
        ]

    # -- one place, one article ------------------------------------------------------------

    def evidence(self, place_id: str, filters: Filters, limit: int = 10, offset: int = 0) -> list[Card]:
        """One card per article that mentions `place_id` in the view, newest first (undated last)."""
        w = where(filters)
        literal = "n_place > 0" if "place" in w.kinds else "0"
        rows, params = w.place_rows(
            f"article_id, day_first, {w.mentions} AS n, {w.first} AS start, {literal} AS literal"
        )
        cards = self.conn.execute(
            f"""WITH cards AS (
                    SELECT * FROM ({rows}) ORDER BY day_first DESC, article_id LIMIT ? OFFSET ?)
                SELECT c.article_id, a.title, a.outlet, a.url, a.published, a.date_precision, c.n, c.literal,
                       m.kind, m.source, m.start, m."end", m.sent_start, m.sent_end, a.text,
                       m.name, m.confidence, m.candidates
                FROM cards c JOIN articles a USING (article_id)
                JOIN mentions m ON m.article_id = c.article_id AND m.start = c.start AND m.place_id = ?
                ORDER BY c.day_first DESC, c.article_id""",
            (*params, place_id, limit, offset, place_id),
        ).fetchall()
        out: dict[str, Card] = {}
        for r in cards:
            if r["article_id"] in out:  # two mentions starting at one offset: the first will do
                continue
            cut = excerpt(r["text"], r["start"], r["end"], r["sent_start"], r["sent_end"])
            out[r["article_id"]] = Card(
                r["article_id"], r["title"], r["outlet"], r["url"], r["published"], r["date_precision"], r["n"],
                "place" if r["literal"] else r["kind"], r["source"], r["start"], r["end"], cut.text, cut.span,
                r["name"], r["confidence"], stored_candidates(r["candidates"]),
            )  # fmt: skip
        return list(out.values())

    def article(self, article_id: str) -> ArticleView | None:
        """The article the reader opens, with every mention it holds (resolved or not)."""
        row = self.conn.execute("SELECT * FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        mentions = self.conn.execute(
            'SELECT start, "end", text, kind, place_id, place_name, source FROM mentions '
            'WHERE article_id = ? ORDER BY start, "end"',
            (article_id,),
        )
        return ArticleView(dict(row), [dict(m) for m in mentions])

    def articles_in_view(
        self, filters: Filters, order: str = "newest", limit: int = 20, offset: int = 0
    ) -> tuple[list[ArticleRow], int]:
        """A page of the articles the view shows (title, outlet, date, how many of its places are
        shown, its first line), sorted by `order` (one of ARTICLE_ORDERS), and how many there are.

        The page is picked over the narrow per-article summary, then only its articles are
        read: sorting every article's row with its text took most of a minute at 100,000."""
        w = where(filters)
        if order == "most places":  # the shown places of every article, counted to sort by
            rows, params = w.shown_rows("article_id, place_id, day_first")
            ranked = f"SELECT article_id, day_first, count(DISTINCT place_id) AS n_places FROM ({rows}) GROUP BY article_id"
        else:
            ranked, params = w.shown_articles("article_id, day_first")
        titles = "JOIN articles a USING (article_id)" if order in ORDERS_BY_ARTICLE else ""
        ids = [
            article_id
            for (article_id,) in self.conn.execute(
                f"SELECT s.article_id FROM ({ranked}) s {titles} ORDER BY {ARTICLE_ORDERS[order]}, s.article_id "
                "LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
        ]
        marks = ",".join("?" * len(ids))
        details = {
            r[0]: r
            for r in self.conn.execute(
                f"""SELECT article_id, title, outlet, published, date_precision, substr(text, 1, {FIRST_LINE_CHARS})
                    FROM articles WHERE article_id IN ({marks})""",
                ids,
            )
        }
        # the page's shown places, in one statement: a view with a condition on places (at least
        # N outlets) runs its place sub-select once, not once an article
        rows, place_params = w.shown_rows("article_id, place_id")
        n_places = dict(
            self.conn.execute(
                f"SELECT article_id, count(DISTINCT place_id) FROM ({rows} AND article_id IN ({marks})) GROUP BY article_id",
                (*place_params, *ids),
            ).fetchall()
        )
        page = [ArticleRow(*details[i][:5], n_places.get(i, 0), _first_line(details[i][5])) for i in ids]
        return page, self.article_count(filters)

    def keyword_problem(self, keyword: str) -> str | None:
        """Why `keyword` cannot narrow a view (a message for the user), or None when it can."""
        if not keyword.strip():
            return None
        try:
            fulltext.check(self.conn, keyword)
        except fulltext.QueryError as exc:
            return str(exc)
        return None

    def article_focus(self, article_id: str) -> str | None:
        """The country an article is mostly about, as a pin's context means it (geo.pins)."""
        rows = self.conn.execute("SELECT * FROM mentions WHERE article_id = ?", (article_id,)).fetchall()
        return pins.article_focus([resolved_mention(r) for r in rows])

    # -- corrections -------------------------------------------------------------------------

    def pins(self) -> list[Pin]:
        """Every analyst's pin, newest first: what the Corrections view lists."""
        return sorted(self.store.pins(), key=lambda p: p.pinned_at or "", reverse=True)

    def unresolved(self, limit: int = 100) -> list[UnresolvedName]:
        """The names the map is missing, most mentioned first (see geo.pins.unresolved_names)."""
        return pins.unresolved_names(self.conn, limit)

    # -- the filter widgets ------------------------------------------------------------------

    def outlets(self) -> list[str]:
        """Every outlet named, then filters.UNKNOWN when some article names none."""
        named = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND outlet != '' ORDER BY outlet"
        )]  # fmt: skip
        unnamed = self.conn.execute("SELECT 1 FROM articles WHERE outlet IS NULL OR outlet = '' LIMIT 1").fetchone()
        return named + ([UNKNOWN] if unnamed else [])

    def countries(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT country_code FROM place_kinds WHERE country_code IS NOT NULL AND country_code != '' "
            "ORDER BY country_code"
        )]  # fmt: skip

    def date_extent(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day any mapped article covers, or None when none is dated. Asked of
        place_kinds (the same periods, at most seven rows a place): at 100,000 articles the scan
        for the last day took 1.2 s of a cold start over place_articles."""
        low, high = self.conn.execute("SELECT min(day_first), max(day_last) FROM place_kinds").fetchone()
        if low is None:
            return None
        return dt.date.fromisoformat(low), dt.date.fromisoformat(high)

    # -- whole tables, for files ---------------------------------------------------------------

    def selected_tables(self, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(articles that have a shown mention, shown mentions) as the store's DataFrames: what
        `geo export` writes and the download buttons offer. Bulk by nature; the map never calls it."""
        w = where(filters)
        rows, params = w.shown_rows("place_id, article_id")
        kinds = ",".join("?" * len(w.kinds)) or "NULL"
        mentions = pd.read_sql_query(
            f"""SELECT m.* FROM mentions m JOIN ({rows}) s ON s.article_id = m.article_id AND s.place_id = m.place_id
                WHERE m.lat IS NOT NULL AND m.lon IS NOT NULL AND m.kind IN ({kinds})
                ORDER BY m.article_id, m.start, m."end\"""",
            self.conn,
            params=params + w.kinds,
        )
        articles = pd.read_sql_query(
            f"SELECT * FROM articles WHERE article_id IN (SELECT article_id FROM ({rows})) ORDER BY article_id",
            self.conn,
            params=params,
        )
        return articles, mentions


def migrate(data_dir: str | Path, *, timeout_s: float = 5.0) -> None:
    """Bring an older store's schema (and summary table) up to date: opening it to write does it."""
    if not (Path(data_dir) / DB_NAME).is_file():
        raise FileNotFoundError(f"no tables at {Path(data_dir) / DB_NAME}")
    Store(data_dir, timeout_s=timeout_s).close()
