"""`python -m sim.validate` is `vliegwiel-validate`."""

import sys

from .cli import main

sys.exit(main())
