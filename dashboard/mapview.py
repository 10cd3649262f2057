"""The folium map: country outlines under clustered place markers, every asset same-origin.

Markers go through folium's FastMarkerCluster: one JSON array of compact rows and one small
JS callback, instead of a JS object per marker, and circle markers drawn on a canvas
(`prefer_canvas`), so tens of thousands of places stay quick and the page's weight grows by
tens of bytes a place. A row holds only what draws the marker, its tooltip and its popup's
header (coordinates, radius, colour, name, country, counts, id); the popup is put together
when it opens. Excerpts travel only for the places with most articles (`sources`), the
rest name the side panel, which lists every article of the clicked place. Every string in a
row is escaped in Python (dashboard/markup.py); the callback only joins and inserts them.
The map tells the app what was clicked the moment it is (MAP_EVENTS): a marker sends its
place id, for the side panel; a popup's "Read article" its article, for the in-app reader,
the same step the panel's button takes. A legend in the corner says what the colours, the
grey clusters and the sizes mean, and the first view is fitted to where most of the
reporting is (`core_bounds`), not to every outlier. The map (`build_map`) is the same for
every view, so the browser keeps it across reruns; a view's markers, fit and focus
(`view_layer`) are swapped into it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from folium.elements import Element, MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from dashboard import assets, basemap
from dashboard.markup import KIND_COLOUR, PINNED_BADGE, STYLE, esc
from geo.views import PlaceSummary

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = "&copy; OpenStreetMap contributors"

SEA = "#dbe7f0"

COLOURS = list(KIND_COLOUR.values())
# What the map sends the app, as the component's value, the moment it happens (streamlit-folium's
# own values are turned off: it sends them 250 ms after the last map event, and they name a
# marker only by its tooltip). `at` tells two clicks on the same thing apart.
MAP_EVENTS = """
    var send = function (value) {
        value.at = Date.now();
        window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
            dataType: "json", value: value}, "*");
    };"""
# row: [lat, lon, radius, colour index, name, country, articles, mentions, outlets, place id,
#       pinned (0|1), sources (escaped HTML, or "" when the panel lists them)]; the last two
#       are left out at their defaults
# One `send` for every marker: the callback is made once, the function it returns once per row.
MARKER_CALLBACK = """(function () {%(events)s
  return function (row) {
    var counted = function (n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); };
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: row[2], color: "#ffffff", weight: 1, fillColor: %(colours)s[row[3]], fillOpacity: 0.85
    });
    marker.bindTooltip(row[4] + (row[5] ? ", " + row[5] : "") + " \u00b7 " + counted(row[6], "article"));
    marker.on("click", function () { send({place: row[9]}); });
    marker.bindPopup(function () {
        var content = document.createElement("div");
        content.className = "geo-popup";
        content.innerHTML = "<h4>" + row[4] + (row[5] ? " \u00b7 " + row[5] : "") + (row[10] ? %(pinned)s : "")
            + "</h4><div class='geo-count'>" + counted(row[7], "mention") + " in " + counted(row[6], "article")
            + " \u00b7 " + counted(row[8], "outlet") + "</div>"
            + (row[11] || "<div class='geo-meta'>The panel beside the map lists "
                + (row[6] === 1 ? "its article" : "its " + row[6] + " articles") + ".</div>")
            + "<div class='geo-id'>" + row[9] + "</div>";
        content.addEventListener("click", function (event) {
            var link = event.target.closest("a.geo-read");
            if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
            event.preventDefault();
            send({read: {article: link.dataset.article, mention: Number(link.dataset.mention)}});
        });
        return content;
    }, {maxWidth: 360, maxHeight: 360, autoPanPadding: [20, 20]});
    marker.geoPlaceId = row[9];
    return marker;
  };
})()""" % {"events": MAP_EVENTS, "colours": json.dumps(COLOURS), "pinned": json.dumps(PINNED_BADGE)}


# Clusters in greys, darker as they hold more places, so that no cluster reads as a kind of
# mention (markercluster's own green, yellow and orange did: orange is "metonym").
CLUSTER_GREYS = {"small": ("#cbd5e1", "#94a3b8", "#0f172a"), "medium": ("#94a3b8", "#64748b", "#ffffff"),
                 "large": ("#64748b", "#334155", "#ffffff")}  # fmt: skip
CLUSTER_STYLE = "".join(
    f".leaflet-container .marker-cluster-{size}{{background-color:{ring}b3}}"
    f".leaflet-container .marker-cluster-{size} div{{background-color:{core}e6;color:{text}}}"
    for size, (ring, core, text) in CLUSTER_GREYS.items()
)
# From this zoom on (a town's scale) markers are drawn apart, never clustered: markercluster
# builds its clusters for every zoom the map allows (to 18), and the levels past a town's scale
# took a third of the time to draw 10,000 places (0.8 s to 0.5 s in Chromium on 2 cores).
UNCLUSTERED_FROM_ZOOM = 12
# A marker's radius, px: one article gets the smallest, the view's most reported place (or
# SCALE_FLOOR articles, when none has as many) the largest, on a log scale, so a corpus where
# hundreds of places have thousands of articles still tells them apart (with a fixed cap
# every one of them drew at the largest size).
SMALLEST_RADIUS, LARGEST_RADIUS = 6, 22
SCALE_FLOOR = 25
LEGEND_STYLE = """
.geo-legend-map{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;font:12px/1.5 system-ui,sans-serif;
    color:#1f2937;box-shadow:0 1px 3px rgba(0,0,0,.25)}
.geo-legend-map summary{font-weight:600;cursor:pointer}
.geo-legend-map .row{display:flex;align-items:center;gap:6px;white-space:nowrap}
.geo-legend-map .dot{display:inline-block;border-radius:50%;border:1px solid #fff;box-shadow:0 0 0 1px #cbd5e1}
.geo-legend-map .sizes{display:flex;align-items:center;gap:6px;margin-top:3px}
.geo-legend-map .sizes span{display:flex;align-items:center;gap:2px;font-size:11px}
"""


def _script_json(value: Any, **dumps: Any) -> str:
    """`value` as JSON to write into a <script>, as Jinja's tojson: no <, > or & survives,
    whatever an article put in it, so nothing can close the script or open a tag."""
    return json.dumps(value, **dumps).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def legend_html() -> str:
    """The map's key (folds away): what a marker's colour, a grey cluster and a marker's size mean."""
    colours = [
        ("place", "named as a place"), ("metonym", "only as a metonym (“Moscow said”)"),
        ("demonym", "only as a demonym (“Russian”)"),
    ]  # fmt: skip
    rows = "".join(
        f"<div class='row geo-legend-{kind}'><span class='dot' style='width:12px;height:12px;background:{KIND_COLOUR[kind]}'>"
        f"</span>{words}</div>"
        for kind, words in colours
    )
    ring, core, _ = CLUSTER_GREYS["medium"]
    cluster = (
        f"<div class='row geo-legend-cluster'><span class='dot' style='width:14px;height:14px;background:{core};"
        f"box-shadow:0 0 0 3px {ring}'></span>places close together (zoom in)</div>"
    )
    return (
        f"<details open><summary>Legend</summary>{rows}{cluster}<div class='sizes'>{legend_sizes(SCALE_FLOOR)}</div>"
        "</details>"
    )


def legend_sizes(top: int) -> str:
    """The legend's marker sizes for a view whose most reported place has `top` articles: one
    article, a round number near the middle of the scale, and the top, rounded down."""
    top = max(top, SCALE_FLOOR)
    shown = sorted({1, _round_down(math.isqrt(top)), _round_down(top)})
    dots = "".join(
        f"<span><i class='dot' style='width:{2 * marker_radius(n, top)}px;height:{2 * marker_radius(n, top)}px;"
        f"background:{KIND_COLOUR['place']}'></i>{_compact(n)}</span>"
        for n in shown
    )
    return f"size, articles: {dots}"


def _round_down(n: int) -> int:
    """`n` to its first two digits (57,021 → 57,000): a legend's number, never above `n`."""
    unit = 10 ** max(len(str(n)) - 2, 0)
    return n // unit * unit


def _compact(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n / 1e3:g}k" if n >= 10_000 else f"{n:,}"


class Legend(MacroElement):
    """The key to the markers, in the map's corner (our own words and colours only)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "geo-legend-map");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);  // folding it is not a click on the map
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html())


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


class FocusPlace(MacroElement):
    """Brings one place into view: its marker (found by id among the cluster's) outlined in
    black, its cluster opened and its popup shown; a place with no marker in the view (a
    gazetteer place nobody mentions, or one the filters leave out) is centred instead.
    It sits in the view's layer (ViewLayer), after the markers; the layer's parent is the map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }}, cluster = {{ this.cluster.get_name() }};
            var target = null;
            cluster.eachLayer(function (marker) { if (marker.geoPlaceId === {{ this.place_id_json }}) { target = marker; } });
            if (!target) { map.setView({{ this.location_json }}, 6); return; }
            target.setStyle({color: "#111827", weight: 3});
            // once the view has moved the cluster has drawn the marker (or still holds it in a
            // cluster, which zoomToShowLayer then opens); canvas markers have no icon to wait on
            var open = function () {
                if (target._map) { target.openPopup(); }
                else { cluster.zoomToShowLayer(target, function () { target.openPopup(); }); }
            };
            map.once("moveend", function () { setTimeout(open, 50); });
            map.setView(target.getLatLng(), Math.max(map.getZoom(), 6));
        })();
        {% endmacro %}"""
    )

    def __init__(self, cluster: FastMarkerCluster, place_id: str, location: tuple[float, float]) -> None:
        super().__init__()
        self._name = "FocusPlace"
        self.cluster = cluster
        # the id as the marker row holds it (escaped), as a JS string with no </script> in it
        self.place_id_json = _script_json(esc(place_id))
        self.location_json = json.dumps([round(location[0], 4), round(location[1], 4)])


def marker_radius(n_articles: int, top: int) -> float:
    """The radius for `n_articles` in a view whose most reported place has `top` (see SCALE_FLOOR)."""
    share = math.log(max(n_articles, 1)) / math.log(max(top, SCALE_FLOOR))
    return round(SMALLEST_RADIUS + (LARGEST_RADIUS - SMALLEST_RADIUS) * min(share, 1.0), 1)


def marker_colour(kinds: Sequence[str]) -> int:
    """Index into COLOURS: literal places blue; a place only ever used as a metonym (or demonym) takes that colour."""
    return COLOURS.index(KIND_COLOUR["place" if "place" in kinds else kinds[0]])


Bounds = tuple[tuple[float, float], tuple[float, float]]

# Places that are areas, not points: their centre (mid-Atlantic, the middle of Asia) says
# little about where the reporting is, so the first view is fitted without them.
BROAD_FEATURES = frozenset({"continent", "water", "region", "physical"})
# The first view leaves out this share of the articles' weight on each side, north, south,
# east and west: a few far places (an Arctic station, a Pacific island) no longer stretch it.
FIT_TRIM = 0.05


@dataclass(frozen=True)
class Markers:
    """The marker rows serialised once per view (a rerun re-encodes nothing), the box the
    first view is fitted to (`core_bounds`), a digest of both, which tells the browser
    whether the markers it draws are new (then the map is fitted to them) or the ones it has,
    and the most articles any of them has, the top of their size scale (and of the legend's)."""

    json: str
    bounds: Bounds | None
    digest: str
    top: int

    @classmethod
    def of(cls, places: Sequence[PlaceSummary], sources: Mapping[str, str]) -> Markers:
        top = max((p.n_articles for p in places), default=1)
        text = _script_json(marker_rows(places, sources, top), ensure_ascii=False, separators=(",", ":"))
        bounds = core_bounds(places)
        return cls(text, bounds, hashlib.sha1(f"{text}{bounds}".encode()).hexdigest()[:16], top)


def core_bounds(places: Sequence[PlaceSummary]) -> Bounds | None:
    """The box around most of the reporting: points (not broad areas, unless there is nothing
    else), each weighed by its articles, with FIT_TRIM of the weight cut off each side. With a
    few places nothing is cut (the outermost place holds more than FIT_TRIM of the weight)."""
    points = [p for p in places if p.feature not in BROAD_FEATURES] or list(places)
    if not points:
        return None
    lats = _trimmed([(p.lat, p.n_articles) for p in points])
    lons = _trimmed([(p.lon, p.n_articles) for p in points])
    return (lats[0], lons[0]), (lats[1], lons[1])


def _trimmed(values: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """(low, high) of weighted values once FIT_TRIM of the weight is cut off each end."""
    ordered = sorted(values)
    total = sum(max(w, 1) for _, w in ordered)
    low = high = None
    seen = 0.0
    for value, weight in ordered:
        seen += max(weight, 1)
        if low is None and seen >= FIT_TRIM * total:
            low = value
        if seen >= (1 - FIT_TRIM) * total:
            high = value
            break
    return low, high


class RawScript(Element):
    """Script text put in the page as it is, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class PlaceMarkers(FastMarkerCluster):
    """FastMarkerCluster fed with rows already serialised (Markers.json)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}

                var data = {{ this.rows_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                // on the map first: off it, addLayers checks each marker against every one
                // queued before it; on it, the markers are clustered in one pass
                cluster.addTo({{ this._parent.get_name() }});
                cluster.addLayers(data.map(callback));
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, markers: Markers, callback: str, **options: Any) -> None:
        super().__init__([], callback=callback, **options)
        self.rows_json = markers.json

    def render(self, **kwargs: Any) -> None:
        """As folium renders, but the script with the rows goes into the page as text: folium
        compiles each element's rendered script as a Jinja template, and a megabyte of rows
        took a third of a second to compile, on every rerun (streamlit-folium renders twice)."""
        rows, self.rows_json = self.rows_json, "[]"
        try:
            super().render(**kwargs)
        finally:
            self.rows_json = rows
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(RawScript(script), name=self.get_name())


def marker_rows(places: Sequence[PlaceSummary], sources: Mapping[str, str], top: int = SCALE_FLOOR) -> list[list[Any]]:
    """One compact row per place, sized on the scale that tops at `top` articles; `sources` maps
    a place id to its popup's escaped excerpts. Trailing fields left at their defaults (not
    pinned, no excerpts) are left out."""
    rows = []
    for p in places:
        row = [
            round(p.lat, 4), round(p.lon, 4), marker_radius(p.n_articles, top), marker_colour(p.kinds),
            esc(p.name), esc(p.country_code), p.n_articles, p.n_mentions, p.n_outlets, esc(p.place_id),
            int(p.pinned), sources.get(p.place_id, ""),
        ]  # fmt: skip
        while len(row) > 10 and not row[-1]:
            row.pop()
        rows.append(row)
    return rows


def build_map(*, online_tiles: bool = False, base_url_path: str = "") -> folium.Map:
    """The map without its markers: basemap, legend and the scripts the markers need. It is the
    same whatever the filters, so streamlit-folium keeps its frame across reruns and swaps only
    the markers (view_layer), instead of loading Leaflet, the basemap and the tiles again."""
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
    # Only what this map uses, all served by the app itself (markercluster's among them, as the
    # markers arrive after the page has loaded its scripts).
    m.default_js = assets.js_links(base_url_path)
    m.default_css = assets.css_links(base_url_path)
    m.get_root().header.add_child(
        Element(f"<style>{STYLE}{CLUSTER_STYLE}{LEGEND_STYLE}.leaflet-container{{background:{SEA}}}</style>"),
        name="geo_style",
    )
    if online_tiles:
        tiles = folium.TileLayer(TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", max_zoom=19)
        tiles.add_to(m)
        m.add_child(TileErrorNotice(tiles))
    basemap.add_basemap(m, base_url_path, online_tiles)
    m.add_child(Legend())
    return m


class ViewLayer(folium.FeatureGroup):
    """The part of the map a view changes, handed to st_folium as `feature_group_to_add`: the
    browser replaces it in the map it has. On the map as soon as it exists, so that its
    markers are clustered in one pass (see PlaceMarkers); new markers (a new digest) fit the
    map to most of them first, so they are clustered once, at the fitted zoom, while a rerun
    that only drops the focus leaves the map where the user took it."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup().addTo({{ this._parent.get_name() }});
        (function () {
            var map = {{ this._parent.get_name() }};
            var sizes = map.getContainer().querySelector(".geo-legend-map .sizes");
            if (sizes) { sizes.innerHTML = {{ this.sizes_json }}; }  // the legend's scale is the view's
            if (map.geoMarkers === {{ this.digest_json }}) { return; }
            map.geoMarkers = {{ this.digest_json }};
            {% if this.bounds_json %}map.fitBounds({{ this.bounds_json }}, {padding: [30, 30], maxZoom: 6});{% endif %}
        })();
        {% endmacro %}"""
    )

    def __init__(self, markers: Markers) -> None:
        super().__init__(name="Places", control=False)  # its variable keeps folium's name, which streamlit-folium adds
        self.digest_json = json.dumps(markers.digest)
        self.sizes_json = _script_json(legend_sizes(markers.top))
        self.bounds_json = json.dumps([list(corner) for corner in markers.bounds]) if markers.bounds else ""


def view_layer(markers: Markers, focus: tuple[str, float, float] | None = None) -> ViewLayer:
    """`markers` (Markers.of(…)) clustered, the map fitted to most of them when they are new,
    or brought to `focus` (place id, lat, lon) with that place's popup open."""
    layer = ViewLayer(markers)
    cluster = PlaceMarkers(
        markers,
        callback=MARKER_CALLBACK,
        name="Places",
        showCoverageOnHover=False,
        maxClusterRadius=40,
        spiderfyOnMaxZoom=True,
        disableClusteringAtZoom=UNCLUSTERED_FROM_ZOOM,
    )
    cluster.default_js = cluster.default_css = []  # build_map's, loaded with the page
    cluster.add_to(layer)
    if focus:
        layer.add_child(FocusPlace(cluster, focus[0], (focus[1], focus[2])))
    return layer
