"""Online geocoding against a real HTTP server on 127.0.0.1 speaking Nominatim's /search
and Photon's /api formats: answers, cache, pacing, retries, the circuit breaker, and every
failure leaving the mention unresolved with its reason."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.geocoding import GeocoderClient, GeocoderSettings, SettingsError, load_settings
from geo.geocoding.step import OnlineLookup
from geo.records import Article, Mention, Resolution, ResolvedMention
from geo.store import Store

PLACES = {  # name -> (lat, lon, country, nominatim addresstype)
    "zorbatown": (47.25, 8.5, "ch", "town"),
    "vrakhovka": (48.1, 37.9, "ua", "village"),
    "northshire": (52.0, -1.5, "gb", "county"),
}


@dataclass
class Script:
    """How the server answers: per query, a list of (status, body, headers, delay) used in turn
    (the last one repeats); names without a script get a well-formed answer."""

    replies: dict[str, list[tuple[int, str, dict[str, str], float]]] = field(default_factory=dict)
    requests: list[tuple[float, str, str, str]] = field(default_factory=list)  # (time, path, q, user agent)

    def queries(self) -> list[str]:
        return [q for _, _, q, _ in self.requests]


def nominatim_body(name: str) -> str:
    if name.lower() not in PLACES:
        return "[]"
    lat, lon, cc, kind = PLACES[name.lower()]
    return json.dumps([
        {"place_id": 1, "osm_type": "relation", "osm_id": 4242, "lat": str(lat), "lon": str(lon),
         "display_name": f"{name}, Somewhere", "name": name, "addresstype": kind, "type": "administrative",
         "address": {"country_code": cc}},
        {"place_id": 2, "osm_type": "node", "osm_id": 77, "lat": str(lat + 1), "lon": str(lon + 1),
         "display_name": f"{name} Station, Elsewhere", "name": f"{name} Station", "addresstype": "railway",
         "address": {"country_code": cc}},
    ])


def photon_body(name: str) -> str:
    features = []
    if name.lower() in PLACES:
        lat, lon, cc, kind = PLACES[name.lower()]
        features.append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"osm_id": 4242, "osm_type": "R", "name": name, "countrycode": cc.upper(),
                           "type": "city" if kind in ("town", "village") else kind, "country": "X"},
        })
    return json.dumps({"type": "FeatureCollection", "features": features})


def pelias_body(name: str) -> str:
    features = []
    if name.lower() in PLACES:
        lat, lon, cc, _ = PLACES[name.lower()]
        for n, (layer, suffix) in enumerate((("locality", ""), ("venue", " Station"))):
            features.append({
                "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + n, lat + n]},
                "properties": {"gid": f"whosonfirst:{layer}:{4242 + n}", "layer": layer, "name": name + suffix,
                               "country_code": cc.upper(), "label": f"{name}{suffix}, Somewhere"},
            })
    return json.dumps({"type": "FeatureCollection", "features": features})


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            q = (query.get("q") or query.get("text") or [""])[0]  # Pelias calls it text
            script.requests.append((time.monotonic(), url.path, q, self.headers.get("User-Agent", "")))
            replies = script.replies.get(q)
            if replies:
                status, body, headers, delay = replies.pop(0) if len(replies) > 1 else replies[0]
            else:
                body = {"/api": photon_body, "/v1/search": pelias_body}.get(url.path, nominatim_body)(q)
                status, headers, delay = 200, {}, 0.0
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body.encode())
            except OSError:  # the client gave up (timeout test)
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def fast(url: str, service: str = "nominatim", **overrides: object) -> GeocoderSettings:
    """Settings for tests: the real client, with pacing and back-off shortened to keep tests quick."""
    values = {"url": url, "min_delay_s": 0.0, "backoff_s": 0.05, "max_backoff_s": 0.2, "timeout_s": 2.0}
    values.update(overrides)
    return GeocoderSettings(service, **values)  # type: ignore[arg-type]


def unresolved(name: str, start: int = 0) -> ResolvedMention:
    mention = Mention(start, start + len(name), name, name, "place", 0, start + len(name) + 1)
    return ResolvedMention(mention, Resolution(None, 0.0, (), "gazetteer", f"no gazetteer entry for '{name}'"))


def store_article(store: Store, article_id: str, names: list[str]) -> tuple[Article, list[ResolvedMention]]:
    text = " ".join(names) + "."
    mentions, at = [], 0
    for name in names:
        mentions.append(unresolved(name, at))
        at += len(name) + 1
    article = Article(article_id, text, f"hash-{article_id}", f"{article_id}.txt")
    store.replace_article(article, mentions)
    return article, mentions


def run_lookup(store: Store, settings: GeocoderSettings, articles: dict[str, list[str]]) -> tuple[OnlineLookup, list[str]]:
    """What ingest does with one geocoder step: each article's mentions through it, then the summary."""
    lookup = OnlineLookup(store, GeocoderClient(settings))
    for article_id, names in articles.items():
        article, mentions = store_article(store, article_id, names)
        store.replace_article(article, lookup(article, mentions))
    return lookup, lookup.finish()


# -- answers -----------------------------------------------------------------------


def test_nominatim_answer_becomes_a_place_with_country_feature_and_runner_up(server):
    url, script = server
    places = GeocoderClient(fast(url)).search("Zorbatown")
    assert places[0].name == "Zorbatown"
    assert (places[0].lat, places[0].lon, places[0].country_code, places[0].feature) == (47.25, 8.5, "CH", "city")
    assert places[0].place_id == "nominatim:relation/4242"
    assert places[1].name == "Zorbatown Station"
    path, ua = script.requests[0][1], script.requests[0][3]
    assert path == "/search"
    assert ua.startswith("newsgeo/") and "news geoparsing" in ua


def test_contact_goes_into_the_user_agent(server):
    url, script = server
    GeocoderClient(fast(url, contact="desk@example.org")).search("Zorbatown")
    assert "desk@example.org" in script.requests[0][3]


def test_photon_answer_becomes_a_place(server):
    url, script = server
    [place] = GeocoderClient(fast(url, "photon")).search("Vrakhovka")
    assert (place.name, place.lat, place.lon, place.country_code, place.feature) == ("Vrakhovka", 48.1, 37.9, "UA", "city")
    assert place.place_id == "photon:relation/4242"
    assert script.requests[0][1] == "/api"


def test_pelias_answer_becomes_a_place_and_keeps_only_limit_answers(server):
    url, script = server
    [place] = GeocoderClient(fast(url, "pelias", limit=1)).search("Zorbatown")
    assert (place.name, place.lat, place.lon, place.country_code, place.feature) == ("Zorbatown", 47.25, 8.5, "CH", "city")
    assert place.place_id == "pelias:whosonfirst:locality:4242"
    assert script.requests[0][1] == "/v1/search"
    best, runner_up = GeocoderClient(fast(url, "pelias")).search("Zorbatown")
    assert (runner_up.name, runner_up.feature) == ("Zorbatown Station", "landmark")


def test_self_hosted_path_prefix_is_kept(server):
    url, script = server
    places = GeocoderClient(fast(url + "/nominatim/")).search("Zorbatown")
    assert places[0].country_code == "CH"
    assert script.requests[0][1] == "/nominatim/search"


def test_pelias_needs_an_address_and_unknown_services_are_named():
    with pytest.raises(SettingsError, match="--geocoder-url"):
        GeocoderClient(GeocoderSettings("pelias"))
    with pytest.raises(SettingsError, match="nominatim, pelias, photon"):
        GeocoderClient(GeocoderSettings("googel"))


# -- cache first -------------------------------------------------------------------


def test_a_cached_name_never_goes_to_the_network_again(server, tmp_path):
    url, script = server
    with Store(tmp_path) as store:
        lookup, summary = run_lookup(store, fast(url), {"a1": ["Zorbatown", "Atlantis"], "a2": ["Zorbatown"]})
        assert sorted(script.queries()) == ["Atlantis", "Zorbatown"]
        # a second run (new process, same data dir) asks nothing
        _, summary2 = run_lookup(store, fast(url), {"a3": ["Zorbatown", "Atlantis"]})
        assert len(script.requests) == 2
        assert "2 answered from the cache" in summary2[0]

        mentions = store.mentions().set_index(["article_id", "name"])
        hit = mentions.loc[("a3", "Zorbatown")]
        assert hit["source"] == "geocoder:nominatim" and hit["country_code"] == "CH"
        assert json.loads(hit["candidates"])[0]["name"] == "Zorbatown Station"
        miss = mentions.loc[("a3", "Atlantis")]
        assert pd_isnull(miss["place_id"]) and "knows no place called 'Atlantis'" in miss["reason"]

        cache = store.geocoder_cache().set_index("query")
        assert set(cache.index) == {"Zorbatown", "Atlantis"}
        assert (cache["service"] == "nominatim").all() and (cache["url"] == url).all()
        asked = dt.datetime.fromisoformat(cache.loc["Zorbatown", "queried_at"])
        assert abs((dt.datetime.now(dt.timezone.utc) - asked).total_seconds()) < 60


def pd_isnull(value: object) -> bool:
    return value is None or value != value


# -- failures ----------------------------------------------------------------------

BROKEN = [
    ("server error", [(503, "busy", {}, 0.0)], "answered HTTP 503 after 3 attempts", 3),
    ("rate limited", [(429, "slow down", {"Retry-After": "0"}, 0.0)], "rate-limited by nominatim (HTTP 429) after 3", 3),
    ("forbidden", [(403, "blocked", {}, 0.0)], "answered HTTP 403", 1),
    ("malformed json", [(200, "{not json", {}, 0.0)], "malformed answer from nominatim (not JSON)", 1),
    ("wrong shape", [(200, '[{"display_name": "X"}]', {}, 0.0)], "malformed answer from nominatim", 1),
    ("timeout", [(200, "[]", {}, 1.5)], "no answer from nominatim within 0.5s", 1),
]


@pytest.mark.parametrize(("case", "replies", "reason", "requests"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_failure_leaves_the_mention_unresolved_with_its_reason_reported_once(
    server, tmp_path, case, replies, reason, requests
):
    url, script = server
    script.replies["Zorbatown"] = list(replies)
    with Store(tmp_path) as store:
        _, summary = run_lookup(
            store, fast(url, timeout_s=0.5, failures_to_open=10), {"a1": ["Zorbatown", "Vrakhovka"], "a2": ["Zorbatown"]}
        )
        mentions = store.mentions().set_index(["article_id", "name"])
        for article_id in ("a1", "a2"):
            row = mentions.loc[(article_id, "Zorbatown")]
            assert pd_isnull(row["place_id"])
            assert reason in row["reason"] and row["reason"].startswith("no gazetteer entry")
        # the other name in the same run still resolves: a failure stops nothing
        assert mentions.loc[("a1", "Vrakhovka"), "country_code"] == "UA"
        assert script.queries().count("Zorbatown") == requests  # asked in one article, not again
        reported = [line for line in summary if reason in line]
        assert len(reported) == 1 and "'Zorbatown'" in reported[0]
        assert store.cached_answer("nominatim", "Zorbatown") is None  # failures are not cached


def test_unreachable_host_is_a_reason_not_a_crash(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Store(tmp_path) as store:
        _, summary = run_lookup(store, fast(f"http://127.0.0.1:{port}"), {"a1": ["Zorbatown"]})
        reason = store.mentions().loc[0, "reason"]
    assert f"nominatim unreachable at http://127.0.0.1:{port}" in reason and "refused" in reason
    assert any("unreachable" in line for line in summary)


def test_a_transient_5xx_is_retried_with_backoff_and_then_answered(server, tmp_path):
    url, script = server
    script.replies["Zorbatown"] = [(502, "", {}, 0.0), (500, "", {}, 0.0), (200, nominatim_body("Zorbatown"), {}, 0.0)]
    places = GeocoderClient(fast(url, backoff_s=0.1)).search("Zorbatown")
    assert places[0].country_code == "CH"
    times = [t for t, *_ in script.requests]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.09 and times[2] - times[1] >= 0.19  # waits double


def test_a_dead_service_is_cut_off_by_the_breaker(server, tmp_path):
    """Ten names against a service that never answers in time: only the first three requests
    are made, the rest are told at once — seconds, not ten timeouts."""
    url, script = server
    names = [f"Place{i}" for i in range(10)]
    for name in names:
        script.replies[name] = [(200, "[]", {}, 1.0)]
    with Store(tmp_path) as store:
        started = time.monotonic()
        _, summary = run_lookup(store, fast(url, timeout_s=0.3), {"a1": names})
        elapsed = time.monotonic() - started
        reasons = list(store.mentions()["reason"])
    assert len(script.requests) == 3
    assert elapsed < 3 * 0.3 + 1.5
    assert sum("within 0.3s" in r for r in reasons) == 3
    assert sum("failed 3 times in a row" in r for r in reasons) == 7
    assert any("circuit open" in line and "and 2 more" in line for line in summary)


def test_nominatim_is_asked_at_most_once_a_second_by_default(server):
    url, script = server
    client = GeocoderClient(fast(url, min_delay_s=None))
    for name in ("Zorbatown", "Vrakhovka", "Northshire"):
        client.search(name)
    times = [t for t, *_ in script.requests]
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:]))


def test_a_later_run_with_the_service_back_resolves_stored_leftovers(server, tmp_path):
    url, script = server
    script.replies["Zorbatown"] = [(503, "", {}, 0.0)]
    with Store(tmp_path) as store:
        run_lookup(store, fast(url, retries=0), {"a1": ["Zorbatown"]})
        assert pd_isnull(store.mentions().loc[0, "place_id"])
        del script.replies["Zorbatown"]
        # the article is unchanged, so ingest would skip it; the step still revisits it
        lookup = OnlineLookup(store, GeocoderClient(fast(url)))
        summary = lookup.finish()
        row = store.mentions().loc[0]
    assert row["source"] == "geocoder:nominatim" and row["country_code"] == "CH"
    assert "1 stored article(s) updated" in summary[0]


# -- settings ----------------------------------------------------------------------


def test_settings_come_from_config_file_then_environment_then_command_line(tmp_path: Path):
    (tmp_path / "geo.toml").write_text(
        '[geocoder]\nservice = "photon"\nurl = "http://127.0.0.1:2322"\ntimeout_s = 7\ncontact = "me@example.org"\n'
    )
    env = {"HOME": str(tmp_path / "home")}
    from_file = load_settings({}, env, cwd=tmp_path)
    assert (from_file.service, from_file.url, from_file.timeout_s, from_file.contact) == (
        "photon", "http://127.0.0.1:2322", 7.0, "me@example.org")
    env["GEO_GEOCODER_TIMEOUT_S"] = "3"
    assert load_settings({}, env, cwd=tmp_path).timeout_s == 3.0
    cli = load_settings({"service": "nominatim", "url": None}, env, cwd=tmp_path)
    assert (cli.service, cli.url) == ("nominatim", "http://127.0.0.1:2322")
    assert load_settings({"service": "none"}, env, cwd=tmp_path) is None


def test_geocoding_is_off_unless_asked_for(tmp_path: Path):
    assert load_settings({"service": None}, {"HOME": str(tmp_path)}, cwd=tmp_path) is None


def test_user_config_dir_and_bad_keys(tmp_path: Path):
    config = tmp_path / "xdg" / "geo" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[geocoder]\nservice = "nominatim"\n')
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert load_settings({}, env, cwd=tmp_path).service == "nominatim"
    config.write_text('[geocoder]\nservise = "nominatim"\n')
    with pytest.raises(SettingsError, match=r"config.toml: unknown \[geocoder\] key\(s\) servise"):
        load_settings({}, env, cwd=tmp_path)
    config.write_text('[geocoder]\ntimeout_s = "soon"\n')
    with pytest.raises(SettingsError, match="timeout_s: 'soon' is not a number"):
        load_settings({}, env, cwd=tmp_path)


# -- through `geo ingest` ------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def geo_ingest(docs: Path, data: Path, *args: str, env: dict[str, str] | None = None):
    base = {**os.environ, "XDG_CONFIG_HOME": str(data), "HOME": str(data), "GEO_GEOCODER_MIN_DELAY_S": "0"}
    base.pop("GEO_GEOCODER", None)
    return subprocess.run(
        [sys.executable, "-m", "geo", "ingest", str(docs), "--data-dir", str(data), "--jobs", "1", *args],
        cwd=ROOT, env={**base, **(env or {})}, capture_output=True, text=True, timeout=600,
    )


def test_geo_ingest_sends_only_unplaced_names_online_cache_first_and_survives_a_dead_service(server, tmp_path):
    url, script = server
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "story.txt").write_text(
        "Floods in Zorbatown\n\nOfficials in Zorbatown, a small town in Switzerland, said on Monday that "
        "the river had burst its banks. Rescue teams from Zurich and Geneva arrived in Zorbatown by noon.\n"
    )
    data = tmp_path / "data"
    first = geo_ingest(docs, data, "--geocoder", "nominatim", "--geocoder-url", url)
    assert first.returncode == 0, first.stderr
    with Store(data) as store:
        mentions = store.mentions()
    online = mentions[mentions["source"] == "geocoder:nominatim"]
    assert set(online["name"]) == {"Zorbatown"} and len(online) >= 2
    assert (online["country_code"] == "CH").all()
    # the gazetteer placed the others; only the unplaced name went out, and only once
    assert script.queries() == ["Zorbatown"]
    assert set(mentions[mentions["name"].isin(["Zurich", "Geneva"])]["source"]) <= {"gazetteer", "curated"}
    assert "1 name(s) asked (1 found" in first.stderr

    # forced re-run: answered from the cache, the network is not touched
    script.replies["Zorbatown"] = [(503, "", {}, 0.0)]
    again = geo_ingest(docs, data, "--force", "--geocoder", "nominatim", "--geocoder-url", url)
    assert again.returncode == 0 and len(script.requests) == 1
    assert "answered from the cache" in again.stderr

    # a new name while the service is down: unresolved with a reason, reported once, ingest completes
    (docs / "second.txt").write_text("Talks in Qwertzburg\n\nDelegates met in Qwertzburg, near Zorbatown, on Tuesday.\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    down = geo_ingest(docs, data, "--geocoder", "nominatim", "--geocoder-url", dead)
    assert down.returncode == 0, down.stderr
    assert "1 article(s) read" in down.stdout
    assert down.stderr.count("unreachable") == 1
    with Store(data) as store:
        rows = store.mentions()
    qwertz = rows[(rows["article_id"] == "second") & (rows["name"] == "Qwertzburg")]
    assert len(qwertz) and qwertz["place_id"].isna().all()
    assert qwertz["reason"].str.contains("nominatim unreachable").all()
    zorba = rows[(rows["article_id"] == "second") & (rows["name"] == "Zorbatown")]
    assert (zorba["source"] == "geocoder:nominatim").all()  # from the cache, though the service is down


def test_geo_ingest_refuses_unusable_geocoder_settings_before_doing_anything(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    result = geo_ingest(docs, tmp_path / "data", "--geocoder", "pelias")
    assert result.returncode == 2 and "--geocoder-url" in result.stderr
    result = geo_ingest(docs, tmp_path / "data", "--geocoder-url", "http://127.0.0.1:1")
    assert result.returncode == 2 and "add --geocoder NAME" in result.stderr
