"""The dashboard as a corpus grows and while `geo ingest` writes: it answers, and its page stays small."""

from __future__ import annotations

import json
import subprocess
import sys

from map_fixture import build, build_many
from streamlit.testing.v1 import AppTest
from test_dashboard import APP, header, map_args, marker_rows

from dashboard.app import MAP_PLACES, POPUP_PLACES

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # as `geo ingest` does for each article
conn.execute("UPDATE articles SET title = 'being rewritten' WHERE article_id = 'hostile'")
print("holding", flush=True)
time.sleep(300)
"""


def test_the_dashboard_answers_while_another_process_holds_a_write_transaction(tmp_path, monkeypatch):
    data_dir = build(tmp_path / "data")
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(data_dir / "geo.sqlite")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "holding"
        at = AppTest.from_file(APP, default_timeout=20)  # a reader that waited would time out here
        at.run()
        assert not at.exception, at.exception
        assert header(at) == "**6** places · **8** mentions · **5** articles in view"
        at = AppTest.from_file(APP, default_timeout=20)
        at.query_params.update(article="hostile", mention="17")
        at.run()
        assert not at.exception, at.exception
        assert "being rewritten" not in " ".join(h.proto.body for h in at.get("html"))  # the last commit only
        assert writer.poll() is None, "the writer gave up its transaction"
    finally:
        writer.kill()
        writer.wait()


def test_the_page_for_thousands_of_articles_over_many_places_stays_small(tmp_path, monkeypatch):
    data_dir = build_many(tmp_path / "data", n_articles=2_000, n_places=4_000)
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert header(at) == "**4,000** places · **16,000** mentions · **2,000** articles in view"
    args = map_args(at)
    page = len(json.dumps(args)) + sum(len(h.proto.body) for h in at.get("html")) + sum(len(m.value) for m in at.markdown)
    # ~90 bytes a marker, 200 kB of country outlines, excerpts for the largest places only
    assert page < 900_000, f"{page} bytes for 4,000 places"
    assert args["script"].count("geo-ex") <= 3 * POPUP_PLACES  # not every article's excerpt


def test_a_view_with_more_places_than_the_map_draws_says_how_many_are_left_off(tmp_path, monkeypatch):
    data_dir = build_many(tmp_path / "data", n_articles=(MAP_PLACES + 600) // 8, n_places=MAP_PLACES + 600)
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert header(at).startswith(f"**{MAP_PLACES + 600:,}** places")
    assert len(marker_rows(at)) == MAP_PLACES
    assert f"The map shows the {MAP_PLACES:,} places with most articles; narrow the filters to see the other 600." in [
        c.value for c in at.caption
    ]
