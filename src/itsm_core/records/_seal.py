"""Sealing a ticket's event stream as a SHA-256 hash chain (tamper-evident audit trail).

Each event is written in a canonical JSON form (the converter's plain form of the event, see
:func:`itsm_core.serialization.make_converter`; keys sorted, no
whitespace, UTF-8) and chained: ``digest = sha256(previous + "\\n" + canonical)`` where
``previous`` is the digest of the event before (64 zeros for the first). Changing, removing,
inserting or moving any event breaks the chain from that point; keeping the last digest (the
:class:`Seal`) somewhere else also catches events cut from, or appended to, the end.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

import attrs
import cattrs

from itsm_core.errors import DeserializationError, InvalidEventStream, Problem, ValidationError
from itsm_core.records._fields import is_int
from itsm_core.serialization import make_converter
from itsm_core.serialization._problems import problems_from
from itsm_core.tickets import TicketEvent

#: The ``previous`` digest of a stream's first event.
GENESIS = "0" * 64
_HEX = re.compile(r"[0-9a-f]{64}")
_RECORD_KEYS = frozenset({"digest", "event", "previous"})


@functools.cache
def _converter() -> cattrs.Converter:
    return make_converter()


def _event_data(event: TicketEvent) -> dict[str, Any]:
    """The plain form of ``event`` (the converter's) that is sealed."""
    data: dict[str, Any] = _converter().unstructure(event)
    return data


def is_digest(value: object) -> bool:
    """True for a lowercase hex SHA-256 digest."""
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def canonical_json(data: Any) -> bytes:
    """Plain JSON data in canonical form: sorted keys, no whitespace, UTF-8, no NaN."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def link_digest(previous: str, event: TicketEvent) -> str:
    """The digest of ``event`` chained after ``previous`` (hex SHA-256).

    >>> import datetime as dt
    >>> from itsm_core.workflow import StatusCategory
    >>> event = TicketEvent(ticket_id="INC1", sequence=1, name="open",
    ...     at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), actor="ana", role="agent",
    ...     from_state=None, from_status=None, to_state="new", to_status=StatusCategory.NEW)
    >>> len(link_digest(GENESIS, event))
    64
    """
    data = previous.encode("ascii") + b"\n" + canonical_json(_event_data(event))
    return hashlib.sha256(data).hexdigest()


@attrs.frozen(kw_only=True)
class SealedEvent:
    """One event of a sealed stream with the digest before it and its own digest."""

    event: TicketEvent
    previous: str
    digest: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"digest": self.digest, "event": _event_data(self.event), "previous": self.previous}


@attrs.frozen(kw_only=True)
class Seal:
    """What to keep apart from the stream (signed, printed, in another store): the ticket,
    the number of events and the last digest. :func:`verify_sealed` checks a stream against it.
    """

    ticket_id: str
    count: int
    head: str

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_int(self.count) or self.count < 0:
            problems.append(Problem("count", f"expected a whole number >= 0, got {self.count!r}"))
        if not is_digest(self.head):
            problems.append(Problem("head", f"not a lowercase hex SHA-256 digest: {self.head!r}"))
        if problems:
            raise ValidationError(f"seal of {self.ticket_id!r}", problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; :meth:`from_dict` reads it back."""
        return {"ticket_id": self.ticket_id, "count": self.count, "head": self.head}

    @classmethod
    def from_dict(cls, data: object) -> Seal:
        """Load :meth:`to_dict` data; DeserializationError when it does not fit."""
        if not isinstance(data, dict) or set(data) != {"ticket_id", "count", "head"}:
            raise DeserializationError(
                "seal", [Problem("", "expected an object with keys ticket_id, count, head")]
            )
        if not isinstance(data["ticket_id"], str):
            raise DeserializationError(
                "seal", [Problem("ticket_id", f"expected a string, got {data['ticket_id']!r}")]
            )
        try:
            return cls(ticket_id=data["ticket_id"], count=data["count"], head=data["head"])
        except ValidationError as exc:
            raise DeserializationError("seal", exc.problems) from exc


def _records(values: Iterable[SealedEvent]) -> tuple[SealedEvent, ...]:
    return tuple(values)


@attrs.frozen
class SealedStream:
    """A ticket's events with their chain digests, in order.

    Building one from records does not check them: :func:`verify_sealed` does, so that a
    tampered stream can still be loaded and examined.
    """

    records: tuple[SealedEvent, ...] = attrs.field(converter=_records)

    @property
    def events(self) -> tuple[TicketEvent, ...]:
        """The events, in order."""
        return tuple(record.event for record in self.records)

    @property
    def head(self) -> str:
        """The last digest (:data:`GENESIS` for an empty stream)."""
        return self.records[-1].digest if self.records else GENESIS

    def seal(self) -> Seal:
        """The :class:`Seal` to keep apart from the stream."""
        ticket_id = self.records[0].event.ticket_id if self.records else ""
        return Seal(ticket_id=ticket_id, count=len(self.records), head=self.head)

    def extend(self, events: Iterable[TicketEvent]) -> SealedStream:
        """This stream with ``events`` (the ticket's next ones) sealed after it."""
        added = tuple(events)
        last = self.records[-1].event if self.records else None
        _check_continues(last, added)
        records = list(self.records)
        previous = self.head
        for event in added:
            digest = link_digest(previous, event)
            records.append(SealedEvent(event=event, previous=previous, digest=digest))
            previous = digest
        return SealedStream(records)

    def to_bytes(self) -> bytes:
        """JSON lines, one canonical record per line; :meth:`from_bytes` reads them back."""
        return b"".join(canonical_json(record.to_dict()) + b"\n" for record in self.records)

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedStream:
        """Load :meth:`to_bytes` output. Anything but canonical records is refused, so that no
        byte can change without the change being seen (by this or by :func:`verify_sealed`).

        Raises:
            DeserializationError: listing every line that is not a canonical sealed record.
        """
        problems: list[Problem] = []
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DeserializationError("sealed stream", [Problem("", str(exc))]) from exc
        if text and not text.endswith("\n"):
            problems.append(Problem("", "the last line does not end with a newline"))
        records: list[SealedEvent] = []
        lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
        for number, line in enumerate(lines if text else [], start=1):
            record = _record_from_line(line, f"line {number}", problems)
            if record is not None:
                records.append(record)
        if problems:
            raise DeserializationError("sealed stream", problems)
        return cls(records)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _record_from_line(line: str, path: str, problems: list[Problem]) -> SealedEvent | None:
    try:
        raw = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(path, f"not JSON: {exc}"))
        return None
    if not isinstance(raw, dict) or set(raw) != _RECORD_KEYS:
        problems.append(Problem(path, "expected an object with keys digest, event, previous"))
        return None
    found = [
        Problem(f"{path}.{key}", f"not a lowercase hex SHA-256 digest: {raw[key]!r}")
        for key in ("previous", "digest")
        if not is_digest(raw[key])
    ]
    if not isinstance(raw["event"], dict):
        found.append(Problem(f"{path}.event", "expected an object"))
    if found:
        problems.extend(found)
        return None
    try:
        event = _converter().structure(raw["event"], TicketEvent)
    except Exception as exc:  # cattrs groups and our errors: every problem, with its path
        problems.extend(
            Problem(f"{path}.event.{p.path}".rstrip("."), p.message) for p in problems_from(exc)
        )
        return None
    record = SealedEvent(event=event, previous=raw["previous"], digest=raw["digest"])
    if canonical_json(record.to_dict()).decode("utf-8") != line:
        problems.append(Problem(path, "not in canonical form (sorted keys, no spaces, as written)"))
        return None
    return record


def _check_continues(last: TicketEvent | None, events: tuple[TicketEvent, ...]) -> None:
    problems: list[Problem] = []
    ticket_id = last.ticket_id if last is not None else (events[0].ticket_id if events else "")
    sequence = last.sequence if last is not None else 0
    for index, event in enumerate(events):
        if event.ticket_id != ticket_id:
            problems.append(
                Problem(f"events[{index}].ticket_id", f"{event.ticket_id!r} is not {ticket_id!r}")
            )
        if event.sequence != sequence + 1:
            problems.append(
                Problem(
                    f"events[{index}].sequence", f"#{event.sequence} does not follow #{sequence}"
                )
            )
        sequence = event.sequence
    if problems:
        raise InvalidEventStream(repr(ticket_id), problems)


def seal_events(events: Iterable[TicketEvent]) -> SealedStream:
    """Seal a ticket's events (one ticket, sequences 1, 2, 3... in order) as a hash chain.

    Raises:
        InvalidEventStream: when the events are of several tickets or skip or repeat a number.
    """
    return SealedStream(()).extend(events)
