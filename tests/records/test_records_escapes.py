"""The audit seal under hostile input: forged seals, forged first events, bytes that are not
UTF-8, text that is not Unicode. Each failed (AssertionError, a wrong tamper kind, a
UnicodeEncodeError, a ValueError) before its fix."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import DeserializationError, ValidationError
from itsm_core.records import Seal, SealedStream, TamperKind, seal_events, verify_sealed
from itsm_core.records._seal import GENESIS, SealedEvent, canonical_json, link_digest
from itsm_core.tickets import Ticket, TicketEvent

Story = tuple[Ticket, tuple[TicketEvent, ...]]
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@given(count=st.integers(0, 12), head=HEX | st.just(GENESIS), cut=st.integers(0, 10))
def test_verifying_against_any_seal_names_a_tamper_or_none(
    story: Story, count: int, head: str, cut: int
) -> None:
    stream = SealedStream(seal_events(story[1]).records[:cut])
    try:
        seal = Seal(ticket_id="INC1", count=count, head=head)
    except ValidationError:
        assert (count == 0) != (head == GENESIS)
        return
    verification = verify_sealed(stream, seal)  # an AssertionError escaped here
    if (seal.count, seal.head) == (len(stream.records), stream.head):
        assert verification.intact
    else:
        assert verification.tamper is not None


@pytest.mark.parametrize(("count", "head"), [(0, "ab" * 32), (3, GENESIS)])
def test_a_seal_whose_head_does_not_fit_its_count_is_refused(count: int, head: str) -> None:
    with pytest.raises(ValidationError, match="genesis digest is the head of 0 events"):
        Seal(ticket_id="INC1", count=count, head=head)
    with pytest.raises(DeserializationError, match="head"):
        Seal.from_dict({"ticket_id": "INC1", "count": count, "head": head})


def test_a_seal_with_a_count_of_thousands_of_digits_is_refused() -> None:
    with pytest.raises(ValidationError, match="count: expected a whole number >= 0"):
        Seal(ticket_id="INC1", count=-(10**5000), head=GENESIS)


def _forged(event: TicketEvent, previous: str) -> SealedEvent:
    forged = attrs.evolve(event, reason="forged")
    return SealedEvent(event=forged, previous=previous, digest=link_digest(previous, forged))


@pytest.mark.parametrize("with_seal", [False, True])
def test_an_event_forged_before_the_first_is_inserted_not_removed(
    story: Story, with_seal: bool
) -> None:
    stream = seal_events(story[1][:5])
    forged = _forged(story[1][0], GENESIS)
    tampered = SealedStream((forged, *stream.records))
    verification = verify_sealed(tampered, stream.seal() if with_seal else None)
    assert verification.tamper is not None
    assert (verification.tamper.kind, verification.tamper.position) == (TamperKind.INSERTED, 0)


def test_events_added_to_a_stream_sealed_empty_are_inserted(story: Story) -> None:
    empty = seal_events([]).seal()
    verification = verify_sealed(seal_events(story[1][:2]), empty)
    assert verification.tamper is not None
    assert (verification.tamper.kind, verification.tamper.position) == (TamperKind.INSERTED, 0)


def test_a_line_that_is_not_utf8_is_refused_naming_its_line(story: Story) -> None:
    data = seal_events(story[1][:3]).to_bytes()
    second = data.index(b"\n") + 1
    broken = data[: second + 20] + b"\xff" + data[second + 21 :]
    with pytest.raises(DeserializationError) as info:
        SealedStream.from_bytes(broken)
    assert [str(p) for p in info.value.problems] == ["line 2: not UTF-8 text (byte 21 of the line)"]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b'{"digest":"' + b"1" * 5000 + b'"}\n', "line 1"),  # fine: a string of digits
        (b"[" * 100_000 + b"\n", "line 1"),
        (b'{"x":' + b"1" * 5000 + b"}\n", "line 1"),
        (b'{"digest":"\\ud800"}\n', "line 1"),
    ],
)
def test_lines_python_cannot_read_are_refused_with_their_line(data: bytes, where: str) -> None:
    with pytest.raises(DeserializationError) as info:
        SealedStream.from_bytes(data)
    assert info.value.problems[0].path.startswith(where)


def test_the_missing_last_newline_names_the_last_line(story: Story) -> None:
    data = seal_events(story[1][:3]).to_bytes()[:-1]
    with pytest.raises(DeserializationError) as info:
        SealedStream.from_bytes(data)
    assert [str(p) for p in info.value.problems] == ["line 3: does not end with a newline"]


def test_from_bytes_refuses_what_is_not_bytes() -> None:
    with pytest.raises(DeserializationError, match="expected bytes, got str"):
        SealedStream.from_bytes("{}\n")  # type: ignore[arg-type]


def test_sealing_text_that_is_not_unicode_is_refused_naming_the_event(story: Story) -> None:
    events = list(story[1][:3])
    events[1] = attrs.evolve(events[1], reason="bad \ud800")
    with pytest.raises(ValidationError) as info:
        seal_events(events)
    assert [p.path for p in info.value.problems] == ["events[1].reason"]


@pytest.mark.parametrize(
    "data",
    [float("nan"), {"a": object()}, 10**5000, {"a": "\udc80"}, {1: "a", "b": 2}],
    ids=["nan", "object", "huge-int", "surrogate", "mixed-keys"],
)
def test_canonical_json_of_what_has_no_canonical_form_is_a_validation_error(
    data: object,
) -> None:
    with pytest.raises(ValidationError, match="canonical JSON"):
        canonical_json(data)


def test_a_record_whose_stored_data_is_not_its_event_is_altered(story: Story) -> None:
    records = list(seal_events(story[1][:3]).records)
    records[1] = attrs.evolve(records[1], event=story[1][2])
    tamper = verify_sealed(SealedStream(records)).tamper
    assert tamper is not None
    assert (tamper.kind, tamper.position) == (TamperKind.ALTERED, 1)
    records[1] = attrs.evolve(records[1], stored="{not json")
    tamper = verify_sealed(SealedStream(records)).tamper
    assert tamper is not None
    assert (tamper.kind, tamper.position) == (TamperKind.ALTERED, 1)
