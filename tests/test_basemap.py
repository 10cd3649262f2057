"""The offline basemap's files: written once, each modest, complete enough to read a map by,
and put on the map as fetched files rather than inlined in the page."""

from __future__ import annotations

import json

import folium

from dashboard import basemap

MODEST = 500_000  # bytes: no single basemap file should cost more than this to fetch


def test_files_are_written_once_and_each_is_modest():
    folder = basemap.ensure_layers()
    stamp = (folder / "fingerprint.txt").stat().st_mtime_ns
    assert basemap.ensure_layers() == folder and (folder / "fingerprint.txt").stat().st_mtime_ns == stamp
    sizes = {path.name: path.stat().st_size for path in folder.rglob("*.json")}
    assert max(sizes.values()) < MODEST, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    assert sizes["world.json"] + sizes["country-labels.json"] < 600_000  # what every page load fetches


def test_world_outlines_country_labels_and_cities():
    folder = basemap.ensure_layers()
    world = json.loads((folder / "world.json").read_text())
    codes = {f["properties"]["iso_a2"] for f in world["features"]}
    assert len(world["features"]) > 200 and {"FR", "NO", "UA", "KR", "US", "BR"} <= codes
    labels = {row[0]: row for row in json.loads((folder / "country-labels.json").read_text())}
    assert labels["China"][3] < labels["Luxembourg"][3]  # big countries are named first
    cities = json.loads((folder / "city-labels.json").read_text())
    assert cities[0][3] >= cities[-1][3] >= basemap.CITY_MIN_POPULATION
    assert "Seoul" in {c[0] for c in cities}


def test_the_index_lets_a_view_fetch_only_nearby_countries():
    folder = basemap.ensure_layers()
    index = {row[0]: set(row[1]) for row in json.loads((folder / "countries/index.json").read_text())}
    seoul_cell = int((37.5 + 90) // basemap.CELL) * (360 // basemap.CELL) + int((127 + 180) // basemap.CELL)
    near_seoul = {file for file, cells in index.items() if seoul_cell in cells}
    assert "countries/KOR.json" in near_seoul
    assert "countries/USA.json" not in near_seoul and "countries/FRA.json" not in near_seoul


def test_the_map_page_links_the_files_and_inlines_none():
    m = folium.Map(tiles=None)
    basemap.add_basemap(m, "news", online_tiles=False)
    page = m.get_root().render()
    assert '"base": "/news/app/static/vendor/basemap/"' in page
    assert "textContent" in page and "innerHTML" not in page  # names are shown as text
    assert len(page) < 50_000
