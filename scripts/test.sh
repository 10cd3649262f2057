#!/usr/bin/env bash
# Installs what the tests need (test extras; Debian's chromium when absent and we are root)
# and runs every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS=test scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    else
        echo "scripts/test.sh: /usr/bin/chromium is missing and we are not root; browser tests will be skipped" >&2
    fi
fi
exec .venv/bin/python -m pytest "$@"
