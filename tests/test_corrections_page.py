"""Corrections in the page, under Streamlit's AppTest: a card's confidence and runner-ups, "Wrong
place?" writing pins through geo.pins, the Corrections view, what the map is missing, the
read-only deployment, and hostile names and notes shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_corrections import GEORGIA_STATE, us_story_with_runner_up
from test_dashboard import APP, place_names
from test_pins import GEORGIA_COUNTRY, placed

from geo import pins
from geo.records import Article
from geo.store import Store

HOSTILE_NAME = '<img src=x onerror="alert(1)">Zork${alert(2)}'
HOSTILE_NOTE = "<script>alert('note')</script> see `${alert(3)}`"


@pytest.fixture
def data_dir(tmp_path):
    """The US story (Georgia placed at the country, the US state its runner-up, Okefenokee
    unplaced) and an article whose unplaced name is hostile markup."""
    with Store(tmp_path) as store:
        store.replace_article(*us_story_with_runner_up())
        text = f"Reports from {HOSTILE_NAME} came in."
        store.replace_article(Article("evil", text, "h-evil", "evil.txt", title="<b>bold</b> claim"),
                              [placed(HOSTILE_NAME, None, 13)])
    return tmp_path


def open_app(data_dir: Path, monkeypatch, place: str | None = None, readonly: bool = False) -> AppTest:
    monkeypatch.setenv("GEO_DATA_DIR", str(data_dir))
    if readonly:
        monkeypatch.setenv(pins.READONLY_ENV, "1")
    at = AppTest.from_file(APP, default_timeout=60)
    if place:
        at.session_state["place"] = place
    at.run()
    assert not at.exception, at.exception
    return at


def html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def texts(at: AppTest) -> str:
    """Every message and caption, without the Markdown escapes that keep names as typed."""
    return "\n".join(str(e.value) for kind in ("success", "error", "info", "caption", "markdown") for e in at.get(kind)).replace("\\", "")


def stored_georgia(data_dir: Path) -> dict:
    with Store(data_dir, readonly=True) as store:
        return dict(store.conn.execute("SELECT * FROM mentions WHERE name = 'Georgia'").fetchone())


def open_correction(at: AppTest) -> None:
    """"Wrong place?" under the first card, opened (its form is drawn on the rerun that follows)."""
    at.session_state["fix-0"] = True
    at.run()
    assert not at.exception, at.exception


def test_a_card_shows_its_confidence_and_picking_a_runner_up_moves_the_marker(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch, place=GEORGIA_COUNTRY.place_id)
    assert "Confidence <b>60%</b> · 1 other candidate" in html(at)
    assert not [b for b in at.button if b.key and b.key.startswith("fix-")]  # drawn once "Wrong place?" opens
    open_correction(at)
    runner_up = at.button(key="fix-0-runner-0")
    assert runner_up.label.startswith("Georgia (state), United States · 40%")
    at.text_input(key="fix-0-note").input("the state")
    runner_up.click().run()
    assert not at.exception, at.exception
    assert "fix-0-note" not in [t.key for t in at.text_input]  # the panel moved to the state: its form closed
    # written through geo.pins: the stored mention is at the state, and the pin is listed
    row = stored_georgia(data_dir)
    assert (row["place_id"], row["source"]) == (GEORGIA_STATE.place_id, "pinned")
    assert "Pinned 'Georgia' to Georgia, US (geonames:4197000); 1 stored article(s) updated." in texts(at)
    # the map shows the state at once, selected; the panel now shows it as placed by an analyst
    assert at.session_state["place"] == GEORGIA_STATE.place_id
    assert "Georgia" in place_names(at)
    assert "Placed by an analyst · 1 other candidate" in html(at)  # the country became the runner-up
    assert at.expander(key="corrections").label == "Corrections · 1 pin"
    assert "Georgia</b> → Georgia (state), United States <span class='geo-meta'>geonames:4197000</span>" in html(at)
    open_correction(at)
    assert at.text_input(key="fix-0-note").value == ""  # the note went with its correction, not into the next


def test_not_a_place_with_a_hostile_note_is_listed_as_text_and_removable(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch, place=GEORGIA_COUNTRY.place_id)
    open_correction(at)
    at.text_input(key="fix-0-note").input(HOSTILE_NOTE)
    at.button(key="fix-0-not").click().run()
    assert not at.exception, at.exception
    row = stored_georgia(data_dir)
    assert row["place_id"] is None and row["source"] == "pinned"
    assert "Georgia" not in place_names(at)
    listed = html(at)
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt; see &#96;&#36;&#123;alert(3)&#125;&#96;" in listed
    assert "<script>alert" not in listed
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("unpin-"))).click().run()
    assert not at.exception, at.exception
    with Store(data_dir, readonly=True) as store:
        assert store.pins() == []
    assert "Removed the pin for 'Georgia'" in texts(at)
    assert at.expander(key="corrections").label == "Corrections · 0 pins"


def test_searching_the_gazetteer_pins_the_name_to_the_place_found_in_stories_about_that_country(
        data_dir, monkeypatch):  # fmt: skip
    at = open_app(data_dir, monkeypatch, place=GEORGIA_COUNTRY.place_id)
    open_correction(at)
    only_here = at.checkbox(key="fix-0-context")
    assert only_here.label == "Only in articles about United States"  # Atlanta and Texas outvote Georgia
    only_here.check()
    at.text_input(key="fix-0-query").input("Savannah").run()
    found = [b for b in at.button if b.key and b.key.startswith("fix-0-found-")]
    (savannah,) = [b for b in found if b.label.startswith("Savannah, Georgia, United States")]
    savannah.click().run()
    assert not at.exception, at.exception
    row = stored_georgia(data_dir)
    assert row["place_name"] == "Savannah" and row["source"] == "pinned"
    with Store(data_dir, readonly=True) as store:
        assert [(p.name, p.context) for p in store.pins()] == [("Georgia", "US")]


def test_what_the_map_is_missing_lists_hostile_names_as_text_and_pins_one_from_its_search(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch)
    missing = at.expander(key="missing")
    assert missing.label == "What the map is missing · 2 names"
    shown = html(at)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Zork&#36;&#123;alert(2)&#125;" in shown
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in shown and "<img" not in shown
    # "Pin…" opens a search for the name itself: one click on an answer pins it
    rows = [b.key.removesuffix("-read") for b in at.button if b.key and b.key.startswith("missing-")]
    okefenokee = rows[-1]  # one mention each: the hostile name sorts first
    at.session_state[okefenokee] = True  # the popover opened
    at.run()
    assert at.text_input(key=f"{okefenokee}-query").value == "Okefenokee"
    assert "No place is called Okefenokee." in texts(at)  # why it is missing: the gazetteer lacks it
    at.text_input(key=f"{okefenokee}-query").input("Waycross").run()
    answer = at.button(key=f"{okefenokee}-found-0")
    assert answer.label.startswith("Waycross, Georgia, United States")
    answer.click().run()
    assert not at.exception, at.exception
    assert "Pinned 'Okefenokee' to Waycross, US" in texts(at)
    assert at.expander(key="missing").label == "What the map is missing · 1 name"
    assert "Waycross" in place_names(at)


def test_a_read_only_deployment_draws_no_correction_and_says_so(data_dir, monkeypatch):
    db = data_dir / "geo.sqlite"
    before = db.read_bytes()
    at = open_app(data_dir, monkeypatch, place=GEORGIA_COUNTRY.place_id, readonly=True)
    assert "Read-only: corrections are switched off on this deployment ($GEO_READONLY is set)" in texts(at)
    assert "Confidence <b>60%</b>" in html(at)  # the confidence is still shown
    keys = [b.key or "" for b in at.button]
    assert not [k for k in keys if k.startswith(("fix-", "unpin-"))] and "Not a place" not in [b.label for b in at.button]
    assert not [k for k in keys if k.startswith("missing-") and not k.endswith("-read")]
    assert db.read_bytes() == before
