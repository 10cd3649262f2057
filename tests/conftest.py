"""Fixtures shared across the suite."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def geoparser():
    """The real geoparser (spaCy model + compiled gazetteer), loaded once per test run."""
    from geo.geoparser import Geoparser

    return Geoparser.load()
