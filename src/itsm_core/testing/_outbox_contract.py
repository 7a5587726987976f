"""The contract every outbox must pass: each key stored once, messages and checkpoint
recorded together, claims under a lease, sent messages never claimed again.

Subclass :class:`OutboxContract` in a test module whose class name starts with ``Test`` and
implement :meth:`~OutboxContract.make_outbox` (and :meth:`~OutboxContract.reopen_outbox` for
a durable one); pytest collects every inherited test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from itsm_core.communications import Moment, Notification, Recipient
from itsm_core.desk import Outbox, OutboxStatus
from itsm_core.errors import NotFound, ValidationError, VersionConflict

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=5)
_LI = Recipient(address="li@example.cn", name="李女士", language="zh-CN", zone="Asia/Shanghai")


def message(key: str, minutes: int = 0) -> Notification:
    """A notification keyed ``key`` due ``minutes`` after T0 (in Shanghai time)."""
    return Notification(
        key=key,
        kind=Moment.DELAY_NOTICE,
        ticket_id=key.split("/")[0],
        recipient=_LI,
        channel="sms",
        language="zh_CN",
        subject="您的请求将延迟处理",
        body=f"{key}：预计于 2026年3月3日 17:00 前解决",
        facts={"reason": "等待供应商", "due": "2026年3月2日 17:00"},
        at=(T0 + dt.timedelta(minutes=minutes)).astimezone(_LI.tz),
    )


def _close(outbox: object) -> None:
    close = getattr(outbox, "close", None)
    if callable(close):
        close()


class OutboxContract:
    """Base class of the outbox contract tests (see the module's introduction)."""

    def make_outbox(self, tmp_path: Path) -> Outbox:
        """A new, empty outbox."""
        raise NotImplementedError

    def reopen_outbox(self, outbox: Outbox, tmp_path: Path) -> Outbox:
        """The same outbox opened again (a new process would see this); by default the same
        object, for an outbox that lives in memory."""
        return outbox

    @pytest.fixture
    def outbox(self, tmp_path: Path) -> Iterator[Outbox]:
        made = self.make_outbox(tmp_path)
        yield made
        _close(made)

    def test_put_stores_each_key_once(self, outbox: Outbox) -> None:
        assert outbox.put([message("A/1"), message("B/1"), message("A/1", 9)]) == 2
        assert outbox.put([message("A/1", 30), message("C/1")]) == 1
        assert outbox.count() == 3
        entry = outbox.get("A/1")
        assert entry is not None
        assert entry.message == message("A/1")  # the first one stays as it was
        assert entry.status is OutboxStatus.PENDING
        assert entry.next_at == T0
        assert entry.attempts == 0
        assert outbox.get("nothing") is None

    def test_record_moves_the_checkpoint_with_the_messages(
        self, outbox: Outbox, tmp_path: Path
    ) -> None:
        assert outbox.position("notes") == 0
        assert outbox.record("notes", after=0, position=4, messages=[message("A/1")]) == 1
        assert outbox.record("notes", after=4, position=9, messages=[message("A/1")]) == 0
        with pytest.raises(VersionConflict):
            outbox.record("notes", after=4, position=12, messages=[message("B/1")])
        assert outbox.get("B/1") is None  # refused: nothing stored
        assert outbox.position("notes") == 9
        assert outbox.position("other") == 0
        again = self.reopen_outbox(outbox, tmp_path)
        try:
            assert again.position("notes") == 9
            assert again.get("A/1") is not None
        finally:
            if again is not outbox:
                _close(again)

    def test_claims_hand_out_due_messages_once_per_lease(self, outbox: Outbox) -> None:
        outbox.put([message("B/1", 10), message("A/1", 10), message("C/1", 60)])
        assert outbox.claim(T0, worker="w1", lease=LEASE) == ()
        now = T0 + dt.timedelta(minutes=20)
        claimed = outbox.claim(now, worker="w1", lease=LEASE, limit=5)
        assert [entry.key for entry in claimed] == ["A/1", "B/1"]
        assert all(entry.status is OutboxStatus.CLAIMED for entry in claimed)
        assert all(entry.worker == "w1" and entry.attempts == 1 for entry in claimed)
        assert claimed[0].lease_until == now + LEASE
        assert outbox.claim(now + dt.timedelta(minutes=1), worker="w2", lease=LEASE) == ()
        limited = outbox.claim(T0 + dt.timedelta(hours=2), worker="w2", lease=LEASE, limit=1)
        assert [(entry.key, entry.attempts) for entry in limited] == [("A/1", 2)]

    def test_an_expired_lease_is_claimed_again_and_a_sent_message_never(
        self, outbox: Outbox
    ) -> None:
        outbox.put([message("A/1"), message("B/1")])
        first = outbox.claim(T0, worker="crashed", lease=LEASE)
        assert len(first) == 2
        outbox.mark_sent("B/1", at=T0 + dt.timedelta(minutes=1))
        later = T0 + LEASE
        again = outbox.claim(later, worker="w2", lease=LEASE)
        assert [(entry.key, entry.worker, entry.attempts) for entry in again] == [("A/1", "w2", 2)]
        outbox.mark_sent("A/1", at=later)
        outbox.mark_sent("A/1", at=later + LEASE)  # again: nothing changes
        assert outbox.claim(T0 + dt.timedelta(days=1), worker="w3", lease=LEASE) == ()
        sent = outbox.get("A/1")
        assert sent is not None
        assert (sent.status, sent.sent_at) == (OutboxStatus.SENT, later)
        assert outbox.count(OutboxStatus.SENT) == 2
        with pytest.raises(NotFound):
            outbox.mark_sent("nothing", at=later)

    def test_a_failure_schedules_a_retry_or_gives_up(self, outbox: Outbox) -> None:
        outbox.put([message("A/1"), message("B/1")])
        outbox.claim(T0, worker="w1", lease=LEASE)
        retry = T0 + dt.timedelta(minutes=30)
        outbox.mark_failed("A/1", attempt=1, error="gateway 503", retry_at=retry)
        outbox.mark_failed("B/1", attempt=1, error="no such number", retry_at=None)
        entry = outbox.get("A/1")
        assert entry is not None
        assert (entry.status, entry.next_at, entry.error) == (
            OutboxStatus.PENDING,
            retry,
            "gateway 503",
        )
        assert outbox.claim(retry - dt.timedelta(seconds=1), worker="w1", lease=LEASE) == ()
        [again] = outbox.claim(retry, worker="w1", lease=LEASE)
        assert (again.key, again.attempts) == ("A/1", 2)
        with pytest.raises(VersionConflict):  # claim 1 is no longer held
            outbox.mark_failed("A/1", attempt=1, error="late", retry_at=retry)
        outbox.mark_sent("A/1", at=retry)
        outbox.mark_failed("A/1", attempt=2, error="late", retry_at=retry)  # sent stays sent
        assert outbox.count(OutboxStatus.SENT) == 1
        assert outbox.count(OutboxStatus.FAILED) == 1
        assert outbox.count(OutboxStatus.PENDING) == 0

    def test_bad_requests_are_refused_and_change_nothing(self, outbox: Outbox) -> None:
        with pytest.raises(ValidationError):
            outbox.put([message("A/1"), "B/1"])  # type: ignore[list-item]
        with pytest.raises(ValidationError):
            outbox.record("notes", after=5, position=2, messages=[message("A/1")])
        with pytest.raises(ValidationError):
            outbox.claim(T0.replace(tzinfo=None), worker="w", lease=LEASE)
        with pytest.raises(ValidationError):
            outbox.claim(T0, worker=" ", lease=dt.timedelta(0), limit=0)
        with pytest.raises(ValidationError):
            outbox.count("lost")  # type: ignore[arg-type]
        assert outbox.count() == 0
        assert outbox.position("notes") == 0
