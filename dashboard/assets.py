"""The scripts and stylesheets the map needs, copied out of installed packages and served by the app.

folium points every script at a CDN and streamlit-folium loads them one after another, so a
single unreachable file leaves the page without a map. Instead, the files come from registry
packages the set-up installs (Leaflet 1.9.4 from django-js-lib-leaflet, Leaflet.markercluster
from xstatic-leaflet-markercluster), are copied at start-up into `dashboard/static/vendor/`
(git-ignored, rebuilt when missing or changed), and Streamlit serves that folder at
`/app/static/` (`server.enableStaticServing`). jQuery, Bootstrap, Font Awesome and
awesome-markers, which folium also asks for, are not needed by this map and not loaded.
"""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR = "vendor"


@dataclass(frozen=True)
class Bundle:
    """Files of one installed package: `files` are paths inside `folder` of `module`'s directory."""

    module: str
    folder: str
    files: tuple[str, ...]
    target: str

    def source_dir(self) -> Path:
        spec = importlib.util.find_spec(self.module)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(
                f"package for {self.module!r} is not installed; run `pip install -e .` "
                "(the map's scripts come from it)"
            )
        return Path(next(iter(spec.submodule_search_locations))) / self.folder


BUNDLES = (
    Bundle(
        "js_lib_leaflet",
        "static/js_lib_leaflet",
        (
            "leaflet.js",
            "leaflet.css",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
        "leaflet",
    ),
    Bundle(
        "xstatic.pkg.leaflet_markercluster",
        "data",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
        "markercluster",
    ),
)

# (name, file) pairs in the order the page must load them: Leaflet before its plugin.
JS = (("leaflet", "leaflet/leaflet.js"), ("markerclusterjs", "markercluster/leaflet.markercluster.js"))
CSS = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("markerclustercss", "markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css"),
)


def ensure_static(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy every bundled file into `static_dir/vendor/` unless an identical copy is there."""
    written = []
    for bundle in BUNDLES:
        source = bundle.source_dir()
        for name in bundle.files:
            src, dst = source / name, static_dir / VENDOR / bundle.target / name
            if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.read_bytes() == src.read_bytes():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_suffix(dst.suffix + ".tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(dst)  # atomic: a page loading meanwhile never sees half a file
            written.append(dst)
    return written


def static_url(path: str, base_url_path: str = "") -> str:
    """Same-origin URL of a vendored file, under Streamlit's optional server.baseUrlPath."""
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return f"{base}/app/static/{VENDOR}/{path}"


def js_links(base_url_path: str = "") -> list[tuple[str, str]]:
    return [(name, static_url(path, base_url_path)) for name, path in JS]


def css_links(base_url_path: str = "") -> list[tuple[str, str]]:
    return [(name, static_url(path, base_url_path)) for name, path in CSS]
