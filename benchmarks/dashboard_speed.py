"""How fast the dashboard draws a large table: time to first map and to a filter rerun.

Builds a synthetic store (default 10,000 mentions over 2,000 places in 1,000 articles) with
the real Store, then measures
  * in-process (Streamlit AppTest): the first script run on a cold cache, and the rerun after
    a filter changes (demonyms shown), i.e. the Python side of each;
  * in Debian's Chromium against a real `python -m dashboard` (internet cut off): from opening
    the page to every marker loaded in the map, and from ticking a filter to the new map.
Prints the figures; it asserts nothing.

    python benchmarks/dashboard_speed.py [--data-dir DIR] [--mentions N] [--places N] [--no-browser]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the server/browser helpers the browser tests use

from geo.records import Article, Mention, Place, Resolution, ResolvedMention  # noqa: E402
from geo.store import Store  # noqa: E402

KINDS = ["place"] * 17 + ["demonym"] * 2 + ["metonym"]
OUTLETS = ["Asia Desk", "Harbour Times", "Caucasus Notes", "Evening Wire", "Daily Ledger"]
COUNTRIES = ["RU", "KP", "KR", "UA", "GE", "CN", "JP", "US", "FR", "DE", "IN", "BR", "NG", "EG", "AU"]


def build(data_dir: Path, n_mentions: int, n_places: int, per_article: int = 10, seed: int = 7) -> None:
    rng = random.Random(seed)
    places = [
        Place(
            f"synthetic:{i}", f"Place {i}", round(rng.uniform(-55, 70), 4), round(rng.uniform(-170, 175), 4),
            rng.choice(COUNTRIES), "city", rng.randint(500, 5_000_000),
        )  # fmt: skip
        for i in range(n_places)
    ]
    start_day = dt.date(2022, 1, 1)
    with Store(data_dir) as store:
        for a in range(n_mentions // per_article):
            chosen = [places[(a * per_article + k) % n_places] for k in range(per_article)]
            parts, mentions = [], []
            offset = 0
            for place in chosen:
                kind = rng.choice(KINDS)
                lead = "Reporters in the region said that events near "
                sentence = f"{lead}{place.name} continued through the week. "
                start = offset + len(lead)
                end = start + len(place.name)
                mentions.append(
                    ResolvedMention(
                        Mention(start, end, place.name, place.name, kind, offset, offset + len(sentence) - 1),
                        Resolution(place, confidence=0.8),
                    )
                )
                parts.append(sentence)
                offset += len(sentence)
            text = "".join(parts)
            precision = "month" if a % 10 == 0 else "day"
            published = None if a % 25 == 0 else start_day + dt.timedelta(days=rng.randint(0, 1000))
            if published and precision == "month":
                published = published.replace(day=1)
            article = Article(
                article_id=f"a{a:05d}", text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source_path=f"synthetic/{a}.txt", title=f"Synthetic article {a}", outlet=rng.choice(OUTLETS),
                published=published, date_precision=precision if published else None,
            )  # fmt: skip
            store.replace_article(article, mentions)


def in_process(data_dir: Path) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    os.environ["GEO_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    t0 = time.perf_counter()
    at.checkbox(key="demonyms").check().run()
    rerun = time.perf_counter() - t0
    return first, rerun


def in_browser(data_dir: Path) -> tuple[float, float, float]:
    from dashboard_server import CHROMIUM, CHROMIUM_ARGS, block_internet, dashboard, map_frame, marker_names
    from playwright.sync_api import sync_playwright

    with dashboard(data_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        refused: list[str] = []
        block_internet(context, refused)
        page = context.new_page()
        # warm the server's import of the app once, as a user's second visit would find it
        t0 = time.perf_counter()
        page.goto(url)
        frame = map_frame(page, timeout_s=300)
        cold = time.perf_counter() - t0
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        frame = map_frame(page, timeout_s=300)
        warm = time.perf_counter() - t0
        old_frame = frame
        t0 = time.perf_counter()
        page.get_by_text("Demonyms").click()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # the new map comes in a new frame
            frames = [f for f in page.frames if "streamlit_folium" in f.url and f is not old_frame]
            try:
                if frames and frames[0].evaluate("() => !!(window.map && window.map._loaded)"):
                    marker_names(frames[0])
                    break
            except Exception:  # frame still loading
                pass
            page.wait_for_timeout(20)
        rerun = time.perf_counter() - t0
        browser.close()
        if refused:
            print(f"warning: the page asked for files off this machine: {refused}")
        return cold, warm, rerun


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="where to build the synthetic store (default: a temp dir)")
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--no-browser", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="geo-dashboard-bench-"))
    t0 = time.perf_counter()
    build(data_dir, args.mentions, args.places)
    print(f"synthetic store: {args.mentions} mentions, {args.places} places in {data_dir} "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    first, rerun = in_process(data_dir)
    print(f"script run, cold cache (load tables, filter, build map): {first:.2f} s")
    print(f"script rerun after a filter change:                      {rerun:.2f} s")
    if not args.no_browser:
        cold, warm, rerun = in_browser(data_dir)
        print(f"browser, first visit to all markers drawn:  {cold:.2f} s")
        print(f"browser, later visit to all markers drawn:  {warm:.2f} s")
        print(f"browser, filter ticked to new map drawn:    {rerun:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
