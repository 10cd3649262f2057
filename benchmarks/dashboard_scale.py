"""The dashboard at a real corpus size: a synthetic store of N articles, driven in Chromium.

Builds, through geo's store write API (Store.replace_article, no parser, so it is quick), a
store of N articles (default 100,000): place popularity Zipf-distributed over 25,000
distinct places of the compiled gazetteer (the most prominent first), about 10 mentions per
article, texts of about 3 KB holding each mention's words at its offsets, publication dates
over two years (5% undated, 10% month precision), 50 outlets. Then starts the real
`python -m dashboard` on it and drives Debian's Chromium with every off-machine request
aborted, printing:
  * server start to first map and to the whole page (cold), and the first map with a warm server
    (one that finished that first page);
  * a date range narrowed to one month, to the new map;
  * a marker click to the side panel; the reader opening from the panel;
  * bytes sent to the browser per page load (all loopback traffic meanwhile; and apart, HTTP
    bodies as sent and websocket messages decompressed);
  * the server's peak RSS.
It asserts nothing.

    python benchmarks/dashboard_scale.py [--articles N] [--data-dir DIR] [--build-only]

A data dir that already holds a store of N articles is reused, not rebuilt.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import datetime as dt
import hashlib
import itertools
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the server/browser helpers the browser tests use

from geo.gazetteer.paths import index_path  # noqa: E402
from geo.records import Article, Mention, Place, Resolution, ResolvedMention  # noqa: E402
from geo.store import DB_NAME, Store  # noqa: E402

N_PLACES = 25_000
BATCH = 1_000  # articles per transaction while building
N_OUTLETS = 50
MENTIONS_PER_ARTICLE = 10
TEXT_BYTES = 3_400
FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 731  # two years
KINDS = ["place"] * 17 + ["metonym"] * 2 + ["demonym"]
FILLER = (
    "The council met again on Tuesday to discuss the budget and the new road. "
    "Residents asked for more buses, and the mayor promised an answer within a month. "
    "Prices rose for the third week in a row, traders said, while exports held steady. "
    "Rain is expected over the weekend, with strong winds along the coast. "
)


def gazetteer_places(n: int) -> list[Place]:
    """The `n` most prominent places of the compiled gazetteer (run `geo gazetteer build` first)."""
    with sqlite3.connect(f"file:{index_path()}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT place_id, name, lat, lon, country_code, feature, population FROM places "
            "ORDER BY prior DESC, pid LIMIT ?",
            (n,),
        ).fetchall()
    return [Place(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def zipf_sampler(n: int, rng: random.Random, s: float = 1.0):
    """Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^s."""
    cumulative = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))
    total = cumulative[-1]
    return lambda: bisect.bisect_left(cumulative, rng.random() * total)


def synthetic_article(i: int, places: list[Place], draw, rng: random.Random) -> tuple[Article, list[ResolvedMention]]:
    """About 3 KB of text with ~10 place mentions, each sentence holding one."""
    n = max(1, int(rng.gauss(MENTIONS_PER_ARTICLE, 3)))
    parts, mentions, cursor = [], [], 0
    per_gap = max(0, (TEXT_BYTES - n * 60) // n)
    for _ in range(n):
        place = places[draw()]
        filler = (FILLER * (per_gap // len(FILLER) + 1))[:per_gap]
        filler = filler[: filler.rfind(". ") + 2] if ". " in filler else ""
        lead = "Reporters in "
        sentence = f"{lead}{place.name} said the situation was calm. "
        start = cursor + len(filler) + len(lead)
        sent_start = cursor + len(filler)
        parts.append(filler + sentence)
        mentions.append(
            ResolvedMention(
                Mention(start, start + len(place.name), place.name, place.name, rng.choice(KINDS),  # type: ignore[arg-type]
                        sent_start, sent_start + len(sentence) - 1),
                Resolution(place, confidence=0.8),
            )
        )  # fmt: skip
        cursor += len(filler) + len(sentence)
    text = "".join(parts)
    published, precision = None, None
    if rng.random() >= 0.05:
        published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        precision = "day"
        if rng.random() < 0.1:
            published, precision = published.replace(day=1), "month"
    article = Article(
        article_id=f"s{i:07d}", text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
        source_path=f"synthetic/{i}.txt", title=f"Synthetic report {i} on {mentions[0].mention.text}",
        outlet=f"Outlet {rng.randrange(N_OUTLETS):02d}", url=f"https://news.example.org/{i}",
        published=published, date_precision=precision, date_source="metadata" if published else None,
    )  # fmt: skip
    return article, mentions


def build(data_dir: Path, n_articles: int, seed: int = 9) -> float:
    """Write the synthetic store (resuming where a previous build stopped); returns seconds."""
    rng = random.Random(seed)
    places = gazetteer_places(N_PLACES)
    draw = zipf_sampler(len(places), rng)
    t0 = time.perf_counter()
    with Store(data_dir) as store:
        done = store.count("articles")
        if done >= n_articles:  # built already: drawing a million articles only to skip them took 90 s
            return 0.0
        batch: list[tuple[Article, list[ResolvedMention]]] = []
        for i in range(n_articles):
            article, mentions = synthetic_article(i, places, draw, rng)  # drawn even when stored: same store
            if i >= done:
                batch.append((article, mentions))
            if len(batch) == BATCH or i == n_articles - 1:
                store.replace_articles(batch)  # one transaction per batch, as geo ingest stores a partition
                batch = []
            if i and i % 10_000 == 0:
                print(f"  {i} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
    return time.perf_counter() - t0


class PeakRSS(threading.Thread):
    """Samples a process tree's resident memory every 50 ms; `peak` is the largest seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc, self.peak, self.running = psutil.Process(pid), 0, True

    def run(self) -> None:
        while self.running:
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(recursive=True))
            except Exception:  # the process is gone
                return
            self.peak = max(self.peak, rss)
            time.sleep(0.05)


class BytesIn:
    """Bytes the page receives. `wire`: everything on the loopback interface meanwhile (both
    ways, headers and TCP framing included, so an upper bound of what the server sends; run
    nothing else on 127.0.0.1). `http`: HTTP bodies as encoded on the wire; `ws`: websocket
    messages as the page reads them, decompressed (Chromium does not report their size on the
    wire)."""

    def __init__(self, context, page) -> None:
        self.http = self.ws = 0
        self._lo = _loopback_bytes()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.webSocketFrameReceived", self._frame)

    @property
    def wire(self) -> int:
        return _loopback_bytes() - self._lo

    def _finished(self, event) -> None:
        self.http += int(event.get("encodedDataLength", 0))

    def _frame(self, event) -> None:
        data = event["response"]["payloadData"]
        self.ws += len(base64.b64decode(data)) if event["response"].get("opcode") == 2 else len(data.encode())


def _loopback_bytes() -> int:
    import psutil

    return psutil.net_io_counters(pernic=True)["lo"].bytes_sent


# the cluster layer of a map frame: the place markers
_CLUSTERS = "window.map.eachLayer(l => { if (l.options && l.options.maxClusterRadius !== undefined) clusters.push(l); });"


def mark_map(page) -> None:
    """Marks the markers every map frame holds now, so that wait_new_map sees the next ones."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            try:
                frame.evaluate(f"() => {{ const clusters = []; {_CLUSTERS} clusters.forEach(c => c.benchOld = true); }}")
            except Exception:  # a frame going away
                pass


def wait_new_map(page, timeout_s: float = 300):
    """The map frame once it draws markers that were not there at mark_map: a new frame's, or
    (when the page keeps its map across reruns) the same frame's new markers."""
    from dashboard_server import marker_names

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate(
                        f"() => {{ if (!(window.map && window.map._loaded)) return false; const clusters = []; "
                        f"{_CLUSTERS} return clusters.length > 0 && clusters.every(c => !c.benchOld); }}"
                    ):
                        marker_names(frame)
                        return frame
                except Exception:  # still loading
                    pass
        page.wait_for_timeout(20)
    raise AssertionError("no new map")


def shown_map(page, frame, timeout_s: float = 60):
    """The map frame on screen: after a filter change the page may draw the map once more
    (a second rerun), leaving `frame` hidden or detached; take the visible one."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for candidate in [frame] + [f for f in page.frames if f is not frame]:
            if "streamlit_folium" not in candidate.url:
                continue
            try:
                if candidate.frame_element().bounding_box() and candidate.evaluate(
                    "() => !!(window.map && window.map._loaded)"
                ):
                    return candidate
            except Exception:  # a frame went away while we asked
                pass
        page.wait_for_timeout(50)
    raise AssertionError("no map on screen")


def focused(page) -> bool:
    """The reader shows, its focused mention marked."""
    for frame in page.frames:
        try:
            if frame.query_selector(".geo-reader mark.focus"):
                return True
        except Exception:  # a frame went away while we asked
            pass
    return False


def script_done(page, timeout_s: float = 300) -> None:
    """Streamlit has finished the page's script run (its "Running…" status is gone)."""
    page.wait_for_timeout(300)
    deadline = time.monotonic() + timeout_s
    while page.query_selector('[data-testid="stStatusWidget"]') and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def drive(data_dir: Path) -> dict[str, float]:
    from dashboard_server import CHROMIUM, CHROMIUM_ARGS, block_internet, click_marker, dashboard_process, map_frame
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    t_start = time.perf_counter()
    with dashboard_process(data_dir, timeout_s=300) as (url, proc), sync_playwright() as p:
        rss = PeakRSS(proc.pid)
        rss.start()
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        refused: list[str] = []
        block_internet(context, refused)
        page = context.new_page()
        received = BytesIn(context, page)
        page.goto(url)
        map_frame(page, timeout_s=300)
        figures["server start to first map (cold)"] = time.perf_counter() - t_start
        # the rest of the page (timeline, articles list) is still being asked for: a "warm
        # server" has finished it, or the warm load below would share the CPU with it
        script_done(page)
        figures["server start to the whole page (cold)"] = time.perf_counter() - t_start
        page.wait_for_timeout(500)
        figures["MB sent, first page load (fresh browser)"] = received.wire / 1e6
        figures["  HTTP bodies, MB"] = received.http / 1e6
        figures["  websocket messages decompressed, MB"] = received.ws / 1e6

        context2 = browser.new_context(viewport={"width": 1400, "height": 950})
        block_internet(context2, refused)
        page = context2.new_page()
        received = BytesIn(context2, page)
        t0 = time.perf_counter()
        page.goto(url)
        frame = map_frame(page, timeout_s=300)
        figures["first map, warm server"] = time.perf_counter() - t0
        page.wait_for_timeout(500)
        figures["MB sent, later page load (fresh browser)"] = received.wire / 1e6

        # a date range narrowed to one month
        mark_map(page)
        page.get_by_text("Filter by publication date").click()
        frame = wait_new_map(page)
        # the range's date fields typed (first and last day of March 2025), committed when they lose focus
        for field, value in (("year, Published between start", "2025"), ("month, Published between start", "03"),
                             ("year, Published between end", "2025"), ("month, Published between end", "03"),
                             ("day, Published between end", "31")):  # fmt: skip
            page.get_by_role("spinbutton", name=field).click()
            page.keyboard.type(value)
        mark_map(page)
        t0 = time.perf_counter()
        page.locator("text=articles in view").first.click()  # the header: blurs the date field
        frame = wait_new_map(page)
        figures["date range narrowed to one month, to new map"] = time.perf_counter() - t0

        # the biggest place's marker to its side panel
        frame = shown_map(page, frame)
        name = frame.evaluate(
            """() => { let best = null; window.map.eachLayer(l => {
                if (l.getLayers && l.options && l.options.maxClusterRadius !== undefined) {
                    best = l.getLayers()[0]; } });
                const s = document.createElement('span'); s.innerHTML = best.getTooltip().getContent();
                return s.textContent.split(',')[0].split(' · ')[0]; }"""
        )
        t0 = time.perf_counter()
        click_marker(page, frame, name)
        page.locator(".geo-panel-title", has_text=name).wait_for(timeout=60_000)
        page.get_by_role("button", name="Read article").first.wait_for(timeout=60_000)
        figures["marker click to side panel"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        page.get_by_role("button", name="Read article").first.click()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not focused(page):
            page.wait_for_timeout(20)
        figures["reader opening"] = time.perf_counter() - t0
        browser.close()
        rss.running = False
        figures["server peak RSS (MB)"] = rss.peak / 1e6
        if refused:
            print(f"warning: the page asked for files off this machine: {refused}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, help="where to build the store (default: a temp dir)")
    parser.add_argument("--build-only", action="store_true", help="build the store and stop")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="geo-dashboard-scale-"))
    seconds = build(data_dir, args.articles)
    with Store(data_dir, readonly=True) as store:
        counts = {t: store.count(t) for t in ("articles", "mentions")}
    size = (data_dir / DB_NAME).stat().st_size / 1e9
    written = f"written in {seconds:.0f} s" if seconds else "reused"
    print(f"store: {counts['articles']} articles, {counts['mentions']} mentions in {data_dir} ({size:.2f} GB; {written})")
    if args.build_only:
        return 0
    for label, value in drive(data_dir).items():
        unit = "" if "MB" in label else " s"
        print(f"{label:48s} {value:8.2f}{unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
