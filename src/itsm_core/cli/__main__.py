"""``python -m itsm_core.cli``: the same as the ``itsm-core`` command."""

import sys

from itsm_core.cli._main import main

sys.exit(main())
