"""The summary tables the read side queries, derived from articles and mentions and kept in step
with every write (`refresh`, inside the writer's transaction) or filled once on migration.

Why summaries: a map of a million articles cannot be drawn from ten million mention rows at
each page load. Each table answers one shape of view from as few rows as it can:

place_articles   one row per resolved (place, article): the counts and first offsets of each
    mention kind, the article's period (day_first, day_last) and outlet. Any view, whatever its
    filters, is a scan of it (in place order, or by date through an index).
article_summary  place_articles added up per article: a view filtered only by what an article
    is (dates, outlets, kinds, keywords) counts and lists its articles from one row per article.
place_kinds      place_articles added up per place and *kind set* (which kinds an article
    mentions the place as, bits of MENTION_KINDS): a view filtered only by kinds, countries and
    a least number of outlets (the first map of every session) has every place's counts in at
    most seven rows a place, whatever the corpus size.
place_outlets    the outlets that report each place, with how many of their articles mention it
    as each kind: the distinct outlets of such a view, which do not add up over kind sets.

The columns the views' conditions name (n_<kind>, country_code, pinned, day_first, day_last)
mean the same in every table, so one condition from geo.filters.where serves all of them: in
place_kinds and place_outlets, `n_place > 0` still says "some article mentions it as a place".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from geo.records import MENTION_KINDS

# An article's kind set for a place, as SQL over a place_articles row: bit i for MENTION_KINDS[i].
KINDSET = " + ".join(f"{1 << i} * (n_{kind} > 0)" for i, kind in enumerate(MENTION_KINDS))

SCHEMA = """
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
-- the timeline and the article count read only these columns: from the index alone, in day
-- order, they took 0.06 s at a million articles, not 3.2 s through the table
DROP INDEX IF EXISTS article_summary_day;
CREATE INDEX IF NOT EXISTS article_summary_day_kinds ON article_summary(day_first, n_place, n_metonym, n_demonym);
CREATE TABLE IF NOT EXISTS place_kinds (
    place_id      TEXT NOT NULL,
    kindset       INTEGER NOT NULL,
    n_articles    INTEGER NOT NULL,
    n_place       INTEGER NOT NULL,
    n_metonym     INTEGER NOT NULL,
    n_demonym     INTEGER NOT NULL,
    pinned        INTEGER NOT NULL,
    day_first     TEXT,
    day_last      TEXT,
    place_name    TEXT,
    lat           REAL NOT NULL,
    lon           REAL NOT NULL,
    country_code  TEXT,
    feature       TEXT,
    PRIMARY KEY (place_id, kindset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS place_outlets (
    place_id      TEXT NOT NULL,
    outlet        TEXT NOT NULL,
    n_articles    INTEGER NOT NULL,
    n_place       INTEGER NOT NULL,
    n_metonym     INTEGER NOT NULL,
    n_demonym     INTEGER NOT NULL,
    country_code  TEXT,
    PRIMARY KEY (place_id, outlet)
) WITHOUT ROWID;
-- earlier stores indexed the rows that cover more than a day, for date ranges: no query has
-- read them since a range is tested row by row (geo.filters._dates), and each write paid for them
DROP INDEX IF EXISTS place_articles_period;
DROP INDEX IF EXISTS article_summary_period
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

_FILL_ARTICLE_SUMMARY = """
INSERT INTO article_summary
SELECT article_id, sum(n_place), sum(n_metonym), sum(n_demonym), count(*), day_first, day_last, outlet
FROM place_articles {where} GROUP BY article_id
"""

_FILL_PLACE_KINDS = f"""
INSERT INTO place_kinds
SELECT place_id, {KINDSET}, count(*), sum(n_place), sum(n_metonym), sum(n_demonym), sum(pinned),
       min(day_first), max(day_last), place_name, lat, lon, country_code, feature
FROM place_articles GROUP BY place_id, {KINDSET}
"""

_FILL_PLACE_OUTLETS = """
INSERT INTO place_outlets
SELECT place_id, outlet, count(*), sum(n_place > 0), sum(n_metonym > 0), sum(n_demonym > 0), country_code
FROM place_articles WHERE outlet IS NOT NULL GROUP BY place_id, outlet
"""

# One article's place_articles rows as the per-place tables count them (each adds or takes one).
_ARTICLE_ROWS = f"""SELECT place_id, {KINDSET} AS kindset, n_place, n_metonym, n_demonym, pinned, day_first, day_last,
       place_name, lat, lon, country_code, feature, outlet
FROM place_articles WHERE article_id = ?"""

_ADD_PLACE_KIND = """
INSERT INTO place_kinds VALUES (
    :place_id, :kindset, 1, :n_place, :n_metonym, :n_demonym, :pinned, :day_first, :day_last,
    :place_name, :lat, :lon, :country_code, :feature)
ON CONFLICT (place_id, kindset) DO UPDATE SET
    n_articles = n_articles + 1, n_place = n_place + excluded.n_place,
    n_metonym = n_metonym + excluded.n_metonym, n_demonym = n_demonym + excluded.n_demonym,
    pinned = pinned + excluded.pinned,
    day_first = coalesce(min(day_first, excluded.day_first), day_first, excluded.day_first),
    day_last = coalesce(max(day_last, excluded.day_last), day_last, excluded.day_last),
    place_name = excluded.place_name, lat = excluded.lat, lon = excluded.lon,
    country_code = excluded.country_code, feature = excluded.feature
"""
_TAKE_PLACE_KIND = """
UPDATE place_kinds SET n_articles = n_articles - 1, n_place = n_place - :n_place,
    n_metonym = n_metonym - :n_metonym, n_demonym = n_demonym - :n_demonym, pinned = pinned - :pinned
WHERE place_id = :place_id AND kindset = :kindset
"""
# place_outlets counts articles, not mentions: how many of the outlet's mention it as each kind
_ADD_PLACE_OUTLET = """
INSERT INTO place_outlets VALUES (
    :place_id, :outlet, 1, :n_place > 0, :n_metonym > 0, :n_demonym > 0, :country_code)
ON CONFLICT (place_id, outlet) DO UPDATE SET
    n_articles = n_articles + 1, n_place = n_place + excluded.n_place,
    n_metonym = n_metonym + excluded.n_metonym, n_demonym = n_demonym + excluded.n_demonym,
    country_code = excluded.country_code
"""
_TAKE_PLACE_OUTLET = """
UPDATE place_outlets SET n_articles = n_articles - 1, n_place = n_place - (:n_place > 0),
    n_metonym = n_metonym - (:n_metonym > 0), n_demonym = n_demonym - (:n_demonym > 0)
WHERE place_id = :place_id AND outlet = :outlet
"""
_FIND_DAYS = f"""
UPDATE place_kinds SET (day_first, day_last) = (
    SELECT min(day_first), max(day_last) FROM place_articles WHERE place_id = :place_id AND {KINDSET} = :kindset)
WHERE place_id = :place_id AND kindset = :kindset AND (day_first = :day_first OR day_last = :day_last)
"""


def tables(conn: sqlite3.Connection) -> set[str]:
    """The tables a store has (an older one lacks the later summaries)."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def fill(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    """Rebuild the named summaries from the tables they derive from, in dependency order (a
    migration: each is one pass over what it is made of)."""
    names = set(names)
    for name, sql in (("place_articles", _FILL_PLACE_ARTICLES.format(where="")),
                      ("article_summary", _FILL_ARTICLE_SUMMARY.format(where="")),
                      ("place_kinds", _FILL_PLACE_KINDS), ("place_outlets", _FILL_PLACE_OUTLETS)):  # fmt: skip
        if name in names:
            conn.execute(f"DELETE FROM {name}")
            conn.execute(sql)


def refresh(conn: sqlite3.Connection, article_id: str) -> None:
    """Bring every summary in step with one article's mentions (inside the caller's transaction):
    its own rows are rewritten, and the per-place tables take away its old rows' counts and add
    its new ones, so a write costs what the article holds, not what its places hold."""
    old = [dict(r) for r in conn.execute(_ARTICLE_ROWS, (article_id,))]
    conn.execute("DELETE FROM place_articles WHERE article_id = ?", (article_id,))
    conn.execute(_FILL_PLACE_ARTICLES.format(where="AND m.article_id = ?"), (article_id,))
    conn.execute("DELETE FROM article_summary WHERE article_id = ?", (article_id,))
    conn.execute(_FILL_ARTICLE_SUMMARY.format(where="WHERE article_id = ?"), (article_id,))
    new = [dict(r) for r in conn.execute(_ARTICLE_ROWS, (article_id,))]
    with_outlet = [r for r in old if r["outlet"] is not None]
    conn.executemany(_TAKE_PLACE_KIND, old)
    conn.executemany(_TAKE_PLACE_OUTLET, with_outlet)
    conn.executemany(_ADD_PLACE_KIND, new)
    conn.executemany(_ADD_PLACE_OUTLET, [r for r in new if r["outlet"] is not None])
    # the groups the old rows were in, where no article is left
    conn.executemany("DELETE FROM place_kinds WHERE place_id = :place_id AND kindset = :kindset AND n_articles = 0", old)
    conn.executemany("DELETE FROM place_outlets WHERE place_id = :place_id AND outlet = :outlet AND n_articles = 0",
                     with_outlet)  # fmt: skip
    conn.executemany(_FIND_DAYS, _days_to_find(old, new))


def _days_to_find(old: list[dict], new: list[dict]) -> list[dict]:
    """The old rows that may have set their (place, kind set) group's first or last day, where
    no new row sets it again: a minimum cannot be taken away, so where the group's day is the
    old row's (_FIND_DAYS), the group reads its place's rows again. Re-storing an article with
    the same date and kinds (a re-ingest) finds none."""
    kept = {(r["place_id"], r["kindset"]): (r["day_first"], r["day_last"]) for r in new}
    return [
        r for r in old
        if r["day_first"] is not None and kept.get((r["place_id"], r["kindset"])) != (r["day_first"], r["day_last"])
    ]  # fmt: skip
