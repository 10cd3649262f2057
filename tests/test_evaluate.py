"""The evaluation metrics on small hand-made corpora whose figures are worked out here
from the published definitions (Gritta et al. 2018, as in shared/eval/score.py)."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.distance import great_circle_km
from geo.evaluate import MAX_ERROR_KM, Scores, Toponym, error_auc, match, score_corpus

ONE_DEGREE_KM = math.radians(1) * 6371.009
SCORE_PY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"

TEXT_A = "Paris and Lyon met Rome."  # Paris 0-5, Lyon 10-14, met 15-18, Rome 19-23
GOLD = [
    {"id": "a", "text": TEXT_A, "toponyms": [
        {"start": 0, "end": 5, "name": "Paris", "lat": 48.0, "lon": 2.0},
        {"start": 10, "end": 14, "name": "Lyon", "lat": 45.0, "lon": 4.0},
        {"start": 19, "end": 23, "name": "Rome", "lat": 41.0, "lon": 12.0}]},
    {"id": "b", "text": "Quito.", "toponyms": [{"start": 0, "end": 5, "name": "Quito", "lat": 0.0, "lon": -78.0}]},
    {"id": "c", "text": "Nothing.", "toponyms": []},
]
PRED = [
    {"id": "a", "mentions": [
        {"start": 0, "end": 5, "lat": 48.0, "lon": 2.0},  # exact
        {"start": 10, "end": 15, "lat": 46.0, "lon": 4.0},  # overlapping span, one degree off: a hit
        {"start": 15, "end": 18, "lat": 1.0, "lon": 1.0},  # not a toponym
        {"start": 19, "end": 23, "lat": None, "lon": None}]},  # found, not placed
    {"id": "c", "mentions": [{"start": 0, "end": 7, "lat": 3.0, "lon": 3.0}]},  # "b" is missing: no predictions
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def expected() -> dict[str, float]:
    errors = sorted([0.0, ONE_DEGREE_KM, MAX_ERROR_KM])
    y = [math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errors]
    return {
        "precision": 3 / 5,  # 3 of 5 predictions matched
        "recall": 3 / 4,
        "f1": 2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4),
        "acc161": 2 / 3,
        "mean_km": sum(errors) / 3,
        "median_km": ONE_DEGREE_KM,
        "auc": ((y[0] + y[1]) / 2 + (y[1] + y[2]) / 2) / 2,
        "e2e161": 2 / 4,
    }


def test_metrics_follow_the_definitions():
    gold = {d["id"]: [Toponym((t["start"], t["end"]), (t["lat"], t["lon"])) for t in d["toponyms"]] for d in GOLD}
    pred = {d["id"]: [Toponym((m["start"], m["end"]), None if m["lat"] is None else (m["lat"], m["lon"]))
                      for m in d["mentions"]] for d in PRED}
    got = score_corpus(gold, pred).as_dict()
    for name, value in expected().items():
        assert got[name] == pytest.approx(value, rel=1e-9), name
    assert (got["matched"], got["unresolved"]) == (3, 1)


def test_matching_is_one_to_one_by_largest_overlap():
    assert match([(0, 10)], [(8, 20), (0, 9)]) == {0: 1}
    assert match([(0, 5), (6, 11)], [(0, 11)]) == {0: 0}  # one prediction, two golds: one match
    assert match([(0, 5)], [(5, 9)]) == {}  # touching spans do not overlap


def test_edge_cases_of_the_curves():
    assert error_auc([]) is None
    assert error_auc([0.0]) == 0.0
    assert error_auc([MAX_ERROR_KM - 1, 0.0]) == pytest.approx(0.5)
    assert great_circle_km((0, 0), (0, 180)) == pytest.approx(math.pi * 6371.009)
    nothing = Scores(gold=3, gold_with_coords=3)
    assert (nothing.precision, nothing.recall, nothing.f1, nothing.e2e161) == (None, 0.0, 0.0, 0.0)


def test_cli_prints_the_figures_and_json(tmp_path, capsys):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", PRED)
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--json"]) == 0
    out = capsys.readouterr().out
    assert "A@161" in out and "E2E@161" in out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["f1"] == pytest.approx(expected()["f1"])


def test_cli_names_file_and_line_of_bad_predictions(tmp_path, capsys):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", [PRED[0], {"id": "c", "mentions": [{"start": 5, "end": 99}]}])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred)]) == 2
    assert f"{pred}:2" in capsys.readouterr().err


@pytest.mark.skipif(not SCORE_PY.exists(), reason="the shared scorer is not beside the project")
def test_agrees_with_the_shared_scorer(tmp_path, capsys):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", PRED)
    theirs = subprocess.run([sys.executable, str(SCORE_PY), "--gold", str(gold), "--pred", str(pred), "--json"],
                            capture_output=True, text=True, check=True)
    reference = json.loads(theirs.stdout.strip().splitlines()[-1])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--json"]) == 0
    ours = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for name in ["precision", "recall", "f1", "acc161", "mean_km", "median_km", "auc", "e2e161"]:
        assert ours[name] == pytest.approx(reference[name], rel=1e-12), name


def test_evaluate_without_predictions_parses_the_gold_texts(tmp_path, capsys):
    text = "Heavy rain flooded Nairobi on Monday, and Kenya's government said more was coming."
    start = text.index("Nairobi")
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "k", "text": text, "toponyms": [
        {"start": start, "end": start + 7, "name": "Nairobi", "lat": -1.2833, "lon": 36.8167}]}])
    assert main(["evaluate", "--gold", str(gold), "--processes", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["recall"] == 1.0 and figures["acc161"] == 1.0


def test_a_text_with_unicode_line_separators_stays_one_document(tmp_path, capsys):
    # JSON strings may carry U+0085 / U+2028 unescaped (real corpora do); they end no line
    text = "Floods in\u0085Quito\u2028today."
    start = text.index("Quito")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "q", "text": text, "toponyms": [
        {"start": start, "end": start + 5, "name": "Quito", "lat": 0.0, "lon": -78.0}]}, ensure_ascii=False)
        + "\n" + json.dumps({"id": "bad", "text": 5}) + "\n", encoding="utf-8")
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "q", "mentions": []}])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred)]) == 2
    assert f"{gold}:2: needs a string" in capsys.readouterr().err  # line 1 was read whole


def test_gross_errors_count_wrong_places_not_point_conventions(tmp_path, capsys):
    """A town 1,112 km off is a wrong place; a country as far off is a convention of where
    its point lies, but not 2,224 km off. Unplaced matches are misses, not gross errors."""
    text = "Ames Bern Cork Doha Elko"  # five names, each at (0, 0) in the gold
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "g", "text": text, "toponyms": [
        {"start": s, "end": e, "name": text[s:e], "lat": 0.0, "lon": 0.0} for s, e in spans]}])
    guesses = [(10.0, "city"), (10.0, "country"), (20.0, "country"), (None, None), (10.0, None)]
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "g", "mentions": [
        {"start": s, "end": e, "lat": lat, "lon": 0.0 if lat is not None else None, "feature": feature}
        for (s, e), (lat, feature) in zip(spans, guesses)]}])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["gross"] == 3  # the town, the far country, the classless guess
    assert figures["gross_per_1000"] == pytest.approx(600.0)
    assert "gross errors /1000" in out
