"""The store under real faults: a writer process killed with SIGKILL mid-stream, and two
writer processes on one SQLite file at once. Real processes, real kill, real files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]
MENTIONS_PER_ARTICLE = 400  # big transactions, so a kill often lands inside one

WRITER = """
import sys
from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import Store

data_dir, first, last, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
place = Place("geonames:1", "Somewhere", 1.0, 2.0, "XX", "city")
with Store(data_dir) as store:
    for i in range(first, last):
        mentions = [ResolvedMention(Mention(k * 10, k * 10 + 9, "Somewhere", "Somewhere"),
                                    Resolution(place, 0.9, (), "gazetteer", tag))
                    for k in range({per})]
        store.replace_article(Article(f"art{{i:04d}}", "Somewhere " * {per}, f"hash{{i}}", f"{{i}}.txt"), mentions)
""".format(per=MENTIONS_PER_ARTICLE)


def writer(data_dir: Path, first: int, last: int, tag: str = "w") -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), str(first), str(last), tag], cwd=ROOT)


def articles_stored(data_dir: Path) -> int:
    if not (data_dir / "geo.sqlite").exists():
        return 0
    with sqlite3.connect(data_dir / "geo.sqlite", timeout=30) as conn:
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:  # schema not created yet
            return 0


def assert_whole(data_dir: Path) -> tuple[int, int]:
    """The file passes SQLite's integrity check and every article has all its mentions."""
    with sqlite3.connect(data_dir / "geo.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_article = conn.execute(
            "SELECT a.article_id, count(m.start) FROM articles a LEFT JOIN mentions m USING (article_id) GROUP BY 1"
        ).fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT article_id FROM articles)"
        ).fetchone()[0]
    assert orphans == 0
    assert all(n == MENTIONS_PER_ARTICLE for _, n in per_article), "an article was stored half-way"
    return len(per_article), sum(n for _, n in per_article)


def test_a_writer_killed_mid_stream_leaves_every_committed_article_whole(tmp_path):
    proc = writer(tmp_path, 0, 400)
    deadline = time.monotonic() + 60
    while articles_stored(tmp_path) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    survived, _ = assert_whole(tmp_path)
    assert 20 <= survived < 400, "the kill did not land part-way"
    # a re-run finishes the job without duplicates
    assert writer(tmp_path, 0, 400).wait() == 0
    assert assert_whole(tmp_path) == (400, 400 * MENTIONS_PER_ARTICLE)


def test_two_writers_at_once_lose_nothing_and_duplicate_nothing(tmp_path):
    Store(tmp_path).close()  # both start on an existing file, as two `geo ingest` runs would
    procs = [writer(tmp_path, 0, 120, "a"), writer(tmp_path, 60, 180, "b")]  # overlapping 60..120
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert assert_whole(tmp_path) == (180, 180 * MENTIONS_PER_ARTICLE)


def test_a_reader_neither_waits_for_nor_blocks_a_writer(tmp_path):
    """`geo export` reads while `geo ingest` holds the write lock, and creates nothing."""
    import sqlite3

    import pytest

    from geo.store import Store

    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "empty", readonly=True)
    assert not (tmp_path / "empty").exists()

    writer = Store(tmp_path)
    writer.conn.execute("BEGIN IMMEDIATE")  # an ingest mid-transaction
    try:
        with Store(tmp_path, readonly=True, timeout_s=0.5) as reader:
            assert reader.count("articles") == 0
            with pytest.raises(sqlite3.OperationalError):
                reader.conn.execute("DELETE FROM articles")
    finally:
        writer.conn.execute("ROLLBACK")
        writer.close()
