"""The service desk: the application layer over the pure domain, I/O only through ports.

:class:`ServiceDesk` is built from an event store, the SLA policies and calendars, a priority
policy, an access policy and an id generator. Each ticket command is one call,
:meth:`ServiceDesk.execute`: it loads the ticket (read and replay), checks the actor may do it,
decides, appends the events with the version it read and their metadata (event id, recorded
time, correlation and causation ids), retries a bounded number of times when another writer
was first, and returns a :class:`CommandOutcome`: the events, the ticket, and the SLA clocks and
actions due now. An idempotency key makes a repeated delivery append nothing and return the
first outcome. The caller passes ``now``; ids come from the generator it injects.

Projections: read models fed from the event log in batches, each committed with its
checkpoint (:class:`Subscription`, :func:`catch_up`), kept behind the
:class:`ProjectionStore` port (:class:`InMemoryProjectionStore` here,
``itsm_core.adapters.sqlite.SqliteProjectionStore`` on disk). The built-in ticket read model
(:class:`TicketProjection`) answers worklists (:class:`Worklists`), lookups
(:class:`TicketLookup`), the complaint archive (:class:`ComplaintArchive`) and the SLA
schedule (:class:`SlaSchedule`) without reading the events again. The call read model
(:class:`CallProjection`) keeps one row per hotline call; :class:`CallLog` gives the calls
offered in a range and their KPIs per interval.

Outbox: the customer notifications (:mod:`itsm_core.communications`) wait in an
:class:`Outbox` (:class:`InMemoryOutbox` here, SQLite and PostgreSQL in the adapters), fed
from the event log by an :class:`OutboxFeed` (messages and checkpoint committed together) and
drained by senders that claim messages under a lease: none is lost, and with the message's
key passed to the gateway, none is delivered twice.

The customer profile read
model (:class:`CustomerProfileProjection`, asked through :class:`CustomerProfiles`) gives each
customer's tickets, SLA record, satisfaction history, complaints and churn risk, and the
follow-up visits due; :class:`FollowUpDesk` runs follow-up commands as :class:`ServiceDesk`
runs ticket commands.

Any other kernel aggregate runs through an :class:`AggregateDesk` with the same guarantees
(the same code runs the service desk): expected version, retries, idempotency keys, metadata,
the access policy (actions ``<aggregate>.<command>``) and logging. :func:`call_desk`,
:func:`activation_desk` and :func:`drill_desk` are ready-made for hotline calls, emergency
activations and drills; :class:`FollowUpDesk` is built on one.

Logging goes through the standard :mod:`logging` module, under ``itsm_core.desk``.
"""

from itsm_core.desk._aggregate_desk import (
    AggregateDesk,
    AggregateOutcome,
    activation_desk,
    call_desk,
    drill_desk,
)
from itsm_core.desk._archive import ComplaintArchive
from itsm_core.desk._call_view import CallLog, CallProjection
from itsm_core.desk._customer_profile import (
    CustomerProfile,
    CustomerProfileProjection,
    CustomerProfiles,
    SatisfactionEntry,
    SlaRecord,
)
from itsm_core.desk._desk import ServiceDesk
from itsm_core.desk._follow_up_desk import FollowUpDesk, FollowUpResult
from itsm_core.desk._lookup import TicketLookup
from itsm_core.desk._memory_outbox import InMemoryOutbox
from itsm_core.desk._memory_store import InMemoryProjectionStore
from itsm_core.desk._outbox import (
    Outbox,
    OutboxEntry,
    OutboxStatus,
    check_outbox_claim,
    check_outbox_failure,
    check_outbox_key,
    check_outbox_messages,
    check_outbox_record,
    check_outbox_status,
)
from itsm_core.desk._outbox_feed import Derive, OutboxFeed
from itsm_core.desk._outcome import CommandOutcome
from itsm_core.desk._projection_store import ProjectionStore
from itsm_core.desk._projections import (
    CatchUpResult,
    Projection,
    Subscription,
    catch_up,
    rebuild,
)
from itsm_core.desk._rows import (
    ProjectionRow,
    RowHit,
    RowQuery,
    check_commit,
    check_projection_name,
    check_query,
    check_row_keys,
)
from itsm_core.desk._schedule import SlaSchedule
from itsm_core.desk._ticket_view import Deadline, TicketEntry, TicketProjection
from itsm_core.desk._worklists import Worklist, Worklists

__all__ = [
    "AggregateDesk",
    "AggregateOutcome",
    "CallLog",
    "CallProjection",
    "CatchUpResult",
    "CommandOutcome",
    "ComplaintArchive",
    "CustomerProfile",
    "CustomerProfileProjection",
    "CustomerProfiles",
    "Deadline",
    "Derive",
    "FollowUpDesk",
    "FollowUpResult",
    "InMemoryOutbox",
    "InMemoryProjectionStore",
    "Outbox",
    "OutboxEntry",
    "OutboxFeed",
    "OutboxStatus",
    "Projection",
    "ProjectionRow",
    "ProjectionStore",
    "RowHit",
    "RowQuery",
    "SatisfactionEntry",
    "ServiceDesk",
    "SlaRecord",
    "SlaSchedule",
    "Subscription",
    "TicketEntry",
    "TicketLookup",
    "TicketProjection",
    "Worklist",
    "Worklists",
    "activation_desk",
    "call_desk",
    "catch_up",
    "check_commit",
    "check_outbox_claim",
    "check_outbox_failure",
    "check_outbox_key",
    "check_outbox_messages",
    "check_outbox_record",
    "check_outbox_status",
    "check_projection_name",
    "check_query",
    "check_row_keys",
    "drill_desk",
    "rebuild",
]
