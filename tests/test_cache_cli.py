"""`geo cache stats|export|forget` on a real data dir, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from geo.records import Article, Mention, Place, Resolution, ResolvedMention
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]
ZORBATOWN = Place("nominatim:relation/4242", "Zorbatown", 47.25, 8.5, "CH", "city", source="geocoder:nominatim")
ZORBA_STATION = Place("nominatim:node/77", "Zorbatown Station", 48.25, 9.5, "CH", "landmark", source="geocoder:nominatim")


def geo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def filled(data_dir: Path) -> Path:
    with Store(data_dir) as store:
        store.cache_answer("nominatim", "Zorbatown", [ZORBATOWN, ZORBA_STATION], "http://127.0.0.1:1")
        store.cache_answer("nominatim", "Atlantis", [], "http://127.0.0.1:1")
        store.cache_answer("photon", "Zorbatown", [ZORBATOWN], "http://127.0.0.1:2")
        mentions = [
            ResolvedMention(Mention(0, 9, "Zorbatown", "Zorbatown"), Resolution(ZORBATOWN, 0.5, (), "geocoder:nominatim")),
            ResolvedMention(Mention(14, 22, "Atlantis", "Atlantis"), Resolution(None, 0.0, (), "gazetteer", "no match")),
        ]
        store.replace_article(Article("a1", "Zorbatown and Atlantis.", "h1", "a1.txt"), mentions)
        store.replace_article(Article("a2", "Nothing here.", "h2", "a2.txt"), [])
    return data_dir


def test_stats_counts_resolutions_by_source_and_the_cache_by_service(tmp_path):
    out = geo("cache", "stats", "--data-dir", str(filled(tmp_path)))
    assert out.returncode == 0, out.stderr
    assert "2 article(s), 2 mention(s)" in out.stdout
    assert "1  resolved by geocoder:nominatim" in out.stdout and "1  unresolved" in out.stdout
    assert "geocoder cache nominatim: 2 name(s), 1 found, 1 without a match" in out.stdout
    assert "geocoder cache photon: 1 name(s), 1 found, 0 without a match" in out.stdout


def test_export_writes_every_cached_answer_as_csv_or_json_lines(tmp_path):
    filled(tmp_path)
    out = geo("cache", "export", "--data-dir", str(tmp_path))
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["service"], r["query"], r["found"]) for r in rows] == [
        ("nominatim", "Atlantis", "False"), ("nominatim", "Zorbatown", "True"), ("photon", "Zorbatown", "True")]
    zorba = rows[1]
    assert (zorba["place_id"], float(zorba["lat"]), zorba["country_code"]) == ("nominatim:relation/4242", 47.25, "CH")
    assert [p["name"] for p in json.loads(zorba["answers"])] == ["Zorbatown", "Zorbatown Station"]
    assert zorba["queried_at"].startswith("20")

    target = tmp_path / "cache.jsonl"
    out = geo("cache", "export", "--format", "jsonl", "-o", str(target), "--data-dir", str(tmp_path))
    assert "3 cached answer(s) written" in out.stderr
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert {line["query"] for line in lines} == {"Atlantis", "Zorbatown"}


def test_forget_drops_the_answers_and_queues_the_articles_for_re_resolution(tmp_path):
    filled(tmp_path)
    out = geo("cache", "forget", "zorbatown", "--service", "nominatim", "--data-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "forgot 1 geocoder answer(s) for 'zorbatown'" in out.stdout and "1 article(s)" in out.stdout
    with Store(tmp_path) as store:
        assert store.cached_answer("nominatim", "Zorbatown") is None
        assert store.cached_answer("photon", "Zorbatown") is not None
        assert store.content_hash("a1") == "" and store.content_hash("a2") == "h2"
        assert len(store.mentions()) == 2  # the map keeps its answer until the next ingest
    nothing = geo("cache", "forget", "Narnia", "--data-dir", str(tmp_path))
    assert nothing.returncode == 1 and "nothing cached under 'Narnia'" in nothing.stderr
