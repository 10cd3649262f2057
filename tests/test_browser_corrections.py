"""A correction made in the page, in Debian's Chromium with the internet cut off: "Wrong place?"
on a card pins the name to a runner-up, the map moves the marker at once, and the pin holds
after a reload and after `geo ingest` processes the same files again.

The articles go through the real `geo ingest` (recognition and resolution included), so the
test reads what the resolver chose for "Savannah" (and its runner-ups, of which there are
many) from the store, whatever a better resolver chooses tomorrow, and moves it to the first
runner-up as an analyst would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from dashboard_server import CHROMIUM, click_marker, dashboard, map_frame
from test_browser_dashboard import context  # noqa: F401 - the fixture: offline, payload checks

from geo.placesearch import display_name
from geo.store import Store

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")

ROOT = Path(__file__).resolve().parents[1]
STORIES = {
    "storms.txt": "Storms in the South\n\nStorms hit Atlanta, Georgia and Savannah on Monday, and Texas braced "
    "for more. Officials in Paris said the damage was light.\n",
    "talks.txt": "Talks in the Caucasus\n\nTbilisi said Georgia would not recognise Abkhazia, and Russia "
    "disagreed. Delegates flew on to Paris.\n",
}
NOTE = '<img src=x onerror="window.top.__pwned=9">the other one, per the desk'


def ingest(docs: Path, data: Path, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "geo", "ingest", str(docs), "--jobs", "1", "--geocoder", "none", "--data-dir",
         str(data), *extra], cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    for name, text in STORIES.items():
        (docs / name).write_text(text)
    data = tmp_path_factory.mktemp("data")
    ingest(docs, data)
    return docs, data


def stored_savannah(data: Path) -> dict:
    with Store(data, readonly=True) as store:
        return dict(store.conn.execute("SELECT * FROM mentions WHERE name = 'Savannah'").fetchone())


def marker_ids(page) -> set[str]:
    """The place ids of the markers on the map on screen."""
    return set(map_frame(page).evaluate(
        """() => { const ids = [];
                   window.map.eachLayer(l => { if (l.getLayers) l.getLayers().forEach(m => m.geoPlaceId && ids.push(m.geoPlaceId)); });
                   return ids; }"""
    ))  # fmt: skip


def wait_for_marker(page, shown: str, gone: str, timeout_s: float = 30.0) -> None:
    """Until the map (redrawn when its markers change) has `shown` and not `gone`."""
    ids: set[str] = set()
    for _ in range(int(timeout_s * 10)):
        try:
            ids = marker_ids(page)
            if shown in ids and gone not in ids:
                return
        except playwright.Error:  # the map frame was replaced meanwhile
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"the map shows {sorted(ids)}: wanted {shown} and not {gone}")


def test_a_correction_made_in_the_page_survives_a_reload_and_a_re_ingest(context, stories, tmp_path):  # noqa: F811
    docs, data = stories
    chosen = stored_savannah(data)
    runner_up = json.loads(chosen["candidates"])[0]
    label = display_name(runner_up["name"], None, runner_up["country_code"], runner_up["feature"])
    with dashboard(data) as url:
        page = context.new_page()
        page.goto(url)
        frame = map_frame(page)
        assert chosen["place_id"] in marker_ids(page)
        click_marker(page, frame, "Savannah")
        page.locator(".geo-panel-title", has_text="Savannah").wait_for()
        others = len(json.loads(chosen["candidates"]))
        assert page.locator(".geo-conf").first.inner_text() == (
            f"Confidence {chosen['confidence']:.0%} · {others} other candidate{'s' if others > 1 else ''}")
        # "Wrong place?": a note, then the first runner-up
        page.get_by_role("button", name=re.compile("Wrong place")).first.click()
        page.get_by_label("Note (optional)").fill(NOTE)
        page.get_by_role("button", name=re.compile("^" + re.escape(f"{label} · {runner_up['score']:.0%}"))).first.click()
        page.get_by_text("Pinned 'Savannah' to").wait_for()
        wait_for_marker(page, runner_up["place_id"], chosen["place_id"])  # at once
        assert f"place={quote(runner_up['place_id'])}" in page.url  # and selected
        page.screenshot(path=str(tmp_path / "corrected.png"))  # for a person to look at when this fails
        # the Corrections view lists it, the note as text
        page.get_by_text("Corrections · 1 pin").click()
        listed = page.locator(".geo-fix", has_text="Savannah")
        listed.wait_for()
        assert NOTE in listed.inner_text() and listed.locator("img").count() == 0

        page.reload()
        wait_for_marker(page, runner_up["place_id"], chosen["place_id"])
        ingest(docs, data, "--force")  # every article recognised and resolved again
        page.reload()
        wait_for_marker(page, runner_up["place_id"], chosen["place_id"])
    again = stored_savannah(data)
    assert (again["place_id"], again["source"]) == (runner_up["place_id"], "pinned")
