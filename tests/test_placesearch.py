"""Place search: any name the gazetteer knows (alternate names, diacritics folded), the
store's places first with their mention counts, and `?place=` by id or by name."""

from __future__ import annotations

import pytest
from map_fixture import KYIV, build

from geo.gazetteer.index import Gazetteer
from geo.pins import Pin
from geo.placesearch import PlaceSearch
from geo.records import Place
from geo.store import Store


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


@pytest.fixture
def search(tmp_path, gazetteer):
    build(tmp_path)
    with Store(tmp_path) as store:
        store.add_pin(Pin("Okefenokee", 30.7, -82.3, feature="physical"))
        store.cache_answer("nominatim", "Lake Houston",
                           [Place("nominatim:way/42", "Lake Houston", 29.95, -95.13, "US", "water")], "http://127.0.0.1")
        store.cache_answer("nominatim", "Nowhere Creek", [], "http://127.0.0.1")
        # a mention placed by that pin, as `geo pin` leaves it
        with store.transaction() as conn:
            conn.execute(
                "UPDATE mentions SET place_id='pinned:okefenokee', place_name='Okefenokee', lat=30.7, lon=-82.3,"
                " country_code=NULL, feature='physical', source='pinned' WHERE article_id='tbilisi-undated'"
            )
    with Store(tmp_path, readonly=True) as reader:
        yield PlaceSearch(reader, gazetteer)


def test_an_alternate_spelling_finds_the_stored_place_first_with_its_count(search):
    found = search.search("Kiev")
    assert found[0].place_id == KYIV.place_id
    assert found[0].mentions == 2
    assert found[0].matched == "Kiev"
    assert found[0].display_name == "Kyiv, Ukraine"
    assert all(m.mentions == 0 for m in found[1:])  # the rest are gazetteer places only


def test_diacritics_are_folded_and_namesakes_read_apart(search):
    found = search.search("sao paulo")
    assert found and all(m.name == "São Paulo" for m in found[:2])
    assert "São Paulo (state), Brazil" in {m.display_name for m in found}
    assert {m.country_code for m in found[:2]} == {"BR"}
    first = found[0]
    assert -90 <= first.lat <= 90 and -180 <= first.lon <= 180 and first.feature


def test_a_name_start_finds_names_and_whole_names_rank_first(search):
    found = search.search("Springf")
    assert found and all(m.name.startswith("Springf") for m in found)
    assert any(m.display_name == "Springfield, Illinois, United States" for m in found)
    georgia = search.search("Georgia")
    assert [m.display_name for m in georgia[:2]] == ["Georgia", "Georgia (state), United States"]


def test_pinned_places_outside_the_gazetteer_are_found_by_their_stored_name(search):
    found = search.search("okefen")
    assert found[0].place_id == "pinned:okefenokee" and found[0].mentions == 1


def test_places_an_online_geocoder_found_are_searchable_too(search):
    found = search.search("lake hous")
    assert found[0].place_id == "nominatim:way/42" and found[0].display_name == "Lake Houston (water), United States"


def test_nothing_found_is_an_empty_list(search):
    assert search.search("Qzxwv Nowhere") == []
    assert search.search("  ") == []


def test_place_param_by_id_by_name_and_unknown(search):
    by_id = search.resolve(KYIV.place_id)
    assert by_id.match and by_id.match.place_id == KYIV.place_id and by_id.note is None
    gazetteer_only = search.resolve("geonames:4250542")
    assert gazetteer_only.match and gazetteer_only.match.name == "Springfield"
    by_name = search.resolve("kiev")
    assert by_name.match and by_name.match.place_id == KYIV.place_id
    assert "Kyiv, Ukraine" in by_name.note and not by_name.own_name  # an alternate spelling: the page says so
    assert search.resolve("Georgia").match.country_code == "GE"
    assert search.resolve("Georgia").own_name  # its own name: the page need not remark on it
    in_us = search.resolve("Georgia", country="US")
    assert in_us.match.display_name == "Georgia (state), United States" and "1 other place(s)" in in_us.note
    unknown = search.resolve("Atlantis-on-Sea")
    assert unknown.match is None and "no place has the id or the name 'Atlantis-on-Sea'" in unknown.note


def test_search_works_without_a_store(gazetteer):
    found = PlaceSearch(None, gazetteer).search("Kyiv")
    assert found and found[0].country_code == "UA" and found[0].mentions == 0
