"""The one distance the project uses: great-circle kilometres on geopy's mean Earth radius.

Evaluation scores with it, and the resolver weighs nearness with it; keeping one home means
a point judged "within 161 km" by the scorer is the same distance the resolver saw.
"""

from __future__ import annotations

from functools import lru_cache

from geopy.distance import great_circle


@lru_cache(maxsize=65536)
def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points. Cached: the resolver asks
    the same pairs in every coherence round, and one geopy call costs some 30 us."""
    return great_circle(a, b).km
