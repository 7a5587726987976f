"""Projections: read models fed from the event log in batches, each batch committed with its
checkpoint, so a crash loses nothing and counts nothing twice.

A :class:`Projection` is a fold keyed by row: it says which row an event changes (``key``),
how the row changes (``apply``) and how its state is written to and read from a
:class:`~itsm_core.desk.ProjectionRow` (``dump``, ``load``). A :class:`Subscription` feeds it::

    checkpoint p ──read_all(after=p, limit=batch)──▶ events ──apply, key by key──▶ changed rows
         ▲                                                                              │
         └──────────── commit(after=p, position=last event, upserts, deletes) ◀─────────┘
                       (one transaction: the rows and the checkpoint move together)

A runner killed between reading and committing has committed nothing: the next one reads the
same events again from the same checkpoint. Two runners on the same read model cannot both
commit the same events: the second commit finds the checkpoint moved and is refused
(:class:`~itsm_core.errors.VersionConflict`); the runner then drops what it held and goes on
from the new checkpoint.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Generic, Protocol, TypeVar

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import shown
from itsm_core.desk._projection_store import ProjectionStore
from itsm_core.desk._rows import ProjectionRow
from itsm_core.errors import Problem, ValidationError, VersionConflict
from itsm_core.repositories import EventStore, RecordedEvent

E = TypeVar("E")
S = TypeVar("S")

logger = logging.getLogger("itsm_core.desk")


class Projection(Protocol[E, S]):
    """A read model: a fold of recorded events into rows keyed by id.

    ``S`` is the state of one row while folding (a ticket, a counter...). The runner keeps the
    states of the rows a batch touches, applies the batch's events to them in log order, and
    commits the rows whose state changed. Every method must be deterministic: the same rows and
    events give the same result, so a batch replayed after a crash gives what the lost run
    would have committed.
    """

    @property
    def name(self) -> str:
        """The read model's name in the projection store."""
        ...

    def key(self, recorded: RecordedEvent[E]) -> str | None:
        """The key of the row ``recorded`` changes; None when it concerns no row."""
        ...

    def load(self, row: ProjectionRow, events: EventStore[E]) -> S:
        """The state of a stored ``row``, to continue its fold (``events`` is the event store,
        for a projection whose state is more than its row holds)."""
        ...

    def apply(self, state: S | None, recorded: RecordedEvent[E]) -> S | None:
        """The state after ``recorded`` (``state`` None: the row does not exist yet); None
        deletes the row. Returning ``state`` itself means "unchanged"."""
        ...

    def dump(self, key: str, state: S) -> ProjectionRow:
        """The row that stores ``state`` under ``key``."""
        ...


@attrs.frozen
class CatchUpResult:
    """What a catch-up did: the read model, its checkpoint before (``start``) and after
    (``position``), the events read and the batches committed."""

    name: str
    start: int
    position: int
    events: int
    batches: int


class Subscription(Generic[E, S]):
    """Feeds one projection from an event store, batch by batch, into a projection store.

    Args:
        events: the event store (its global log, ``read_all``, is what is read).
        projection: the read model.
        store: where its rows and checkpoint live.
        batch: events read and committed at once.
        cache: states of recently changed rows kept between batches (and between calls of
            :meth:`catch_up`), so a row touched by many batches is loaded once. They are kept
            only while this subscription is the one moving the checkpoint.

    A subscription is not thread-safe: give each thread its own (they may share the stores).
    """

    def __init__(
        self,
        events: EventStore[E],
        projection: Projection[E, S],
        store: ProjectionStore,
        *,
        batch: int = 500,
        cache: int = 10_000,
    ) -> None:
        problems: list[Problem] = []
        for label, value, minimum in (("batch", batch, 1), ("cache", cache, 0)):
            if not (is_int(value) and value >= minimum):
                problems.append(
                    Problem(label, f"expected an integer >= {minimum}, got {shown(value)}")
                )
        if problems:
            raise ValidationError("Subscription", problems)
        self.events = events
        self.projection = projection
        self.store = store
        self.batch = batch
        self.cache = cache
        self._states: OrderedDict[str, S] = OrderedDict()
        self._cached_at: int | None = None  # the checkpoint the cached states stand at

    def catch_up(self, *, max_batches: int | None = None) -> CatchUpResult:
        """Apply every event after the checkpoint (at most ``max_batches`` batches)."""
        if max_batches is not None and not (is_int(max_batches) and max_batches >= 1):
            raise ValidationError(
                "catch_up",
                [Problem("max_batches", f"expected an integer >= 1, got {shown(max_batches)}")],
            )
        name = self.projection.name
        start = self.store.position(name)
        events = batches = 0
        while max_batches is None or batches < max_batches:
            applied = self.step()
            if applied == 0:
                break
            events += applied
            batches += 1
        return CatchUpResult(name, start, self.store.position(name), events, batches)

    def step(self) -> int:
        """Read, apply and commit one batch; the number of events it held (0: caught up).

        When another runner moved the checkpoint meanwhile, nothing is committed, the cached
        states are dropped and the batch is read again from the new checkpoint.
        """
        while True:
            applied = self._step()
            if applied is not None:
                return applied

    def _step(self) -> int | None:
        """One batch; None when the commit found the checkpoint moved."""
        projection, name = self.projection, self.projection.name
        after = self.store.position(name)
        if after != self._cached_at:
            self._forget()
            self._cached_at = after
        recorded = self.events.read_all(after=after, limit=self.batch)
        if not recorded:
            return 0
        keys = [projection.key(entry) for entry in recorded]
        before: dict[str, S | None] = {}
        missing = []
        for key in dict.fromkeys(key for key in keys if key is not None):
            if key in self._states:
                before[key] = self._states[key]
            else:
                missing.append(key)
        stored = self.store.rows(name, missing) if missing else {}
        for key in missing:
            row = stored.get(key)
            before[key] = None if row is None else projection.load(row, self.events)
        states = dict(before)
        for changed, entry in zip(keys, recorded, strict=True):
            if changed is not None:
                try:
                    states[changed] = projection.apply(states[changed], entry)
                except Exception as exc:
                    exc.add_note(
                        f"while projecting {name!r}: event at position {entry.position} "
                        f"(stream {entry.stream!r}, version {entry.version})"
                    )
                    raise
        upserts = [
            projection.dump(key, state)
            for key, state in states.items()
            if state is not None and state is not before[key]
        ]
        deletes = [
            key for key, state in states.items() if state is None and before[key] is not None
        ]
        position = recorded[-1].position
        try:
            self.store.commit(
                name, after=after, position=position, upserts=upserts, deletes=deletes
            )
        except VersionConflict as conflict:
            logger.info("projection %r: %s; reading again", name, conflict)
            self._forget()
            return None
        logger.debug(
            "projection %r: %d events to position %d, %d rows written, %d deleted",
            name,
            len(recorded),
            position,
            len(upserts),
            len(deletes),
        )
        self._remember(states, position)
        return len(recorded)

    def _remember(self, states: dict[str, S | None], position: int) -> None:
        cached = self._states
        for key, state in states.items():
            if state is None:
                cached.pop(key, None)
            elif self.cache:
                cached[key] = state
                cached.move_to_end(key)
        while len(cached) > self.cache:
            cached.popitem(last=False)
        self._cached_at = position

    def _forget(self) -> None:
        self._states.clear()
        self._cached_at = None


def catch_up(
    events: EventStore[E],
    projection: Projection[E, S],
    store: ProjectionStore,
    *,
    batch: int = 500,
    max_batches: int | None = None,
) -> CatchUpResult:
    """Bring ``projection`` up to date in ``store`` from ``events``: a one-off
    :class:`Subscription` (keep a subscription instead to keep its cache between calls)."""
    return Subscription(events, projection, store, batch=batch).catch_up(max_batches=max_batches)


def rebuild(
    events: EventStore[E],
    projection: Projection[E, S],
    store: ProjectionStore,
    *,
    batch: int = 500,
) -> CatchUpResult:
    """Drop the read model and build it again from the first event: after a change of what
    the projection computes (new SLA policies, another calendar)."""
    store.reset(projection.name)
    return catch_up(events, projection, store, batch=batch)
