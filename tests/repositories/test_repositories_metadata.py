"""Event metadata and expected versions: refused input names the field, nothing else escapes."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import ValidationError, VersionConflict
from itsm_core.repositories import (
    EventMetadata,
    ExpectedVersion,
    InMemoryEventStore,
    check_append,
    check_expected,
)
from itsm_core.testing import sample_event

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("arguments", "paths"),
    [
        (("", AT), ["event_id"]),
        (("e1", dt.datetime(2026, 3, 2)), ["recorded_at"]),
        ((7, "2026-03-02"), ["event_id", "recorded_at"]),
        (("e1", AT, " ", 3), ["correlation_id", "causation_id"]),
    ],
)
def test_bad_metadata_is_refused_naming_each_field(
    arguments: tuple[object, ...], paths: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        EventMetadata(*arguments)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == paths


def test_metadata_compares_by_every_field() -> None:
    assert EventMetadata("e1", AT, "c") == EventMetadata("e1", AT, "c")
    assert EventMetadata("e1", AT, "c") != EventMetadata("e1", AT, "c", "cause")


@pytest.mark.parametrize(
    ("expected", "actual", "accepted"),
    [
        (ExpectedVersion.ANY, 0, True),
        (ExpectedVersion.ANY, 9, True),
        (ExpectedVersion.NO_STREAM, 0, True),
        (ExpectedVersion.NO_STREAM, 1, False),
        (ExpectedVersion.EXISTS, 0, False),
        (ExpectedVersion.EXISTS, 4, True),
        (3, 3, True),
        (3, 4, False),
    ],
)
def test_check_expected(expected: int | ExpectedVersion, actual: int, accepted: bool) -> None:
    if accepted:
        check_expected("S", expected, actual)
    else:
        with pytest.raises(VersionConflict) as caught:
            check_expected("S", expected, actual)
        assert (caught.value.expected, caught.value.actual) == (expected, actual)


def test_append_arguments_are_checked_together() -> None:
    with pytest.raises(ValidationError) as caught:
        check_append("S", "latest", [1, 2], ["not metadata"], idempotency_key="")
    assert [problem.path for problem in caught.value.problems] == [
        "expected_version",
        "metadata",
        "metadata[0]",
        "idempotency_key",
    ]


def test_a_refused_append_leaves_the_store_unchanged() -> None:
    store: InMemoryEventStore[object] = InMemoryEventStore()
    with pytest.raises(ValidationError):
        store.append("S", [sample_event("S", 1)], 0, metadata=[], idempotency_key="k")
    assert store.read_all() == ()
    assert store.receipt("k") is None
