"""The dashboard in Debian's Chromium with the internet cut off: it draws, clicks, reads, filters.

A real `python -m dashboard` on 127.0.0.1 serves the map fixture; every request elsewhere is
aborted and fails the test. A payload from the hostile article that ever ran would set
window.top.__pwned or open a dialog, both of which fail the test too.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dashboard_server import CHROMIUM, block_internet, click_marker, dashboard, guarded_context, map_frame, marker_names
from map_fixture import HOSTILE_TITLE, XSS_MARK, build

playwright = pytest.importorskip("playwright.sync_api")


pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with dashboard(build(tmp_path_factory.mktemp("data"))) as url:
        yield url


@pytest.fixture
def context(browser):
    """A fresh browser context with the internet cut off; afterwards, checks nothing hostile ran."""
    with guarded_context(browser, XSS_MARK) as ctx:
        yield ctx


def land_pixel(frame, lat: float, lon: float) -> list[int]:
    """RGBA of the basemap canvas at a coordinate (markers are elsewhere)."""
    return frame.evaluate(
        """([lat, lon]) => {
            const p = window.map.latLngToContainerPoint([lat, lon]);
            for (const canvas of document.querySelectorAll('.leaflet-geobasemap-pane canvas')) {
                const box = canvas.getBoundingClientRect(), mapBox = window.map.getContainer().getBoundingClientRect();
                const x = (p.x + mapBox.left - box.left) * canvas.width / box.width;
                const y = (p.y + mapBox.top - box.top) * canvas.height / box.height;
                const px = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
                if (px[3] > 0) return Array.from(px);
            }
            return [0, 0, 0, 0];
        }""",
        [lat, lon],
    )


def test_a_first_page_load_arrives_compressed_and_under_3_mb(context, app_url):
    """Streamlit's own scripts, the bulk of a first visit, arrive gzipped, and the websocket
    that carries the map's rows is deflated: a fresh browser gets the page in under 3 MB."""
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    responses: dict[str, tuple[str, str]] = {}
    sizes: dict[str, int] = {}
    extensions: list[str] = []

    def headers(event) -> dict[str, str]:
        return {k.lower(): v for k, v in event["response"]["headers"].items()}

    session.on("Network.responseReceived", lambda e: responses.__setitem__(
        e["requestId"], (e["response"]["url"], headers(e).get("content-encoding", ""))))
    session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    session.on("Network.webSocketHandshakeResponseReceived",
               lambda e: extensions.append(headers(e).get("sec-websocket-extensions", "")))
    page.goto(app_url)
    map_frame(page)
    page.wait_for_timeout(500)
    # every script bigger than a packet (the smallest are sent as they are)
    scripts = {url: encoding for rid, (url, encoding) in responses.items() if "/static/js/" in url and sizes.get(rid, 0) > 1500}
    assert len(scripts) > 10 and set(scripts.values()) == {"gzip"}, scripts
    assert extensions and "permessage-deflate" in extensions[0]
    assert sum(sizes.values()) < 3_000_000


def test_map_basemap_and_markers_draw_with_no_internet(context, app_url):
    page = context.new_page()
    page.goto(app_url)
    frame = map_frame(page)
    # the outlines are a static file the page fetches from the app after the map opens
    frame.wait_for_function(
        "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties.iso_a2) n++; }); return n > 150; }"
    )
    # Mongolia, well inside a country and away from every marker: drawn in the land colour
    # (the canvas paints on the next animation frame, so give it a moment)
    for _ in range(50):
        if land_pixel(frame, 46.8, 103.8) == [247, 244, 236, 255]:
            break
        page.wait_for_timeout(100)
    assert land_pixel(frame, 46.8, 103.8) == [247, 244, 236, 255]
    names = marker_names(frame)
    assert len(names) == 6
    assert any(n.startswith("Pyongyang, KP") for n in names)
    assert any(n.startswith("Vladivostok, RU") for n in names)
    assert not any(n.startswith("Russia,") for n in names), "demonym-only place shown by default"
    assert page.get_by_text("6 places · 8 mentions · 5 articles in view").is_visible()


def open_popup(context, app_url: str, place: str):
    """A new page on the map with `place`'s marker clicked: (page, its popup)."""
    page = context.new_page()
    page.goto(app_url)
    frame = map_frame(page)
    click_marker(page, frame, place)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    return page, popup


def test_popup_excerpt_side_panel_and_reader(context, app_url, tmp_path):
    page, popup = open_popup(context, app_url, "Pyongyang")
    assert popup.locator("h4").inner_text() == "Pyongyang · KP"
    first = popup.locator(".geo-ex").first
    assert first.inner_text() == "Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un."
    assert first.locator("mark").inner_text() == "Pyongyang"
    assert "Putin lands in Pyongyang" in popup.inner_text()
    # the click reaches the app: the side panel lists the same source, one card per article
    page.get_by_text("Putin arrived in Pyongyang on Wednesday").last.wait_for()
    page.get_by_role("button", name="Read article").wait_for()  # Streamlit draws the card, then its buttons
    assert page.get_by_role("button", name="Read article").count() == 1
    page.screenshot(path=str(tmp_path / "dashboard.png"))  # for a person to look at when this fails
    # the popup's link opens the in-app reader in this tab, the clicked mention marked and in view
    popup.locator("a.geo-read").first.click()
    assert_reader_on_pyongyang(page)
    # one Back returns to the map with the place still selected; the panel's button does the same
    page.go_back()
    page.locator(".geo-panel-title", has_text="Pyongyang").wait_for()
    map_frame(page)
    page.get_by_role("button", name="Read article").click()
    assert_reader_on_pyongyang(page)
    page.go_back()
    page.locator(".geo-panel-title", has_text="Pyongyang").wait_for()


def assert_reader_on_pyongyang(page) -> None:
    page.get_by_text("Back to the map").wait_for()
    body = next(f for f in _frames_with(page, ".geo-reader mark.focus"))
    focus = body.locator(".geo-reader mark.focus")
    assert focus.inner_text() == "Pyongyang"
    assert body.locator("mark").count() == 4  # every mention: Pyongyang twice, North Korean, Moscow
    assert focus.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")


def _frames_with(page, selector: str, timeout_s: float = 20.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [f for f in page.frames if _shows(f, selector)]
        if found:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame shows {selector}")


def _shows(frame, selector: str) -> bool:
    """Whether `frame` holds `selector`; a frame the page drops meanwhile (the map's, as the reader opens) holds nothing."""
    try:
        return frame.query_selector(selector) is not None
    except playwright.Error:
        return False


def test_date_range_in_the_url_shows_pyongyang_not_vladivostok(context, app_url):
    page = context.new_page()
    page.goto(f"{app_url}/?from=2024-06-01&to=2024-06-30")
    frame = map_frame(page)
    names = marker_names(frame)
    assert any(n.startswith("Pyongyang") for n in names)
    assert not any(n.startswith("Vladivostok") for n in names)
    assert page.get_by_label("Filter by publication date").is_checked()


def test_hostile_article_is_shown_as_text_and_never_runs(context, app_url):
    page, popup = open_popup(context, app_url, "Kyiv")
    text = popup.inner_text()
    assert "<script>window.top.__pwned=5;alert(5)</script>" in text  # shown, as words
    assert "${window.top.__pwned=2}" in text  # the title's; the popup shows each article's first excerpt
    assert popup.locator("script, img").count() == 0
    assert popup.get_by_text("Original").count() == 0  # a javascript: URL is never a link
    page.get_by_text("Evil Wire").last.wait_for()  # side panel, escaped too
    popup.locator("a.geo-read").first.click()
    reader = page
    reader.locator(".geo-reader-title", has_text=HOSTILE_TITLE).wait_for()
    body = _frames_with(reader, ".geo-reader mark.focus")[0]
    assert "<img src=x onerror=" in body.locator("body").inner_text()
    assert body.locator(".geo-reader img, .geo-reader script, .geo-reader-title *, .geo-reader-meta img").count() == 0


def test_online_tiles_fail_offline_and_the_outline_map_stands(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    refused: list[str] = []
    block_internet(ctx, refused)
    page = ctx.new_page()
    page.goto(f"{app_url}/?tiles=1")
    frame = map_frame(page)
    notice = frame.locator(".geo-tile-notice")
    notice.wait_for()
    assert "could not load" in notice.inner_text()
    assert refused and all("tile.openstreetmap.org" in url for url in refused)  # only the opted-in tiles
    for _ in range(50):
        if land_pixel(frame, 46.8, 103.8)[3] > 0:
            break
        page.wait_for_timeout(100)
    assert land_pixel(frame, 46.8, 103.8)[3] > 0, "outlines gone when tiles failed"
    assert len(marker_names(frame)) == 6
    ctx.close()


def _open_popup_title(page, timeout_s: float = 40.0):
    """(the map frame, the title of its open popup); the map is redrawn (a new frame) when the
    app brings a place into view, so a frame dropped meanwhile is looked for again."""
    deadline = time.monotonic() + timeout_s
    while True:
        frame = map_frame(page)
        try:
            popup = frame.locator(".leaflet-popup-content h4")
            popup.wait_for(timeout=3000)
            return frame, popup.inner_text()
        except playwright.Error:
            if time.monotonic() > deadline:
                raise


def test_place_search_zooms_to_the_place_and_opens_its_popup_and_panel(context, app_url):
    page = context.new_page()
    page.goto(app_url)
    map_frame(page)
    box = page.get_by_label("Find a place")
    box.fill("pyongy")
    box.press("Enter")
    page.get_by_role("button", name="Pyongyang, Phyeongyang, North Korea · 2 mentions").click()
    page.locator(".geo-panel-title", has_text="Pyongyang").wait_for()
    frame, title = _open_popup_title(page)
    assert title == "Pyongyang · KP"
    view = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert abs(view[0] - 39.03) < 1 and abs(view[1] - 125.75) < 1 and view[2] >= 6
    # its marker is outlined, the others are not
    weights = frame.evaluate(
        """() => { const w = {}; window.map.eachLayer(l => { if (l.geoPlaceId) w[l.geoPlaceId] = l.options.weight; });
                   return w; }"""
    )
    assert weights["geonames:1871859"] == 3 and weights["geonames:2013348"] == 1
    assert "place=geonames%3A1871859" in page.url


def test_place_in_the_url_by_name_is_centred_and_opened_and_a_bad_one_is_said(context, app_url):
    page = context.new_page()
    page.goto(f"{app_url}/?place=Vladivostok")
    assert _open_popup_title(page)[1] == "Vladivostok · RU"
    page.locator(".geo-panel-title", has_text="Vladivostok").wait_for()
    assert page.get_by_text("is taken to mean").count() == 0  # its own name: nothing to remark on
    other = context.new_page()
    other.goto(f"{app_url}/?place=Kiev")  # an alternate spelling: the page says which place it took
    assert _open_popup_title(other)[1] == "Kyiv · UA"
    other.get_by_text("'Kiev' is taken to mean Kyiv, Ukraine").wait_for()
    bad = context.new_page()
    bad.goto(f"{app_url}/?place=Nowhere%20Atall")
    map_frame(bad)
    bad.get_by_text("no place has the id or the name 'Nowhere Atall'").wait_for()
    assert bad.locator(".geo-panel-title").count() == 0


def test_a_keyword_in_the_url_narrows_the_map_and_the_counts(context, app_url):
    page = context.new_page()
    page.goto(f"{app_url}/?q=putin")
    frame = map_frame(page)
    page.get_by_text("3 places · 4 mentions · 2 articles in view").wait_for()
    names = marker_names(frame)
    assert any(n.startswith("Pyongyang") for n in names) and not any(n.startswith("Tbilisi") for n in names)
    assert page.get_by_role("textbox", name="Keywords").input_value() == "putin"
    # typed in the box: the URL follows
    page.get_by_role("textbox", name="Keywords").fill("Tbilisi")
    page.get_by_role("textbox", name="Keywords").press("Enter")
    page.get_by_text("1 place · 1 mention · 1 article in view").wait_for()
    page.wait_for_function("() => location.search.includes('q=Tbilisi')")  # the URL follows the rerun
    bad = context.new_page()
    bad.goto(f'{app_url}/?q=%22open%20quote')
    map_frame(bad)
    bad.get_by_text("Keywords ignored").wait_for()
    assert "a double quote is not closed" in bad.get_by_text("Keywords ignored").inner_text()
    bad.get_by_text("6 places · 8 mentions · 5 articles in view").wait_for()


def test_a_range_brushed_on_the_timeline_sets_the_dates_the_url_and_the_map(context, app_url):
    page = context.new_page()
    page.goto(app_url)
    map_frame(page)
    page.get_by_text("1 undated article: shown (no date range is set)").wait_for()
    chart = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first
    chart.scroll_into_view_if_needed()
    chart.wait_for()
    # the bars span September 2022 to June 2024: the last quarter of the plot is 2023-12 on
    for _ in range(5):  # Vega binds its brush once its view has rendered: try again until it has
        page.wait_for_timeout(1000)
        box = chart.bounding_box()
        y = box["y"] + box["height"] * 0.4
        page.mouse.move(box["x"] + box["width"] * 0.72, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.85, y, steps=5)
        page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=5)
        page.mouse.up()
        try:
            page.wait_for_function("() => location.search.includes('from=')", timeout=5000)
            break
        except playwright.TimeoutError:
            continue
    assert "to=2024-06" in page.url
    assert page.get_by_label("Filter by publication date").is_checked()
    page.get_by_text("1 undated article: left out while a date range is set").wait_for()
    frame = map_frame(page)
    for _ in range(100):
        names = marker_names(frame)
        if not any(n.startswith("Vladivostok") for n in names):
            break
        page.wait_for_timeout(100)
        frame = map_frame(page)
    assert any(n.startswith("Pyongyang") for n in names)
    assert not any(n.startswith("Vladivostok") for n in names) and not any(n.startswith("Tbilisi") for n in names)


def test_articles_in_view_follow_the_keyword_sort_and_open_the_reader(context, app_url):
    page = context.new_page()
    page.goto(app_url)
    map_frame(page)
    rows = page.locator(".geo-list-row")
    rows.nth(4).wait_for()
    assert rows.count() == 5
    assert HOSTILE_TITLE in rows.nth(1).inner_text()  # newest first; the hostile title shown as text
    page.goto(f"{app_url}/?q=putin")
    map_frame(page)
    page.get_by_text("3 places · 4 mentions · 2 articles in view").wait_for()
    rows.nth(1).wait_for()
    assert [r.locator("b").inner_text() for r in rows.all()] == ["Putin lands in Pyongyang", "Drills in the Far East"]
    page.get_by_role("button", name="Read").nth(1).click()
    page.locator(".geo-reader-title", has_text="Drills in the Far East").wait_for()
    page.go_back()
    page.get_by_text("3 places · 4 mentions · 2 articles in view").wait_for()


def test_a_filter_change_swaps_the_markers_in_the_same_map_which_keeps_working(context, app_url):
    """The map is not reloaded when the filters change (its frame, Leaflet and the basemap stay);
    only its markers are swapped, and the new ones open popups and reach the panel. The click
    the map last reported does not take the panel back from a place searched for since."""
    page = context.new_page()
    page.goto(app_url)
    frame = map_frame(page)
    frame.evaluate("() => { window.map.geoLoadedOnce = true; }")
    page.get_by_role("textbox", name="Keywords").fill("putin")
    page.get_by_role("textbox", name="Keywords").press("Enter")
    page.get_by_text("3 places · 4 mentions · 2 articles in view").wait_for()
    page.wait_for_function("() => location.search.includes('q=putin')")
    for _ in range(100):
        names = marker_names(frame)
        if not any(n.startswith("Tbilisi") for n in names):
            break
        page.wait_for_timeout(100)
    assert any(n.startswith("Pyongyang") for n in names) and not any(n.startswith("Tbilisi") for n in names)
    assert frame.evaluate("() => window.map.geoLoadedOnce === true")  # the same map, not a new one
    click_marker(page, frame, "Pyongyang")
    frame.locator(".leaflet-popup-content h4", has_text="Pyongyang · KP").wait_for()
    page.locator(".geo-panel-title", has_text="Pyongyang").wait_for()
    # back to every article; then a place found by name, then a filter change: the panel stays on the place found
    page.get_by_role("textbox", name="Keywords").fill("")
    page.get_by_role("textbox", name="Keywords").press("Enter")
    page.get_by_text("6 places · 8 mentions · 5 articles in view").wait_for()
    box = page.get_by_label("Find a place")
    box.fill("moscow")
    box.press("Enter")
    page.get_by_role("button", name="Moscow, Moskva, Russia · 1 mention").click()
    page.locator(".geo-panel-title", has_text="Moscow").wait_for()
    page.get_by_text("Demonyms").click()
    page.get_by_text("articles in view").first.wait_for()
    page.wait_for_function("() => location.search.includes('demonym')")
    page.wait_for_timeout(1000)
    assert page.locator(".geo-panel-title").inner_text().startswith("Moscow")
    assert frame.evaluate("() => window.map.geoLoadedOnce === true")


def test_the_legend_gives_the_size_scale_of_the_view_on_screen(browser, tmp_path):
    """Marker sizes top out at the view's most reported place, and the legend in the map says so."""
    from test_views import random_store

    from geo.filters import Filters
    from geo.views import Views

    data_dir = random_store(tmp_path / "data")
    with Views.open(data_dir) as views:
        top = views.places(Filters())[0].n_articles
    assert top > 25  # past the scale a small corpus is drawn on (1, 5, 25)
    with dashboard(data_dir) as url, guarded_context(browser, XSS_MARK) as context:
        page = context.new_page()
        page.goto(url)
        frame = map_frame(page)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            labels = frame.eval_on_selector_all(".geo-legend-map .sizes span", "spans => spans.map(s => s.textContent)")
            if labels[-1] != "25":
                break
            page.wait_for_timeout(100)
    assert labels[0] == "1" and labels[-1] == str(top)
