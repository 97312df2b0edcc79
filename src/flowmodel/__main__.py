"""``python -m flowmodel`` = the ``flowmodel`` command."""

import sys

from .cli import main

sys.exit(main())
