"""A sealed stream written by the released format (before one wire format) still verifies.

``fixtures/released_sealed.jsonl`` and ``fixtures/released_seal.json`` were written by the
released code (commit 4f7ec6a, ``seal_events(events).to_bytes()`` and ``seal().to_dict()``)
for the incident story of ``conftest.py`` with times in ``Asia/Shanghai``: the event's plain
form then wrote a bare offset (``+08:00``), the converter today writes the zone too. The digest
covers the event data as stored, so an old seal stays valid whatever the plain form becomes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_core.errors import DeserializationError
from itsm_core.records import Seal, SealedStream, verify_sealed

FIXTURES = Path(__file__).parent / "fixtures"
RELEASED = (FIXTURES / "released_sealed.jsonl").read_bytes()
SEAL = Seal.from_dict(json.loads((FIXTURES / "released_seal.json").read_text("utf-8")))


def test_a_stream_sealed_by_the_released_code_verifies() -> None:
    stream = SealedStream.from_bytes(RELEASED)
    verification = verify_sealed(stream, SEAL)
    assert verification.intact, verification.tamper
    assert verification.checked == SEAL.count == 10
    assert stream.head == SEAL.head
    assert stream.events[0].ticket_id == "INC7"


def test_it_writes_back_byte_for_byte() -> None:
    assert SealedStream.from_bytes(RELEASED).to_bytes() == RELEASED


def test_an_altered_released_stream_is_still_caught() -> None:
    altered = RELEASED.replace(b"logs sent", b"logs lost", 1)
    line = RELEASED[: RELEASED.index(b"logs sent")].count(b"\n") + 1
    verification = verify_sealed(SealedStream.from_bytes(altered), SEAL)
    assert verification.tamper is not None
    assert verification.tamper.position == line - 1


def test_a_released_line_in_another_layout_is_refused() -> None:
    with pytest.raises(DeserializationError, match="line 1"):
        SealedStream.from_bytes(RELEASED.replace(b'"actor":', b'"actor": ', 1))
