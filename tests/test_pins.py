"""Analysts' pins: `geo pin` re-places stored mentions at once, wins over automatic choices
from the next ingest on, respects its context country, and can be listed and removed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from geo.pins import Pin, PinStep, apply_pins
from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]

GEORGIA_COUNTRY = Place("geonames:614540", "Georgia", 42.0, 43.5, "GE", "country", 3_700_000)
TBILISI = Place("geonames:611717", "Tbilisi", 41.69, 44.83, "GE", "city", 1_000_000)
ATLANTA = Place("geonames:4180439", "Atlanta", 33.75, -84.39, "US", "city", 500_000)
TEXAS = Place("geonames:4736286", "Texas", 31.25, -99.25, "US", "admin1", 29_000_000)


def geo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def placed(name: str, place: Place | None, start: int) -> ResolvedMention:
    mention = Mention(start, start + len(name), name, name, "place", 0, 200)
    if place is None:
        return ResolvedMention(mention, Resolution(None, 0.0, (), "gazetteer", f"no gazetteer entry for '{name}'"))
    return ResolvedMention(mention, Resolution(place, 0.8, (), "gazetteer", "most prominent"))


def us_story() -> tuple[Article, list[ResolvedMention]]:
    text = "Atlanta, Georgia and Texas voted. Okefenokee too."
    mentions = [placed("Atlanta", ATLANTA, 0), placed("Georgia", GEORGIA_COUNTRY, 9),
                placed("Texas", TEXAS, 21), placed("Okefenokee", None, 34)]
    return Article("us", text, "h-us", "us.txt"), mentions


def caucasus_story() -> tuple[Article, list[ResolvedMention]]:
    text = "Tbilisi is the capital of Georgia."
    return Article("ge", text, "h-ge", "ge.txt"), [placed("Tbilisi", TBILISI, 0), placed("Georgia", GEORGIA_COUNTRY, 26)]


def stored(data_dir: Path) -> dict[tuple[str, str], dict]:
    with Store(data_dir) as store:
        return {(r["article_id"], r["name"]): r for r in store.mentions().to_dict("records")}


def test_pin_with_context_replaces_stored_mentions_only_in_articles_about_that_country(tmp_path):
    with Store(tmp_path) as store:
        store.replace_article(*us_story())
        store.replace_article(*caucasus_story())

    result = geo("pin", "Georgia", "32.65", "-83.44", "--context", "United States", "--note", "USGS GNIS",
                 "--feature", "admin1", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 stored article(s) updated" in result.stdout

    rows = stored(tmp_path)
    us = rows[("us", "Georgia")]
    assert (us["source"], us["lat"], us["lon"], us["country_code"], us["feature"]) == ("pinned", 32.65, -83.44, "US", "admin1")
    assert us["confidence"] == 1.0 and "USGS GNIS" in us["reason"]
    # the automatic choice is kept as the first runner-up, so the analyst sees what was overridden
    assert json.loads(us["candidates"])[0]["place_id"] == GEORGIA_COUNTRY.place_id
    assert rows[("ge", "Georgia")]["place_id"] == GEORGIA_COUNTRY.place_id  # the Caucasus story is untouched
    assert rows[("us", "Texas")]["source"] == "gazetteer"


def test_pin_without_context_places_an_unresolved_name_everywhere_and_repinning_is_stable(tmp_path):
    with Store(tmp_path) as store:
        store.replace_article(*us_story())
    assert geo("pin", "Okefenokee", "30.7", "-82.3", "--data-dir", str(tmp_path)).returncode == 0
    first = stored(tmp_path)[("us", "Okefenokee")]
    assert (first["source"], first["lat"], first["lon"]) == ("pinned", 30.7, -82.3)
    assert first["reason"] == "pinned by an analyst"
    again = geo("pin", "Okefenokee", "30.7", "-82.3", "--data-dir", str(tmp_path))
    assert "0 stored article(s) updated" in again.stdout  # nothing to change the second time
    assert stored(tmp_path)[("us", "Okefenokee")] == first


def test_pins_win_in_the_next_ingest_through_the_pin_step(tmp_path):
    with Store(tmp_path) as store:
        store.add_pin(Pin("Georgia", 32.65, -83.44, "US", "admin1"))
        step = PinStep(store)
        us_article, us_mentions = us_story()
        ge_article, ge_mentions = caucasus_story()
        us_after = step(us_article, us_mentions)
        ge_after = step(ge_article, ge_mentions)
    assert us_after[1].resolution.source == "pinned" and us_after[1].resolution.place.lat == 32.65
    assert ge_after == ge_mentions
    assert step.finish() == ["1 mention(s) placed by 1 pin(s)"]


def test_a_contextual_pin_beats_a_general_one():
    general = Pin("Georgia", 0.0, 0.0)
    specific = Pin("Georgia", 32.65, -83.44, "US")
    _, mentions = us_story()
    assert apply_pins(mentions, [general, specific])[1].resolution.place.lat == 32.65
    _, caucasus = caucasus_story()
    assert apply_pins(caucasus, [general, specific])[1].resolution.place.lat == 0.0


def test_list_remove_and_bad_input(tmp_path):
    with Store(tmp_path) as store:
        store.replace_article(*us_story())
    d = ("--data-dir", str(tmp_path))
    assert geo("pin", "Georgia", "32.65", "-83.44", "--context", "us", "--note", "GNIS", *d).returncode == 0
    listing = geo("pin", "--list", *d)
    header, row = listing.stdout.splitlines()
    assert header.split() == ["NAME", "CONTEXT", "PINNED", "TO", "FEATURE", "NOTE", "PINNED", "AT"]
    assert row.split()[:6] == ["Georgia", "US", "32.65,", "-83.44", "city", "GNIS"]

    bad_point = geo("pin", "Georgia", "132", "0", *d)
    assert bad_point.returncode == 2 and "not a point on Earth" in bad_point.stderr
    bad_country = geo("pin", "Georgia", "32", "-83", "--context", "Narnia", *d)
    assert bad_country.returncode == 2 and "'Narnia' is neither an ISO country code nor a country name" in bad_country.stderr
    assert geo("pin", "Georgia", *d).returncode == 2

    missing = geo("pin", "Georgia", "--remove", *d)  # no context-free pin exists
    assert missing.returncode == 1 and "no pin for 'Georgia'" in missing.stderr
    removed = geo("pin", "Georgia", "--remove", "--context", "US", *d)
    assert removed.returncode == 0 and "re-resolves 1 article(s)" in removed.stdout
    with Store(tmp_path) as store:
        assert store.pins() == []
        assert store.content_hash("us") == ""  # the next ingest processes it again


def test_a_pin_wins_in_real_geo_ingest_runs_from_then_on(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "atlanta.txt").write_text(
        "Storms in the South\n\nStorms hit Atlanta, Georgia and Savannah on Monday, and Texas braced for more.\n"
    )
    (docs / "tbilisi.txt").write_text(
        "Talks in the Caucasus\n\nTbilisi said Georgia would not recognise Abkhazia, and Russia disagreed.\n"
    )
    data = tmp_path / "data"
    assert geo("pin", "Georgia", "32.65", "-83.44", "--context", "US", "--data-dir", str(data)).returncode == 0
    env_free = ("--jobs", "1", "--geocoder", "none", "--data-dir", str(data))
    ingest = geo("ingest", str(docs), *env_free)
    assert ingest.returncode == 0, ingest.stderr
    assert "placed by 1 pin(s)" in ingest.stderr
    rows = stored(data)
    assert rows[("atlanta", "Georgia")]["source"] == "pinned"
    assert rows[("atlanta", "Georgia")]["lat"] == 32.65
    assert rows[("tbilisi", "Georgia")]["country_code"] == "GE"  # the country, in a Caucasus story
