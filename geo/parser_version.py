"""The version of the geoparser that resolved a stored article, part of `geo ingest`'s skip key.

An article is skipped only when its content *and* the parser that would resolve it again are
unchanged. The parser is three things: the resolver's code (RESOLVER_VERSION, bumped by hand
whenever recognition or resolution changes what they return), the compiled gazetteer (its
build fingerprint: source package versions, curated rows, builder version) and spaCy's model
(name and installed version). Computing it reads package metadata and the curated files only,
so deciding to skip never loads the model.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata

from geo.gazetteer.build import fingerprint

# Bump when a change to recognition or resolution should re-resolve stored articles.
RESOLVER_VERSION = 4


@cache
def parser_version(model: str | None = None) -> str:
    """'resolver-1 gazetteer-<fingerprint> <model>-<version>'; cached for the process."""
    if model is None:
        from geo.recognition.recognizer import MODEL  # here: it imports spaCy (2 s), which `geo --help` need not

        model = MODEL
    return f"resolver-{RESOLVER_VERSION} gazetteer-{fingerprint()} {model}-{_model_version(model)}"


def _model_version(model: str) -> str:
    try:
        return metadata.version(model)  # the distribution's name, normalised as pip does
    except metadata.PackageNotFoundError:
        return "unknown"  # a model on a path, not a package: its name stands alone
