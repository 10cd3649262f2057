"""`geo export` and the GeoJSON/CSV it writes, on a real store built from the map fixture."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from map_fixture import KYIV, SPECS, Spec, build

from geo.cli import main
from geo.excerpts import excerpt, sentence_span


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    formula = Spec(
        "formula",
        "=HYPERLINK(\"http://evil\") was painted on a wall in Kyiv.",
        (("Kyiv", "Kyiv", "place", KYIV),),
        title="=cmd|' /C calc'!A0",
        outlet="@Outlet",
        published=dt.date(2023, 1, 1),
        date_precision="day",
    )
    return build(tmp_path_factory.mktemp("data"), SPECS + (formula,))


def export(data_dir, *args, capsys) -> tuple[int, str, str]:
    code = main(["export", "--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_geojson_has_one_feature_per_place_with_its_mentions(data_dir, capsys):
    code, out, _ = export(data_dir, "--format", "geojson", capsys=capsys)
    assert code == 0
    collection = json.loads(out)
    assert collection["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in collection["features"]}
    assert len(by_name) == len(collection["features"])  # one Feature per place
    pyongyang = by_name["Pyongyang"]
    assert pyongyang["geometry"] == {"type": "Point", "coordinates": [125.75432, 39.03385]}
    props = pyongyang["properties"]
    assert props["country_code"] == "KP"
    assert props["n_mentions"] == 2 and props["n_articles"] == 1
    first = props["mentions"][0]
    assert first["article_id"] == "pyongyang-2024"
    assert first["text"] == "Pyongyang"
    assert first["published"] == "2024-06-19"
    assert first["excerpt"] == "Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un."
    i, j = first["excerpt_span"]
    assert first["excerpt"][i:j] == "Pyongyang"
    assert "Moscow" in by_name and "metonym" in by_name["Moscow"]["properties"]["kinds"]
    assert "Russia" not in by_name  # demonym only, hidden by default


def test_date_range_on_the_command_line(data_dir, capsys):
    code, out, _ = export(data_dir, "--format", "geojson", "--from", "2024-06-01", "--to", "2024-06-30", capsys=capsys)
    names = {f["properties"]["name"] for f in json.loads(out)["features"]}
    assert code == 0
    assert "Pyongyang" in names and "Seoul" in names  # Seoul: month precision, June 2024
    assert "Vladivostok" not in names and "Tbilisi" not in names


def test_a_month_typed_on_the_command_line_is_the_whole_month(data_dir, capsys):
    code, out, _ = export(data_dir, "--format", "geojson", "--from", "2022-09", "--to", "2022-09", capsys=capsys)
    assert code == 0
    assert {f["properties"]["name"] for f in json.loads(out)["features"]} == {"Vladivostok"}  # 2022-09-06
    code, out, _ = export(data_dir, "--format", "geojson", "--from", "2024", capsys=capsys)
    names = {f["properties"]["name"] for f in json.loads(out)["features"]}
    assert "Pyongyang" in names and "Vladivostok" not in names


def test_csv_to_file_one_row_per_mention_with_formulas_defused(data_dir, tmp_path, capsys):
    target = tmp_path / "mentions.csv"
    code, out, err = export(data_dir, "--format", "csv", "--kind", "place", "--kind", "demonym", "-o", str(target), capsys=capsys)
    assert code == 0 and out == ""
    assert "wrote" in err and str(target) in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["text"] for r in rows} >= {"Pyongyang", "North Korean", "Russian", "Vladivostok"}
    assert "Moscow" not in {r["text"] for r in rows}  # metonym not asked for
    formula = next(r for r in rows if r["article_id"] == "formula")
    assert formula["title"].startswith("'=") and formula["outlet"] == "'@Outlet"
    assert formula["excerpt"].startswith("'=HYPERLINK")
    assert float(formula["lon"]) == pytest.approx(30.5238)  # numbers are left alone


def test_bad_date_and_missing_tables_say_what_is_wrong(data_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "csv", "--data-dir", str(data_dir), "--from", "June"])
    assert exit_info.value.code != 0
    assert "YYYY-MM-DD" in capsys.readouterr().err
    code, _, err = export(tmp_path / "empty", "--format", "geojson", capsys=capsys)
    assert code == 1 and "geo ingest" in err
    code, _, err = export(data_dir, "--format", "csv", "--from", "2024-07-01", "--to", "2024-06-01", capsys=capsys)
    assert code == 2 and "after" in err


def test_excerpt_is_the_sentence_folded_and_trimmed_around_the_mention():
    text = "First one.\nThe army moved\ninto Kherson today. Last one."
    start = text.index("Kherson")
    assert sentence_span(text, start, start + 7) == (text.index("The"), text.index("today.") + 6)
    cut = excerpt(text, start, start + 7)
    assert cut.text == "The army moved into Kherson today."
    long = "word " * 200 + "Kherson " + "word " * 200
    start = long.index("Kherson")
    cut = excerpt(long, start, start + 7, 0, len(long), max_chars=80)
    assert cut.mention == "Kherson" and len(cut.text) <= 82
    assert cut.before.startswith("…") and cut.after.endswith("…")
