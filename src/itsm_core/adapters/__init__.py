"""Adapters: readers of other tools' exports, and durable storage. The only place with I/O.

* :mod:`itsm_core.adapters.mapping`: another tool's statuses onto our workflows (``StatusMap``).
* :mod:`itsm_core.adapters.eventlog`: any event log (CSV or JSON Lines) through a mapping file.
* :mod:`itsm_core.adapters.servicenow`: the ServiceNow incident audit-log CSV.
* :mod:`itsm_core.adapters.zendesk`: a Zendesk ticket export (JSON, with audits).
* :mod:`itsm_core.adapters.jira`: a Jira (Service Management) issue CSV and changelog CSV.
* :mod:`itsm_core.adapters.sqlite`: the event store and repositories on SQLite.
* :mod:`itsm_core.adapters.postgresql`: the same on PostgreSQL (the ``postgresql`` extra).
* :mod:`itsm_core.adapters.dask`: KPIs and SLA sweeps over partitioned event logs on Dask
  (the ``dask`` extra).
"""

__all__: list[str] = []
