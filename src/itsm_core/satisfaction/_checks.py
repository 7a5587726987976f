"""Small input checks shared by the scoring functions; they collect problems, never coerce."""

from __future__ import annotations

import math
from collections.abc import Iterable

from itsm_core.errors import InsufficientData, Problem, ValidationError


def is_number(value: object) -> bool:
    """True for an int or float that is not a bool (a bool is never a silent 0/1)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def confidence_problems(confidence: object, path: str = "confidence") -> list[Problem]:
    """Problems with a two-sided confidence level, which must lie strictly between 0 and 1."""
    if not is_number(confidence):
        return [Problem(path, f"must be a number strictly between 0 and 1, got {confidence!r}")]
    assert isinstance(confidence, int | float)
    if not 0.0 < confidence < 1.0:
        return [Problem(path, f"must be strictly between 0 and 1, got {confidence!r}")]
    return []


def count_problems(value: object, path: str) -> list[Problem]:
    """Problems with a count, which must be an int (not a bool) >= 0."""
    if not isinstance(value, int) or isinstance(value, bool):
        return [Problem(path, f"must be an integer count, got {value!r}")]
    if value < 0:
        return [Problem(path, f"must be >= 0, got {value}")]
    return []


def finite_values(subject: str, values: Iterable[object], path: str = "values") -> list[float]:
    """Return the values as floats, or raise ValidationError naming every bad one."""
    result: list[float] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if not is_number(value):
            problems.append(Problem(f"{path}[{index}]", f"not a number: {value!r}"))
            continue
        assert isinstance(value, int | float)
        number = float(value)
        if not math.isfinite(number):
            problems.append(Problem(f"{path}[{index}]", f"not finite: {value!r}"))
            continue
        result.append(number)
    if problems:
        raise ValidationError(subject, problems)
    return result


def raise_if(subject: str, problems: list[Problem]) -> None:
    """Raise ValidationError(subject, problems) when there are any."""
    if problems:
        raise ValidationError(subject, problems)


def require_n(subject: str, n: int, minimum: int, path: str, what: str) -> None:
    """Raise InsufficientData when fewer than ``minimum`` observations are available."""
    if n < minimum:
        need = "at least one" if minimum == 1 else f"at least {minimum}"
        raise InsufficientData(subject, [Problem(path, f"{what}: n = {n}, {need} needed")])


def nonempty_str(value: object) -> bool:
    """True for a non-empty str (checked at run time, whatever the annotation promised)."""
    return isinstance(value, str) and bool(value)


def instance_of(value: object, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` for values whose static type already claims ``kind``: a run-time guard."""
    return isinstance(value, kind)
