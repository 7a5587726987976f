"""Contract tests any storage adapter subclasses: pass them and you behave like the reference.

Subclass :class:`EventStoreContract`, :class:`RepositoryContract` or
:class:`ArticleRepositoryContract` in a test module whose class name starts with ``Test`` and
implement the factory; pytest collects every inherited test. The suites store itsm_core
tickets, ticket events and knowledge articles, so an adapter must serialise them (the
:class:`~itsm_core.serialization.Serializer` does). For a repository of another value type,
subclass :class:`ValueRepositoryContract` and say how to make sample values.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import attrs
import pytest

from itsm_core.errors import (
    DuplicateAppend,
    DuplicateEventId,
    NotFound,
    RepositoryError,
    ValidationError,
    VersionConflict,
)
from itsm_core.knowledge import Article
from itsm_core.repositories import (
    AppendReceipt,
    EventMetadata,
    EventStore,
    ExpectedVersion,
    Repository,
)
from itsm_core.testing._samples import sample_article, sample_event, sample_events, sample_ticket
from itsm_core.tickets import Comment, Ticket, TicketEvent, replay

#: Threads in the concurrency tests, and appends (or saves) each one makes.
THREADS = 4
WRITES_PER_THREAD = 12

#: Text that is not Unicode: a lone surrogate, which no UTF-8 database or file can hold.
#: Every store refuses it alike, naming where it is (see ``test_text_that_is_not_unicode...``).
NOT_UNICODE = "VPN down \ud800 since 8:00"

T = TypeVar("T")


def _close(store: object) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


def _race(worker: Callable[[int], None], threads: int = THREADS) -> None:
    """Run ``worker(i)`` in ``threads`` threads released together; re-raise the first error."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            worker(index)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]


def _note(event: TicketEvent) -> str:
    comment = event.payload["comment"]
    assert isinstance(comment, Comment)
    return comment.text


class EventStoreContract:
    """The behaviour every :class:`~itsm_core.repositories.EventStore` must have.

    Implement :meth:`make_event_store`; override :meth:`reopen_event_store` when the store
    persists (to prove the data survives a new instance) and :meth:`close_event_store` if
    closing needs more than calling ``close()``.
    """

    def make_event_store(self, tmp_path: Path) -> EventStore[TicketEvent]:
        """A new, empty store (``tmp_path`` is a fresh directory for files)."""
        raise NotImplementedError

    def reopen_event_store(
        self, store: EventStore[TicketEvent], tmp_path: Path
    ) -> EventStore[TicketEvent]:
        """A second instance on the same storage as ``store`` (default: ``store`` itself)."""
        return store

    def close_event_store(self, store: EventStore[TicketEvent]) -> None:
        """Release ``store`` (default: call its ``close()`` if it has one)."""
        _close(store)

    @pytest.fixture
    def contract_event_store(self, tmp_path: Path) -> Iterator[EventStore[TicketEvent]]:
        store = self.make_event_store(tmp_path)
        yield store
        self.close_event_store(store)

    def test_an_unknown_stream_is_empty_at_version_0(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        assert contract_event_store.read("INC-none") == ()
        assert contract_event_store.version("INC-none") == 0
        assert contract_event_store.read_all() == ()
        assert contract_event_store.last_position() == 0

    def test_appended_events_read_back_equal_and_in_order(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        events = sample_events("INC1", 1, 3)
        assert contract_event_store.append("INC1", events, 0) == 3
        assert contract_event_store.read("INC1") == tuple(events)
        assert contract_event_store.version("INC1") == 3
        assert contract_event_store.read("INC1", after=1) == tuple(events[1:])
        assert replay(contract_event_store.read("INC1")).version == 3

    def test_a_stale_append_raises_and_writes_nothing(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        contract_event_store.append("INC1", sample_events("INC1", 1, 2), 0)
        before = contract_event_store.read_all()
        for expected in (0, 1, 3):
            with pytest.raises(VersionConflict) as caught:
                contract_event_store.append("INC1", [sample_event("INC1", expected + 1)], expected)
            assert (caught.value.stream, caught.value.expected, caught.value.actual) == (
                "INC1",
                expected,
                2,
            )
        assert contract_event_store.read_all() == before
        assert contract_event_store.version("INC1") == 2

    def test_an_empty_append_checks_the_version_and_writes_nothing(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        assert contract_event_store.append("INC1", [], 0) == 0
        assert contract_event_store.read_all() == ()
        contract_event_store.append("INC1", [sample_event("INC1", 1)], 0)
        with pytest.raises(VersionConflict):
            contract_event_store.append("INC1", [], 0)

    def test_streams_are_independent(self, contract_event_store: EventStore[TicketEvent]) -> None:
        contract_event_store.append("INC1", sample_events("INC1", 1, 2), 0)
        contract_event_store.append("INC2", sample_events("INC2", 1, 1), 0)
        assert contract_event_store.version("INC1") == 2
        assert contract_event_store.version("INC2") == 1
        assert [e.ticket_id for e in contract_event_store.read("INC2")] == ["INC2"]

    def test_read_all_follows_commit_order_across_streams(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        contract_event_store.append("A", sample_events("A", 1, 2), 0)
        contract_event_store.append("B", sample_events("B", 1, 1), 0)
        contract_event_store.append("A", sample_events("A", 3, 1), 2)
        log = contract_event_store.read_all()
        assert [(r.stream, r.version) for r in log] == [("A", 1), ("A", 2), ("B", 1), ("A", 3)]
        positions = [r.position for r in log]
        assert positions == sorted(set(positions))
        assert positions[0] >= 1
        assert contract_event_store.last_position() == positions[-1]
        assert [r.event for r in log if r.stream == "A"] == list(contract_event_store.read("A"))

    def test_read_all_after_a_position_pages_through_the_log(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        for stream in ("A", "B", "C"):
            contract_event_store.append(stream, sample_events(stream, 1, 2), 0)
        log = contract_event_store.read_all()
        assert contract_event_store.read_all(after=log[2].position) == log[3:]
        assert contract_event_store.read_all(after=log[-1].position) == ()
        pages, position = [], 0
        while page := contract_event_store.read_all(after=position, limit=4):
            pages.append(page)
            position = page[-1].position
        assert [len(p) for p in pages] == [4, 2]
        assert tuple(r for page in pages for r in page) == log

    def test_bad_arguments_are_refused_before_anything_is_written(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        with pytest.raises(ValidationError):
            contract_event_store.append("", [sample_event("X", 1)], 0)
        with pytest.raises(ValidationError):
            contract_event_store.append("INC1", [sample_event("INC1", 1)], -1)
        with pytest.raises(ValidationError):
            contract_event_store.read_all(after=-1)
        with pytest.raises(ValidationError):
            contract_event_store.read_all(limit=0)
        assert contract_event_store.read_all() == ()

    def test_text_that_is_not_unicode_is_refused_and_nothing_is_written(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        contract_event_store.append("INC1", [sample_event("INC1", 1)], 0)
        before = contract_event_store.read_all()
        bad = attrs.evolve(sample_event("INC1", 3), reason=NOT_UNICODE)
        with pytest.raises(ValidationError) as caught:
            contract_event_store.append("INC1", [sample_event("INC1", 2), bad], 1)
        assert [p.path for p in caught.value.problems] == ["events[1].reason"]
        assert "lone surrogate" in str(caught.value)
        for stream in ("INC\udc80", NOT_UNICODE):
            with pytest.raises(ValidationError, match="stream"):
                contract_event_store.append(stream, [sample_event(stream, 1)], 0)
            with pytest.raises(ValidationError, match="stream"):
                contract_event_store.read(stream)
            with pytest.raises(ValidationError, match="stream"):
                contract_event_store.version(stream)
        assert contract_event_store.read_all() == before
        assert contract_event_store.version("INC1") == 1

    def test_data_survives_reopening(
        self, contract_event_store: EventStore[TicketEvent], tmp_path: Path
    ) -> None:
        events = sample_events("INC1", 1, 2)
        contract_event_store.append("INC1", events, 0)
        other = self.reopen_event_store(contract_event_store, tmp_path)
        try:
            assert other.read("INC1") == tuple(events)
            assert other.read_all() == contract_event_store.read_all()
        finally:
            if other is not contract_event_store:
                self.close_event_store(other)

    def test_expected_version_any_no_stream_and_exists(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        store = contract_event_store
        with pytest.raises(VersionConflict) as caught:
            store.append("INC1", [sample_event("INC1", 1)], ExpectedVersion.EXISTS)
        assert (caught.value.expected, caught.value.actual) == (ExpectedVersion.EXISTS, 0)
        assert store.append("INC1", [sample_event("INC1", 1)], ExpectedVersion.NO_STREAM) == 1
        with pytest.raises(VersionConflict):
            store.append("INC1", [sample_event("INC1", 2)], ExpectedVersion.NO_STREAM)
        assert store.append("INC1", [sample_event("INC1", 2)], ExpectedVersion.EXISTS) == 2
        assert store.append("INC1", [sample_event("INC1", 3)], ExpectedVersion.ANY) == 3
        assert store.append("INC2", [sample_event("INC2", 1)], ExpectedVersion.ANY) == 1
        assert [r.version for r in store.read_all()] == [1, 2, 3, 1]

    def test_metadata_is_kept_with_each_event(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        metadata = [
            EventMetadata("e-1", at, correlation_id="webhook-7", causation_id="cmd-1"),
            EventMetadata("e-2", at + dt.timedelta(seconds=1), correlation_id="webhook-7"),
        ]
        contract_event_store.append("INC1", sample_events("INC1", 1, 2), 0, metadata=metadata)
        contract_event_store.append("INC1", [sample_event("INC1", 3)], 2)
        recorded = contract_event_store.read_all()
        assert [r.metadata for r in recorded] == [*metadata, None]
        assert recorded[0].metadata is not None
        assert recorded[0].metadata.recorded_at.tzinfo == ZoneInfo("Asia/Shanghai")

    def test_an_event_id_is_unique_in_the_store(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
        contract_event_store.append(
            "INC1", [sample_event("INC1", 1)], 0, metadata=[EventMetadata("e-1", at)]
        )
        before = contract_event_store.read_all()
        with pytest.raises(DuplicateEventId) as caught:
            contract_event_store.append(
                "INC2", [sample_event("INC2", 1)], 0, metadata=[EventMetadata("e-1", at)]
            )
        assert caught.value.event_id == "e-1"
        with pytest.raises(ValidationError):  # twice in one batch, or a count that differs
            contract_event_store.append(
                "INC2",
                sample_events("INC2", 1, 2),
                0,
                metadata=[EventMetadata("e-2", at), EventMetadata("e-2", at)],
            )
        with pytest.raises(ValidationError):
            contract_event_store.append(
                "INC2", sample_events("INC2", 1, 2), 0, metadata=[EventMetadata("e-3", at)]
            )
        assert contract_event_store.read_all() == before

    def test_an_idempotency_key_appends_once(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        store = contract_event_store
        assert store.receipt("delivery-1") is None
        assert (
            store.append("INC1", sample_events("INC1", 1, 2), 0, idempotency_key="delivery-1") == 2
        )
        first = AppendReceipt("delivery-1", "INC1", 1, 2)
        assert store.receipt("delivery-1") == first
        before = store.read_all()
        for expected in (2, 0, ExpectedVersion.ANY):  # a retry, whatever it expects
            with pytest.raises(DuplicateAppend) as caught:
                store.append(
                    "INC1", [sample_event("INC1", 3)], expected, idempotency_key="delivery-1"
                )
            assert caught.value.receipt == first
        assert store.read_all() == before
        assert store.append("INC1", [], 2, idempotency_key="no-op") == 2
        assert store.receipt("no-op") == AppendReceipt("no-op", "INC1", 3, 2)
        assert store.receipt("no-op").count == 0  # type: ignore[union-attr]

    def test_a_refused_append_leaves_its_idempotency_key_unused(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        store = contract_event_store
        with pytest.raises(VersionConflict):
            store.append("INC1", [sample_event("INC1", 1)], 3, idempotency_key="k")
        assert store.receipt("k") is None
        assert store.append("INC1", [sample_event("INC1", 1)], 0, idempotency_key="k") == 1

    def test_concurrent_deliveries_of_one_key_append_once(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        outcomes: list[str] = []

        def worker(index: int) -> None:
            try:
                contract_event_store.append(
                    f"INC-{index}",
                    [sample_event(f"INC-{index}", 1)],
                    ExpectedVersion.ANY,
                    idempotency_key="same-delivery",
                )
                outcomes.append("appended")
            except DuplicateAppend:
                outcomes.append("duplicate")

        _race(worker)
        assert sorted(outcomes) == ["appended"] + ["duplicate"] * (THREADS - 1)
        assert len(contract_event_store.read_all()) == 1

    def test_concurrent_appends_lose_nothing_and_detect_every_conflict(
        self, contract_event_store: EventStore[TicketEvent]
    ) -> None:
        streams = ("INC-A", "INC-B")
        conflicts = [0] * THREADS
        written: list[set[str]] = [set() for _ in range(THREADS)]
        for stream in streams:  # opened first: every raced event is a comment with a note
            contract_event_store.append(stream, [sample_event(stream, 1)], 0)

        def worker(index: int) -> None:
            for n in range(WRITES_PER_THREAD):
                stream, note = streams[n % 2], f"t{index}-n{n}"
                while True:
                    version = contract_event_store.version(stream)
                    try:
                        event = sample_event(stream, version + 1, note)
                        contract_event_store.append(stream, [event], version)
                    except VersionConflict:
                        conflicts[index] += 1
                        continue
                    written[index].add(note)
                    break

        _race(worker)
        notes: list[str] = []
        for stream in streams:
            events = contract_event_store.read(stream)
            assert [e.sequence for e in events] == list(range(1, len(events) + 1))
            notes.extend(_note(event) for event in events[1:])
        assert len(notes) == len(set(notes)) == THREADS * WRITES_PER_THREAD
        assert set(notes) == set().union(*written)


class ValueRepositoryContract(Generic[T]):
    """The behaviour every :class:`~itsm_core.repositories.Repository` must have, for any
    value type ``T``.

    Implement :meth:`make_repository` and :meth:`sample_value`; override
    :meth:`reopen_repository` for a persistent store. :class:`RepositoryContract` (tickets)
    and :class:`ArticleRepositoryContract` (knowledge articles) are this suite with the
    sample values filled in.
    """

    def make_repository(self, tmp_path: Path) -> Repository[T]:
        """A new, empty repository."""
        raise NotImplementedError

    def sample_value(self, key: str, revision: int) -> T:
        """A value to save under ``key``; different revisions must give unequal values."""
        raise NotImplementedError

    def value_holding(self, text: str) -> T | None:
        """A value with ``text`` in one of its strings (None, the default, skips the test
        that such a value is refused when ``text`` is not Unicode)."""
        return None

    def reopen_repository(self, repository: Repository[T], tmp_path: Path) -> Repository[T]:
        """A second instance on the same storage (default: the same object)."""
        return repository

    def close_repository(self, repository: Repository[T]) -> None:
        """Release ``repository`` (default: call its ``close()`` if it has one)."""
        _close(repository)

    @pytest.fixture
    def contract_repository(self, tmp_path: Path) -> Iterator[Repository[T]]:
        repository = self.make_repository(tmp_path)
        yield repository
        self.close_repository(repository)

    def test_sample_values_differ_by_revision(self) -> None:
        assert self.sample_value("K1", 1) == self.sample_value("K1", 1)
        assert self.sample_value("K1", 1) != self.sample_value("K1", 2)

    def test_a_missing_key_is_not_found(self, contract_repository: Repository[T]) -> None:
        assert contract_repository.find("K-none") is None
        with pytest.raises(NotFound) as caught:
            contract_repository.get("K-none")
        assert isinstance(caught.value, LookupError)
        assert caught.value.key == "K-none"
        assert contract_repository.keys() == ()

    def test_save_then_get_returns_an_equal_value_at_version_1(
        self, contract_repository: Repository[T]
    ) -> None:
        value = self.sample_value("K1", 1)
        saved = contract_repository.save("K1", value, 0)
        assert (saved.key, saved.version, saved.value) == ("K1", 1, value)
        assert contract_repository.get("K1") == saved
        assert contract_repository.find("K1") == saved

    def test_each_save_bumps_the_version(self, contract_repository: Repository[T]) -> None:
        for revision in range(1, 4):
            saved = contract_repository.save("K1", self.sample_value("K1", revision), revision - 1)
            assert saved.version == revision
        assert contract_repository.get("K1").value == self.sample_value("K1", 3)

    def test_a_stale_save_raises_and_keeps_the_stored_value(
        self, contract_repository: Repository[T]
    ) -> None:
        contract_repository.save("K1", self.sample_value("K1", 1), 0)
        contract_repository.save("K1", self.sample_value("K1", 2), 1)
        for expected in (0, 1, 5):
            with pytest.raises(VersionConflict) as caught:
                contract_repository.save("K1", self.sample_value("K1", 9), expected)
            assert (caught.value.expected, caught.value.actual) == (expected, 2)
            assert isinstance(caught.value, RepositoryError)
        assert contract_repository.get("K1").value == self.sample_value("K1", 2)

    def test_creating_needs_expected_version_0(self, contract_repository: Repository[T]) -> None:
        with pytest.raises(VersionConflict):
            contract_repository.save("K1", self.sample_value("K1", 1), 1)
        assert contract_repository.find("K1") is None

    def test_keys_are_sorted(self, contract_repository: Repository[T]) -> None:
        for key in ("K3", "K1", "K2"):
            contract_repository.save(key, self.sample_value(key, 1), 0)
        assert contract_repository.keys() == ("K1", "K2", "K3")

    def test_bad_arguments_are_refused(self, contract_repository: Repository[T]) -> None:
        with pytest.raises(ValidationError):
            contract_repository.save("", self.sample_value("K1", 1), 0)
        with pytest.raises(ValidationError):
            contract_repository.save("K1", self.sample_value("K1", 1), -1)
        with pytest.raises(ValidationError):
            contract_repository.find("")
        assert contract_repository.keys() == ()

    def test_text_that_is_not_unicode_is_refused_and_nothing_is_written(
        self, contract_repository: Repository[T]
    ) -> None:
        for key in ("K\udc80", NOT_UNICODE):
            with pytest.raises(ValidationError, match="key"):
                contract_repository.save(key, self.sample_value("K1", 1), 0)
            with pytest.raises(ValidationError, match="key"):
                contract_repository.find(key)
        value = self.value_holding(NOT_UNICODE)
        if value is not None:
            with pytest.raises(ValidationError) as caught:
                contract_repository.save("K1", value, 0)
            paths = [p.path for p in caught.value.problems]
            assert paths, "no problem named"
            assert all(path.startswith("value.") for path in paths), paths
            assert contract_repository.find("K1") is None
        assert contract_repository.keys() == ()

    def test_data_survives_reopening(
        self, contract_repository: Repository[T], tmp_path: Path
    ) -> None:
        saved = contract_repository.save("K1", self.sample_value("K1", 1), 0)
        other = self.reopen_repository(contract_repository, tmp_path)
        try:
            assert other.get("K1") == saved
        finally:
            if other is not contract_repository:
                self.close_repository(other)

    def test_concurrent_saves_apply_each_change_once(
        self, contract_repository: Repository[T]
    ) -> None:
        contract_repository.save("K1", self.sample_value("K1", 1), 0)
        applied: list[int] = []
        torn: list[int] = []

        def worker(index: int) -> None:
            for _ in range(WRITES_PER_THREAD):
                while True:
                    current = contract_repository.get("K1")
                    if current.value != self.sample_value("K1", current.version):
                        torn.append(current.version)  # a value read with another's version
                    bumped = self.sample_value("K1", current.version + 1)
                    try:
                        contract_repository.save("K1", bumped, current.version)
                    except VersionConflict:
                        continue
                    applied.append(index)
                    break

        _race(worker)
        final = contract_repository.get("K1")
        # Each successful save read the value it replaced: no update was lost or doubled.
        assert torn == []
        assert final.version == 1 + THREADS * WRITES_PER_THREAD == len(applied) + 1
        assert final.value == self.sample_value("K1", final.version)


class RepositoryContract(ValueRepositoryContract[Ticket]):
    """The repository contract with :class:`~itsm_core.tickets.Ticket` values.

    Implement :meth:`make_repository`; override :meth:`reopen_repository` for a persistent
    store.
    """

    def sample_value(self, key: str, revision: int) -> Ticket:
        """:func:`~itsm_core.testing.sample_ticket` (its ``version`` is ``revision``)."""
        return sample_ticket(key, revision)

    def value_holding(self, text: str) -> Ticket:
        """A sample ticket whose symptom is ``text``."""
        return attrs.evolve(sample_ticket("K1"), symptom=text)


class ArticleRepositoryContract(ValueRepositoryContract[Article]):
    """The repository contract with knowledge :class:`~itsm_core.knowledge.Article` values.

    Implement :meth:`make_repository` (it returns a
    :class:`~itsm_core.repositories.Repository` of articles); override
    :meth:`reopen_repository` for a persistent store.
    """

    def sample_value(self, key: str, revision: int) -> Article:
        """:func:`~itsm_core.testing.sample_article` (its ``version`` is ``revision``)."""
        return sample_article(key, revision)

    def value_holding(self, text: str) -> Article:
        """A sample article whose retirement reason is ``text``."""
        return attrs.evolve(sample_article("K1"), retired_reason=text)
