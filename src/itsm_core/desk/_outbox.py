"""The outbox port: notifications stored with the event position they were derived up to,
then handed to senders under a lease, so none is lost or sent twice by a crash."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from itsm_core._checks import is_aware, is_int
from itsm_core._plain import integer, is_text, shown, text
from itsm_core.communications import Notification
from itsm_core.errors import Problem, ValidationError


class OutboxStatus(enum.StrEnum):
    """Where a message stands: ``pending`` (waiting for its time or a retry), ``claimed``
    (a sender holds it until its lease ends), ``sent`` (delivered: never claimed again) or
    ``failed`` (given up after its last attempt: never claimed again)."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class OutboxEntry:
    """A message in the outbox and its delivery state.

    Attributes:
        key: the message's idempotency key (``message.key``): pass it to the gateway.
        message: the notification to deliver.
        status: see :class:`OutboxStatus`.
        next_at: when it may be claimed (its ``message.at``, then the retry time).
        attempts: how many times it was claimed; a sender's claim is this number.
        worker: who holds or last held it; lease_until: when that claim ends.
        error: why the last attempt failed.
        sent_at: when it was marked sent.
    """

    key: str
    message: Notification
    status: OutboxStatus = OutboxStatus.PENDING
    next_at: dt.datetime
    attempts: int = 0
    worker: str | None = None
    lease_until: dt.datetime | None = None
    error: str | None = None
    sent_at: dt.datetime | None = None

    def claimable(self, now: dt.datetime) -> bool:
        """True when a sender may claim it at ``now``: pending and due, or claimed by a
        sender whose lease has ended (it crashed, or is too slow)."""
        if self.status is OutboxStatus.PENDING:
            return self.next_at <= now
        return (
            self.status is OutboxStatus.CLAIMED
            and self.lease_until is not None
            and self.lease_until <= now
        )


class Outbox(Protocol):
    """Notifications waiting to be delivered: a transactional outbox.

    Fed by :class:`~itsm_core.desk.OutboxFeed` like a read model: ``record`` stores the
    messages derived from a batch of events and moves the feed's checkpoint in one
    transaction, so a feeder that crashes derives the same messages again from the same
    events, and keys already stored are skipped. Drained by senders: ``claim`` hands out due
    messages under a lease; ``mark_sent`` ends a message; ``mark_failed`` schedules a retry
    or gives up. A sender that crashes loses its lease, and the message is claimed again.

    Delivery is **at least once**: a sender that crashes after the gateway accepted a message
    and before ``mark_sent`` sends it again. Give the gateway ``entry.key`` as its
    idempotency key (most e-mail and SMS APIs take one) so it drops the repeat.

    Rules every implementation keeps (``itsm_core.testing.OutboxContract`` checks each):

    * ``put`` and ``record`` store each key once: a message whose key is stored is skipped
      (the stored one stays as it is), and they return how many were new;
    * ``record`` moves the checkpoint from ``after`` to ``position`` with the messages, all
      or nothing; :class:`~itsm_core.errors.VersionConflict` (nothing stored) when the
      checkpoint is not at ``after``;
    * ``claim`` returns at most ``limit`` claimable entries (:meth:`OutboxEntry.claimable`),
      earliest ``next_at`` first (then by key), each now ``claimed`` by ``worker`` until
      ``now + lease`` with one more attempt; two senders never hold the same live claim;
    * ``mark_sent`` makes a message ``sent`` for good (again: nothing changes);
      :class:`~itsm_core.errors.NotFound` for an unknown key;
    * ``mark_failed`` applies only to the claim ``attempt`` still held: the message is
      ``pending`` again at ``retry_at``, or ``failed`` for good when ``retry_at`` is None;
      a message sent meanwhile stays sent; a claim lost to another sender raises
      :class:`~itsm_core.errors.VersionConflict`.
    """

    def position(self, feed: str) -> int:
        """The checkpoint of ``feed``: the last event position its messages were derived
        up to (0 before its first record)."""
        ...

    def record(
        self, feed: str, *, after: int, position: int, messages: Sequence[Notification]
    ) -> int:
        """Store the new ``messages`` and move the checkpoint of ``feed`` from ``after`` to
        ``position``, atomically; the number of messages that were new."""
        ...

    def put(self, messages: Sequence[Notification]) -> int:
        """Store the new ``messages`` (clock-driven ones, derived at a wake-up); the number
        that were new."""
        ...

    def claim(
        self, now: dt.datetime, *, worker: str, lease: dt.timedelta, limit: int = 100
    ) -> tuple[OutboxEntry, ...]:
        """Claim up to ``limit`` messages due at ``now`` for ``worker`` until ``now + lease``."""
        ...

    def mark_sent(self, key: str, *, at: dt.datetime) -> None:
        """The message ``key`` was delivered at ``at``."""
        ...

    def mark_failed(
        self, key: str, *, attempt: int, error: str, retry_at: dt.datetime | None
    ) -> None:
        """Claim ``attempt`` of ``key`` failed with ``error``: retry at ``retry_at`` (None:
        give up)."""
        ...

    def get(self, key: str) -> OutboxEntry | None:
        """The entry of ``key``, if stored."""
        ...

    def count(self, status: OutboxStatus | None = None) -> int:
        """How many entries have ``status`` (all of them for None)."""
        ...


def check_outbox_messages(messages: Iterable[object]) -> tuple[Notification, ...]:
    """The messages of ``put`` and ``record``, checked the same way by every outbox: each a
    :class:`~itsm_core.communications.Notification`; a key given twice keeps its first."""
    given: object = messages
    if not isinstance(given, Iterable) or isinstance(given, str | bytes):
        wrong = Problem("messages", f"expected a list of notifications, got {shown(messages)}")
        raise ValidationError("outbox", [wrong])
    found = tuple(messages)
    problems = [
        Problem(f"messages[{index}]", f"expected a Notification, got {shown(message)}")
        for index, message in enumerate(found)
        if not isinstance(message, Notification)
    ]
    if problems:
        raise ValidationError("outbox", problems)
    first: dict[str, Notification] = {}
    for message in found:
        assert isinstance(message, Notification)
        first.setdefault(message.key, message)
    return tuple(first.values())


def check_outbox_record(
    feed: object, after: object, position: object, messages: Iterable[object]
) -> tuple[Notification, ...]:
    """The arguments of ``record``: a feed name, positions that do not go back, messages."""
    problems: list[Problem] = []
    text(feed, "feed", problems)
    integer(after, "after", problems, minimum=0)
    integer(position, "position", problems, minimum=0)
    if is_int(after) and is_int(position) and position < after:
        problems.append(Problem("position", f"{position} is before the checkpoint {after}"))
    if problems:
        raise ValidationError("outbox record", problems)
    return check_outbox_messages(messages)


def _instant(value: object, path: str, problems: list[Problem]) -> None:
    if not (isinstance(value, dt.datetime) and is_aware(value)):
        problems.append(Problem(path, f"expected an aware datetime, got {shown(value)}"))


def check_outbox_claim(now: object, worker: object, lease: object, limit: object) -> None:
    """The arguments of ``claim``: an aware ``now``, a worker name, a positive lease, a limit
    of at least 1."""
    problems: list[Problem] = []
    _instant(now, "now", problems)
    text(worker, "worker", problems)
    if not (isinstance(lease, dt.timedelta) and lease > dt.timedelta(0)):
        problems.append(Problem("lease", f"expected a positive timedelta, got {shown(lease)}"))
    integer(limit, "limit", problems, minimum=1)
    if problems:
        raise ValidationError("outbox claim", problems)


def check_outbox_key(key: object, at: object | None = None) -> None:
    """A message key (and, for ``mark_sent``, an aware instant)."""
    problems: list[Problem] = []
    if not is_text(key):
        problems.append(Problem("key", f"expected a non-blank string, got {shown(key)}"))
    if at is not None:
        _instant(at, "at", problems)
    if problems:
        raise ValidationError("outbox", problems)


def check_outbox_failure(key: object, attempt: object, error: object, retry_at: object) -> None:
    """The arguments of ``mark_failed``."""
    problems: list[Problem] = []
    if not is_text(key):
        problems.append(Problem("key", f"expected a non-blank string, got {shown(key)}"))
    integer(attempt, "attempt", problems, minimum=1)
    if not isinstance(error, str):
        problems.append(Problem("error", f"expected a string, got {shown(error)}"))
    if retry_at is not None:
        _instant(retry_at, "retry_at", problems)
    if problems:
        raise ValidationError("outbox failure", problems)


def check_outbox_status(status: object) -> OutboxStatus | None:
    """The status ``count`` asks for (None, a member or its value)."""
    if status is None or isinstance(status, OutboxStatus):
        return status
    try:
        return OutboxStatus(str(status))
    except ValueError:
        known = ", ".join(s.value for s in OutboxStatus)
        raise ValidationError(
            "outbox", [Problem("status", f"expected one of {known}, got {shown(status)}")]
        ) from None
