"""Answer scales: integer ranges (1-5, 1-7, 0-10...) or yes/no, each with its direction."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from itsm_core._plain import key_text, shown
from itsm_core.errors import InvalidSurvey, Problem


@attrs.frozen
class Scale:
    """The answers a question accepts.

    A numeric scale accepts the integers ``low..high``; a yes/no scale (``yes_no=True``,
    ``low=0``, ``high=1``) accepts only ``True`` and ``False``. ``higher_is_better`` records the
    direction, which differs between instruments (CES 1.0 "effort" is better when low, CES 2.0
    "ease" when high), so no score is ever computed without knowing it.

    >>> FIVE_POINT.values
    (1, 2, 3, 4, 5)
    >>> FIVE_POINT.answer_problem(6)
    '6 is off the scale 1..5'
    >>> YES_NO.answer_problem(1)
    'a yes/no answer must be True or False, got 1'
    >>> Scale.from_dict({"low": 1, "high": 5, "higher_is_better": False}).higher_is_better
    False
    """

    low: int
    high: int
    higher_is_better: bool = True
    yes_no: bool = False

    def __attrs_post_init__(self) -> None:
        problems = _scale_problems(self.low, self.high, self.higher_is_better, self.yes_no, "")
        if problems:
            raise InvalidSurvey("scale", problems)

    @property
    def values(self) -> tuple[int, ...]:
        """Every value on the scale, ascending (0 and 1 for yes/no)."""
        return tuple(range(self.low, self.high + 1))

    @property
    def points(self) -> int:
        """How many values the scale has."""
        return self.high - self.low + 1

    def best(self, count: int) -> frozenset[int]:
        """The ``count`` most favourable values, following the scale's direction."""
        ordered = self.values if not self.higher_is_better else self.values[::-1]
        return frozenset(ordered[:count])

    def worst(self, count: int) -> frozenset[int]:
        """The ``count`` least favourable values, following the scale's direction."""
        ordered = self.values if self.higher_is_better else self.values[::-1]
        return frozenset(ordered[:count])

    def answer_problem(self, value: object) -> str | None:
        """Why ``value`` is not a valid answer on this scale, or None when it is."""
        if self.yes_no:
            if isinstance(value, bool):
                return None
            return f"a yes/no answer must be True or False, got {shown(value)}"
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be an integer on the scale {self.low}..{self.high}, got {shown(value)}"
        if not self.low <= value <= self.high:
            return f"{shown(value)} is off the scale {self.low}..{self.high}"
        return None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        if self.yes_no:
            return {"yes_no": True}
        return {"low": self.low, "high": self.high, "higher_is_better": self.higher_is_better}

    @classmethod
    def from_dict(cls, data: Mapping[str, object], path: str = "scale") -> Scale:
        """Build a scale from plain data, reporting every problem with its path."""
        problems = scale_dict_problems(data, path)
        if problems:
            raise InvalidSurvey("scale", problems)
        return _scale_from_checked(data)


def _scale_problems(
    low: object, high: object, higher_is_better: object, yes_no: object, prefix: str
) -> list[Problem]:
    problems: list[Problem] = []
    for name, value in (("low", low), ("high", high)):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(Problem(prefix + name, f"must be an integer, got {shown(value)}"))
    for name, value in (("higher_is_better", higher_is_better), ("yes_no", yes_no)):
        if not isinstance(value, bool):
            problems.append(Problem(prefix + name, f"must be true or false, got {shown(value)}"))
    if problems:
        return problems
    assert isinstance(low, int)
    assert isinstance(high, int)
    if high <= low:
        problems.append(
            Problem(prefix + "high", f"must be above low = {shown(low)}, got {shown(high)}")
        )
    if yes_no and (low, high, higher_is_better) != (0, 1, True):
        problems.append(Problem(prefix + "yes_no", "a yes/no scale is low=0, high=1, yes best"))
    return problems


def scale_dict_problems(data: object, path: str) -> list[Problem]:
    """Every problem with plain scale data ``data`` (empty when it is valid)."""
    if not isinstance(data, Mapping):
        return [Problem(path, f"must be a mapping, got {shown(data)}")]
    if data.get("yes_no") is True:
        extra = sorted(key_text(k) for k in data if k != "yes_no")
        return [Problem(f"{path}.{k}", "unexpected with yes_no") for k in extra]
    unknown = sorted(key_text(k) for k in data if k not in {"low", "high", "higher_is_better"})
    problems = [Problem(f"{path}.{k}", "unknown key") for k in unknown]
    missing = [k for k in ("low", "high") if k not in data]
    problems += [Problem(f"{path}.{k}", "missing") for k in missing]
    if not missing:
        problems += _scale_problems(
            data["low"], data["high"], data.get("higher_is_better", True), False, f"{path}."
        )
    return problems


def _scale_from_checked(data: Mapping[str, object]) -> Scale:
    if data.get("yes_no") is True:
        return YES_NO
    low, high, better = data["low"], data["high"], data.get("higher_is_better", True)
    assert isinstance(low, int)
    assert isinstance(high, int)
    assert isinstance(better, bool)
    return Scale(low, high, better)


def scale_from_dict_unchecked(data: Mapping[str, object]) -> Scale:
    """Build a scale from data already checked by :func:`scale_dict_problems`."""
    return _scale_from_checked(data)


FIVE_POINT = Scale(1, 5)
"""1..5, higher is better: the usual CSAT scale."""
SEVEN_POINT = Scale(1, 7)
"""1..7, higher is better: SERVQUAL's original scale, CES 2.0."""
ZERO_TO_TEN = Scale(0, 10)
"""0..10, higher is better: the NPS likelihood-to-recommend scale."""
YES_NO = Scale(0, 1, yes_no=True)
"""Yes (True) or no (False), yes is the favourable answer (e.g. "was your issue resolved?")."""
