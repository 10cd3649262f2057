"""A small data dir for the map, export and filter tests, written through the real Store.

It carries its own texts (never the seed or evaluation corpora): articles dated June 2024
(Pyongyang, Moscow as a metonym, "North Korean" as a demonym), September 2022 (Vladivostok),
a month-precision June 2024 article (Seoul), an undated one (Tbilisi), and a hostile one whose
title, outlet, URL and text carry <script>, <img onerror=…> and ${…} payloads (Kyiv).
Every payload, if it ever ran, would set `window.top.__pwned` or open an alert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from geo.excerpts import sentence_span
from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import Store

PYONGYANG = Place("geonames:1871859", "Pyongyang", 39.03385, 125.75432, "KP", "city", 3222000)
NORTH_KOREA = Place("geonames:1873107", "North Korea", 40.0, 127.0, "KP", "country", 25549819)
MOSCOW = Place("geonames:524901", "Moscow", 55.75222, 37.61556, "RU", "city", 10381222)
VLADIVOSTOK = Place("geonames:2013348", "Vladivostok", 43.10562, 131.87353, "RU", "city", 587022)
RUSSIA = Place("geonames:2017370", "Russia", 60.0, 100.0, "RU", "country", 140702000)
SEOUL = Place("geonames:1835848", "Seoul", 37.566, 126.9784, "KR", "city", 10349312)
TBILISI = Place("geonames:611717", "Tbilisi", 41.69411, 44.83368, "GE", "city", 1049498)
KYIV = Place("geonames:703448", "Kyiv", 50.45466, 30.5238, "UA", "city", 2797553)

XSS_MARK = "__pwned"
HOSTILE_TITLE = "<script>window.top.__pwned=1;alert('title')</script> Breaking ${window.top.__pwned=2}"
HOSTILE_OUTLET = '<img src=x onerror="window.top.__pwned=3;alert(3)">Evil Wire'
HOSTILE_URL = "javascript:window.top.__pwned=4"
HOSTILE_TEXT = (
    "Officials met in Kyiv on Monday <script>window.top.__pwned=5;alert(5)</script> to talk. "
    'Reporters saw <img src=x onerror="window.top.__pwned=6;alert(6)"> nothing. '
    "A banner said ${window.top.__pwned=7} and `${alert(8)}` near Kyiv again."
)


@dataclass(frozen=True)
class Spec:
    """One article and the places its words refer to: (surface text, name, kind, place)."""

    article_id: str
    text: str
    mentions: tuple[tuple[str, str, str, Place], ...]
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_precision: str | None = None


SPECS: tuple[Spec, ...] = (
    Spec(
        "pyongyang-2024",
        "Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un.\n\n"
        "North Korean state media praised the visit. Moscow said the two countries "
        "signed a partnership treaty in Pyongyang.",
        (
            ("Pyongyang", "Pyongyang", "place", PYONGYANG),
            ("North Korean", "North Korea", "demonym", NORTH_KOREA),
            ("Moscow", "Moscow", "metonym", MOSCOW),
            ("Pyongyang", "Pyongyang", "place", PYONGYANG),
        ),
        title="Putin lands in Pyongyang",
        outlet="Asia Desk",
        url="https://news.example.org/pyongyang",
        published=dt.date(2024, 6, 19),
        date_precision="day",
    ),
    Spec(
        "vladivostok-2022",
        "Putin watched the Vostok-2022 exercise before flying to Vladivostok on Wednesday. "
        "Russian forces and Chinese units took part.",
        (
            ("Vladivostok", "Vladivostok", "place", VLADIVOSTOK),
            ("Russian", "Russia", "demonym", RUSSIA),
        ),
        title="Drills in the Far East",
        outlet="Harbour Times",
        published=dt.date(2022, 9, 6),
        date_precision="day",
    ),
    Spec(
        "seoul-month-2024",
        "Analysts in Seoul expect further launches this summer.",
        (("Seoul", "Seoul", "place", SEOUL),),
        title="Summer outlook",
        outlet="Asia Desk",
        published=dt.date(2024, 6, 1),
        date_precision="month",
    ),
    Spec(
        "tbilisi-undated",
        "Protesters gathered in Tbilisi again.",
        (("Tbilisi", "Tbilisi", "place", TBILISI),),
        title="Tbilisi protests",
        outlet="Caucasus Notes",
    ),
    Spec(
        "hostile",
        HOSTILE_TEXT,
        (("Kyiv", "Kyiv", "place", KYIV), ("Kyiv", "Kyiv", "place", KYIV)),
        title=HOSTILE_TITLE,
        outlet=HOSTILE_OUTLET,
        url=HOSTILE_URL,
        published=dt.date(2024, 6, 5),
        date_precision="day",
    ),
)


def resolved_mentions(spec: Spec) -> list[ResolvedMention]:
    """Locate each surface form in order of appearance, as the geoparser would report it."""
    found, cursor = [], 0
    for surface, name, kind, place in spec.mentions:
        start = spec.text.index(surface, cursor)
        end = start + len(surface)
        cursor = end
        sent_start, sent_end = sentence_span(spec.text, start, end)
        mention = Mention(start, end, surface, name, kind, sent_start, sent_end)  # type: ignore[arg-type]
        found.append(ResolvedMention(mention, Resolution(place, confidence=0.9)))
    return found


def article(spec: Spec) -> Article:
    return Article(
        article_id=spec.article_id,
        text=spec.text,
        content_hash=hashlib.sha256(spec.text.encode()).hexdigest(),
        source_path=f"fixture/{spec.article_id}.txt",
        title=spec.title,
        outlet=spec.outlet,
        url=spec.url,
        published=spec.published,
        date_precision=spec.date_precision,  # type: ignore[arg-type]
        date_source="metadata" if spec.published else None,
    )


def build(data_dir: Path, specs: tuple[Spec, ...] = SPECS) -> Path:
    """Write the fixture articles into `data_dir`'s store; returns the data dir."""
    with Store(data_dir) as store:
        for spec in specs:
            store.replace_article(article(spec), resolved_mentions(spec))
    return data_dir


def build_many(data_dir: Path, n_articles: int, n_places: int, per_article: int = 8) -> Path:
    """A store of `n_articles` short articles spread over `n_places` made-up places, to weigh the page."""
    places = [
        Place(f"test:{i}", f"Place {i}", -60 + (i * 7.3) % 120, -170 + (i * 13.7) % 340, "XX", "city")
        for i in range(n_places)
    ]
    with Store(data_dir) as store:
        for a in range(n_articles):
            chosen = [places[(a * per_article + k) % n_places] for k in range(per_article)]
            text = " ".join(f"Crowds gathered in {p.name} today." for p in chosen)
            spec = Spec(
                f"many-{a}", text, tuple((p.name, p.name, "place", p) for p in chosen),
                title=f"Report {a}", outlet=f"Outlet {a % 20}",
                published=dt.date(2024, 1, 1) + dt.timedelta(days=a % 366), date_precision="day",
            )  # fmt: skip
            store.replace_article(article(spec), resolved_mentions(spec))
    return data_dir
