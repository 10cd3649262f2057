"""`geo parse` as a user runs it: a JSONL file in, one line of mentions per document out,
in input order, with offsets into the given text; bad lines reported and skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"start", "end", "text", "name", "lat", "lon", "country_code", "feature", "kind", "confidence"}


def test_parse_writes_mentions_and_reports_bad_lines(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join([
        json.dumps({"id": "b", "text": "Moscow said Russian troops will train near Vladivostok."}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "a", "text": "Nothing to place here."}),
        json.dumps({"id": "c", "text": "Officials met in Zzyzxvillez and Pyongyang."}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = subprocess.run([sys.executable, "-m", "geo", "parse", "--in", str(docs), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert f"{docs}:2" in result.stderr and f"{docs}:3" in result.stderr

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["b", "a", "c"]
    texts = {"b": "Moscow said Russian troops will train near Vladivostok.",
             "c": "Officials met in Zzyzxvillez and Pyongyang."}
    b = {m["text"]: m for m in rows[0]["mentions"]}
    for m in rows[0]["mentions"]:
        assert set(m) == FIELDS
        assert texts["b"][m["start"]:m["end"]] == m["text"]
    assert (b["Moscow"]["kind"], b["Russian"]["kind"], b["Vladivostok"]["kind"]) == ("metonym", "demonym", "place")
    assert b["Russian"]["name"] == "Russia" and b["Russian"]["country_code"] == "RU"
    assert abs(b["Vladivostok"]["lat"] - 43.1) < 0.5 and abs(b["Vladivostok"]["lon"] - 131.9) < 0.5
    assert rows[1]["mentions"] == []
    c = {m["text"]: m for m in rows[2]["mentions"]}
    assert c["Pyongyang"]["country_code"] == "KP"
    # recognised by the model but in no gazetteer: null coordinates, never made up
    assert (c["Zzyzxvillez"]["lat"], c["Zzyzxvillez"]["lon"], c["Zzyzxvillez"]["kind"]) == (None, None, "place")


def test_parse_writes_a_partitioned_parquet_dataset_and_a_rerun_keeps_finished_parts(tmp_path):
    import gzip

    import pandas as pd

    feeds = tmp_path / "feeds"
    feeds.mkdir()
    towns = ["Vladivostok", "Pyongyang", "Tbilisi", "Seoul", "Minsk"]
    (feeds / "a.jsonl").write_text("".join(
        json.dumps({"id": f"a{i}", "text": f"Talks in {towns[i]} went on.", "outlet": "Wire"}) + "\n" for i in range(5)
    ) + "{bad\n", encoding="utf-8")
    with gzip.open(feeds / "b.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "b0", "text": "Nothing to place here."}) + "\n")
    out_dir = tmp_path / "dataset"

    def parse() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "geo", "parse", "--in", str(feeds / "*.jsonl*"), "--out", str(out_dir),
                               "--partition-size", "2", "--processes", "1"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)

    result = parse()
    assert result.returncode == 1 and f"{feeds / 'a.jsonl'}:6: malformed JSON" in result.stderr
    assert sorted(p.name for p in (out_dir / "mentions").iterdir()) == [
        "a.jsonl-00001.parquet", "a.jsonl-00002.parquet", "a.jsonl-00003.parquet", "b.jsonl.gz-00001.parquet"]
    mentions = pd.read_parquet(out_dir / "mentions")
    articles = pd.read_parquet(out_dir / "articles")
    assert sorted(articles["id"]) == ["a0", "a1", "a2", "a3", "a4", "b0"]
    assert set(articles.loc[articles["id"] == "a0", "outlet"]) == {"Wire"}
    assert sorted(mentions["text"]) == sorted(towns) and set(mentions.columns) == {"id", *FIELDS}
    assert mentions.set_index("text").loc["Seoul", "country_code"] == "KR"

    (out_dir / "mentions" / "a.jsonl-00002.parquet").unlink()  # as if killed before this part
    again = parse()
    assert "2 document(s), 2 mention(s) written" in again.stderr and "3 part(s) already there kept" in again.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out_dir / "mentions").sort_values("id").reset_index(drop=True),
                                  mentions.sort_values("id").reset_index(drop=True))
