"""The compiled gazetteer: what names find, abbreviations, demonyms, curated rows, build."""

from __future__ import annotations

import shutil

import pytest

from geo.gazetteer import Gazetteer
from geo.gazetteer.build import build, is_current
from geo.cli import main as cli_main
from geo.gazetteer.curated import CuratedDataError
from geo.gazetteer.paths import curated_dir


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()  # builds the index first if it is missing


def features(places):
    return [(p.name, p.feature, p.country_code) for p in places]


def test_lookup_ignores_case_diacritics_and_punctuation(gaz):
    assert gaz.candidates("SAO PAULO")[0].name == "São Paulo"
    assert gaz.candidates("Saint Louis")[0].place_id == gaz.candidates("St. Louis")[0].place_id
    assert gaz.candidates("the Baltics")[0].name == "Baltics"


@pytest.mark.parametrize(
    ("written", "country", "feature"),
    [("U.S.", "US", "country"), ("US", "US", "country"), ("UK", "GB", "country"),
     ("DRC", "CD", "country"), ("NSW", "AU", "admin1"), ("Ga.", "US", "admin1")],
)
def test_abbreviations_find_their_place_first(gaz, written, country, feature):
    top = gaz.candidates(written)[0]
    assert (top.country_code, top.feature) == (country, feature)


def test_alternate_names_and_romanisations_find_the_division(gaz):
    for written in ("Primorye", "Primorsky Krai", "Primorskiy kray"):
        top = gaz.candidates(written)[0]
        assert (top.country_code, top.feature) == ("RU", "admin1")
        assert 42 < top.lat < 48 and 130 < top.lon < 140


def test_ambiguous_name_lists_every_reading_with_coordinates(gaz):
    georgias = features(gaz.candidates("Georgia"))
    assert ("Georgia", "country", "GE") in georgias
    assert ("Georgia", "admin1", "US") in georgias
    springfields = gaz.candidates("Springfield")
    assert len({p.admin1 for p in springfields if p.country_code == "US"}) > 10
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in springfields)


def test_us_county_has_a_point_inside_its_state(gaz):
    laurel = gaz.candidates("Laurel County")[0]
    assert (laurel.feature, laurel.admin1) == ("admin2", "Kentucky")
    assert 36.5 < laurel.lat < 39.2 and -89.6 < laurel.lon < -81.9


@pytest.mark.parametrize(
    ("word", "place"),
    [("Russian", "Russia"), ("North Korean", "North Korea"), ("Georgian", "Georgia"),
     ("Americans", "United States"), ("Ukrainians", "Ukraine")],
)
def test_demonym_gives_the_place_it_derives_from(gaz, word, place):
    assert gaz.demonym(word) == place
    assert gaz.contains(place)


def test_unknown_name_and_non_demonym(gaz):
    assert not gaz.contains("Qwxzyville")
    assert gaz.candidates("Qwxzyville") == []
    assert gaz.demonym("Table") is None


def test_curated_places_carry_their_source(gaz):
    for name, country in [("Sergeyevsky range", "RU"), ("Donetsk People's Republic", "UA"),
                          ("Luhansk People's Republic", "UA"), ("South Ossetia", "GE"),
                          ("Russia's Far East", "RU"), ("Central Asia", None)]:
        place = gaz.candidates(name)[0]
        assert place.source == "curated" and place.country_code == country, name


def test_region_point_is_the_mean_of_its_members(gaz):
    baltics = gaz.candidates("Baltics")[0]
    assert 54 < baltics.lat < 59 and 21 < baltics.lon < 28  # between Vilnius and Tallinn


def test_names_filter_by_prominence(gaz):
    countries = set(gaz.names(features=["country"]))
    assert {"Georgia", "Russia"} <= countries and "Springfield" not in countries
    big = set(gaz.names(min_population=5_000_000))
    assert "Vladivostok" not in big and "Tokyo" in big


def test_build_is_skipped_when_up_to_date(gaz):
    assert is_current(gaz.path)
    assert build(gaz.path) is False


@pytest.mark.parametrize(
    ("row", "problem"),
    [("broken,Broken Place,,city,XX,,,95.0,10.0,,,made up for the test", "lat/lon out of range"),
     ("empty,Empty Region,,region,,,,,,|,,made up for the test", r"members '\|' give no point"),
     ("ghost,Ghost Region,,region,,,,,,geonames:999999999,,made up for the test",
      "member 'geonames:999999999' is not in the gazetteer")],
)
def test_bad_curated_row_stops_the_build_naming_file_and_line(tmp_path, monkeypatch, row, problem):
    folder = tmp_path / "data"
    shutil.copytree(curated_dir(), folder)
    with (folder / "curated_places.csv").open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    lines = (folder / "curated_places.csv").read_text(encoding="utf-8").count("\n")
    monkeypatch.setenv("GEO_DATA_SOURCES", str(folder))
    with pytest.raises(CuratedDataError, match=rf"curated_places.csv:{lines}: {problem}"):
        build(tmp_path / "index.sqlite")
    assert list(tmp_path.iterdir()) == [folder]  # no index, and no half-built one left behind


def test_geo_gazetteer_build_reports_a_bad_row_and_keeps_the_old_index(tmp_path, monkeypatch, capsys):
    folder, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(curated_dir(), folder)
    cache.mkdir()
    (cache / "gazetteer.sqlite").write_bytes(b"the index built before")
    with (folder / "curated_places.csv").open("a", encoding="utf-8") as fh:
        fh.write("broken,Broken Place,,city,XX,,,95.0,10.0,,,made up for the test\n")
    monkeypatch.setenv("GEO_DATA_SOURCES", str(folder))
    monkeypatch.setenv("GEO_CACHE_DIR", str(cache))
    assert cli_main(["gazetteer", "build"]) == 1
    err = capsys.readouterr().err
    assert "curated_places.csv:" in err and "lat/lon out of range" in err and "Traceback" not in err
    assert (cache / "gazetteer.sqlite").read_bytes() == b"the index built before"
