"""What a cycle records: problem, baseline, target, root cause, actions, result, standard."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from itsm_core._checks import check_aware_fields
from itsm_core.errors import Problem, ValidationError
from itsm_core.improvement._comparison import BeforeAfter, compare
from itsm_core.improvement._measurement import Direction, Measurement


def check_text(subject: str, **fields: object) -> None:
    """ValidationError naming each of ``fields`` that is not non-blank text."""
    problems = [
        Problem(name, "must be non-empty text")
        for name, value in fields.items()
        if not isinstance(value, str) or not value.strip()
    ]
    if problems:
        raise ValidationError(subject, problems)


@attrs.frozen
class ProblemStatement:
    """What is wrong, for whom, how much: one or two sentences."""

    text: str

    def __attrs_post_init__(self) -> None:
        check_text("ProblemStatement", text=self.text)


@attrs.frozen
class Vision:
    """ITIL 4 step 1: the organisational vision and objective the improvement serves."""

    text: str

    def __attrs_post_init__(self) -> None:
        check_text("Vision", text=self.text)


@attrs.frozen(kw_only=True)
class Target:
    """Where the KPI should be, by when, and which way is better."""

    kpi: str
    value: float
    direction: Direction
    due: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "due")
        check_text("Target", kpi=self.kpi)

    def reached_by(self, value: float) -> bool:
        """True when ``value`` is at or past the target in the better direction."""
        return self.direction.better(value - self.value) >= 0


@attrs.frozen(kw_only=True)
class Why:
    """One link of a 5 whys chain: the question and the answer found."""

    why: str
    because: str

    def __attrs_post_init__(self) -> None:
        check_text("Why", why=self.why, because=self.because)


def _whys(values: Iterable[Why]) -> tuple[Why, ...]:
    return tuple(values)


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class FiveWhys:
    """A why-because chain ending in a root cause (usually five links, at least one)."""

    chain: tuple[Why, ...] = attrs.field(converter=_whys)
    root_cause: str

    def __attrs_post_init__(self) -> None:
        check_text("FiveWhys", root_cause=self.root_cause)
        if not self.chain:
            raise ValidationError("FiveWhys", [Problem("chain", "needs at least one why")])

    @property
    def summary(self) -> str:
        """The root cause."""
        return self.root_cause


def _categories(
    value: Mapping[str, Iterable[str]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((category, tuple(items)) for category, items in dict(value).items())


@attrs.frozen(kw_only=True)
class Fishbone:
    """An Ishikawa diagram: causes per category, and the cause judged to be the root."""

    causes: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(converter=_categories)
    root_cause: str

    def __attrs_post_init__(self) -> None:
        check_text("Fishbone", root_cause=self.root_cause)
        problems = [
            Problem(f"causes.{category}", "no cause listed")
            for category, items in self.causes
            if not items
        ]
        if not self.causes:
            problems.append(Problem("causes", "needs at least one category"))
        if problems:
            raise ValidationError("Fishbone", problems)

    @property
    def summary(self) -> str:
        """The root cause."""
        return self.root_cause


RootCause = FiveWhys | Fishbone


class ActionStatus(enum.StrEnum):
    """Where an action item stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def settled(self) -> bool:
        """True for done and dropped: nothing more is expected of the action."""
        return self in (ActionStatus.DONE, ActionStatus.DROPPED)


@attrs.frozen(kw_only=True)
class ActionItem:
    """A planned action: who does what by when, and where it stands."""

    action_id: str
    description: str
    owner: str
    due: dt.datetime
    status: ActionStatus = ActionStatus.PLANNED
    completed_at: dt.datetime | None = None
    evidence: str | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "due", "completed_at")
        check_text("ActionItem", action_id=self.action_id, description=self.description,
              owner=self.owner)  # fmt: skip
        if (self.status is ActionStatus.DONE) != (self.completed_at is not None):
            raise ValidationError(
                "ActionItem",
                [Problem("completed_at", "set exactly when the status is done")],
            )


@attrs.frozen(kw_only=True)
class ActionUpdate:
    """A change of an action item's status during Do, with its evidence."""

    action_id: str
    status: ActionStatus
    at: dt.datetime
    evidence: str | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        check_text("ActionUpdate", action_id=self.action_id)


@attrs.frozen(kw_only=True)
class MeasuredResult:
    """What the Check step measured after the change, with the evidence behind it."""

    result: Measurement
    evidence: tuple[str, ...] = attrs.field(converter=_texts)

    def __attrs_post_init__(self) -> None:
        if not self.evidence:
            raise ValidationError(
                "MeasuredResult", [Problem("evidence", "name at least one piece of evidence")]
            )


class CheckVerdict(enum.StrEnum):
    """How the measured result compares with the target (and the baseline)."""

    MET = "met"
    PARTIALLY_MET = "partially_met"
    """Better than the baseline, short of the target."""
    NOT_MET = "not_met"


def _judged(comparison: BeforeAfter, target: Target) -> CheckVerdict:
    if target.reached_by(comparison.after.value):
        return CheckVerdict.MET
    if comparison.improvement > 0:
        return CheckVerdict.PARTIALLY_MET
    return CheckVerdict.NOT_MET


@attrs.frozen(kw_only=True)
class CheckResult:
    """The Check step's record: result against target and baseline, with evidence.

    Built by :func:`check_result` when a cycle records a :class:`MeasuredResult`. The verdict
    must follow from the comparison and the target, so a stored record whose verdict was
    changed does not load.
    """

    comparison: BeforeAfter
    target: Target
    verdict: CheckVerdict
    evidence: tuple[str, ...] = attrs.field(converter=_texts)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.evidence:
            problems.append(Problem("evidence", "name at least one piece of evidence"))
        if self.target.direction is not self.comparison.direction:
            problems.append(
                Problem("target.direction", "is not the direction the comparison was made in")
            )
        judged = _judged(self.comparison, self.target)
        if self.verdict != judged:
            problems.append(
                Problem(
                    "verdict",
                    f"{str(self.verdict)!r} does not follow from the measurements "
                    f"({judged.value!r})",
                )
            )
        if problems:
            raise ValidationError("CheckResult", problems)

    @property
    def result(self) -> Measurement:
        """The measurement after the change."""
        return self.comparison.after

    @property
    def benefit(self) -> float:
        """The improvement over the baseline, positive when better (KPI units)."""
        return self.comparison.improvement


def check_result(baseline: Measurement, target: Target, measured: MeasuredResult) -> CheckResult:
    """Judge a measured result against the target and the baseline.

    Met when the result reaches the target; partially met when it is only better than the
    baseline; not met otherwise. The comparison with the baseline carries an interval (see
    :func:`~itsm_core.improvement.compare`).

    Raises:
        ValidationError: the result does not measure the baseline's KPI definition.
    """
    comparison = compare(baseline, measured.result, direction=target.direction)
    return CheckResult(
        comparison=comparison,
        target=target,
        verdict=_judged(comparison, target),
        evidence=measured.evidence,
    )


@attrs.frozen(kw_only=True)
class Standard:
    """Act: the new way of working made standard (SOP, knowledge article, training...)."""

    description: str
    reference: str | None = None

    def __attrs_post_init__(self) -> None:
        check_text("Standard", description=self.description)
