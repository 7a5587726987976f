"""Sealing a ticket's event stream as a SHA-256 hash chain (tamper-evident audit trail).

Each event is written in a canonical JSON form (its plain data from the serialization
converter, keys sorted, no whitespace, UTF-8) and chained:
``digest = sha256(previous + "\\n" + canonical)`` where ``previous`` is the digest of the event
before (64 zeros for the first). Changing, removing, inserting or moving any event breaks the
chain from that point; keeping the last digest (the :class:`Seal`) somewhere else also catches
events cut from, or appended to, the end.

The digest covers the event data *as stored*: a stream read back keeps each event's canonical
JSON text (:attr:`SealedEvent.stored`) and verification hashes that text, never a re-encoding
of the loaded event. So a stream sealed by an older release, whose events' plain form differed
(a bare UTC offset where today's converter also writes the zone name), still verifies.
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

from itsm_core._checks import is_int, unstorable_problems
from itsm_core._plain import refuse_constant, shown, under
from itsm_core.errors import DeserializationError, InvalidEventStream, Problem, ValidationError
from itsm_core.serialization import make_converter
from itsm_core.serialization._problems import problems_from
from itsm_core.tickets import TicketEvent

#: The ``previous`` digest of a stream's first event.
GENESIS = "0" * 64
_HEX = re.compile(r"[0-9a-f]{64}")
_RECORD_KEYS = frozenset({"digest", "event", "previous"})


def is_digest(value: object) -> bool:
    """True for a lowercase hex SHA-256 digest."""
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def canonical_json(data: Any) -> bytes:
    """Plain JSON data in canonical form: sorted keys, no whitespace, UTF-8, no NaN.

    Raises:
        ValidationError: for what has no canonical form: NaN, values JSON does not know,
            nesting too deep to write, integers of thousands of digits, text that is not
            Unicode (a lone surrogate, named by its path).

    >>> canonical_json({"b": [1, 2.5], "a": "张"}).decode()
    '{"a":"张","b":[1,2.5]}'
    >>> canonical_json({"note": chr(0xD800)})
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for canonical JSON: 1 problem
      - note: lone surrogate '\\ud800' at index 0 (not Unicode text, not storable)
    """
    try:
        text = json.dumps(
            data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValidationError("canonical JSON", [Problem("", f"not plain JSON: {exc}")]) from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        problems = unstorable_problems(data, "") or [Problem("", "not Unicode text")]
        raise ValidationError("canonical JSON", problems) from None


def _chain(previous: str, stored: str) -> str:
    """``sha256(previous + "\n" + stored)`` in hex: one link of the chain."""
    data = previous.encode("utf-8") + b"\n" + stored.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _converter() -> cattrs.Converter:
    """The converter that writes and reads sealed events: built once (it costs milliseconds),
    never configured after."""
    return make_converter()


def _stored(event: TicketEvent) -> str:
    """The canonical JSON text of ``event``'s plain data (what a new seal stores)."""
    return canonical_json(_event_data(event)).decode("utf-8")


def _event_data(event: TicketEvent) -> dict[str, Any]:
    """The plain form of ``event`` (the converter's) that is sealed and exported."""
    data: dict[str, Any] = _converter().unstructure(event, TicketEvent)
    return data


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
    return _chain(previous, _stored(event))


@attrs.frozen(kw_only=True)
class SealedEvent:
    """One event of a sealed stream with the digest before it and its own digest.

    ``stored`` is the event's plain data as it was sealed (canonical JSON text): the digest
    covers it. A stream read back or sealed by :func:`seal_events` keeps it; a record built
    by hand may leave it None, meaning "the plain form of ``event``".
    """

    event: TicketEvent
    previous: str
    digest: str
    stored: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: the digests, and the event as stored."""
        return _record_data(self)


def _record_data(record: SealedEvent) -> dict[str, Any]:
    event = json.loads(record.stored) if record.stored is not None else _event_data(record.event)
    return {"digest": record.digest, "event": event, "previous": record.previous}


@attrs.frozen(kw_only=True)
class Seal:
    """What to keep apart from the stream (signed, printed, in another store): the ticket,
    the number of events and the last digest. :func:`verify_sealed` checks a stream against it.

    A seal of no events has the :data:`GENESIS` head, and only such a seal has it.
    """

    ticket_id: str
    count: int
    head: str

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        ticket_id: object = self.ticket_id  # any value reaches here from data read
        if not isinstance(ticket_id, str):
            problems.append(
                Problem("ticket_id", f"expected a string, got {type(ticket_id).__name__}")
            )
        count_ok = is_int(self.count) and self.count >= 0
        if not count_ok:
            shown = "a negative number" if is_int(self.count) else type(self.count).__name__
            problems.append(Problem("count", f"expected a whole number >= 0, got {shown}"))
        if not is_digest(self.head):
            problems.append(Problem("head", "not a lowercase hex SHA-256 digest"))
        elif count_ok and (self.count == 0) != (self.head == GENESIS):
            problems.append(
                Problem("head", "the genesis digest is the head of 0 events, and only of 0")
            )
        if problems:
            raise ValidationError("seal", problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; :meth:`from_dict` reads it back."""
        return {"ticket_id": self.ticket_id, "count": self.count, "head": self.head}

    @classmethod
    def from_dict(cls, data: object) -> Seal:
        """Load :meth:`to_dict` data; DeserializationError when it does not fit."""
        keys = {"ticket_id", "count", "head"}
        if not isinstance(data, dict) or set(data) != keys:
            raise DeserializationError(
                "seal", [Problem("", "expected an object with keys ticket_id, count, head")]
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
        """This stream with ``events`` (the ticket's next ones) sealed after it.

        Raises:
            InvalidEventStream: events of another ticket, or a sequence that skips or repeats.
            ValidationError: an event whose data has no canonical JSON form (text that is not
                Unicode, named by its path ``events[i].field``); nothing is sealed.
        """
        added = tuple(events)
        last = self.records[-1].event if self.records else None
        _check_continues(last, added)
        texts: list[str] = []
        problems: list[Problem] = []
        for index, event in enumerate(added):
            try:
                texts.append(_stored(event))
            except ValidationError as exc:
                problems.extend(under(f"events[{index}]", exc.problems))
        if problems:
            raise ValidationError("events to seal", problems)
        records = list(self.records)
        previous = self.head
        for event, text in zip(added, texts, strict=True):
            digest = _chain(previous, text)
            records.append(SealedEvent(event=event, previous=previous, digest=digest, stored=text))
            previous = digest
        return SealedStream(records)

    def to_bytes(self) -> bytes:
        """JSON lines, one canonical record per line; :meth:`from_bytes` reads them back."""
        return b"".join(canonical_json(_record_data(record)) + b"\n" for record in self.records)

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedStream:
        """Load :meth:`to_bytes` output. Anything but canonical records is refused, so that no
        byte can change without the change being seen (by this or by :func:`verify_sealed`).

        Raises:
            DeserializationError: listing every line that is not a canonical sealed record
                (``line N``: not UTF-8, not JSON, not canonical, or an event that does not
                load).
        """
        if not isinstance(data, bytes | bytearray):
            raise DeserializationError(
                "sealed stream", [Problem("", f"expected bytes, got {type(data).__name__}")]
            )
        problems: list[Problem] = []
        lines = bytes(data).split(b"\n")
        if lines[-1]:
            problems.append(Problem(f"line {len(lines)}", "does not end with a newline"))
        records: list[SealedEvent] = []
        for number, line in enumerate(lines[:-1] if data else [], start=1):
            record = _record_from_line(line, f"line {number}", problems)
            if record is not None:
                records.append(record)
        if problems:
            raise DeserializationError("sealed stream", problems)
        return cls(records)


def _record_from_line(data: bytes, path: str, problems: list[Problem]) -> SealedEvent | None:
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, f"not UTF-8 text (byte {exc.start + 1} of the line)"))
        return None
    try:
        raw = json.loads(line, parse_constant=refuse_constant)
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(path, f"not JSON: {exc}"))
        return None
    if not isinstance(raw, dict) or set(raw) != _RECORD_KEYS:
        problems.append(Problem(path, "expected an object with keys digest, event, previous"))
        return None
    found = [
        Problem(f"{path}.{key}", "not a lowercase hex SHA-256 digest")
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
    except Exception as exc:  # cattrs groups and our own errors, each made a problem
        problems.extend(problems_from(exc, f"{path}.event"))
        return None
    try:
        canonical = canonical_json(raw).decode("utf-8")
    except ValidationError:
        canonical = None
    if canonical != line:
        problems.append(Problem(path, "not in canonical form (sorted keys, no spaces, as written)"))
        return None
    stored = canonical_json(raw["event"]).decode("utf-8")
    return SealedEvent(event=event, previous=raw["previous"], digest=raw["digest"], stored=stored)


def _check_continues(last: TicketEvent | None, events: tuple[TicketEvent, ...]) -> None:
    problems: list[Problem] = []
    ticket_id = last.ticket_id if last is not None else (events[0].ticket_id if events else "")
    sequence = last.sequence if last is not None else 0
    for index, event in enumerate(events):
        if event.ticket_id != ticket_id:
            problems.append(
                Problem(
                    f"events[{index}].ticket_id",
                    (f"{shown(event.ticket_id)} is not {shown(ticket_id)}"),
                )
            )
        if event.sequence != sequence + 1:
            problems.append(
                Problem(
                    f"events[{index}].sequence", f"#{event.sequence} does not follow #{sequence}"
                )
            )
        sequence = event.sequence
    if problems:
        raise InvalidEventStream(shown(ticket_id), problems)


def seal_events(events: Iterable[TicketEvent]) -> SealedStream:
    """Seal a ticket's events (one ticket, sequences 1, 2, 3... in order) as a hash chain.

    Raises:
        InvalidEventStream: when the events are of several tickets or skip or repeat a number.
        ValidationError: when an event holds text that is not Unicode (a lone surrogate).
    """
    return SealedStream(()).extend(events)
