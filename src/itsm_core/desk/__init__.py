"""The service desk: the application layer over the pure domain, I/O only through ports.

:class:`ServiceDesk` is built from an event store, the SLA policies and calendars, a priority
policy, an access policy and an id generator. Each ticket command is one call,
:meth:`ServiceDesk.execute`: it loads the ticket (read and replay), checks the actor may do it,
decides, appends the events with the version it read and their metadata (event id, recorded
time, correlation and causation ids), retries a bounded number of times when another writer
was first, and returns a :class:`CommandOutcome`: the events, the ticket, and the SLA clocks and
actions due now. An idempotency key makes a repeated delivery append nothing and return the
first outcome. The caller passes ``now``; ids come from the generator it injects.

Logging goes through the standard :mod:`logging` module, under ``itsm_core.desk``.
"""

from itsm_core.desk._desk import ServiceDesk
from itsm_core.desk._outcome import CommandOutcome

__all__ = ["CommandOutcome", "ServiceDesk"]
