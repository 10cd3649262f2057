"""`python -m geo` runs the same command line as the `geo` console script."""

import sys

from geo.cli import main

sys.exit(main())
