"""Pelias (the open-source geocoder behind geocode.earth), usually self-hosted.

A self-hosted Pelias needs no API key, which makes it the third keyless choice after
Nominatim and Photon; give its address with `--geocoder-url`. The public geocode.earth
instance works too with `api_key` set in the config file or `GEO_GEOCODER_API_KEY`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from geopy.geocoders import Pelias as GeopyPelias
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding.services import Service
from geo.records import Place


class Pelias(Service):
    name: ClassVar[str] = "pelias"
    default_url: ClassVar[str | None] = None
    # a self-hosted instance sets its own pace; ten a second is gentle on a small server
    min_delay_s: ClassVar[float] = 0.1

    @classmethod
    def build(cls, *, scheme: str, domain: str, api_key: str | None, common: dict[str, Any]) -> Geocoder:
        return GeopyPelias(scheme=scheme, domain=domain, api_key=api_key, **common)

    def to_place(self, location: Location) -> Place:
        props = location.raw["properties"]
        return self.place(
            location, key=props["gid"], name=props.get("name"), country_code=props.get("country_code"),
            kind=props.get("layer"),
        )
