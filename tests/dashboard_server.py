"""Start the real dashboard (`python -m dashboard`) on a free 127.0.0.1 port, and drive it in Chromium.

Shared by the browser tests and benchmarks/dashboard_speed.py. Every request the page makes to
a host other than 127.0.0.1/localhost is aborted and recorded, so a test can prove the map
needs nothing from the internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from processes import free_port, stop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@contextmanager
def dashboard(data_dir: Path, timeout_s: float = 60.0) -> Iterator[str]:
    """Run the app on `data_dir` until the block ends; yields its base URL."""
    with dashboard_process(data_dir, timeout_s) as (url, _):
        yield url


@contextmanager
def dashboard_process(data_dir: Path, timeout_s: float = 60.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the app on `data_dir` until the block ends; yields its base URL and its process."""
    port = free_port()
    env = {**os.environ, "GEO_DATA_DIR": str(data_dir)}
    log = open(data_dir / "streamlit.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "dashboard",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none",
        ],  # fmt: skip
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dashboard did not start: {(data_dir / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url, proc
    finally:
        stop(proc, timeout_s=10)
        log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def guarded_context(browser, xss_mark: str, viewport: tuple[int, int] = (1400, 950)) -> Iterator[Any]:
    """A browser context with the internet cut off. Afterwards it checks that no request left
    the machine and that no article payload ran: none set `window.top.<xss_mark>`, in the page
    or any of its frames, and none opened a dialog."""
    from playwright.sync_api import Error

    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    refused: list[str] = []
    dialogs: list[str] = []
    block_internet(ctx, refused)
    ctx.on("page", lambda page: page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
    yield ctx
    for page in ctx.pages:
        assert page.evaluate(f"() => window.{xss_mark} === undefined"), "an article payload ran"
        for frame in page.frames:
            try:
                clean = frame.evaluate(f"() => window.top.{xss_mark} === undefined")
            except Error:  # a frame the page dropped meanwhile has nothing left to see
                clean = True
            assert clean, "an article payload ran"
    assert dialogs == [], f"an article payload opened a dialog: {dialogs}"
    assert refused == [], f"the page asked for files off this machine: {refused}"
    ctx.close()


def block_internet(context, refused: list[str]) -> None:
    """Abort (and record) every request of `context` that would leave this machine."""

    def route(route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", route)


def map_frame(page, timeout_s: float = 30.0):
    """The streamlit-folium iframe, once Leaflet has built its map and markers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                if frame.evaluate("() => !!(window.map && window.L && window.map._loaded)"):
                    return frame
            except Exception:  # frame navigating or not ready yet
                pass
        page.wait_for_timeout(100)  # lets Playwright take in the page's events, unlike time.sleep
    raise AssertionError("the map never drew")


def marker_names(frame) -> list[str]:
    """Tooltip text of every place marker the map holds (clustered or not)."""
    return frame.evaluate(
        """() => {
            const names = [];
            window.map.eachLayer(layer => {
                if (layer.getLayers && layer.options && layer.options.maxClusterRadius !== undefined) {
                    layer.getLayers().forEach(m => {
                        const holder = document.createElement('span');
                        holder.innerHTML = m.getTooltip().getContent();
                        names.push(holder.textContent);
                    });
                }
            });
            return names;
        }"""
    )


def set_view(frame, lat: float, lon: float, zoom: int, timeout_s: float = 10.0) -> None:
    """Move the map to (lat, lon) at `zoom` and return once it has stayed where that put it (a
    zoomed-out map keeps the world in view, so not always at (lat, lon)) for half a second,
    asking again meanwhile: a view change during the map's first layout is dropped by Leaflet,
    and the map's first fit can land after a test's own move."""
    frame.evaluate(
        """([lat, lon, zoom, timeout]) => new Promise((resolve, reject) => {
            const started = Date.now();
            let put = null, held = 0;
            const view = () => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng];
            const wait = () => {
                const now = view();
                held = put && now[0] === zoom && Math.abs(now[1] - put[1]) < 1e-6 && Math.abs(now[2] - put[2]) < 1e-6 ? held + 1 : 0;
                if (held >= 5) { resolve(); return; }
                if (Date.now() - started > timeout) { reject(new Error('the map would not stay at ' + [lat, lon, zoom])); return; }
                if (!held) { window.map.setView([lat, lon], zoom, {animate: false}); put = view(); }
                setTimeout(wait, 100);
            };
            wait();
        })""",
        [lat, lon, zoom, timeout_s * 1000],
    )


def click_marker(page, frame, name: str, zoom: int = 6) -> None:
    """Zoom in on the named place until its marker stands alone, then click it with the mouse."""
    point = frame.evaluate(
        """([name, zoom]) => new Promise((resolve, reject) => {
            let cluster = null, marker = null;
            window.map.eachLayer(layer => {
                if (layer.getLayers && layer.options && layer.options.maxClusterRadius !== undefined) {
                    cluster = layer;
                }
            });
            cluster.getLayers().forEach(m => {
                const holder = document.createElement('span');
                holder.innerHTML = m.getTooltip().getContent();
                if (holder.textContent.startsWith(name)) { marker = m; }
            });
            if (!marker) { reject(new Error('no marker for ' + name)); return; }
            const started = Date.now();
            const wait = () => {
                if (window.map.getZoom() < zoom) {
                    // asked again until it holds: a view change during the map's first
                    // layout is dropped by Leaflet
                    window.map.setView(marker.getLatLng(), zoom, {animate: false});
                }
                if (marker._map) {  // a circle marker is on the map only when not clustered
                    const p = window.map.latLngToContainerPoint(marker.getLatLng());
                    const box = window.map.getContainer().getBoundingClientRect();
                    resolve({x: box.left + p.x, y: box.top + p.y});
                } else if (Date.now() - started > 10000) {
                    reject(new Error(name + ' stays clustered'));
                } else {
                    setTimeout(wait, 50);
                }
            };
            wait();
        })""",
        [name, zoom],
    )
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
