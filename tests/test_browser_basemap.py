"""The offline basemap in Chromium with the internet cut off: world outlines and country names
zoomed out; finer outlines (fetched per country, only for those in view) and city labels
zoomed in; every file from the app itself, none inlined in the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, block_internet, dashboard, map_frame, set_view
from map_fixture import build

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
# Set to a folder to keep the screenshots (zoomed out, zoomed in) for a person to look at.
SHOTS = os.environ.get("GEO_TEST_SCREENSHOTS")

COUNT_OUTLINES = """() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.geometry) n++; }); return n; }"""
OUTLINES = """code => { const found = []; window.map.eachLayer(l => { if (l.feature && l.feature.properties.iso_a2 === code) found.push(l); });
                       return found; }"""
LABELS = """kind => Array.from(document.querySelectorAll('.geo-label-' + kind)).map(e => e.textContent)"""


@pytest.fixture(scope="module")
def page_and_requests(tmp_path_factory):
    with dashboard(build(tmp_path_factory.mktemp("data"))) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        refused: list[str] = []
        block_internet(context, refused)
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        failed: list[str] = []

        def fail_once(route) -> None:  # Greece's fine outline cannot be fetched the first time
            if not failed:
                failed.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/basemap/countries/GRC.json", fail_once)
        page.goto(url)
        yield page, requested, refused
        browser.close()


def test_zoomed_out_world_outlines_and_country_names_come_as_files(page_and_requests):
    page, requested, refused = page_and_requests
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({COUNT_OUTLINES})() > 200")
    set_view(frame, 35, 105, 3)
    frame.wait_for_function(f"() => ({LABELS})('country').length > 5")
    countries = frame.evaluate(LABELS, "country")
    assert "China" in countries and "Mongolia" in countries
    assert frame.evaluate(LABELS, "city") == []  # no city labels at world zoom
    basemap_files = [u for u in requested if "/app/static/vendor/basemap/" in u]
    assert any(u.endswith("/world.json") for u in basemap_files)
    assert not any("/countries/" in u or "/city-labels" in u for u in basemap_files), "fetched before it is needed"
    # the outlines are fetched, not inlined: the map's own page stays small
    assert len(frame.content()) < 400_000
    assert refused == []
    if SHOTS:
        page.wait_for_timeout(500)
        page.screenshot(path=str(Path(SHOTS) / "basemap-zoomed-out.png"))


def test_zoomed_in_finer_outlines_for_the_countries_in_view_and_city_labels(page_and_requests):
    page, requested, refused = page_and_requests
    frame = map_frame(page)
    before = set(requested)
    set_view(frame, 37.0, 127.5, 7)
    frame.wait_for_function(f"() => ({LABELS})('city').includes('Seoul')")
    frame.wait_for_function(
        f"() => {{ const kr = ({OUTLINES})('KR'); return kr.length === 2 && kr.filter(l => l.options.opacity === 0).length === 1; }}"
    )  # the fine outline drawn, the coarse one under it hidden
    fetched = [u.rsplit("/", 1)[1] for u in set(requested) - before if "/basemap/countries/" in u]
    assert "KOR.json" in fetched and "index.json" in fetched
    assert "USA.json" not in fetched and "BRA.json" not in fetched  # only what is in view
    cities = frame.evaluate(LABELS, "city")
    assert "Busan" in cities and len(cities) < 120
    assert frame.evaluate(LABELS, "country") == []  # country names give way to cities
    assert refused == []
    if SHOTS:
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SHOTS) / "basemap-zoomed-in.png"))


def test_a_country_whose_fine_outline_fails_to_load_keeps_its_coarse_one_and_is_asked_again(page_and_requests):
    page, requested, refused = page_and_requests
    frame = map_frame(page)
    set_view(frame, 39.5, 22.0, 6)
    frame.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.endsWith('/GRC.json'))")
    page.wait_for_timeout(500)
    greece = frame.evaluate(f"() => ({OUTLINES})('GR').map(l => l.options.opacity)")
    assert len(greece) == 1 and greece[0] > 0, "Greece left blank when its fine outline failed"
    frame.evaluate("() => { window.map.panBy([40, 0], {animate: false}); }")  # the next move asks for it again
    frame.wait_for_function(
        f"() => {{ const gr = ({OUTLINES})('GR'); return gr.length === 2 && gr.filter(l => l.options.opacity === 0).length === 1; }}"
    )
    assert sum(u.endswith("/GRC.json") for u in requested) == 2
    assert refused == []
