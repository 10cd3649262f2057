"""`python -m dashboard [streamlit options]`: start the map with its own scripts served.

Copies the map's scripts out of the installed packages and writes the basemap's files first, then runs Streamlit with
static serving on, responses and websocket messages compressed (dashboard/serve.py), usage statistics off and no
online look-ups, whatever directory it is started from.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli as streamlit_cli

from dashboard import assets, basemap

SERVER = Path(__file__).resolve().parent / "serve.py"  # the page, dashboard/app.py, served compressed


def main(argv: list[str] | None = None) -> int:
    assets.ensure_static()
    basemap.ensure_layers()
    sys.argv = [
        "streamlit", "run", str(SERVER),
        "--server.enableStaticServing=true",
        "--server.enableWebsocketCompression=true",  # the map's marker rows compress about 4:1
        "--browser.gatherUsageStats=false",
        "--browser.serverAddress=localhost",  # no online look-up of an external IP at start
        "--client.toolbarMode=viewer",
        *(sys.argv[1:] if argv is None else argv),
    ]  # fmt: skip
    return streamlit_cli.main()


if __name__ == "__main__":
    sys.exit(main())
