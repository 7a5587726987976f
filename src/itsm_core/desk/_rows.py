"""What a projection store keeps and answers: rows, the queries over them, and their hits.

A read model is a set of rows keyed by id (a ticket's id, for the built-in read models). Each
:class:`ProjectionRow` holds its data as JSON text (written with the cattrs converter of
:mod:`itsm_core.serialization`, the one wire format) and what the store indexes to answer
queries without reading every row: ``terms``, exact-match labels such as ``"group=network"``,
and ``instants``, ``(slot, instant)`` pairs such as ``("due", 2026-03-02 17:00)``, kept in
order per slot. A :class:`RowQuery` asks for the rows carrying every one of some terms and,
optionally, an instant of one slot within a range, earliest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from itsm_core._checks import is_aware, is_int
from itsm_core._plain import integer, is_a, is_text, shown, text
from itsm_core.errors import Problem, ValidationError

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)

#: An instant a row is indexed by: its slot (``"due"``, ``"opened"``...) and the instant.
Instant = tuple[str, dt.datetime]


def micros(at: dt.datetime) -> int:
    """``at`` as whole microseconds since 1970-01-01 UTC: how stores order instants.

    >>> micros(dt.datetime(1970, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    0
    """
    return (at - _EPOCH) // _MICROSECOND


def from_micros(us: int) -> dt.datetime:
    """The UTC instant ``us`` microseconds after 1970-01-01 UTC (the inverse of :func:`micros`)."""
    return _EPOCH + dt.timedelta(microseconds=us)


def _terms(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _aware(value: object) -> bool:
    return isinstance(value, dt.datetime) and is_aware(value)


def _pair_problem(pair: object) -> str | None:
    """What is wrong with an ``(slot, instant)`` pair, or None."""
    if not (isinstance(pair, tuple) and len(pair) == 2):
        return f"expected (slot, instant), got {shown(pair)}"
    slot: object = pair[0]
    at: object = pair[1]
    if not is_text(slot):
        return f"expected a non-blank slot, got {shown(slot)}"
    if not _aware(at):
        return f"expected an aware datetime, got {shown(at)}"
    return None


def _instants(values: Iterable[tuple[str, dt.datetime]]) -> tuple[Instant, ...]:
    """The pairs sorted, each instant in UTC, repeats dropped; anything else kept as given for
    the checks to refuse."""
    pairs = list(values)
    if any(_pair_problem(pair) for pair in pairs):
        return tuple(pairs)
    return tuple(sorted({(slot, at.astimezone(dt.UTC)) for slot, at in pairs}))


@attrs.frozen
class ProjectionRow:
    """One row of a read model, as a :class:`~itsm_core.desk.ProjectionStore` keeps it.

    Attributes:
        key: the row's id within its read model (a ticket id); not blank.
        data: the row itself as JSON text; stores keep and return it unchanged.
        terms: exact-match labels the row can be found by (``"status=open"``); any
            non-blank strings.
        instants: ``(slot, instant)`` pairs the row can be found and ordered by, as
            ``("due", at)``; stored sorted, in UTC, without repeats (aware datetimes only).

    >>> row = ProjectionRow("INC1", '{"n": 1}', {"group=desk"},
    ...                     [("due", dt.datetime(2026, 3, 2, 17, tzinfo=dt.UTC))])
    >>> row.first("due"), row.first("opened")
    (datetime.datetime(2026, 3, 2, 17, 0, tzinfo=datetime.timezone.utc), None)
    """

    key: str
    data: str
    terms: frozenset[str] = attrs.field(default=frozenset(), converter=_terms)
    instants: tuple[Instant, ...] = attrs.field(default=(), converter=_instants)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        text(self.key, "key", problems)
        if not is_a(self.data, str):
            problems.append(Problem("data", f"expected JSON text, got {shown(self.data)}"))
        _term_problems(self.terms, problems)
        for index, pair in enumerate(self.instants):
            found = _pair_problem(pair)
            if found is not None:
                problems.append(Problem(f"instants[{index}]", found))
        if problems:
            raise ValidationError("ProjectionRow", problems)

    def first(
        self, slot: str, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> dt.datetime | None:
        """The row's earliest instant in ``slot`` with ``start <= instant < end`` (a bound left
        None is open), or None."""
        for name, at in self.instants:
            if name == slot and (start is None or at >= start) and (end is None or at < end):
                return at
        return None


@attrs.frozen
class RowQuery:
    """Which rows of a read model to find, and in which order.

    Attributes:
        terms: the row must carry every one of these terms.
        slot: when given, the row must have an instant of this slot within ``start`` (included)
            and ``end`` (excluded), either bound open when None; rows come earliest first (by
            that instant, then key). When None, rows come in key order and ``start`` and
            ``end`` must be None.
        limit: at most this many rows (None: all).

    >>> RowQuery(start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for RowQuery: 1 problem
      - start: a range needs a slot
    """

    terms: frozenset[str] = attrs.field(default=frozenset(), converter=_terms)
    slot: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    limit: int | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        _term_problems(self.terms, problems)
        if self.slot is not None:
            text(self.slot, "slot", problems)
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is None:
                continue
            if not _aware(value):
                problems.append(Problem(name, f"expected an aware datetime, got {shown(value)}"))
            elif self.slot is None:
                problems.append(Problem(name, "a range needs a slot"))
        if self.limit is not None:
            integer(self.limit, "limit", problems, minimum=1)
        if problems:
            raise ValidationError("RowQuery", problems)

    @property
    def empty_range(self) -> bool:
        """True when ``start`` is not before ``end``: no instant can match."""
        return self.start is not None and self.end is not None and self.start >= self.end


@attrs.frozen
class RowHit:
    """A row a query found, with the instant it was found by (None for a query without slot)."""

    row: ProjectionRow
    at: dt.datetime | None = None


def check_commit(
    name: object,
    after: object,
    position: object,
    upserts: Iterable[object],
    deletes: Iterable[object],
) -> tuple[tuple[ProjectionRow, ...], frozenset[str]]:
    """The arguments of :meth:`ProjectionStore.commit`, checked the same way by every store:
    the rows and the keys to delete. ValidationError lists every problem: a blank name, a
    position before ``after``, something that is not a row, a key written twice or both
    written and deleted."""
    problems: list[Problem] = []
    check_projection_name(name, problems)
    integer(after, "after", problems, minimum=0)
    integer(position, "position", problems, minimum=0)
    if is_int(after) and is_int(position) and position < after:
        problems.append(Problem("position", f"{position} is before the checkpoint {after}"))
    rows = tuple(upserts)
    gone = tuple(deletes)
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, ProjectionRow):
            problems.append(
                Problem(f"upserts[{index}]", f"expected a ProjectionRow, got {shown(row)}")
            )
        elif row.key in seen:
            problems.append(Problem(f"upserts[{index}]", f"key {row.key!r} is written twice"))
        else:
            seen.add(row.key)
    for index, key in enumerate(gone):
        if not is_text(key):
            problems.append(Problem(f"deletes[{index}]", f"expected a key, got {shown(key)}"))
        elif key in seen:
            problems.append(Problem(f"deletes[{index}]", f"key {key!r} is written and deleted"))
    if problems:
        raise ValidationError("commit", problems)
    return rows, frozenset(gone)  # type: ignore[return-value,arg-type]  # checked above


def _term_problems(terms: Iterable[object], problems: list[Problem]) -> None:
    problems.extend(
        Problem("terms", f"expected non-blank strings, got {shown(term)}")
        for term in terms
        if not is_text(term)
    )


def check_projection_name(name: object, problems: list[Problem] | None = None) -> None:
    """A read model's name: a non-blank string (ValidationError, or a problem added)."""
    found: list[Problem] = [] if problems is None else problems
    text(name, "name", found)
    if problems is None and found:
        raise ValidationError("projection", found)


def check_row_keys(keys: Iterable[object]) -> tuple[str, ...]:
    """Row keys asked for: non-blank strings (ValidationError otherwise)."""
    found = tuple(keys)
    problems = [
        Problem(f"keys[{index}]", f"expected a non-blank string, got {shown(key)}")
        for index, key in enumerate(found)
        if not is_text(key)
    ]
    if problems:
        raise ValidationError("rows", problems)
    return found  # type: ignore[return-value]  # checked above


def check_query(query: object) -> None:
    """A query given to ``select`` or ``count``: a :class:`RowQuery` (ValidationError
    otherwise)."""
    if not isinstance(query, RowQuery):
        raise ValidationError(
            "select", [Problem("query", f"expected a RowQuery, got {shown(query)}")]
        )
