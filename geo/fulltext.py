"""Keyword search over the stored articles: an SQLite FTS5 index of their titles and texts.

Why FTS5: it ships with SQLite, so the store stays one file with no server, and a word
query over 100,000 articles answers in milliseconds. The index is an *external-content*
table over `articles`: it keeps only the inverted index (the text stays once, in
`articles`), and three triggers keep it in step with every write to `articles`, so each
write path (ingest, re-ingest, a store copied by a script) keeps it current without
knowing about it. A store made before the index existed is indexed once, when a writer
opens it (`ensure_index`, keyed on PRAGMA user_version). The index refers to articles by
their implicit rowid, which SQLite's VACUUM may renumber: after a VACUUM, rebuild it with
`INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')` (`geo` itself never vacuums).

Queries are typed by analysts, not by FTS experts: plain words must all occur (in any
order, any case, diacritics folded: "kyiv" finds "Kyïv"), "double quotes" make a phrase,
a trailing * a prefix ("ukrain*"), and OR / NOT / parentheses work as in FTS5. Anything
FTS5 would reject raises `QueryError` with a message meant for the user.
"""

from __future__ import annotations

import re
import sqlite3
import sys

#: PRAGMA user_version from which a store's articles are in the index.
INDEX_VERSION = 2

_SCHEMA = (
    # rowid: the implicit rowid of `articles` (its primary key is TEXT, so the table has one).
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
)

#: The ids of the articles matching an FTS5 expression (the one parameter), for view
#: queries to use as a sub-select: `... WHERE article_id IN (<MATCHING_SQL>)`.
MATCHING_SQL = (
    "SELECT a.article_id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
    "WHERE articles_fts MATCH ?"
)

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<paren>[()])|(?P<word>[^\s"()]+)')
_OPERATORS = {"OR", "AND", "NOT"}


class QueryError(ValueError):
    """A keyword query that cannot be run; the message says why, in the user's terms."""


def ensure_index(conn: sqlite3.Connection, user_version: int) -> None:
    """Create the index and its triggers if missing; index every stored article when the
    store predates the index (`user_version` < INDEX_VERSION). Runs inside the writer's
    schema transaction, so a reader never sees a half-built index."""
    for statement in _SCHEMA:
        conn.execute(statement)
    if user_version < INDEX_VERSION:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored:
            print(f"store: indexing {stored} article(s) for keyword search (once)", file=sys.stderr)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def fts_expression(query: str) -> str:
    """The FTS5 expression for an analyst's query, every word quoted so that punctuation
    ("covid-19", "U.S.", "a:b") is text, never syntax. QueryError when the query is empty
    or a quote is left open."""
    if query.count('"') % 2:
        raise QueryError(f"keyword search {query!r}: a double quote is not closed")
    parts = []
    for match in _TOKEN.finditer(query):
        phrase, paren, word = match["phrase"], match["paren"], match["word"]
        if paren:
            parts.append(paren)
        elif phrase is not None:
            if phrase.strip():
                parts.append(_quoted(phrase))
        elif word in _OPERATORS:
            parts.append(word)
        elif word.endswith("*") and word.strip("*"):
            parts.append(_quoted(word.rstrip("*")) + "*")
        elif word.strip("*"):
            parts.append(_quoted(word))
    if not any(p not in _OPERATORS and p not in "()" for p in parts):
        raise QueryError(f"keyword search {query!r}: no words to search for")
    return " ".join(parts)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def matching_articles(conn: sqlite3.Connection, query: str) -> set[str]:
    """The ids of the stored articles whose title or text matches `query` (see the module
    doc for the syntax). QueryError for a query FTS5 cannot run, or a store with no index."""
    return {row[0] for row in _run(conn, query, MATCHING_SQL)}


def check(conn: sqlite3.Connection, query: str) -> None:
    """QueryError, with the message `matching_articles` would give, when `query` cannot run;
    cheap (it stops at the first match), for a page to vet a keyword before its view queries."""
    _run(conn, query, MATCHING_SQL + " LIMIT 1")


def _run(conn: sqlite3.Connection, query: str, sql: str) -> list[sqlite3.Row]:
    expression = fts_expression(query)
    try:
        return conn.execute(sql, (expression,)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise QueryError(
                "keyword search is not available: this store has no keyword index yet "
                "(it is built the next time `geo ingest` or `geo pin` opens the store)"
            ) from None
        raise QueryError(f"keyword search {query!r} cannot be run: {_plain(exc)}") from None


def _plain(exc: sqlite3.OperationalError) -> str:
    """FTS5's message without its jargon prefix ("fts5: syntax error near ..." -> "syntax error near ...")."""
    message = str(exc).removeprefix("fts5: ")
    if "syntax error" in message:
        message += " (check AND / OR / NOT and the parentheses)"
    return message
