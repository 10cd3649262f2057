"""Keyword search: the FTS5 index follows every write to the articles, reads analysts'
queries (words, phrases, prefixes, operators), and says plainly what is wrong with a bad one."""

from __future__ import annotations

import sqlite3

import pytest

from geo import fulltext
from geo.fulltext import QueryError, matching_articles
from geo.records import Article
from geo.store import DB_NAME, Store


def article(article_id: str, text: str, title: str | None = None) -> Article:
    return Article(article_id, text, f"h-{article_id}", f"{article_id}.txt", title=title)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path) as s:
        s.replace_article(article("kyiv", "Shelling in Kyïv overnight; the U.S. condemned it."), [])
        s.replace_article(article("grain", "Grain ships left Odesa.", title="Black Sea grain deal holds"), [])
        s.replace_article(article("covid", "COVID-19 cases rose in Ukrainian cities."), [])
        yield s


def test_words_match_in_any_case_and_order_with_diacritics_folded(store):
    assert matching_articles(store.conn, "kyiv") == {"kyiv"}
    assert matching_articles(store.conn, "CONDEMNED shelling") == {"kyiv"}
    assert matching_articles(store.conn, "shelling grain") == set()


def test_titles_are_searched_as_well_as_texts(store):
    assert matching_articles(store.conn, "deal") == {"grain"}


def test_phrases_prefixes_and_operators(store):
    assert matching_articles(store.conn, '"grain ships"') == {"grain"}
    assert matching_articles(store.conn, '"ships grain"') == set()
    assert matching_articles(store.conn, "ukrain*") == {"covid"}
    assert matching_articles(store.conn, "odesa OR kyiv") == {"grain", "kyiv"}
    assert matching_articles(store.conn, "(odesa OR kyiv) NOT shelling") == {"grain"}


def test_punctuation_in_a_word_is_text_not_syntax(store):
    assert matching_articles(store.conn, "covid-19") == {"covid"}
    assert matching_articles(store.conn, "U.S.") == {"kyiv"}
    assert matching_articles(store.conn, "title:deal") == set()  # not a column filter


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"grain ships', "double quote is not closed"),
        ("   ", "no words to search for"),
        ("OR", "no words to search for"),
        ("grain OR", "syntax error"),
        ("(grain", "syntax error"),
    ],
)
def test_a_bad_query_is_a_clear_error_not_a_crash(store, query, says):
    with pytest.raises(QueryError, match=says):
        matching_articles(store.conn, query)


def test_the_index_follows_replacement_and_deletion(store):
    store.replace_article(article("kyiv", "Now the story is about Lviv."), [])
    assert matching_articles(store.conn, "kyiv") == set()
    assert matching_articles(store.conn, "lviv") == {"kyiv"}
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE article_id = 'grain'")
    assert matching_articles(store.conn, "odesa") == set()
    with store.transaction() as conn:
        conn.execute("UPDATE articles SET title = 'Kharkiv update' WHERE article_id = 'covid'")
    assert matching_articles(store.conn, "kharkiv") == {"covid"}
    assert matching_articles(store.conn, "covid") == {"covid"}
    # marking an article stale (content_hash) leaves its words searchable
    store.mark_stale(["covid"])
    assert matching_articles(store.conn, "kharkiv") == {"covid"}


def test_a_store_made_before_the_index_is_indexed_when_a_writer_opens_it(tmp_path):
    with Store(tmp_path) as s:
        s.replace_article(article("old", "Written before keyword search existed, about Mariupol."), [])
    # make it look like a version-1 store: no index, no triggers
    conn = sqlite3.connect(tmp_path / DB_NAME)
    for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE articles_fts")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()

    with Store(tmp_path, readonly=True) as reader:
        with pytest.raises(QueryError, match="no keyword index yet"):
            matching_articles(reader.conn, "mariupol")
    with Store(tmp_path) as writer:
        assert writer.conn.execute("PRAGMA user_version").fetchone()[0] >= fulltext.INDEX_VERSION
    with Store(tmp_path, readonly=True) as reader:
        assert matching_articles(reader.conn, "mariupol") == {"old"}


def test_matching_sql_composes_into_a_view_query(store):
    rows = store.conn.execute(
        f"SELECT article_id FROM articles WHERE article_id IN ({fulltext.MATCHING_SQL}) ORDER BY article_id",
        (fulltext.fts_expression("odesa OR covid"),),
    ).fetchall()
    assert [r[0] for r in rows] == ["covid", "grain"]
