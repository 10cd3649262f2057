"""Online geocoding (opt-in): what the offline gazetteer cannot place, asked of a geopy service.

`--geocoder NAME` picks a service; every module of this package defining a `Service`
subclass adds one, so the import loop below is the whole registry.
"""

from __future__ import annotations

import importlib
import pkgutil

from geo.geocoding.client import GeocoderClient, LookupFailed, user_agent
from geo.geocoding.services import Service
from geo.geocoding.settings import GeocoderSettings, SettingsError, load_settings

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

SERVICES = Service.registry

__all__ = [
    "SERVICES", "GeocoderClient", "GeocoderSettings", "LookupFailed", "Service", "SettingsError",
    "load_settings", "user_agent",
]
