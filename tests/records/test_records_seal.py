"""The audit seal: a SHA-256 chain over canonical event JSON; tampering is found and named."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import (
    DeserializationError,
    InvalidEventStream,
    ItsmError,
    SealBroken,
    ValidationError,
)
from itsm_core.records import Seal, SealedStream, TamperKind, seal_events, verify_sealed
from itsm_core.records._seal import GENESIS, SealedEvent, canonical_json, link_digest
from itsm_core.serialization import make_converter
from itsm_core.tickets import Ticket, TicketEvent
from itsm_core.workflow import StatusCategory

Story = tuple[Ticket, tuple[TicketEvent, ...]]
#: The converter of the oracle (one for every example: building one costs tens of ms).
CONVERTER = make_converter()


def oracle_chain(events: tuple[TicketEvent, ...]) -> list[str]:
    """The chain as the docs define it, computed here with hashlib and json directly."""
    digests = []
    previous = "0" * 64
    for event in events:
        text = json.dumps(
            CONVERTER.unstructure(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        previous = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()
        digests.append(previous)
    return digests


def test_the_chain_is_sha256_over_the_canonical_json(story: Story) -> None:
    _, events = story
    stream = seal_events(events)
    assert [record.digest for record in stream.records] == oracle_chain(events)
    assert [record.previous for record in stream.records] == [
        GENESIS,
        *oracle_chain(events)[:-1],
    ]
    assert stream.events == events


def test_the_canonical_form_is_sorted_compact_utf8() -> None:
    event = TicketEvent(
        ticket_id="INC1",
        sequence=1,
        name="open",
        at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        actor="张",
        role="customer",
        from_state=None,
        from_status=None,
        to_state="new",
        to_status=StatusCategory.NEW,
        payload={"symptom": "网络"},
    )
    expected = (
        '{"actor":"张","at":"2026-01-05T09:00:00+00:00","flags":[],"from_state":null,'
        '"from_status":null,"name":"open","payload":{"symptom":"网络"},"reason":null,'
        '"role":"customer","sequence":1,"ticket_id":"INC1","to_state":"new","to_status":"new"}'
    )
    assert canonical_json(CONVERTER.unstructure(event)) == expected.encode("utf-8")
    assert (
        link_digest(GENESIS, event)
        == hashlib.sha256(("0" * 64 + "\n" + expected).encode("utf-8")).hexdigest()
    )


def test_an_untouched_stream_verifies_with_and_without_its_seal(story: Story) -> None:
    stream = seal_events(story[1])
    seal = stream.seal()
    assert seal == Seal(ticket_id="INC1", count=10, head=stream.records[-1].digest)
    for verification in (verify_sealed(stream), verify_sealed(stream, seal)):
        assert verification.intact
        assert verification.checked == 10
        verification.check()


def test_extending_a_sealed_stream_equals_sealing_it_whole(story: Story) -> None:
    events = story[1]
    assert seal_events(events[:4]).extend(events[4:]) == seal_events(events)


def test_an_empty_stream_seals_to_genesis() -> None:
    stream = seal_events([])
    assert stream.head == GENESIS
    assert stream.seal().count == 0
    assert verify_sealed(stream, stream.seal()).intact
    assert SealedStream.from_bytes(b"") == stream


def test_sealing_refuses_a_gap_or_another_ticket(story: Story) -> None:
    events = story[1]
    other = attrs.evolve(events[2], ticket_id="INC2")
    with pytest.raises(InvalidEventStream) as info:
        seal_events([events[0], events[2], other])
    paths = [problem.path for problem in info.value.problems]
    assert paths == ["events[1].sequence", "events[2].ticket_id", "events[2].sequence"]
    with pytest.raises(InvalidEventStream, match="does not follow #10"):
        seal_events(events).extend([events[3]])


def test_bytes_round_trip(story: Story) -> None:
    stream = seal_events(story[1])
    data = stream.to_bytes()
    assert data.count(b"\n") == 10
    assert SealedStream.from_bytes(data) == stream


@pytest.mark.parametrize(
    ("mangle", "where"),
    [
        (lambda data: data[:-1], "does not end with a newline"),
        (lambda data: data.replace(b'"digest":"', b'"digest": "', 1), "canonical"),
        (lambda data: b"\xff" + data, "utf-8"),
        (lambda data: b"[]\n" + data, "keys digest, event, previous"),
        (lambda data: b"{]\n" + data, "not JSON"),
        (lambda data: b'{"digest":NaN}\n', "not JSON"),
        (lambda data: data.replace(b'"previous":"0', b'"previous":"X', 1), "hex SHA-256"),
        (lambda data: data.replace(b'"sequence":1,', b'"sequence":1,"x":2,', 1), "unknown key"),
    ],
)
def test_malformed_bytes_are_refused_with_the_line(
    story: Story, mangle: object, where: str
) -> None:
    data = seal_events(story[1][:3]).to_bytes()
    assert callable(mangle)
    with pytest.raises(DeserializationError) as info:
        SealedStream.from_bytes(mangle(data))
    assert where.lower() in str(info.value).lower()


def test_an_event_that_is_not_an_object_is_refused() -> None:
    line = canonical_json({"digest": "a" * 64, "event": [], "previous": GENESIS}) + b"\n"
    with pytest.raises(DeserializationError, match=r"line 1\.event: expected an object"):
        SealedStream.from_bytes(line)


def test_the_seal_as_data() -> None:
    seal = Seal(ticket_id="INC1", count=3, head="ab" * 32)
    assert Seal.from_dict(seal.to_dict()) == seal
    with pytest.raises(DeserializationError, match="head"):
        Seal.from_dict({"ticket_id": "INC1", "count": 3, "head": "AB" * 32})
    with pytest.raises(DeserializationError, match="keys"):
        Seal.from_dict({"ticket_id": "INC1"})
    with pytest.raises(DeserializationError, match="ticket_id"):
        Seal.from_dict({"ticket_id": 1, "count": 3, "head": "ab" * 32})
    with pytest.raises(ValidationError, match="count"):
        Seal(ticket_id="INC1", count=-1, head=GENESIS)


# --- tampering: every single operation is found, classified and placed ---------------------


def _rehash(record: SealedEvent, event: TicketEvent) -> SealedEvent:
    return SealedEvent(
        event=event, previous=record.previous, digest=link_digest(record.previous, event)
    )


@st.composite
def prefixes(draw: st.DrawFn, story: Story, smallest: int = 2) -> tuple[SealedEvent, ...]:
    size = draw(st.integers(smallest, len(story[1])))
    return seal_events(story[1][:size]).records


def _verify(records: list[SealedEvent], seal: Seal | None) -> tuple[TamperKind, int, int]:
    verification = verify_sealed(SealedStream(records), seal)
    assert verification.tamper is not None
    with pytest.raises(SealBroken, match=verification.tamper.kind.value):
        verification.check()
    return verification.tamper.kind, verification.tamper.position, verification.tamper.sequence


@given(data=st.data(), with_seal=st.booleans())
def test_an_altered_event_is_named(story: Story, data: st.DataObject, with_seal: bool) -> None:
    records = list(data.draw(prefixes(story)))
    seal = SealedStream(records).seal() if with_seal else None
    k = data.draw(st.integers(0, len(records) - 1))
    changed = attrs.evolve(records[k].event, reason=data.draw(st.text(min_size=1)))
    rehash = data.draw(st.booleans())
    if changed == records[k].event or (rehash and k == len(records) - 1 and not with_seal):
        return  # nothing changed, or a re-hashed last event that only a seal can expose
    event_record = (
        _rehash(records[k], changed) if rehash else attrs.evolve(records[k], event=changed)
    )
    records[k] = event_record
    assert _verify(records, seal) == (TamperKind.ALTERED, k, k + 1)


@given(data=st.data(), with_seal=st.booleans())
def test_a_removed_event_is_named(story: Story, data: st.DataObject, with_seal: bool) -> None:
    records = list(data.draw(prefixes(story)))
    seal = SealedStream(records).seal() if with_seal else None
    last = len(records) - 1 if with_seal else len(records) - 2
    k = data.draw(st.integers(0, last))
    del records[k]
    assert _verify(records, seal) == (TamperKind.REMOVED, k, k + 1)


@given(data=st.data(), with_seal=st.booleans())
def test_an_inserted_copy_is_named(story: Story, data: st.DataObject, with_seal: bool) -> None:
    records = list(data.draw(prefixes(story)))
    seal = SealedStream(records).seal() if with_seal else None
    j = data.draw(st.integers(0, len(records) - 1))
    k = data.draw(st.integers(0, len(records)))
    records.insert(k, records[j])
    kind, position, _ = _verify(records, seal)
    assert kind is TamperKind.INSERTED
    # A copy right next to its original is indistinguishable from it: either may be named.
    assert position == k or (records[position] == records[k] and abs(position - k) == 1)


@given(data=st.data())
def test_a_forged_event_is_named(story: Story, data: st.DataObject) -> None:
    records = list(data.draw(prefixes(story)))
    seal = SealedStream(records).seal()
    k = data.draw(st.integers(1, len(records)))
    template = records[k - 1].event
    forged = attrs.evolve(template, reason="forged", sequence=template.sequence + 1)
    previous = records[k - 1].digest
    records.insert(
        k, SealedEvent(event=forged, previous=previous, digest=link_digest(previous, forged))
    )
    assert _verify(records, seal)[:2] == (TamperKind.INSERTED, k)


@given(data=st.data(), with_seal=st.booleans())
def test_reordered_events_are_named(story: Story, data: st.DataObject, with_seal: bool) -> None:
    records = list(data.draw(prefixes(story)))
    seal = SealedStream(records).seal() if with_seal else None
    i, j = sorted(
        data.draw(st.lists(st.integers(0, len(records) - 1), min_size=2, max_size=2, unique=True))
    )
    if data.draw(st.booleans()):
        records[i], records[j] = records[j], records[i]
        first = i
    else:
        source, target = data.draw(st.permutations([i, j]))
        records.insert(target, records.pop(source))
        first = min(source, target)
    assert _verify(records, seal)[:2] == (TamperKind.REORDERED, first)


def test_events_cut_from_the_end_need_the_seal(story: Story) -> None:
    stream = seal_events(story[1])
    cut = SealedStream(stream.records[:7])
    assert verify_sealed(cut).intact
    verification = verify_sealed(cut, stream.seal())
    assert verification.tamper is not None
    assert (verification.tamper.kind, verification.tamper.position) == (TamperKind.REMOVED, 7)
    assert "event #8 and after removed" in verification.tamper.message
    emptied = verify_sealed(SealedStream(()), stream.seal())
    assert emptied.tamper is not None
    assert emptied.tamper.kind is TamperKind.REMOVED


def test_a_stream_of_another_ticket_does_not_match_the_seal(story: Story) -> None:
    seal = seal_events(story[1]).seal()
    other = seal_events(attrs.evolve(event, ticket_id="INC9") for event in story[1])
    verification = verify_sealed(other, seal)
    assert verification.tamper is not None
    assert "ticket 'INC9'" in verification.tamper.message


# --- any single altered byte of a sealed stream is detected ---------------------------------


@st.composite
def event_streams(draw: st.DrawFn) -> tuple[TicketEvent, ...]:
    size = draw(st.integers(1, 4))
    return tuple(_draw_event(draw, sequence) for sequence in range(1, size + 1))


def _draw_event(draw: st.DrawFn, sequence: int) -> TicketEvent:
    texts = st.text(max_size=12)
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return TicketEvent(
        ticket_id="T-1",
        sequence=sequence,
        name=draw(st.sampled_from(["open", "comment", "resolve", "x"])),
        at=base + dt.timedelta(seconds=draw(st.integers(0, 10**6))),
        actor=draw(st.text(min_size=1, max_size=5)),
        role="agent",
        from_state=None if sequence == 1 else "a",
        from_status=None if sequence == 1 else StatusCategory.OPEN,
        to_state="a",
        to_status=StatusCategory.OPEN,
        payload=draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "symptom": st.none() | texts,
                    "priority": st.none() | st.integers(1, 10**6),
                    "attributes": st.dictionaries(
                        st.text(max_size=4),
                        st.none()
                        | st.booleans()
                        | st.integers()
                        | texts
                        | st.floats(allow_nan=False, allow_infinity=False),
                        max_size=3,
                    ),
                },
            )
        ),
        reason=draw(st.none() | texts),
    )


@given(events=event_streams(), data=st.data())
def test_any_single_altered_byte_is_detected(
    events: tuple[TicketEvent, ...], data: st.DataObject
) -> None:
    stream = seal_events(events)
    seal = stream.seal()
    original = stream.to_bytes()
    index = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[index]))
    altered = original[:index] + bytes([byte]) + original[index + 1 :]
    line = original[:index].count(b"\n") + 1  # the line of the altered byte, 1-based
    try:
        loaded = SealedStream.from_bytes(altered)
    except ItsmError as error:
        refused: ItsmError | None = error
    else:
        refused = None
    if refused is not None:
        # Refused, naming the line that changed (invalid UTF-8, JSON, layout or event data).
        assert isinstance(refused, DeserializationError)
        named = {problem.path.split(".")[0] for problem in refused.problems}
        assert f"line {line}" in named, (line, refused)
        return
    # Loaded: verification names the event of that line, with or without the seal.
    for verification in (verify_sealed(loaded), verify_sealed(loaded, seal)):
        assert verification.tamper is not None
        assert verification.tamper.position == line - 1, verification.tamper
