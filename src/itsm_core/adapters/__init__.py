"""Adapters: readers of other tools' exports (and, later, storage). The only place with I/O.

* :mod:`itsm_core.adapters.servicenow`: the ServiceNow incident audit-log CSV.
"""

__all__: list[str] = []
