"""The ``itsm-core`` command line: a thin layer over the public API.

``itsm-core due`` and ``itsm-core elapsed`` compute deadlines and working time on a calendar
file; ``itsm-core replay`` turns another tool's event log into ticket states, SLA results and
the KPI report; ``itsm-core workflow`` prints a built-in workflow. See ``docs/cli.md``.
"""

from itsm_core.cli._main import main

__all__ = ["main"]
