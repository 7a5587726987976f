"""The kernel's fast path: an aggregate with a draft folds many events into one working copy
and builds its state once, with the same stream checks and the same errors as one event at a
time."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from itsm_core.errors import InvalidEventStream, ItsmError, Problem, ValidationError
from itsm_core.kernel import Aggregate, Decision, Draft


@attrs.frozen
class Added:
    stream_id: str
    sequence: int
    amount: int


@attrs.frozen
class Total:
    stream_id: str
    version: int
    total: int

    def __attrs_post_init__(self) -> None:
        if self.total > 100:
            raise ValueError(f"total {self.total} is over 100")


class TotalDraft:
    """A working copy of a Total; counts how often it was built."""

    built = 0

    def __init__(self, total: Total | None) -> None:
        self.values = None if total is None else attrs.asdict(total)

    def apply(self, event: Added) -> None:
        if event.amount < 0:
            raise ValidationError("amount", [Problem("amount", "must not be negative")])
        if self.values is None:
            self.values = {"stream_id": event.stream_id, "version": 0, "total": 0}
        self.values["version"] = event.sequence
        self.values["total"] += event.amount
        if self.values["total"] > 100:
            raise ValueError(f"total {self.values['total']} is over 100")

    def build(self) -> Total:
        TotalDraft.built += 1
        assert self.values is not None
        return Total(**self.values)


def _start(event: Added) -> Total:
    if event.amount < 0:
        raise ValidationError("amount", [Problem("amount", "must not be negative")])
    return Total(event.stream_id, event.sequence, event.amount)


def _evolve(total: Total, event: Added) -> Total:
    if event.amount < 0:
        raise ValidationError("amount", [Problem("amount", "must not be negative")])
    return Total(total.stream_id, event.sequence, total.total + event.amount)


SLOW: Aggregate[Total, Added] = Aggregate(name="total", start=_start, evolve=_evolve)
FAST: Aggregate[Total, Added] = Aggregate(
    name="total", start=_start, evolve=_evolve, draft=TotalDraft
)


def stream(*amounts: int, stream_id: str = "t1") -> list[Added]:
    return [Added(stream_id, n, amount) for n, amount in enumerate(amounts, start=1)]


def outcome(run: Callable[[], object]) -> object:
    """The result, or the error's type and message: what must be the same on both paths."""
    try:
        return run()
    except ItsmError as exc:
        return type(exc), str(exc)


def test_a_draft_builds_the_state_once_for_a_whole_stream() -> None:
    TotalDraft.built = 0
    assert FAST.replay(stream(1, 2, 3, 4)) == SLOW.replay(stream(1, 2, 3, 4)) == Total("t1", 4, 10)
    assert TotalDraft.built == 1
    start = FAST.replay(stream(1, 2))
    assert FAST.fold(start, stream(1, 2, 3, 4)[2:]) == Total("t1", 4, 10)
    assert TotalDraft.built == 3
    assert FAST.fold(start, []) is start
    assert FAST.fold(None, []) is None


def test_apply_keeps_one_event_at_a_time() -> None:
    TotalDraft.built = 0
    total = FAST.apply(None, Added("t1", 1, 5))
    assert FAST.apply(total, Added("t1", 2, 5)) == Total("t1", 2, 10)
    assert TotalDraft.built == 0  # apply uses start and evolve


def test_decided_folds_through_the_draft() -> None:
    total = FAST.replay(stream(1))
    decision = FAST.decided(total, [Added("t1", 2, 2)])
    assert decision == Decision(Total("t1", 2, 3), (Added("t1", 2, 2),))


@pytest.mark.parametrize(
    "events",
    [
        [],
        stream(1, 2)[1:],
        [*stream(1, 2), Added("t1", 2, 1)],
        [*stream(1, 2), Added("t1", 4, 1)],
        [*stream(1, 2), Added("t2", 3, 1)],
        [*stream(1, 2), Added("t2", 5, 1)],
        stream(1, -1, 2),
        stream(60, 30, 20),
    ],
    ids=[
        "empty",
        "no-start",
        "repeat",
        "gap",
        "other-stream",
        "other-and-gap",
        "refused",
        "misfit",
    ],
)
def test_a_broken_stream_fails_the_same_way_with_or_without_a_draft(events: list[Added]) -> None:
    fast, slow = outcome(lambda: FAST.replay(events)), outcome(lambda: SLOW.replay(events))
    assert fast == slow
    assert isinstance(fast, tuple)


def test_a_value_error_in_the_draft_names_the_event() -> None:
    with pytest.raises(InvalidEventStream, match=r"\[2\]: does not fit the total: total 110"):
        FAST.replay(stream(60, 30, 20))
    with pytest.raises(ValidationError, match="amount: must not be negative") as caught:
        FAST.replay(stream(1, -1))
    assert type(caught.value) is ValidationError  # an ItsmError passes through unchanged


def test_a_draft_is_a_protocol_of_apply_and_build() -> None:
    draft: Draft[Total, Added] = TotalDraft(None)
    draft.apply(Added("t1", 1, 7))
    assert draft.build() == Total("t1", 1, 7)
