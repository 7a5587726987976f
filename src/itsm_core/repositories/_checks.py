"""Argument checks every store applies the same way (the in-memory ones and the adapters).

Text that is not Unicode (a lone surrogate, such as ``"\\ud800"``) is refused by every store
alike, in stream names, keys and every string inside a stored value, with a
:class:`~itsm_core.errors.ValidationError` naming where: a database or a file cannot hold it
as UTF-8, so an in-memory store that kept it would accept what a durable one must refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from itsm_core._checks import is_int, unstorable_problems
from itsm_core._plain import integer, shown, text
from itsm_core.errors import Problem, ValidationError, VersionConflict
from itsm_core.repositories._records import EventMetadata, ExpectedVersion

#: Versions, positions and limits fit a 64-bit signed integer (SQLite's INTEGER and most
#: databases'); a larger one is refused by every store alike.
_LARGEST = 2**63 - 1


def _count(value: object, name: str, minimum: int, problems: list[Problem]) -> None:
    integer(value, name, problems, minimum=minimum, maximum=_LARGEST)


def _name(value: object, name: str, problems: list[Problem]) -> None:
    if text(value, name, problems) is not None:
        problems.extend(unstorable_problems(value, name))


def check_append(
    stream: object,
    expected_version: object,
    events: Sequence[object] = (),
    metadata: Sequence[object] | None = None,
    idempotency_key: object = None,
) -> None:
    """The arguments of ``EventStore.append``; ValidationError lists every problem, text
    that is not Unicode in the events included (``events[1].reason``).

    ``expected_version`` is an int ``>= 0`` or an :class:`ExpectedVersion`; ``metadata``, when
    given, holds one :class:`EventMetadata` per event with ids unique in the batch.

    >>> check_append("", -1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for append: 2 problems
      - stream: expected a non-blank string, got ''
      - expected_version: expected an integer from 0 to 9223372036854775807 or one of ...
    """
    problems: list[Problem] = []
    _name(stream, "stream", problems)
    if not isinstance(expected_version, ExpectedVersion) and not (
        is_int(expected_version) and 0 <= expected_version <= _LARGEST
    ):
        choices = ", ".join(repr(member.value) for member in ExpectedVersion)
        problems.append(
            Problem(
                "expected_version",
                f"expected an integer from 0 to {_LARGEST} or one of {choices}, "
                f"got {shown(expected_version)}",
            )
        )
    problems.extend(unstorable_problems(list(events), "events"))
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
                        f"event id {shown(entry.event_id)} appears twice in the batch",
                    )
                )
            else:
                seen.add(entry.event_id)
                problems.extend(unstorable_problems(entry, f"metadata[{index}]"))
    if idempotency_key is not None:
        _name(idempotency_key, "idempotency_key", problems)
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
        _name(stream, "stream", problems)
    _count(after, "after", 0, problems)
    if limit is not None:
        _count(limit, "limit", 1, problems)
    if problems:
        raise ValidationError("read", problems)


def check_save(key: object, expected_version: object, value: object = None) -> None:
    """The arguments of ``Repository.save``; ValidationError lists every problem, text that
    is not Unicode in the value included (``value.comments[0].text``)."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    _count(expected_version, "expected_version", 0, problems)
    problems.extend(unstorable_problems(value, "value"))
    if problems:
        raise ValidationError("save", problems)


def check_key(key: object) -> None:
    """A repository key: a non-empty string."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    if problems:
        raise ValidationError("key", problems)
