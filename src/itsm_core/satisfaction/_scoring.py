"""Scale-aware building blocks: validate scores on a scale, count boxes, average."""

from __future__ import annotations

from collections.abc import Iterable

from itsm_core._plain import shown
from itsm_core.errors import Problem
from itsm_core.satisfaction._scales import Scale
from itsm_core.stats._checks import raise_if


def scores_on_scale(subject: str, scores: Iterable[object], scale: Scale) -> list[int]:
    """The scores as ints after checking each one is on ``scale``; lists every bad one."""
    result: list[int] = []
    problems: list[Problem] = []
    for index, value in enumerate(scores):
        problem = scale.answer_problem(value)
        if problem is not None:
            problems.append(Problem(f"scores[{index}]", problem))
        else:
            assert isinstance(value, int)
            result.append(int(value))
    raise_if(subject, problems)
    return result


def positive_set(
    subject: str, scale: Scale, positive: Iterable[int] | None, path: str = "positive"
) -> frozenset[int]:
    """The favourable values: ``positive`` checked against the scale, or the default.

    The default is the two best values of the scale (top-2-box), or "yes" on a yes/no scale.
    """
    if positive is None:
        return scale.best(1 if scale.yes_no else 2)
    chosen = frozenset(positive)
    problems = [
        Problem(path, f"{shown(value)} is not a value of the scale {scale.low}..{scale.high}")
        for value in sorted(chosen, key=repr)
        if isinstance(value, bool) or value not in scale.values
    ]
    if not chosen:
        problems.append(Problem(path, "the set of favourable values is empty"))
    raise_if(subject, problems)
    return chosen


def mean_index(mean: float, scale: Scale) -> float:
    """Rescale a mean on ``scale`` to 0..100, 100 being the best end of the scale.

    ``(mean − low) / (high − low) × 100``, mirrored when lower is better: the 满意度 index.

    >>> from itsm_core.satisfaction import FIVE_POINT
    >>> mean_index(4.0, FIVE_POINT)
    75.0
    """
    share = (mean - scale.low) / (scale.high - scale.low)
    return 100.0 * (share if scale.higher_is_better else 1.0 - share)
