"""The folium map: country outlines under clustered place markers, every asset same-origin.

Markers go through folium's FastMarkerCluster: one JSON array of rows and one small JS
callback, instead of a JS object per marker, and circle markers drawn on a canvas
(`prefer_canvas`), so thousands of places stay quick. The callback uses only Leaflet and
markercluster, both served by the app (dashboard/assets.py). Popup and tooltip strings are
built and escaped in Python (dashboard/markup.py); the callback only inserts them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
from folium.elements import Element, MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from dashboard import assets, basemap
from dashboard.markup import KIND_COLOUR, STYLE, esc, place_label, popup_html

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = "&copy; OpenStreetMap contributors"
OUTLINES_ATTRIBUTION = "Country outlines: Natural Earth via countryinfo"

SEA = "#dbe7f0"
LAND = "#f7f4ec"
BORDER = "#a8a29e"

# row: [lat, lon, radius, colour, tooltip (escaped text), popup (escaped HTML)]
MARKER_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: row[2], color: "#ffffff", weight: 1, fillColor: row[3], fillOpacity: 0.85
    });
    marker.bindTooltip(row[4]);
    var content = document.createElement("div");
    content.innerHTML = row[5];
    marker.bindPopup(content, {maxWidth: 360, maxHeight: 360, autoPanPadding: [20, 20]});
    return marker;
}"""


class TileErrorNotice(MacroElement):
    """Tells the user, on the map, when online tiles fail; the outlines below still show."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var shown = false;
            {{ this.tiles.get_name() }}.on("tileerror", function () {
                if (shown) { return; }
                shown = true;
                var notice = L.control({position: "bottomleft"});
                notice.onAdd = function () {
                    var div = L.DomUtil.create("div", "geo-tile-notice");
                    div.textContent = "Online map tiles could not load; showing the offline country outlines.";
                    return div;
                };
                notice.addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}"""
    )

    def __init__(self, tiles: folium.TileLayer) -> None:
        super().__init__()
        self._name = "TileErrorNotice"
        self.tiles = tiles


def marker_radius(n_articles: int) -> float:
    """Area grows with the number of articles; 6 px for one, capped at 22 px."""
    return round(min(6 + 4 * math.sqrt(max(n_articles, 1) - 1), 22), 1)


def marker_colour(kinds: Sequence[str]) -> str:
    """Literal places blue; a place only ever used as a metonym (or demonym) takes that colour."""
    return KIND_COLOUR["place" if "place" in kinds else kinds[0]]


def marker_rows(
    features: Sequence[Mapping[str, Any]], app_url: str, base_params: Mapping[str, Any]
) -> list[list[Any]]:
    rows = []
    for feature in features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        rows.append(
            [
                lat,
                lon,
                marker_radius(props["n_articles"]),
                marker_colour(props["kinds"]),
                esc(place_label(props)),
                popup_html(props, app_url, base_params),
            ]
        )
    return rows


def build_map(
    features: Sequence[Mapping[str, Any]],
    *,
    app_url: str = "/",
    base_params: Mapping[str, Any] | None = None,
    online_tiles: bool = False,
    base_url_path: str = "",
) -> folium.Map:
    """A map of `features` (from geo.export.place_features), fitted to them."""
    m = folium.Map(
        location=[20, 0],
        zoom_start=2,
        min_zoom=1,
        maxZoom=18,  # Leaflet needs it to fit bounds; with no tile layer nobody else sets it
        tiles=None,
        prefer_canvas=True,
        world_copy_jump=True,
        control_scale=True,
    )
    # Only what this map uses, all served by the app itself.
    m.default_js = assets.js_links(base_url_path)
    m.default_css = assets.css_links(base_url_path)[:1]
    m.get_root().header.add_child(
        Element(f"<style>{STYLE}.leaflet-container{{background:{SEA}}}</style>"), name="geo_style"
    )
    if online_tiles:
        tiles = folium.TileLayer(TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", max_zoom=19)
        tiles.add_to(m)
        m.add_child(TileErrorNotice(tiles))
    basemap.add_basemap(m, base_url_path, online_tiles)
    cluster = FastMarkerCluster(
        marker_rows(features, app_url, base_params or {}),
        callback=MARKER_CALLBACK,
        name="Places",
        showCoverageOnHover=False,
        maxClusterRadius=40,
        spiderfyOnMaxZoom=True,
    )
    cluster.default_js = assets.js_links(base_url_path)[1:]
    cluster.default_css = assets.css_links(base_url_path)[1:]
    cluster.add_to(m)
    if features:
        lats = [f["geometry"]["coordinates"][1] for f in features]
        lons = [f["geometry"]["coordinates"][0] for f in features]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=6)
    return m


def _outline_style(online_tiles: bool):
    fill_opacity = 0.25 if online_tiles else 1.0

    def style(_feature: Mapping[str, Any]) -> dict[str, Any]:
        return {"color": BORDER, "weight": 0.7, "fillColor": LAND, "fillOpacity": fill_opacity}

    return style
