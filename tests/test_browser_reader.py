"""The reader and the hostile names around it, in Debian's Chromium with the internet cut off.

Beside the map fixture's articles, a long dispatch with no outlet: Pyongyang, a demonym, a
name nothing was found for, a place whose stored name is a payload, and Vladivostok at the
very end. A pin whose name is a payload is found by the place search. A payload that ever
ran would set window.top.__pwned or open a dialog; both fail the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from dashboard_server import CHROMIUM, dashboard, guarded_context, map_frame
from map_fixture import NORTH_KOREA, PYONGYANG, SPECS, VLADIVOSTOK, XSS_MARK, Spec, build, resolved_mentions

from geo.pins import Pin
from geo.records import Place
from geo.store import Store

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")

HOSTILE_NAME = 'Evilton <img src=x onerror="window.top.__pwned=9;alert(9)"> [link](javascript:alert(10)) **bold**'
EVILTON = Place("test:evilton", HOSTILE_NAME, 38.0, 23.7, "GR", "city")
FILLER = "".join(f"Paragraph {i}: the talks went on through the night and nothing was agreed.\n\n" for i in range(150))
LONG = Spec(
    "long-read",
    "Delegates flew to Pyongyang first. North Korean officials met them. Nobody had heard of Zarnovia.\n\n"
    + FILLER
    + "A note from Evilton was read aloud. In the end they flew on to Vladivostok.",
    (
        ("Pyongyang", "Pyongyang", "place", PYONGYANG),
        ("North Korean", "North Korea", "demonym", NORTH_KOREA),
        ("Zarnovia", "Zarnovia", "place", None),  # nothing found for it: not placed
        ("Evilton", "Evilton", "place", EVILTON),
        ("Vladivostok", "Vladivostok", "place", VLADIVOSTOK),
    ),  # type: ignore[arg-type]
    title="A long dispatch",
    published=dt.date(2024, 6, 20),
    date_precision="day",
)


def start_of(surface: str) -> int:
    return next(rm.mention.start for rm in resolved_mentions(LONG) if rm.mention.text == surface)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data_dir = build(tmp_path_factory.mktemp("data"), (*SPECS, LONG))
    with Store(data_dir) as store:
        store.add_pin(Pin(HOSTILE_NAME, 37.9, 23.7, note="<script>window.top.__pwned=11</script>"))
    with dashboard(data_dir) as url:
        yield url


@pytest.fixture
def page(browser):
    """A page with the internet cut off; afterwards, checks nothing hostile ran."""
    with guarded_context(browser, XSS_MARK, viewport=(1400, 900)) as ctx:
        yield ctx.new_page()


def open_reader(page, url: str) -> None:
    page.goto(url)
    page.locator(".geo-reader-title", has_text="A long dispatch").wait_for()
    page.locator(".geo-reader mark.focus").wait_for()


def in_view(page, selector: str) -> bool:
    """Whether the element is inside the window and on top there (nothing covers its middle)."""
    return page.locator(selector).first.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return r.top >= 0 && r.bottom <= innerHeight && (el === top || el.contains(top)); }"""
    )


def test_the_reader_keeps_its_header_in_view_explains_its_marks_and_links_them_to_the_map(page, app_url):
    open_reader(page, f"{app_url}/?article=long-read&mention={start_of('Vladivostok')}")
    # the clicked mention, at the very end of a long article, is in view, and so are Back and the title
    page.wait_for_function("() => { const r = document.querySelector('.geo-reader mark.focus').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }")  # fmt: skip
    assert in_view(page, "button:has-text('Back to the map')") and in_view(page, ".geo-reader-title")
    assert page.locator(".geo-reader mark.focus").inner_text() == "Vladivostok"
    # the legend names every kind of mark and counts them
    legend = page.locator(".geo-legend").inner_text()
    for said in ("place 3", "metonym (\u201cMoscow said\u201d) 0", "demonym (\u201cRussian\u201d) 1", "not placed 1"):
        assert said in legend
    # a mention nothing was found for says so, and links nowhere
    zarnovia = page.locator("mark", has_text="Zarnovia")
    assert zarnovia.get_attribute("title") == "not placed"
    assert zarnovia.evaluate("el => el.closest('a') === null")
    # a stored name that is a payload is only text, in the hover text too
    evil = page.locator("mark", has_text="Evilton")
    assert evil.get_attribute("title") == f"{HOSTILE_NAME}: show on the map"
    assert page.locator(".geo-reader img, .geo-reader script, .geo-reader-title *").count() == 0
    # a demonym's link shows demonyms on the map it opens
    demonym = parse_qs(urlsplit(page.locator("a.geo-m-link", has_text="North Korean").get_attribute("href")).query)
    assert demonym["place"] == [NORTH_KOREA.place_id] and "demonym" in demonym["kind"]
    # a mention's link opens the map with its place selected, centred and opened
    page.locator("a.geo-m-link", has_text="Pyongyang").click()
    page.wait_for_function("() => location.search.includes('place=geonames%3A1871859')")
    assert "article=" not in page.url
    page.locator(".geo-panel-title", has_text="Pyongyang").wait_for()
    frame = map_frame(page)
    popup = frame.locator(".leaflet-popup-content h4")
    popup.wait_for()
    assert popup.inner_text() == "Pyongyang · KP"


def test_reader_links_keep_hostile_view_parameters_as_values(page, app_url):
    hostile_q = '"><img src=x onerror="window.top.__pwned=12;alert(12)">'
    hostile_outlet = "</a><script>window.top.__pwned=13</script>"
    asked = {"article": "long-read", "mention": start_of("Pyongyang"), "q": hostile_q, "outlet": hostile_outlet}
    open_reader(page, f"{app_url}/?{urlencode(asked)}")
    links = page.locator("a.geo-m-link")
    assert links.count() == 4  # every placed mention; Zarnovia is not placed
    href = links.first.get_attribute("href")
    asked = parse_qs(urlsplit(href).query)
    assert asked["q"] == [hostile_q] and asked["outlet"] == [hostile_outlet] and asked["place"] == [PYONGYANG.place_id]
    assert urlsplit(href).path == "/"
    assert page.locator(".geo-reader img, .geo-reader script").count() == 0


def test_place_search_shows_a_hostile_name_as_text(page, app_url):
    page.goto(app_url)
    map_frame(page)
    box = page.get_by_label("Find a place")
    box.fill("Evilton")
    box.press("Enter")
    found = page.get_by_role("button", name="Evilton")
    found.first.wait_for()
    label = found.first.inner_text()
    assert HOSTILE_NAME in label and "not on the map" in label  # as typed: no image, link or bold
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.locator("img, a, strong, script").count() == 0
    found.first.click()
    page.get_by_text("has no articles in this view: the map is centred on it").wait_for()
    note = page.get_by_text("has no articles in this view").inner_text()
    assert HOSTILE_NAME in note
    assert page.locator("[data-testid='stMain'] img").count() == 0


def test_the_outlet_filter_offers_outlet_unknown(page, app_url):
    page.goto(f"{app_url}/?outlet=")
    map_frame(page)
    page.get_by_text("3 places · 3 mentions · 1 article in view").wait_for()  # only the dispatch has no outlet
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").get_by_text("outlet unknown").first.wait_for()
