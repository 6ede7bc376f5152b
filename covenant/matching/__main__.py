"""`python -m covenant.matching match|fit|evaluate` (see `covenant.matching.cli`)."""

import sys

from covenant.matching.cli import main

sys.exit(main())
