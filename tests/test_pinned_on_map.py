"""An analyst's pin shows on the map: the place heading and each re-placed source say so."""

from __future__ import annotations

from map_fixture import build

from dashboard.markup import popup_html, source_line
from geo.cli import main
from geo.export import place_features
from geo.store import Store


def features(data_dir):
    with Store(data_dir) as store:
        return {f["properties"]["name"]: f["properties"] for f in place_features(store.mentions(), store.articles())}


def test_pinned_place_is_marked_in_popup_and_sources(tmp_path, capsys):
    data_dir = build(tmp_path / "data")
    before = features(data_dir)
    assert not before["Tbilisi"]["pinned"]
    assert "pinned" not in popup_html(before["Tbilisi"], "http://app/", {})

    assert main(["pin", "Tbilisi", "41.7151", "44.8271", "--note", "city centre, Freedom Square", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()

    after = features(data_dir)
    pinned = next(p for p in after.values() if p["pinned"])
    assert pinned["name"] == "Tbilisi"
    assert ">pinned</span>" in popup_html(pinned, "http://app/", {})
    assert all(">pinned</span>" in source_line(m) for m in pinned["mentions"])
    assert not any(p["pinned"] for name, p in after.items() if name != "Tbilisi")


def test_online_answers_are_told_apart_from_gazetteer_ones():
    mention = {"article_id": "a", "title": "T", "published": "2024-01-01", "kind": "place", "source": "geocoder:nominatim"}
    assert "online: nominatim" in source_line(mention)
    assert "online" not in source_line({**mention, "source": "gazetteer"})
