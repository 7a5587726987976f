"""The service desk layer (application layer) over the pure domain: I/O only through ports.

Projections: read models fed from the event log in batches, each committed with its
checkpoint (:class:`Subscription`, :func:`catch_up`), kept behind the
:class:`ProjectionStore` port (:class:`InMemoryProjectionStore` here,
``itsm_core.adapters.sqlite.SqliteProjectionStore`` on disk). The built-in ticket read model
(:class:`TicketProjection`) answers worklists (:class:`Worklists`), lookups
(:class:`TicketLookup`), the complaint archive (:class:`ComplaintArchive`) and the SLA
schedule (:class:`SlaSchedule`) without reading the events again.

TEMPORARY: this file exports the projection names only; the lead merges it with the command
side's ``__init__``.
"""

from itsm_core.desk._archive import ComplaintArchive
from itsm_core.desk._lookup import TicketLookup
from itsm_core.desk._memory_store import InMemoryProjectionStore
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
    "CatchUpResult",
    "ComplaintArchive",
    "Deadline",
    "InMemoryProjectionStore",
    "Projection",
    "ProjectionRow",
    "ProjectionStore",
    "RowHit",
    "RowQuery",
    "SlaSchedule",
    "Subscription",
    "TicketEntry",
    "TicketLookup",
    "TicketProjection",
    "Worklist",
    "Worklists",
    "catch_up",
    "check_commit",
    "check_projection_name",
    "check_query",
    "check_row_keys",
    "rebuild",
]
