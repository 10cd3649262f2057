"""Geocoder settings from the command line, the environment or a config file.

Later sources win: config file < environment < command line. The config file is the first
of `$GEO_CONFIG`, `./geo.toml`, `$XDG_CONFIG_HOME/geo/config.toml` (default
`~/.config/geo/config.toml`) that exists; its `[geocoder]` table uses the field names
of `GeocoderSettings`. Environment variables are `GEO_GEOCODER` (the service) and
`GEO_GEOCODER_<FIELD>` (e.g. `GEO_GEOCODER_URL`, `GEO_GEOCODER_TIMEOUT_S`).
Online geocoding stays off unless one of them names a service.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OFF = "none"


class SettingsError(ValueError):
    """A setting that cannot be used; the message names where it came from."""


@dataclass(frozen=True)
class GeocoderSettings:
    service: str
    #: base URL of the instance (self-hosted Nominatim, Photon, Pelias); None: the public one
    url: str | None = None
    api_key: str | None = None
    #: an e-mail or URL put in the user agent, as Nominatim's policy asks of heavy users
    contact: str | None = None
    timeout_s: float = 5.0
    #: least seconds between requests; None: the service's own policy (Nominatim: 1)
    min_delay_s: float | None = None
    #: extra attempts after a 429 or 5xx answer, waiting backoff_s, 2*backoff_s, ... between
    retries: int = 2
    backoff_s: float = 1.0
    max_backoff_s: float = 10.0
    #: consecutive failed requests after which the service is not asked again for reopen_after_s
    failures_to_open: int = 3
    reopen_after_s: float = 120.0
    #: answers kept per name (the first is chosen, the others are its runners-up)
    limit: int = 3


FIELDS = {f.name: f for f in dataclasses.fields(GeocoderSettings)}


def config_path(env: Mapping[str, str] = os.environ, cwd: Path | None = None) -> Path | None:
    if env.get("GEO_CONFIG"):
        return Path(env["GEO_CONFIG"])
    config_home = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")).expanduser() / ".config")
    for path in ((cwd or Path.cwd()) / "geo.toml", config_home / "geo" / "config.toml"):
        if path.is_file():
            return path
    return None


def load_settings(
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
    cwd: Path | None = None,
) -> GeocoderSettings | None:
    """The settings in force, or None when online geocoding is off."""
    values: dict[str, Any] = {}
    path = config_path(env, cwd)
    if path is not None:
        values.update(_from_file(path))
    for name in FIELDS:
        key = "GEO_GEOCODER" if name == "service" else f"GEO_GEOCODER_{name.upper()}"
        if env.get(key):
            values[name] = _typed(name, env[key], f"environment variable {key}")
    values.update({k: v for k, v in (cli or {}).items() if v is not None})
    service = values.get("service")
    if not service or str(service).lower() == OFF:
        return None
    values["service"] = str(service).lower()
    return GeocoderSettings(**values)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("geocoder", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SettingsError(f"{path}: cannot read config: {err}") from None
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [geocoder] must be a table")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise SettingsError(f"{path}: unknown [geocoder] key(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    return {name: _typed(name, value, f"{path}: [geocoder] {name}") for name, value in table.items()}


def _typed(name: str, value: Any, where: str) -> Any:
    kind = FIELDS[name].type
    try:
        if "float" in kind:
            return float(value)
        if "int" in kind:
            return int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{where}: {value!r} is not a number") from None
    return str(value)
