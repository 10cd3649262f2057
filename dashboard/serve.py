"""The dashboard as a web app: Streamlit's own ASGI app (st.App) running dashboard/app.py, its
responses compressed.

Streamlit sends its own scripts (about 3 MB, the bulk of a first page load) uncompressed:
behind a production proxy the proxy compresses them. An analyst opening the map from a
laptop or a shared box has no proxy, so this app compresses what Streamlit leaves plain
(Starlette's GZipMiddleware leaves alone what is already compressed: fonts, images, the
responses Streamlit compresses itself). `python -m dashboard` runs this with `streamlit
run`, which finds `app` here and serves it with uvicorn under the usual --server options.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

PAGE = Path(__file__).resolve().with_name("app.py")
# Level 6 takes Streamlit's eight largest scripts from 2.7 MB to 0.7 MB; each browser fetches
# them once (they are content-hashed and cached for a year).
COMPRESS_LEVEL = 6

app = st.App(PAGE, middleware=[Middleware(GZipMiddleware, minimum_size=1000, compresslevel=COMPRESS_LEVEL)])
