"""The port read models are kept behind: rows and a checkpoint, committed together."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from itsm_core.desk._rows import ProjectionRow, RowHit, RowQuery


class ProjectionStore(Protocol):
    """Read models (sets of rows by key) and, for each, the position in the event log it has
    seen: its checkpoint. Any class with these methods is one; nothing to inherit.

    Rules every implementation keeps (``itsm_core.testing.ProjectionStoreContract`` checks
    each):

    * ``commit`` writes the rows, deletes the keys and moves the checkpoint from ``after`` to
      ``position`` in one transaction: all of it or none. When the checkpoint is not at
      ``after`` (another runner moved it), it raises
      :class:`~itsm_core.errors.VersionConflict` and writes nothing. So a runner that
      crashes between reading events and committing replays them, and two runners cannot
      both apply the same events.
    * a read model never committed has checkpoint 0 and no rows; read models are separate
      (a name sees only its own rows).
    * ``rows`` returns the stored rows of the keys asked for (absent keys are left out),
      equal to what was committed (the ``data`` text unchanged, ``instants`` in UTC).
    * ``select`` finds rows by :class:`RowQuery` (every term; an instant of the slot in the
      range, earliest first; key order without a slot), ``count`` counts them (ignoring
      ``limit``).
    * ``reset`` drops a read model's rows and checkpoint (to rebuild it from the start).
    """

    def position(self, name: str) -> int:
        """The checkpoint of read model ``name``: the last event position it has applied."""
        ...

    def rows(self, name: str, keys: Iterable[str]) -> dict[str, ProjectionRow]:
        """The stored rows of ``keys`` (those that exist), by key."""
        ...

    def commit(
        self,
        name: str,
        *,
        after: int,
        position: int,
        upserts: Sequence[ProjectionRow] = (),
        deletes: Collection[str] = (),
    ) -> None:
        """Write ``upserts``, delete ``deletes`` and move the checkpoint from ``after`` to
        ``position``, atomically; VersionConflict (nothing written) when the checkpoint is
        not at ``after``."""
        ...

    def select(self, name: str, query: RowQuery) -> tuple[RowHit, ...]:
        """The rows ``query`` finds, in its order."""
        ...

    def count(self, name: str, query: RowQuery) -> int:
        """How many rows ``query`` finds (its ``limit`` ignored)."""
        ...

    def reset(self, name: str) -> None:
        """Drop every row of ``name`` and its checkpoint."""
        ...
