"""Argument checks every store applies the same way (the in-memory ones and the adapters)."""

from __future__ import annotations

from collections.abc import Sequence

from itsm_core._checks import is_int
from itsm_core._plain import integer, shown, text
from itsm_core.errors import Problem, ValidationError, VersionConflict
from itsm_core.repositories._records import EventMetadata, ExpectedVersion


def check_append(
    stream: object,
    expected_version: object,
    events: Sequence[object] = (),
    metadata: Sequence[object] | None = None,
    idempotency_key: object = None,
) -> None:
    """The arguments of ``EventStore.append``; ValidationError lists every problem.

    ``expected_version`` is an int ``>= 0`` or an :class:`ExpectedVersion`; ``metadata``, when
    given, holds one :class:`EventMetadata` per event with ids unique in the batch.

    >>> check_append("", -1)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for append: 2 problems
      - stream: expected a non-blank string, got ''
      - expected_version: expected an integer >= 0 or one of 'any', 'no stream', 'exists', got -1
    """
    problems: list[Problem] = []
    text(stream, "stream", problems)
    if not isinstance(expected_version, ExpectedVersion) and not (
        is_int(expected_version) and expected_version >= 0
    ):
        choices = ", ".join(repr(member.value) for member in ExpectedVersion)
        problems.append(
            Problem(
                "expected_version",
                f"expected an integer >= 0 or one of {choices}, got {shown(expected_version)}",
            )
        )
    if metadata is not None:
        if len(metadata) != len(events):
            problems.append(
                Problem(
                    "metadata",
                    f"expected one entry per event ({len(events)}), got {len(metadata)}",
                )
            )
        seen: set[str] = set()
        for index, entry in enumerate(metadata):
            if not isinstance(entry, EventMetadata):
                problems.append(
                    Problem(f"metadata[{index}]", f"expected EventMetadata, got {shown(entry)}")
                )
            elif entry.event_id in seen:
                problems.append(
                    Problem(
                        f"metadata[{index}].event_id",
                        f"event id {entry.event_id!r} appears twice in the batch",
                    )
                )
            else:
                seen.add(entry.event_id)
    if idempotency_key is not None:
        text(idempotency_key, "idempotency_key", problems)
    if problems:
        raise ValidationError("append", problems)


def check_expected(stream: str, expected: int | ExpectedVersion, actual: int) -> None:
    """:class:`~itsm_core.errors.VersionConflict` unless a stream at version ``actual``
    satisfies ``expected`` (every store calls this under its write lock).

    >>> check_expected("INC1", ExpectedVersion.ANY, 3)
    >>> check_expected("INC1", ExpectedVersion.EXISTS, 0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    itsm_core.errors.VersionConflict: version conflict on 'INC1': expected version exists, ...
    """
    if expected is ExpectedVersion.ANY:
        return
    if expected is ExpectedVersion.EXISTS:
        if actual == 0:
            raise VersionConflict(stream, expected, actual)
        return
    wanted = 0 if expected is ExpectedVersion.NO_STREAM else expected
    if actual != wanted:
        raise VersionConflict(stream, expected, actual)


def check_read(stream: object | None = None, after: object = 0, limit: object = None) -> None:
    """The arguments of ``read`` / ``read_all``; ValidationError lists every problem."""
    problems: list[Problem] = []
    if stream is not None:
        text(stream, "stream", problems)
    integer(after, "after", problems, minimum=0)
    if limit is not None:
        integer(limit, "limit", problems, minimum=1)
    if problems:
        raise ValidationError("read", problems)


def check_save(key: object, expected_version: object) -> None:
    """The arguments of ``Repository.save``; ValidationError lists every problem."""
    problems: list[Problem] = []
    text(key, "key", problems)
    integer(expected_version, "expected_version", problems, minimum=0)
    if problems:
        raise ValidationError("save", problems)


def check_key(key: object) -> None:
    """A repository key: a non-empty string."""
    problems: list[Problem] = []
    text(key, "key", problems)
    if problems:
        raise ValidationError("key", problems)
