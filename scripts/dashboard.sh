#!/usr/bin/env bash
# Installs what the dashboard needs, ingests the sample corpus (a no-op when it is
# already stored and unchanged) and opens the dashboard (compressed: dashboard/serve.py).
# Extra arguments go to streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
export GEO_DATA_DIR=${GEO_DATA_DIR:-data}
.venv/bin/geo ingest seeds/ --data-dir "$GEO_DATA_DIR"
exec .venv/bin/python -m dashboard "$@"
