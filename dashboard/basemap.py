"""Country outlines to draw under the markers, so the map has a basemap with no tile server.

The outlines come from the `countryinfo` package (MIT), which ships each country's shape as
GeoJSON at roughly Natural Earth 1:110m detail (173 countries; micro-states are points at
this scale anyway). Coordinates are rounded to 0.01° (about 1 km), which halves the bytes sent
to the browser without a visible change at world or continent zoom.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

PRECISION = 2


def _round(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], PRECISION), round(coords[1], PRECISION)]
    return [_round(c) for c in coords]


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, Any], dict[str, str]]:
    features, names = [], {}
    for path in sorted(files("countryinfo").joinpath("data").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        code = (record.get("ISO") or {}).get("alpha2")
        if code and record.get("name"):
            names[code] = record["name"]
        for feature in (record.get("geoJSON") or {}).get("features") or []:
            geometry = feature.get("geometry")
            if geometry and geometry.get("coordinates"):
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"name": record.get("name"), "iso_a2": code},
                        "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
                    }
                )
    return {"type": "FeatureCollection", "features": features}, names


def outlines() -> dict[str, Any]:
    """A FeatureCollection of country polygons (shared, do not modify)."""
    return _countries()[0]


def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code → English short name, for filter labels."""
    return _countries()[1]
