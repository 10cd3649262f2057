"""Online geocoding services, one small class each, behind one interface.

Each class names its service, says where the public instance lives and how often it may
be asked (its usage policy), builds the geopy geocoder, and turns one geopy answer into a
`Place`. Adding a service means adding one class here in its own module of this package:
`Service.__init_subclass__` registers it under its `name`, and `geo.geocoding` imports
every module of the package, so `--geocoder NAME` finds it without further wiring.
"""

from __future__ import annotations

from typing import Any, ClassVar

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.records import Place

# The geocoders' own place types, mapped onto the coarse feature classes the gazetteer uses
# (continent, region, country, admin1, admin2, city, landmark), so the map treats a geocoded
# place like any other. Anything not listed is a "landmark".
FEATURE_BY_TYPE = {
    "continent": "continent",
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "admin1",
    "macroregion": "region",
    "county": "admin2",
    "macrocounty": "admin2",
    "state_district": "admin2",
    "district": "admin2",
    "municipality": "city",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "suburb": "city",
    "borough": "city",
    "locality": "city",
    "localadmin": "city",
    "neighbourhood": "city",
    "quarter": "city",
}


def feature_for(kind: str | None) -> str:
    return FEATURE_BY_TYPE.get((kind or "").lower(), "landmark")


class Service:
    """One online geocoder: how to build its geopy client and read its answers."""

    name: ClassVar[str]
    #: host and path of the public instance, or None when there is none to use without a key
    default_url: ClassVar[str | None]
    #: the least time between two requests that the service's usage policy allows
    min_delay_s: ClassVar[float]
    registry: ClassVar[dict[str, type[Service]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Service.registry[cls.name] = cls

    def __init__(self, geocoder: Geocoder, limit: int) -> None:
        self.geocoder = geocoder
        self.limit = limit

    @classmethod
    def build(cls, *, scheme: str, domain: str, api_key: str | None, common: dict[str, Any]) -> Geocoder:
        """The geopy geocoder for this service; `common` holds user_agent, timeout, adapter_factory."""
        raise NotImplementedError

    def search(self, query: str) -> list[Location]:
        """Up to `limit` answers for a bare place name, best first (may raise geopy errors)."""
        return (self.geocoder.geocode(query, exactly_one=False) or [])[: self.limit]

    def to_place(self, location: Location) -> Place:
        raise NotImplementedError

    def place(
        self, location: Location, *, key: str, name: str | None, country_code: str | None, kind: str | None
    ) -> Place:
        """The `Place` for one answer, from the fields each service spells its own way: `key` is
        the service's id for it, a missing name falls back to the address's first part, and
        `kind` is mapped onto the gazetteer's feature classes."""
        return Place(
            place_id=f"{self.name}:{key}",
            name=name or location.address.split(",")[0],
            lat=location.latitude,
            lon=location.longitude,
            country_code=(country_code or "").upper() or None,
            feature=feature_for(kind),
            source=f"geocoder:{self.name}",
        )

