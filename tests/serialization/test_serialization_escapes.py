"""Data the serializer once let escape as TypeError, AttributeError, ValueError or OSError:
keys that are not text, integers of thousands of digits, zone names that are directories,
JSON nested too deep. Each is now a DeserializationError naming where."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import DeserializationError
from itsm_core.serialization import Serializer
from itsm_core.serialization._datetimes import parse_datetime
from itsm_core.tickets import Comment

SERIALIZER = Serializer()
ENVELOPE: dict[Any, Any] = SERIALIZER.dump(
    Comment(at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana", role="agent", text="ok")
)
HUGE = 10**5000


@pytest.mark.parametrize(
    ("extra", "paths"),
    [
        ({1: 2}, ["data[1]"]),
        ({1: 2, "z": 3}, ["data[1]", "data.z"]),
        ({None: 1}, ["data[None]"]),
        ({HUGE: 1}, ["data[an integer of about 5001 digits]"]),
        ({(1, 2): 1}, ["data[(1, 2)]"]),
    ],
    ids=["int", "int-and-text", "none", "huge-int", "tuple"],
)
def test_keys_that_are_not_text_are_named(extra: dict[Any, Any], paths: list[str]) -> None:
    with pytest.raises(DeserializationError) as info:
        SERIALIZER.load({**ENVELOPE, "data": {**ENVELOPE["data"], **extra}})
    assert [problem.path for problem in info.value.problems] == paths


@pytest.mark.parametrize(
    "envelope",
    [
        {HUGE: 1},
        {**ENVELOPE, "type": HUGE},
        {**ENVELOPE, "version": HUGE},
        {**ENVELOPE, "version": -HUGE},
        {**ENVELOPE, 1: 2, "x": 3},
    ],
    ids=["huge-key", "huge-type", "huge-version", "huge-negative-version", "mixed-keys"],
)
def test_envelopes_python_cannot_show_are_deserialization_errors(envelope: Any) -> None:
    with pytest.raises(DeserializationError):
        SERIALIZER.load(envelope)


@pytest.mark.parametrize(
    "text", ["[" * 100_000, b"\xff", "1" * 5000, 5], ids=["deep", "bytes", "digits", "int"]
)
def test_text_that_is_not_json_is_a_deserialization_error(text: Any) -> None:
    with pytest.raises(DeserializationError, match="JSON text"):
        SERIALIZER.loads(text)


@pytest.mark.parametrize("zone", ["America", "x" * 5000, "Asia"])
def test_a_zone_name_that_is_no_zone_is_refused(zone: str) -> None:
    text = f"2026-01-05T09:30:00+08:00[{zone}]"
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_datetime(text)
    data = {**ENVELOPE["data"], "at": text}
    with pytest.raises(DeserializationError, match=r"data\.at: unknown time zone"):
        SERIALIZER.load({**ENVELOPE, "data": data})
