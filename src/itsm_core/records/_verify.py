"""Verifying a sealed stream: the first altered, removed, inserted or reordered event."""

from __future__ import annotations

import enum
import json

import attrs

from itsm_core.errors import Problem, SealBroken, ValidationError
from itsm_core.records._seal import (
    GENESIS,
    Seal,
    SealedEvent,
    SealedStream,
    _chain,
    _converter,
    _stored,
    is_digest,
)
from itsm_core.tickets import TicketEvent


class TamperKind(enum.StrEnum):
    """How a sealed stream differs from what was sealed."""

    ALTERED = "altered"
    REMOVED = "removed"
    INSERTED = "inserted"
    REORDERED = "reordered"


@attrs.frozen(kw_only=True)
class Tamper:
    """The first difference found: its kind, the position in the stream as presented where it
    shows, the sequence number of the event concerned, and a sentence saying it."""

    kind: TamperKind
    position: int
    sequence: int
    message: str


@attrs.frozen(kw_only=True)
class Verification:
    """The result of :func:`verify_sealed`: ``intact``, or the first ``tamper`` found."""

    ticket_id: str
    checked: int
    tamper: Tamper | None = None

    @property
    def intact(self) -> bool:
        """True when nothing was found."""
        return self.tamper is None

    def check(self) -> None:
        """Raise :class:`SealBroken` naming the first tamper, if any."""
        if self.tamper is not None:
            raise SealBroken(
                repr(self.ticket_id),
                [
                    Problem(
                        f"records[{self.tamper.position}]",
                        f"{self.tamper.kind.value}: {self.tamper.message}",
                    )
                ],
            )


def verify_sealed(stream: SealedStream, seal: Seal | None = None) -> Verification:
    """Check every link of ``stream`` and, given the ``seal`` kept apart, its end.

    The first difference is named and classified:

    - **altered**: an event (or its digests) no longer matches its digest, or its successor
      was sealed after a different event with its sequence number;
    - **removed**: an event was sealed before this one and is missing;
    - **inserted**: an event repeats another, or the chain continues as if it were absent;
    - **reordered**: an event was sealed after one that now comes later.

    Each digest is checked against the event data as stored (:attr:`SealedEvent.stored`),
    so streams sealed by older releases verify. Without a seal, events cut from the end cannot
    be seen (nothing follows them); an event forged and inserted at a fork of the chain is
    named at the fork, one forged before the first event as inserted at position 0.
    """
    records = stream.records
    ticket_id = seal.ticket_id if seal is not None else stream.seal().ticket_id
    positions: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        positions.setdefault(record.digest, []).append(index)
    for index in range(len(records)):
        tamper = _check_record(records, index, positions)
        if tamper is not None:
            return Verification(ticket_id=ticket_id, checked=index, tamper=tamper)
    tamper = _check_end(records, seal, positions) if seal is not None else None
    return Verification(ticket_id=ticket_id, checked=len(records), tamper=tamper)


def _digest_matches(record: SealedEvent) -> bool:
    """True when the record's digest covers its stored data and that data is its event."""
    if not (is_digest(record.previous) and is_digest(record.digest)):
        return False
    try:
        stored = record.stored if record.stored is not None else _stored(record.event)
    except ValidationError:  # an event built by hand that has no canonical form
        return False
    if _chain(record.previous, stored) != record.digest:
        return False
    if record.stored is None:
        return True
    try:
        return bool(_converter().structure(json.loads(stored), TicketEvent) == record.event)
    except Exception:  # stored text that does not load is not the event
        return False


def _check_record(
    records: tuple[SealedEvent, ...], index: int, positions: dict[str, list[int]]
) -> Tamper | None:
    record = records[index]
    sequence = record.event.sequence
    if not _digest_matches(record):
        return Tamper(
            kind=TamperKind.ALTERED,
            position=index,
            sequence=sequence,
            message=f"event #{sequence} at position {index} does not match its digest: altered",
        )
    expected = records[index - 1].digest if index else GENESIS
    if record.previous == expected:
        return None
    if len(positions[record.digest]) > 1:
        return Tamper(
            kind=TamperKind.INSERTED,
            position=index,
            sequence=sequence,
            message=f"event #{sequence} at position {index} repeats an event sealed elsewhere",
        )
    earlier = [j for j in positions.get(record.previous, ()) if j != index]
    if any(j > index for j in earlier):
        later = max(earlier)
        return Tamper(
            kind=TamperKind.REORDERED,
            position=index,
            sequence=sequence,
            message=f"event #{sequence} at position {index} was sealed after event "
            f"#{records[later].event.sequence}, which comes later (position {later})",
        )
    if index + 1 < len(records) and records[index + 1].previous == expected:
        return _inserted(records, index)
    if earlier:
        return _inserted(records, earlier[0] + 1)
    if record.previous == GENESIS:  # sealed first, yet events come before it
        return _inserted(records, 0)
    if index == 0:
        return Tamper(
            kind=TamperKind.REMOVED,
            position=0,
            sequence=max(sequence - 1, 1),
            message=f"the stream starts with event #{sequence}, sealed after an event that is "
            "missing: removed",
        )
    before = records[index - 1].event.sequence
    if before == sequence - 1:
        return Tamper(
            kind=TamperKind.ALTERED,
            position=index - 1,
            sequence=before,
            message=f"event #{before} at position {index - 1} is not the event #{before} that "
            f"event #{sequence} was sealed after: altered and re-hashed",
        )
    return Tamper(
        kind=TamperKind.REMOVED,
        position=index,
        sequence=before + 1,
        message=f"the event sealed between #{before} and #{sequence} (before position "
        f"{index}) is missing: removed",
    )


def _inserted(records: tuple[SealedEvent, ...], index: int) -> Tamper:
    sequence = records[index].event.sequence
    return Tamper(
        kind=TamperKind.INSERTED,
        position=index,
        sequence=sequence,
        message=f"event #{sequence} at position {index} was not sealed there: inserted",
    )


def _check_end(
    records: tuple[SealedEvent, ...], seal: Seal, positions: dict[str, list[int]]
) -> Tamper | None:
    count = len(records)
    last = records[-1] if records else None
    if last is not None and seal.head == GENESIS:  # sealed with no events: every one was added
        return _inserted(records, 0)
    if last is not None and last.event.ticket_id != seal.ticket_id:
        return Tamper(
            kind=TamperKind.ALTERED,
            position=count - 1,
            sequence=last.event.sequence,
            message=f"the stream is of ticket {last.event.ticket_id!r}, the seal of "
            f"{seal.ticket_id!r}",
        )
    if (last.digest if last is not None else GENESIS) == seal.head:
        return None
    if seal.head in positions:
        cut = positions[seal.head][0] + 1
        return _inserted(records, cut)
    if count < seal.count or last is None:
        after = last.event.sequence if last is not None else 0
        return Tamper(
            kind=TamperKind.REMOVED,
            position=count,
            sequence=after + 1,
            message=f"the seal counts {seal.count} events, the stream ends after {count}: "
            f"event #{after + 1} and after removed",
        )
    return Tamper(
        kind=TamperKind.ALTERED,
        position=count - 1,
        sequence=last.event.sequence,
        message=f"the last event #{last.event.sequence} is not the one sealed: altered and "
        "re-hashed",
    )
