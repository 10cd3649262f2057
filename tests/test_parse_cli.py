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
