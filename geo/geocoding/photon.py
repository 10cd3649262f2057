"""Photon (komoot's OpenStreetMap search, also self-hostable): answers in GeoJSON at /api."""

from __future__ import annotations

from typing import Any, ClassVar

from geopy.geocoders import Photon as GeopyPhoton
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding.services import Service
from geo.records import Place

OSM_TYPES = {"N": "node", "W": "way", "R": "relation"}


class Photon(Service):
    name: ClassVar[str] = "photon"
    default_url: ClassVar[str | None] = "https://photon.komoot.io"
    # komoot asks for fair use without a figure; one a second keeps us well inside it
    min_delay_s: ClassVar[float] = 1.0

    @classmethod
    def build(cls, *, scheme: str, domain: str, api_key: str | None, common: dict[str, Any]) -> Geocoder:
        return GeopyPhoton(scheme=scheme, domain=domain, **common)

    def search(self, query: str) -> list[Location]:
        return self.geocoder.geocode(query, exactly_one=False, limit=self.limit) or []

    def to_place(self, location: Location) -> Place:
        props = location.raw["properties"]
        osm_type = OSM_TYPES.get(props.get("osm_type", ""), props.get("osm_type", "osm"))
        return self.place(
            location, key=f"{osm_type}/{props['osm_id']}", name=props.get("name"),
            country_code=props.get("countrycode"), kind=props.get("type") or props.get("osm_value"),
        )
