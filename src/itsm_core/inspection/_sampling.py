"""Sampling calls and tickets for inspection by rule, deterministic given a seed.

The domain never draws random numbers: each candidate gets a rank, the SHA-256 of the seed and
its id, and a rule takes the lowest ranks. The same seed gives the same sample; another seed
another sample, with every candidate equally likely to be taken; and a candidate's rank does
not depend on the others, so adding calls to the pool never reshuffles those already ranked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import check_aware_fields, frozen_set, is_int
from itsm_core._plain import as_mapping, check_keys, is_a, is_number, is_text, shown
from itsm_core.calls import Call
from itsm_core.errors import InvalidPolicy, Problem, ValidationError
from itsm_core.inspection._sheet import SubjectKind
from itsm_core.tickets import Ticket


@attrs.frozen(kw_only=True)
class Candidate:
    """A contact that may be inspected: what it is, its id, the agent who handled it, when,
    and tags a rule can select on (``"abandoned"``, ``"transferred"``, ``"complaint"``...)."""

    kind: SubjectKind
    subject_id: str
    agent: str | None
    at: dt.datetime
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=frozen_set)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")


def call_candidates(calls: Iterable[Call]) -> tuple[Candidate, ...]:
    """The answered calls as candidates (an abandoned call has no agent to inspect), tagged
    ``transferred``, ``unresolved`` (not settled on the call), ``callback`` and ``queue=<q>``."""
    out = []
    for call in calls:
        if call.agent is None or call.answered_at is None:
            continue
        tags = {f"queue={call.queue}"} if call.queue else set()
        if call.transferred:
            tags.add("transferred")
        if call.resolved is False:
            tags.add("unresolved")
        if call.callback_requested_at is not None:
            tags.add("callback")
        out.append(
            Candidate(
                kind=SubjectKind.CALL,
                subject_id=call.call_id,
                agent=call.agent,
                at=call.answered_at,
                tags=tags,
            )
        )
    return tuple(out)


def ticket_candidates(tickets: Iterable[Ticket]) -> tuple[Candidate, ...]:
    """Tickets as candidates, by their assignee, tagged with their kind (``incident``,
    ``complaint``...), ``category=<c>`` and ``open`` or ``resolved``."""
    out = []
    for ticket in tickets:
        tags = {ticket.kind.value, "resolved" if ticket.resolved_at is not None else "open"}
        if ticket.category:
            tags.add(f"category={ticket.category}")
        out.append(
            Candidate(
                kind=SubjectKind.TICKET,
                subject_id=ticket.id,
                agent=ticket.assignee,
                at=ticket.resolved_at or ticket.opened_at,
                tags=tags,
            )
        )
    return tuple(out)


@attrs.frozen(kw_only=True)
class InspectionSampling:
    """Which contacts to inspect.

    Candidates of ``kind`` carrying every tag of ``require`` and none of ``exclude`` form the
    pool; then ``per_agent`` of each agent's (e.g. 3 calls per agent per week), or else
    ``rate`` of the pool, rounded up (e.g. 0.05 of the tickets). Exactly one of the two.
    """

    name: str
    kind: SubjectKind
    per_agent: int | None = None
    rate: float | None = None
    require: frozenset[str] = attrs.field(factory=frozenset, converter=frozen_set)
    exclude: frozenset[str] = attrs.field(factory=frozenset, converter=frozen_set)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not is_text(self.name):
            problems.append(Problem("name", f"expected a name, got {shown(self.name)}"))
        if not is_a(self.kind, SubjectKind):
            problems.append(Problem("kind", f"expected call or ticket, got {shown(self.kind)}"))
        if (self.per_agent is None) == (self.rate is None):
            problems.append(Problem("per_agent", "give either per_agent or rate"))
        if self.per_agent is not None and not (is_int(self.per_agent) and self.per_agent >= 1):
            problems.append(
                Problem("per_agent", f"expected an integer >= 1, got {shown(self.per_agent)}")
            )
        if self.rate is not None and not (is_number(self.rate) and 0 < self.rate <= 1):
            problems.append(Problem("rate", f"expected a share in (0, 1], got {shown(self.rate)}"))
        problems.extend(
            Problem(name, "expected a list of tags")
            for name in ("require", "exclude")
            if not all(is_text(tag) for tag in getattr(self, name))
        )
        if problems:
            raise InvalidPolicy(f"sampling rule {shown(self.name)}", problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back."""
        data: dict[str, Any] = {"name": self.name, "kind": self.kind.value}
        if self.per_agent is not None:
            data["per_agent"] = self.per_agent
        if self.rate is not None:
            data["rate"] = self.rate
        data["require"] = sorted(self.require)
        data["exclude"] = sorted(self.exclude)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InspectionSampling:
        """A rule from plain data; InvalidPolicy lists every problem."""
        problems: list[Problem] = []
        mapping = as_mapping(data, "", problems)
        if mapping is None:
            raise InvalidPolicy("sampling rule", problems)
        optional = ("per_agent", "rate", "require", "exclude")
        check_keys(mapping, "", ("name", "kind"), optional, problems)
        kind = mapping.get("kind")
        if "kind" in mapping and kind not in [k.value for k in SubjectKind]:
            problems.append(Problem("kind", f"expected call or ticket, got {shown(kind)}"))
        tags: dict[str, list[str]] = {}
        for name in ("require", "exclude"):
            value = mapping.get(name, [])
            if not (isinstance(value, list) and all(isinstance(tag, str) for tag in value)):
                problems.append(Problem(name, "expected a list of tags"))
            else:
                tags[name] = value
        if problems:
            raise InvalidPolicy("sampling rule", problems)
        return cls(
            name=mapping["name"],  # type: ignore[arg-type]  # checked on construction
            kind=SubjectKind(str(kind)),
            per_agent=mapping.get("per_agent"),  # type: ignore[arg-type]
            rate=mapping.get("rate"),  # type: ignore[arg-type]
            require=tags["require"],
            exclude=tags["exclude"],
        )


def rank(seed: int, subject_id: str) -> str:
    """The sampling rank of a candidate: SHA-256 of the seed and its id, as hex.

    >>> rank(7, "C1") == rank(7, "C1") != rank(8, "C1")
    True
    """
    return hashlib.sha256(f"{seed}\x00{subject_id}".encode("utf-8", "surrogatepass")).hexdigest()


def sample(
    candidates: Iterable[Candidate], rule: InspectionSampling, *, seed: int
) -> tuple[Candidate, ...]:
    """The candidates ``rule`` takes for inspection, by agent then time.

    ``seed`` is the caller's (a number drawn once per sampling round and recorded with it, so
    the round can be repeated and audited). Candidates without an agent count only for
    ``rate``.

    >>> import datetime as dt
    >>> t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    >>> pool = [Candidate(kind=SubjectKind.CALL, subject_id=f"C{i}", agent="ana", at=t)
    ...         for i in range(10)]
    >>> rule = InspectionSampling(name="weekly", kind=SubjectKind.CALL, per_agent=2)
    >>> sample(pool, rule, seed=1) == sample(pool, rule, seed=1), len(sample(pool, rule, seed=1))
    (True, 2)
    """
    if not is_int(seed):
        raise ValidationError(
            "sample", [Problem("seed", f"expected an integer, got {shown(seed)}")]
        )
    pool = [
        c
        for c in candidates
        if c.kind is rule.kind and rule.require <= c.tags and not (rule.exclude & c.tags)
    ]
    ranked = sorted(pool, key=lambda c: rank(seed, f"{c.kind.value}:{c.subject_id}"))
    if rule.per_agent is not None:
        taken: dict[str, int] = {}
        chosen = []
        for candidate in ranked:
            if candidate.agent is None:
                continue
            count = taken.get(candidate.agent, 0)
            if count < rule.per_agent:
                taken[candidate.agent] = count + 1
                chosen.append(candidate)
    else:
        assert rule.rate is not None
        chosen = ranked[: math.ceil(rule.rate * len(ranked))]
    return tuple(sorted(chosen, key=lambda c: (c.agent or "", c.at, c.subject_id)))
