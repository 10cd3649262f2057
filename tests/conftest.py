"""Fixtures shared across the suite."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def geoparser():
    """The real geoparser (spaCy model + compiled gazetteer), loaded once per test run."""
    from geo.geoparser import Geoparser

    return Geoparser.load()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per browser-test module."""
    pytest.importorskip("playwright.sync_api")
    from dashboard_server import chromium

    with chromium() as chromium_browser:
        yield chromium_browser
