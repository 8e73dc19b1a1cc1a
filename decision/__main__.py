"""``python -m decision``: see :mod:`decision.cli`."""

import sys

from .cli import main

sys.exit(main())
