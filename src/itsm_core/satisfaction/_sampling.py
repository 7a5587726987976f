"""Which closed tickets get a satisfaction survey, and when: pure, reproducible decisions.

Sampling is a deterministic hash of the ticket id and a caller-chosen seed, never a random
draw: the same ticket, seed and rate always give the same answer, on any machine, so a survey
round can be replayed and audited (回访抽样).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Mapping

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import as_mapping, as_seconds, is_number, shown
from itsm_core.errors import InvalidSurvey, Problem, ValidationError
from itsm_core.satisfaction._checks import nonempty_str

_ZERO = dt.timedelta(0)


def sample_position(ticket_id: str, seed: str) -> float:
    """A number in [0, 1) fixed by ``(seed, ticket_id)``: the first 8 bytes of a SHA-256.

    A ticket is in a sample of rate ``r`` when its position is below ``r``, so raising the rate
    only ever adds tickets to the sample.

    >>> sample_position("INC0001", "2026-W47") == sample_position("INC0001", "2026-W47")
    True
    """
    digest = hashlib.sha256(f"{seed}\x1f{ticket_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


class SamplingOutcome(enum.StrEnum):
    """What to do about one closed ticket now."""

    NOT_SAMPLED = "not_sampled"
    """The ticket is outside the sample: never survey it."""
    COOLDOWN = "cooldown"
    """In the sample, but the customer was surveyed too recently: skip it."""
    WAIT = "wait"
    """In the sample; the delay after closing has not passed yet."""
    SEND = "send"
    """In the sample and inside the validity window: send the survey now."""
    EXPIRED = "expired"
    """In the sample, but the validity window has closed: too late to ask."""


@attrs.frozen(kw_only=True)
class SamplingDecision:
    """The decision for one ticket, with the window it applies to and the reason."""

    ticket_id: str
    outcome: SamplingOutcome
    window_start: dt.datetime
    window_end: dt.datetime
    reason: str

    @property
    def should_send(self) -> bool:
        """True when the survey should be sent now."""
        return self.outcome is SamplingOutcome.SEND


def _rule_problems(
    rate: object, delay: object, validity: object, cooldown: object
) -> list[Problem]:
    problems: list[Problem] = []
    if not (is_number(rate) and 0 <= rate <= 1):
        problems.append(Problem("rate", f"must be a number in [0, 1], got {shown(rate)}"))
    if not isinstance(delay, dt.timedelta) or delay < _ZERO:
        problems.append(Problem("delay", f"must be a timedelta >= 0, got {shown(delay)}"))
    if not isinstance(validity, dt.timedelta) or validity <= _ZERO:
        problems.append(Problem("validity", f"must be a timedelta > 0, got {shown(validity)}"))
    if cooldown is not None and (not isinstance(cooldown, dt.timedelta) or cooldown <= _ZERO):
        problems.append(
            Problem("cooldown", f"must be a timedelta > 0 or None, got {shown(cooldown)}")
        )
    return problems


@attrs.frozen(kw_only=True)
class SamplingRule:
    """Which closed tickets get a survey (``rate``) and when (``delay``, ``validity``).

    A sampled ticket closed at ``t`` may be surveyed in ``[t + delay, t + delay + validity)``,
    the validity window, and an answer is accepted only inside it. With ``cooldown`` set, a
    customer surveyed less than ``cooldown`` ago is skipped (survey fatigue).

    >>> import datetime as dt
    >>> rule = SamplingRule(rate=1.0, delay=dt.timedelta(hours=1), validity=dt.timedelta(days=7))
    >>> closed = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone.utc)
    >>> rule.decide(ticket_id="INC1", closed_at=closed, now=closed, seed="w47").outcome.value
    'wait'
    >>> later = closed + dt.timedelta(hours=2)
    >>> rule.decide(ticket_id="INC1", closed_at=closed, now=later, seed="w47").should_send
    True
    """

    rate: float
    validity: dt.timedelta
    delay: dt.timedelta = _ZERO
    cooldown: dt.timedelta | None = None

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(self.rate, self.delay, self.validity, self.cooldown)
        if problems:
            raise InvalidSurvey("sampling rule", problems)

    def selects(self, ticket_id: str, seed: str) -> bool:
        """True when the ticket is in the sample for this seed (see :func:`sample_position`)."""
        return sample_position(ticket_id, seed) < self.rate

    def window(self, closed_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The validity window ``[start, end)`` of a ticket closed at ``closed_at``."""
        check_aware(closed_at, "closed_at")
        start = closed_at + self.delay
        return start, start + self.validity

    def accepts_response(self, closed_at: dt.datetime, answered_at: dt.datetime) -> bool:
        """True when an answer given at ``answered_at`` falls inside the validity window."""
        check_aware(answered_at, "answered_at")
        start, end = self.window(closed_at)
        return start <= answered_at < end

    def decide(
        self,
        *,
        ticket_id: str,
        closed_at: dt.datetime,
        now: dt.datetime,
        seed: str,
        last_surveyed_at: dt.datetime | None = None,
    ) -> SamplingDecision:
        """Decide what to do about one closed ticket at ``now``.

        Args:
            ticket_id: the ticket's id, hashed with ``seed`` for the sample.
            closed_at: when the ticket was closed (aware).
            now: the current time, passed in (aware).
            seed: the caller's seed for this survey programme or round.
            last_surveyed_at: when this ticket's customer was last surveyed, if ever.

        Raises:
            ValidationError: an empty ticket id or seed.
            NaiveDatetimeError: a datetime without a time zone.
        """
        problems = []
        if not nonempty_str(ticket_id):
            problems.append(Problem("ticket_id", f"must be a non-empty string: {shown(ticket_id)}"))
        if not nonempty_str(seed):
            problems.append(Problem("seed", f"must be a non-empty string: {shown(seed)}"))
        if problems:
            raise ValidationError("sampling decision", problems)
        check_aware(now, "now")
        if last_surveyed_at is not None:
            check_aware(last_surveyed_at, "last_surveyed_at")
        start, end = self.window(closed_at)

        def decision(outcome: SamplingOutcome, reason: str) -> SamplingDecision:
            return SamplingDecision(
                ticket_id=ticket_id,
                outcome=outcome,
                window_start=start,
                window_end=end,
                reason=reason,
            )

        if not self.selects(ticket_id, seed):
            return decision(SamplingOutcome.NOT_SAMPLED, f"outside the {self.rate:.0%} sample")
        if (
            self.cooldown is not None
            and last_surveyed_at is not None
            and now - last_surveyed_at < self.cooldown
        ):
            return decision(
                SamplingOutcome.COOLDOWN, f"customer surveyed {now - last_surveyed_at} ago"
            )
        if now < start:
            return decision(SamplingOutcome.WAIT, f"delay runs until {start.isoformat()}")
        if now >= end:
            return decision(SamplingOutcome.EXPIRED, f"window closed at {end.isoformat()}")
        return decision(SamplingOutcome.SEND, f"window open until {end.isoformat()}")

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data (durations in seconds); :meth:`from_dict` reads it back."""
        return {
            "rate": self.rate,
            "delay_seconds": self.delay.total_seconds(),
            "validity_seconds": self.validity.total_seconds(),
            "cooldown_seconds": None if self.cooldown is None else self.cooldown.total_seconds(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SamplingRule:
        """Build a rule from plain data, reporting every problem with its path.

        >>> SamplingRule.from_dict({"rate": 1.5, "validity_seconds": 0})
        Traceback (most recent call last):
        ...
        itsm_core.errors.InvalidSurvey: invalid survey sampling rule: 2 problems
          - rate: must be a number in [0, 1], got 1.5
          - validity: must be a timedelta > 0, got datetime.timedelta(0)
        """
        problems: list[Problem] = []
        if as_mapping(data, "", problems) is None:
            raise InvalidSurvey("sampling rule", problems)
        known = {"rate", "delay_seconds", "validity_seconds", "cooldown_seconds"}
        problems = [Problem(key, "unknown key") for key in sorted(data) if key not in known]
        durations: dict[str, dt.timedelta | None] = {}
        for key, default in (("delay", 0), ("validity", None), ("cooldown", None)):
            raw = data.get(f"{key}_seconds", default)
            if raw is None:
                durations[key] = None
            elif (duration := as_seconds(raw)) is None:
                problems.append(
                    Problem(f"{key}_seconds", f"must be a number of seconds: {shown(raw)}")
                )
                durations[key] = _ZERO if key == "delay" else None
            else:
                durations[key] = duration
        checked_validity = durations["validity"]
        if checked_validity is None:
            if not any(p.path == "validity_seconds" for p in problems):
                problems.append(Problem("validity_seconds", "required: a number of seconds > 0"))
            checked_validity = dt.timedelta(seconds=1)
        rate = data.get("rate")
        problems += _rule_problems(
            rate, durations["delay"], checked_validity, durations["cooldown"]
        )
        if problems:
            raise InvalidSurvey("sampling rule", problems)
        assert isinstance(rate, int | float)
        delay, validity = durations["delay"], durations["validity"]
        assert delay is not None
        assert validity is not None
        return cls(rate=rate, delay=delay, validity=validity, cooldown=durations["cooldown"])
