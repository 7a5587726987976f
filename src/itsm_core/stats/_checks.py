"""Input checks of the statistical functions: they collect problems, never coerce.

Private to the library. ``stats`` uses them, and so does ``satisfaction``, whose scores are
statistics on survey answers (the layers allow it: satisfaction stands on stats). Users never
import them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from itsm_core._checks import is_int
from itsm_core._plain import shown
from itsm_core.errors import InsufficientData, Problem, ValidationError

#: The largest count a statistic takes: beyond 2**53 a count is no longer exact as a float.
COUNT_LIMIT = 2**53


def is_number(value: object) -> bool:
    """True for an int or float that is not a bool (a bool is never a silent 0/1).

    >>> is_number(3), is_number(2.5), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return isinstance(value, int | float) and not isinstance(value, bool)


def confidence_problems(confidence: object, path: str = "confidence") -> list[Problem]:
    """Problems with a two-sided confidence level, which must lie strictly between 0 and 1."""
    if not is_number(confidence):
        wrong = f"must be a number strictly between 0 and 1, got {shown(confidence)}"
        return [Problem(path, wrong)]
    assert isinstance(confidence, int | float)
    if not 0.0 < confidence < 1.0:
        return [Problem(path, f"must be strictly between 0 and 1, got {shown(confidence)}")]
    return []


def count_problems(value: object, path: str) -> list[Problem]:
    """Problems with a count, which must be an int (not a bool) >= 0."""
    if not is_int(value):
        return [Problem(path, f"must be an integer count, got {shown(value)}")]
    if value < 0:
        return [Problem(path, f"must be >= 0, got {shown(value)}")]
    if value > COUNT_LIMIT:
        return [Problem(path, f"must be at most 2**53, got {shown(value)}")]
    return []


def finite_values(subject: str, values: Iterable[object], path: str = "values") -> list[float]:
    """Return the values as floats, or raise ValidationError naming every bad one."""
    result: list[float] = []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if not is_number(value):
            problems.append(Problem(f"{path}[{index}]", f"not a number: {shown(value)}"))
            continue
        assert isinstance(value, int | float)
        try:
            number = float(value)
        except OverflowError:  # an int beyond the largest float
            assert is_int(value)
            problems.append(Problem(f"{path}[{index}]", f"too large: {shown(value)}"))
            continue
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
