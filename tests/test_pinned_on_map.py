"""An analyst's pin shows on the map: the place heading and each re-placed source say so."""

from __future__ import annotations

from map_fixture import build

from dashboard.mapview import marker_rows
from dashboard.markup import pinned_badge, popup_sources, source_line
from geo.cli import main
from geo.filters import Filters
from geo.views import Views


def places(data_dir):
    with Views.open(data_dir) as views:
        return {p.name: p for p in views.places(Filters())}


def test_pinned_place_is_marked_in_popup_and_sources(tmp_path, capsys):
    data_dir = build(tmp_path / "data")
    before = places(data_dir)
    assert not before["Tbilisi"].pinned and pinned_badge(before["Tbilisi"]) == ""
    assert [len(row) for row in marker_rows([before["Tbilisi"]], {})] == [10]  # no pinned flag (row[10])

    assert main(["pin", "Tbilisi", "41.7151", "44.8271", "--note", "city centre, Freedom Square", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()

    after = places(data_dir)
    pinned = next(p for p in after.values() if p.pinned)
    assert pinned.name == "Tbilisi" and ">pinned</span>" in pinned_badge(pinned)
    assert [row[10] for row in marker_rows([pinned], {})] == [1]
    with Views.open(data_dir) as views:
        cards = views.evidence(pinned.place_id, Filters())
    assert cards and all(">pinned</span>" in source_line(vars(card)) for card in cards)
    assert ">pinned</span>" in popup_sources(cards, pinned.n_articles, pinned.place_id, "http://app/", {})
    assert not any(p.pinned for name, p in after.items() if name != "Tbilisi")


def test_online_answers_are_told_apart_from_gazetteer_ones():
    mention = {"article_id": "a", "title": "T", "published": "2024-01-01", "kind": "place", "source": "geocoder:nominatim"}
    assert "online: nominatim" in source_line(mention)
    assert "online" not in source_line({**mention, "source": "gazetteer"})
