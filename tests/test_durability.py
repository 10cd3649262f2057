"""`geo ingest` under real faults: killed with SIGKILL part-way, and two runs on one data dir
at once. Real subprocesses, the real geoparser, real SQLite files; small corpora made here."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOWNS = ["Vladivostok", "Pyongyang", "Tbilisi", "Kharkiv", "Odesa", "Khabarovsk", "Seoul", "Minsk"]


def corpus(folder: Path, first: int, last: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, last):
        a, b = TOWNS[i % len(TOWNS)], TOWNS[(i * 3 + 1) % len(TOWNS)]
        (folder / f"story{i:03d}.txt").write_text(
            f"Report number {i}\n\nOfficials in {a} met a delegation from {b} on Monday. "
            f"Trade between {a} and {b} has grown, they said, and talks continue next week in {a}.\n"
        )
    return folder


def ingest(data_dir: Path, *paths: Path) -> subprocess.Popen[str]:
    # offline, whatever the user's own config says
    env = {**os.environ, "XDG_CONFIG_HOME": str(data_dir), "HOME": str(data_dir), "GEO_GEOCODER": "none"}
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "ingest", *map(str, paths), "--data-dir", str(data_dir), "--jobs", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def table(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "geo.sqlite", timeout=30) as conn:
        return conn.execute(sql).fetchall()


def count(data_dir: Path) -> int:
    try:
        return table(data_dir, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def snapshot(data_dir: Path) -> dict[str, list[tuple]]:
    """Each article's mentions, as a reader of the tables sees them."""
    assert table(data_dir, "PRAGMA integrity_check") == [("ok",)]
    rows = table(data_dir, 'SELECT article_id, start, "end", name, place_id FROM mentions ORDER BY 1, 2, 3')
    out: dict[str, list[tuple]] = {aid: [] for (aid,) in table(data_dir, "SELECT article_id FROM articles")}
    for aid, *rest in rows:
        out[aid].append(tuple(rest))
    return out


def test_ingest_killed_part_way_keeps_what_it_committed_and_a_rerun_finishes_without_duplicates(tmp_path):
    docs = corpus(tmp_path / "docs", 0, 160)
    data = tmp_path / "data"
    proc = ingest(data, docs)
    deadline = time.monotonic() + 300
    while count(data) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    before = snapshot(data)
    assert 0 < len(before) < 160, "the kill did not land part-way"
    assert all(before.values()), "an article was stored without its mentions"

    rerun = ingest(data, docs)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"{160 - len(before)} article(s) read, {len(before)} skipped (unchanged)" in out
    after = snapshot(data)
    assert len(after) == 160
    assert {aid: after[aid] for aid in before} == before  # what was committed survived as it was
    assert table(data, 'SELECT count(*) FROM (SELECT DISTINCT article_id, start, "end" FROM mentions)') == \
        table(data, "SELECT count(*) FROM mentions")


def test_two_ingests_on_one_data_dir_at_once_lose_nothing(tmp_path):
    first = corpus(tmp_path / "first", 0, 60)
    second = corpus(tmp_path / "second", 40, 100)  # stories 40..59 in both
    data = tmp_path / "data"
    runs = [ingest(data, first), ingest(data, second)]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in results]
    together = snapshot(data)
    assert len(together) == 100 and all(together.values())

    alone = tmp_path / "alone"
    for folder in (first, second):  # one after the other (together in one run, 40..59 would clash)
        solo = ingest(alone, folder)
        solo.communicate(timeout=600)
        assert solo.returncode == 0
    assert snapshot(alone) == together  # the same rows as the runs on their own
