"""Corrections through geo.pins: a runner-up, a gazetteer place or "not a place", applied to
the stored mentions at once and kept for later ingests; refused on a read-only deployment;
the names the map is missing; and `geo pin` showing hostile text as plain text."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_pins import ATLANTA, GEORGIA_COUNTRY, TEXAS, placed, us_story

from geo import pins
from geo.pins import NOT_A_PLACE, Pin, PinStep, ReadOnlyError
from geo.records import Candidate, Place, Resolution
from geo.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parents[1]
GEORGIA_STATE = Place("geonames:4197000", "Georgia", 32.75042, -83.50018, "US", "admin1")


def geo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def us_story_with_runner_up():
    article, mentions = us_story()
    georgia = mentions[1]
    mentions[1] = type(georgia)(
        georgia.mention,
        Resolution(GEORGIA_COUNTRY, 0.6, (Candidate(GEORGIA_STATE, 0.4),), "gazetteer", "most prominent"),
    )
    return article, mentions


def rows(data_dir: Path) -> dict[str, dict]:
    with Store(data_dir, readonly=True) as store:
        return {r["name"]: dict(r) for r in store.conn.execute("SELECT * FROM mentions")}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path) as s:
        s.replace_article(*us_story_with_runner_up())
        yield s


def test_pinning_a_runner_up_replaces_the_stored_mention_with_that_gazetteer_place(store, tmp_path):
    done = pins.pin_to_candidate(store, "us", 9, GEORGIA_STATE.place_id, context="US", note="the state")
    assert done.updated == 1
    georgia = rows(tmp_path)["Georgia"]
    # the place keeps its gazetteer id, so its marker is the one other mentions of the state share
    assert (georgia["place_id"], georgia["country_code"], georgia["feature"], georgia["source"]) == (
        GEORGIA_STATE.place_id, "US", "admin1", "pinned")
    assert "the state" in georgia["reason"]
    assert [p.target() for p in store.pins()] == ["Georgia, US (geonames:4197000)"]


def test_a_place_that_is_not_a_candidate_is_refused_with_the_candidates_named(store):
    with pytest.raises(ValueError, match="not a candidate for 'Georgia'.*geonames:4197000"):
        pins.pin_to_candidate(store, "us", 9, "geonames:0")
    with pytest.raises(ValueError, match="no mention starting at 3"):
        pins.pin_to_candidate(store, "us", 3, GEORGIA_STATE.place_id)


def test_not_a_place_unplaces_the_name_now_and_in_later_ingests(store, tmp_path):
    done = pins.mark_not_a_place(store, "Texas", note="a ship's name here")
    assert done.updated == 1 and done.pin.kind == NOT_A_PLACE
    texas = rows(tmp_path)["Texas"]
    assert texas["place_id"] is None and texas["lat"] is None and texas["source"] == "pinned"
    assert texas["reason"] == "marked not a place by an analyst: a ship's name here"
    # the automatic choice is kept as the first runner-up, to undo by hand
    assert TEXAS.place_id in texas["candidates"]
    # a re-ingest of the article applies it again through the pin step
    article, fresh = us_story()
    again = PinStep(store)(article, fresh)
    assert again[2].resolution.place is None and again[2].resolution.source == "pinned"
    assert again[0].resolution.place == ATLANTA


def test_not_a_place_within_a_context_leaves_other_stories_alone(tmp_path):
    with Store(tmp_path) as store:
        store.replace_article(*us_story())
        from test_pins import caucasus_story

        store.replace_article(*caucasus_story())
        pins.mark_not_a_place(store, "Georgia", context="US")
        by_article = {(r["article_id"], r["name"]): r for r in store.conn.execute("SELECT * FROM mentions")}
    assert by_article[("us", "Georgia")]["place_id"] is None
    assert by_article[("ge", "Georgia")]["place_id"] == GEORGIA_COUNTRY.place_id


def test_a_corrected_pin_replaces_the_earlier_one_without_keeping_it_as_a_runner_up(store, tmp_path):
    pins.add_pin(store, Pin("Okefenokee", 30.0, -82.0, feature="physical"))
    pins.add_pin(store, Pin("Okefenokee", 30.7, -82.3, feature="physical"))
    okefenokee = rows(tmp_path)["Okefenokee"]
    assert (okefenokee["lat"], okefenokee["lon"]) == (30.7, -82.3)
    assert okefenokee["candidates"] == "[]"
    assert len(store.pins()) == 1


def test_removing_a_pin_takes_it_off_the_stored_mentions_at_once(store, tmp_path):
    pins.add_pin(store, Pin("Georgia", 0.5, 0.5))
    pins.pin_to_place(store, "Georgia", GEORGIA_STATE, context="US")
    assert rows(tmp_path)["Georgia"]["place_id"] == GEORGIA_STATE.place_id
    assert pins.remove_pin(store, "Georgia", "US") == ["us"]
    georgia = rows(tmp_path)["Georgia"]
    assert (georgia["lat"], georgia["lon"]) == (0.5, 0.5)  # the pin for everywhere applies again
    assert pins.remove_pin(store, "Georgia") == ["us"]
    georgia = rows(tmp_path)["Georgia"]
    assert georgia["place_id"] is None and georgia["source"] == "gazetteer"
    assert georgia["reason"] == "its pin was removed; the next geo ingest resolves it again"
    assert store.content_hash("us") == ""  # and the next ingest does
    assert pins.remove_pin(store, "Georgia") is None
    assert rows(tmp_path)["Texas"]["place_id"] == TEXAS.place_id  # other names untouched


def test_read_only_refuses_every_correction_and_writes_nothing(store, tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_READONLY", "1")
    before = rows(tmp_path)
    for attempt in (
        lambda: pins.add_pin(store, Pin("Okefenokee", 30.7, -82.3)),
        lambda: pins.pin_to_candidate(store, "us", 9, GEORGIA_STATE.place_id),
        lambda: pins.pin_to_place(store, "Georgia", GEORGIA_STATE),
        lambda: pins.mark_not_a_place(store, "Texas"),
        lambda: pins.remove_pin(store, "Texas"),
    ):
        with pytest.raises(ReadOnlyError, match="read-only"):
            attempt()
    assert store.pins() == [] and rows(tmp_path) == before
    assert pins.corrections_allowed({"GEO_READONLY": "0"}) and not pins.corrections_allowed({"GEO_READONLY": "yes"})


def test_the_names_the_map_is_missing_with_counts_and_a_sample(tmp_path):
    with Store(tmp_path) as store:
        store.replace_article(*us_story())
        article, mentions = us_story()
        store.replace_article(
            type(article)("us2", article.text, "h2", "us2.txt", title="Second <b>swamp</b> story"),
            [*mentions[:3], placed("Okefenokee", None, 34), placed("Okefenokee", None, 34 + 1)],
        )
        pins.mark_not_a_place(store, "Atlanta")  # deliberately unplaced names are not "missing"
    with Store(tmp_path, readonly=True) as reader:
        missing = pins.unresolved_names(reader.conn)
    assert [(u.name, u.mentions, u.articles) for u in missing] == [("Okefenokee", 3, 2)]
    assert missing[0].sample_article_id == "us" and missing[0].reason == "no gazetteer entry for 'Okefenokee'"


def test_migrating_a_version_1_store_keeps_its_pins(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("""CREATE TABLE pins (name_key TEXT NOT NULL, context TEXT NOT NULL DEFAULT '', name TEXT NOT NULL,
                    lat REAL NOT NULL, lon REAL NOT NULL, feature TEXT NOT NULL, note TEXT, pinned_at TEXT NOT NULL,
                    PRIMARY KEY (name_key, context))""")
    conn.execute("INSERT INTO pins VALUES ('georgia','US','Georgia',32.65,-83.44,'admin1','GNIS','2024-01-01')")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Store(tmp_path) as store:
        assert store.pins() == [Pin("Georgia", 32.65, -83.44, "US", "admin1", "GNIS", "2024-01-01")]
        pins.mark_not_a_place(store, "Texas")
        assert {p.kind for p in store.pins()} == {"point", "not_a_place"}


def test_geo_pin_cli_pins_to_a_gazetteer_place_marks_not_a_place_and_lists_plainly(store, tmp_path):
    d = ("--data-dir", str(tmp_path))
    placed_ = geo("pin", "Georgia", "--place", "geonames:4197000", "--context", "US", *d)
    assert placed_.returncode == 0, placed_.stderr
    assert "pinned 'Georgia' to Georgia, US (geonames:4197000) in articles about US; 1 stored article(s)" in placed_.stdout
    by_name = geo("pin", "Okefenokee", "--place", "Tbilisi", *d)
    assert by_name.returncode == 0 and "is taken to mean Tbilisi" in by_name.stdout
    unknown = geo("pin", "Okefenokee", "--place", "Atlantis-on-Sea", *d)
    assert unknown.returncode == 2 and "no place has the id or the name 'Atlantis-on-Sea'" in unknown.stderr

    hostile = "from a \x1b[2J\x1b[31mterminal\x07 escape\nand a second line"
    marked = geo("pin", "Texas", "--not-a-place", "--note", hostile, *d)
    assert marked.returncode == 0 and "marked 'Texas' as not a place; 1 stored article(s) updated" in marked.stdout
    listing = geo("pin", "--list", *d).stdout.splitlines()
    assert len(listing) == 4  # header + three pins: the note's newline did not make a row
    texas = next(line for line in listing if line.startswith("Texas"))
    assert "not a place" in texas and "\x1b" not in texas and "\\x1b[2J\\x1b[31mterminal\\x07 escape\\x0aand" in texas


def test_geo_pin_cli_unresolved_and_read_only(store, tmp_path):
    d = ("--data-dir", str(tmp_path))
    with store.transaction() as conn:
        conn.execute("UPDATE articles SET title = ? WHERE article_id = 'us'", ("Swamp\x1b]0;owned\x07 news",))
    missing = geo("pin", "--unresolved", *d)
    assert missing.returncode == 0
    header, row = missing.stdout.splitlines()
    assert row.split()[:4] == ["Okefenokee", "1", "1", "us"] and "\x1b" not in row and "\\x1b]0;owned\\x07" in row

    refused = geo("pin", "Okefenokee", "30.7", "-82.3", *d, env={"GEO_READONLY": "1"})
    assert refused.returncode == 1 and "read-only" in refused.stderr
    assert geo("pin", "Okefenokee", "--remove", *d, env={"GEO_READONLY": "1"}).returncode == 1
    assert geo("pin", "--list", *d, env={"GEO_READONLY": "1"}).returncode == 0
    assert store.pins() == []
