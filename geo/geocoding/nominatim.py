"""Nominatim (OpenStreetMap): the public instance or your own (`--geocoder-url`)."""

from __future__ import annotations

from typing import Any, ClassVar

from geopy.geocoders import Nominatim as GeopyNominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding.services import Service
from geo.records import Place


class Nominatim(Service):
    name: ClassVar[str] = "nominatim"
    default_url: ClassVar[str | None] = "https://nominatim.openstreetmap.org"
    # https://operations.osmfoundation.org/policies/nominatim/: at most one request a second
    min_delay_s: ClassVar[float] = 1.0

    @classmethod
    def build(cls, *, scheme: str, domain: str, api_key: str | None, common: dict[str, Any]) -> Geocoder:
        return GeopyNominatim(scheme=scheme, domain=domain, **common)

    def search(self, query: str) -> list[Location]:
        # addressdetails carries the country code the map needs
        return self.geocoder.geocode(query, exactly_one=False, limit=self.limit, addressdetails=True) or []

    def to_place(self, location: Location) -> Place:
        raw = location.raw
        address = raw.get("address") or {}
        osm = f"{raw['osm_type']}/{raw['osm_id']}" if raw.get("osm_type") else str(raw["place_id"])
        return self.place(
            location, key=osm, name=raw.get("name"), country_code=address.get("country_code"),
            kind=raw.get("addresstype") or raw.get("type"),
        )
