#!/usr/bin/env bash
# Shared set-up for scripts/test.sh and scripts/dashboard.sh; safe to run any number of times.
# Creates .venv, installs the project into it (again only when pyproject.toml changed),
# compiles the offline gazetteer index and writes the offline basemap's files (quick when up to date).
# EXTRAS names the optional dependency groups to install (e.g. EXTRAS=test).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${EXTRAS:-none}"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --editable ".${EXTRAS:+[$EXTRAS]}"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
.venv/bin/geo gazetteer build
.venv/bin/python -m dashboard.basemap
