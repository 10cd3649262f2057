"""Asking an online geocoder safely: paced, bounded in time, retried, and cut off when dead.

Layers, innermost first, each from a library made for it:
- geopy's `RateLimiter` paces every request (Nominatim's policy: one a second);
- each request has a timeout, and geopy turns transport and HTTP trouble into its errors;
- pybreaker's `CircuitBreaker` counts consecutive failed requests and, after
  `failures_to_open`, answers at once without asking, so a dead service costs a few
  requests' worth of time instead of one timeout per name for the whole run;
- tenacity retries 429 and 5xx answers with exponential back-off (honouring Retry-After).
Every failure becomes a `LookupFailed` whose message is the reason stored with the mention.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import pybreaker
from geopy.adapters import AdapterHTTPError, RequestsAdapter
from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable
from geopy.extra.rate_limiter import RateLimiter
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

import geo
from geo.geocoding.services import Service
from geo.geocoding.settings import GeocoderSettings, SettingsError
from geo.records import Place


class LookupFailed(Exception):
    """The service could not answer; str() is the reason kept with the mention."""


def user_agent(contact: str | None) -> str:
    """Names the project (and the operator, if given), as Nominatim's usage policy requires."""
    version = getattr(geo, "__version__", "0.1.0")
    return f"newsgeo/{version} (news geoparsing dashboard" + (f"; {contact})" if contact else ")")


class GeocoderClient:
    """Looks names up in one service; `search` returns places best first or raises LookupFailed."""

    def __init__(self, settings: GeocoderSettings) -> None:
        if settings.service not in Service.registry:
            known = ", ".join(sorted(Service.registry))
            raise SettingsError(f"unknown geocoder {settings.service!r}; choose one of: {known}")
        service_cls = Service.registry[settings.service]
        url = settings.url or service_cls.default_url
        if url is None:
            raise SettingsError(f"geocoder {settings.service!r} has no public instance; give its address with --geocoder-url")
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"geocoder URL {url!r} is not an http(s) address")
        self.settings = settings
        self.name = settings.service
        self.url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        geocoder = service_cls.build(
            scheme=parts.scheme,
            domain=parts.netloc + parts.path.rstrip("/"),
            api_key=settings.api_key,
            common={
                "user_agent": user_agent(settings.contact),
                "timeout": settings.timeout_s,
                # our own retries and breaker decide; the HTTP layer must not retry behind them
                "adapter_factory": functools.partial(RequestsAdapter, max_retries=0),
            },
        )
        self.service = service_cls(geocoder, settings.limit)
        delay = settings.min_delay_s if settings.min_delay_s is not None else service_cls.min_delay_s
        self._paced = RateLimiter(
            self.service.search, min_delay_seconds=delay, error_wait_seconds=delay,
            max_retries=0, swallow_exceptions=False,
        )
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=settings.failures_to_open,
            reset_timeout=settings.reopen_after_s,
            throw_new_error_on_trip=False,
        )

    def search(self, query: str) -> list[Place]:
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=self._wait,
            reraise=True,
        )
        try:
            locations = retrying(self.breaker.call, self._ask, query)
        except pybreaker.CircuitBreakerError:
            raise LookupFailed(
                f"not asked: {self.name} failed {self.settings.failures_to_open} times in a row "
                f"(circuit open for {self.settings.reopen_after_s:g}s)"
            ) from None
        except Exception as err:  # noqa: BLE001 - every failure becomes a stored reason
            raise LookupFailed(self._describe(err, retrying.statistics.get("attempt_number", 1))) from err
        return locations

    def _ask(self, query: str) -> list[Place]:
        """One paced request, answers read into places (a malformed answer fails here, inside the breaker)."""
        return [self.service.to_place(location) for location in self._paced(query)]

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            return min(float(retry_after), self.settings.max_backoff_s)
        return min(self.settings.backoff_s * 2 ** (state.attempt_number - 1), self.settings.max_backoff_s)

    def _describe(self, err: Exception, attempts: int) -> str:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        status = _status(err)
        if status == 429:
            return f"rate-limited by {self.name} (HTTP 429){tries}"
        if status is not None:
            return f"{self.name} answered HTTP {status}{tries}"
        if isinstance(err, GeocoderTimedOut):
            return f"no answer from {self.name} within {self.settings.timeout_s:g}s"
        if isinstance(err, GeocoderUnavailable):
            return f"{self.name} unreachable at {self.url} ({_short(str(err))})"
        if isinstance(err, GeocoderParseError):
            return f"malformed answer from {self.name} (not JSON)"
        return f"malformed answer from {self.name} ({type(err).__name__}: {_short(str(err))})"


def _status(err: BaseException) -> int | None:
    cause = err.__cause__
    return cause.status_code if isinstance(cause, AdapterHTTPError) else None


def _transient(err: BaseException) -> bool:
    """429 and 5xx may pass; anything else (refused, timeout, 4xx, garbage) will not improve by asking again."""
    status = _status(err)
    return isinstance(err, GeocoderRateLimited) or (status is not None and status >= 500)


_ERRNO = re.compile(r"\[Errno -?\d+\][^'\")]*")


def _short(message: str) -> str:
    """The telling part of a transport error ("[Errno 111] Connection refused"), not the whole repr."""
    found = _ERRNO.search(message)
    return (found.group(0) if found else message)[:120].strip()
