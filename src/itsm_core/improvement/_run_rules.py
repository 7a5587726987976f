"""Western Electric and Nelson run rules: patterns that signal a special cause on a chart.

Every rule looks at the standardised distance of each point from the centre line,
``z = (value − centre) / sigma``, where sigma is the standard deviation of the plotted
statistic at that point (so varying-n p charts work). Conventions, stated once:

* "beyond k sigma" means ``|z| >= k`` on the named side (a point *on* a limit counts, the
  Minitab convention followed by Montgomery's solutions); "within 1 sigma" means ``|z| < 1``;
* "same side" means strictly above (``z > 0``) or strictly below (``z < 0``); a point on the
  centre line breaks a run;
* rules with a side (2 of 3, 4 of 5, runs) are evaluated one side at a time: a point above
  +2 sigma followed by one below −2 sigma does not signal (Montgomery, *Introduction to
  Statistical Quality Control*, the Western Electric rules);
* a pattern found in overlapping windows is reported once, with every point involved.

Sources: Western Electric Company, *Statistical Quality Control Handbook* (1956): rules 1-4,
run of 8; L. S. Nelson, "The Shewhart control chart: tests for special causes", *Journal of
Quality Technology* 16(4), 1984: rules 1-8, run of 9. Run lengths are parameters because
packages differ (Minitab and STATISTICA use 9).
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Sequence

import attrs

from itsm_core.errors import Problem, ValidationError


class RunRule(enum.StrEnum):
    """The kinds of pattern a rule looks for."""

    BEYOND_LIMITS = "beyond_limits"
    """One point at or beyond 3 sigma."""
    TWO_OF_THREE = "two_of_three"
    """2 of 3 consecutive points at or beyond 2 sigma, same side."""
    FOUR_OF_FIVE = "four_of_five"
    """4 of 5 consecutive points at or beyond 1 sigma, same side."""
    RUN = "run"
    """``length`` consecutive points on the same side of the centre line."""
    TREND = "trend"
    """``length`` consecutive points steadily increasing or decreasing."""
    ALTERNATING = "alternating"
    """``length`` consecutive points alternating up and down."""
    STRATIFICATION = "stratification"
    """``length`` consecutive points within 1 sigma (too little variation)."""
    MIXTURE = "mixture"
    """``length`` consecutive points none within 1 sigma, either side."""


class Side(enum.StrEnum):
    """Where a signal lies relative to the centre line."""

    ABOVE = "above"
    BELOW = "below"
    BOTH = "both"


@attrs.frozen(kw_only=True)
class RuleSpec:
    """One rule of a rule set: its label (``"Nelson 2"``), its kind and its length in points."""

    label: str
    rule: RunRule
    length: int

    def __attrs_post_init__(self) -> None:
        minimum = {RunRule.BEYOND_LIMITS: 1, RunRule.TWO_OF_THREE: 3, RunRule.FOUR_OF_FIVE: 5}
        fixed = minimum.get(self.rule)
        if fixed is not None and self.length != fixed:
            raise ValidationError(
                "RuleSpec", [Problem("length", f"{self.rule.value} looks at {fixed} points")]
            )
        if fixed is None and self.length < 2:
            raise ValidationError("RuleSpec", [Problem("length", "a pattern needs >= 2 points")])


@attrs.frozen(kw_only=True)
class RuleSet:
    """A named list of rules evaluated together."""

    name: str
    rules: tuple[RuleSpec, ...]


def western_electric(run_length: int = 8) -> RuleSet:
    """The four Western Electric (1956) zone rules; the run rule uses ``run_length`` points.

    >>> [spec.label for spec in western_electric().rules]
    ['WE1', 'WE2', 'WE3', 'WE4']
    """
    return RuleSet(
        name="western_electric",
        rules=(
            RuleSpec(label="WE1", rule=RunRule.BEYOND_LIMITS, length=1),
            RuleSpec(label="WE2", rule=RunRule.TWO_OF_THREE, length=3),
            RuleSpec(label="WE3", rule=RunRule.FOUR_OF_FIVE, length=5),
            RuleSpec(label="WE4", rule=RunRule.RUN, length=run_length),
        ),
    )


def nelson(run_length: int = 9) -> RuleSet:
    """The eight Nelson (1984) rules, numbered as Nelson numbered them.

    1 beyond 3 sigma; 2 ``run_length`` (9) on one side; 3 six steadily increasing or
    decreasing; 4 fourteen alternating up and down; 5 two of three beyond 2 sigma; 6 four of
    five beyond 1 sigma; 7 fifteen within 1 sigma; 8 eight beyond 1 sigma on either side.
    """
    return RuleSet(
        name="nelson",
        rules=(
            RuleSpec(label="Nelson 1", rule=RunRule.BEYOND_LIMITS, length=1),
            RuleSpec(label="Nelson 2", rule=RunRule.RUN, length=run_length),
            RuleSpec(label="Nelson 3", rule=RunRule.TREND, length=6),
            RuleSpec(label="Nelson 4", rule=RunRule.ALTERNATING, length=14),
            RuleSpec(label="Nelson 5", rule=RunRule.TWO_OF_THREE, length=3),
            RuleSpec(label="Nelson 6", rule=RunRule.FOUR_OF_FIVE, length=5),
            RuleSpec(label="Nelson 7", rule=RunRule.STRATIFICATION, length=15),
            RuleSpec(label="Nelson 8", rule=RunRule.MIXTURE, length=8),
        ),
    )


@attrs.frozen(kw_only=True)
class Signal:
    """A rule fired: which rule, on which side, at which point indices (0-based, sorted).

    For the "k of m" rules the indices are the points beyond the zone, not the whole window;
    for runs, trends and the like they are every point of the pattern.
    """

    label: str
    rule: RunRule
    side: Side
    indices: tuple[int, ...]

    @property
    def first(self) -> int:
        """The first point involved."""
        return self.indices[0]

    @property
    def last(self) -> int:
        """The last point involved (where the pattern is complete)."""
        return self.indices[-1]


def _windows(spec: RuleSpec, z: Sequence[float]) -> list[tuple[Side, tuple[int, ...], range]]:
    """Every (side, involved indices, window) where the rule's pattern holds."""
    found: list[tuple[Side, tuple[int, ...], range]] = []
    for end in range(spec.length - 1, len(z)):
        window = range(end - spec.length + 1, end + 1)
        found.extend((side, indices, window) for side, indices in _match(spec.rule, z, window))
    return found


def _match(rule: RunRule, z: Sequence[float], window: range) -> list[tuple[Side, tuple[int, ...]]]:
    values = [z[i] for i in window]
    if rule is RunRule.BEYOND_LIMITS:
        i = window[0]
        if z[i] >= 3:
            return [(Side.ABOVE, (i,))]
        return [(Side.BELOW, (i,))] if z[i] <= -3 else []
    if rule in (RunRule.TWO_OF_THREE, RunRule.FOUR_OF_FIVE):
        zone, need = (2.0, 2) if rule is RunRule.TWO_OF_THREE else (1.0, 4)
        result = []
        above = tuple(i for i in window if z[i] >= zone)
        below = tuple(i for i in window if z[i] <= -zone)
        if len(above) >= need:
            result.append((Side.ABOVE, above))
        if len(below) >= need:
            result.append((Side.BELOW, below))
        return result
    whole = tuple(window)
    if rule is RunRule.RUN:
        if all(v > 0 for v in values):
            return [(Side.ABOVE, whole)]
        return [(Side.BELOW, whole)] if all(v < 0 for v in values) else []
    steps = [b - a for a, b in itertools.pairwise(values)]
    if rule is RunRule.TREND:
        if all(s > 0 for s in steps):
            return [(Side.ABOVE, whole)]
        return [(Side.BELOW, whole)] if all(s < 0 for s in steps) else []
    if rule is RunRule.ALTERNATING:
        ok = all(s != 0 for s in steps) and all(
            (a > 0) != (b > 0) for a, b in itertools.pairwise(steps)
        )
        return [(Side.BOTH, whole)] if ok else []
    if rule is RunRule.STRATIFICATION:
        return [(Side.BOTH, whole)] if all(abs(v) < 1 for v in values) else []
    # MIXTURE
    return [(Side.BOTH, whole)] if all(abs(v) >= 1 for v in values) else []


def detect(z_scores: Sequence[float], rule_set: RuleSet) -> tuple[Signal, ...]:
    """Evaluate ``rule_set`` on standardised values; signals ordered by first point, then rule.

    Overlapping (or touching) windows of one rule on one side merge into a single signal.
    NaN z-scores are refused; infinite ones are allowed (a point off a zero-width chart).

    >>> z = [0.5, 2.5, 0.1, 2.2, -0.3, 3.4]
    >>> [(s.label, s.indices) for s in detect(z, western_electric())]
    [('WE2', (1, 3, 5)), ('WE1', (5,))]
    """
    bad = [Problem(f"z_scores[{i}]", "is NaN") for i, v in enumerate(z_scores) if math.isnan(v)]
    if bad:
        raise ValidationError("run rules", bad)
    signals: list[Signal] = []
    for spec in rule_set.rules:
        # per side: [indices involved, last point of the last window merged in]
        merged: dict[Side, list[tuple[set[int], int]]] = {}
        for side, indices, window in _windows(spec, z_scores):
            groups = merged.setdefault(side, [])
            if groups and window.start <= groups[-1][1]:
                groups[-1] = (groups[-1][0] | set(indices), window[-1])
            else:
                groups.append((set(indices), window[-1]))
        for side, groups in merged.items():
            signals.extend(
                Signal(label=spec.label, rule=spec.rule, side=side, indices=tuple(sorted(g)))
                for g, _ in groups
            )
    ranks = {spec.label: i for i, spec in enumerate(rule_set.rules)}
    return tuple(sorted(signals, key=lambda s: (s.first, ranks[s.label], s.side.value)))
