"""Clock definitions: the six conditions (ServiceNow's model) and what a new start does."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import key_text, read_enum
from itsm_core.errors import DeserializationError, InvalidPolicy, Problem
from itsm_core.sla._conditions import (
    NEVER,
    AllOf,
    AnyOf,
    Condition,
    EventIn,
    Fact,
    FieldIn,
    Not,
    PublicComment,
    StatusIn,
    condition_from_dict,
    condition_problem,
)
from itsm_core.sla._duration import name_problem
from itsm_core.workflow import StatusCategory

_CANCELLED = StatusIn({StatusCategory.CANCELLED})


class ClockKind(enum.StrEnum):
    """Who the commitment is to: the customer (SLA), another team (OLA), a vendor (UC)."""

    SLA = "sla"
    OLA = "ola"
    UNDERPINNING = "underpinning"


class CancelWhen(enum.StrEnum):
    """When a running clock is cancelled (ServiceNow's "When to cancel")."""

    CANCEL_MET = "cancel_met"
    START_NOT_MET = "start_not_met"
    NEVER = "never"


class Restart(enum.StrEnum):
    """What a start after a stop does (a reopen): a new cycle from zero, or continue the last
    cycle (the time it spent stopped does not count)."""

    NEW_CYCLE = "new_cycle"
    CONTINUE = "continue"


@attrs.frozen(kw_only=True)
class ClockDefinition:
    """A clock: when it starts, pauses, resumes, stops, is cancelled and is reset.

    Each event is judged in this order (ServiceNow's, with its documented gotcha removed):

    * no cycle under way: ``start`` holds and ``stop`` does not -> a cycle starts, paused if
      ``pause`` holds (a ticket created on hold does not tick);
    * a cycle under way: ``stop`` -> stopped (met or met late); else ``reset`` and ``start`` ->
      the cycle is cancelled and a new one starts; else cancelled when ``cancel_when`` says
      (``start_not_met`` never cancels while ``pause`` holds, so a pause is never mistaken for a
      cancel); else ``pause`` pauses, and ``resume`` (or, without one, ``pause`` no longer
      holding) resumes.

    ``per_group`` makes one clock per assignment group (an OLA): the group's clock starts when
    the ticket is assigned to it and stops when it leaves the group.
    """

    name: str
    start: Condition
    stop: Condition
    pause: Condition = NEVER
    resume: Condition | None = None
    cancel: Condition = _CANCELLED
    cancel_when: CancelWhen = attrs.field(default=CancelWhen.CANCEL_MET, converter=CancelWhen)
    reset: Condition = NEVER
    on_restart: Restart = attrs.field(default=Restart.NEW_CYCLE, converter=Restart)
    kind: ClockKind = attrs.field(default=ClockKind.SLA, converter=ClockKind)
    per_group: bool = False
    #: The definitions of :meth:`for_group` made so far (a private, derived memo).
    _groups: dict[str, ClockDefinition] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        problem = name_problem(self.name)
        if problem is not None:
            problems.append(Problem("name", problem))
        for key in ("start", "stop", "pause", "resume", "cancel", "reset"):
            value = getattr(self, key)
            problem = None if value is None and key == "resume" else condition_problem(value)
            if problem is not None:
                problems.append(Problem(key, problem))
        if problems:
            raise InvalidPolicy("clock definition", problems)

    def resumes(self, fact: Fact) -> bool:
        """True when a paused cycle resumes on ``fact``."""
        if self.resume is None:
            return not self.pause(fact)
        return self.resume(fact)

    def cancels(self, fact: Fact) -> bool:
        """True when a cycle under way is cancelled on ``fact``."""
        if self.cancel_when is CancelWhen.CANCEL_MET:
            return self.cancel(fact)
        if self.cancel_when is CancelWhen.START_NOT_MET:
            return not self.start(fact) and not self.pause(fact)
        return False

    def for_group(self, group: str) -> ClockDefinition:
        """This definition restricted to one assignment group (the OLA of that group)."""
        found = self._groups.get(group)
        if found is None:
            in_group = FieldIn("assignment_group", [group])
            found = self._groups[group] = attrs.evolve(
                self,
                start=AllOf((self.start, in_group)),
                stop=AnyOf((self.stop, Not(in_group))),
                per_group=False,
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "start": self.start.to_dict(),
            "stop": self.stop.to_dict(),
            "pause": self.pause.to_dict(),
            "resume": None if self.resume is None else self.resume.to_dict(),
            "cancel": self.cancel.to_dict(),
            "cancel_when": self.cancel_when.value,
            "reset": self.reset.to_dict(),
            "on_restart": self.on_restart.value,
            "per_group": self.per_group,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> ClockDefinition:
        """Load :meth:`to_dict` data (missing optional keys take their defaults).

        Raises InvalidPolicy listing every problem with its path.
        """
        problems: list[Problem] = []
        prefix = f"{path}." if path else ""
        values: dict[str, Any] = {}
        if not isinstance(data, Mapping):
            raise InvalidPolicy("clock definition", [Problem(path, "expected a mapping")])
        known = {f.name for f in attrs.fields(cls) if f.init}
        problems.extend(
            Problem(f"{prefix}{key_text(k)}", "unknown key")
            for k in sorted(set(data) - known, key=key_text)
        )
        problems.extend(
            Problem(f"{prefix}{key}", "missing")
            for key in ("name", "start", "stop")
            if key not in data
        )
        for key, raw in data.items():
            if key not in known:
                continue
            if key in ("start", "stop", "pause", "cancel", "reset") or (
                key == "resume" and raw is not None
            ):
                try:
                    values[key] = condition_from_dict(raw)
                except DeserializationError as exc:
                    problems.extend(
                        Problem(f"{prefix}{key}" + (f".{p.path}" if p.path else ""), p.message)
                        for p in exc.problems
                    )
                continue
            values[key] = raw
        for key, kind in (
            ("kind", ClockKind),
            ("cancel_when", CancelWhen),
            ("on_restart", Restart),
        ):
            if key in values:
                read_enum(values[key], kind, f"{prefix}{key}", problems)
        if "name" in values and not isinstance(values["name"], str):
            problems.append(Problem(f"{prefix}name", "expected a string"))
        if "per_group" in values and not isinstance(values["per_group"], bool):
            problems.append(Problem(f"{prefix}per_group", "expected true or false"))
        if problems:
            raise InvalidPolicy("clock definition", problems)
        try:
            return cls(**values)
        except InvalidPolicy as exc:
            raise InvalidPolicy(
                "clock definition", [Problem(f"{prefix}{p.path}", p.message) for p in exc.problems]
            ) from exc


_ACTIVE = StatusIn({StatusCategory.NEW, StatusCategory.OPEN, StatusCategory.ON_HOLD})
_DONE = StatusIn({StatusCategory.RESOLVED, StatusCategory.CLOSED})
_ON_HOLD = StatusIn({StatusCategory.ON_HOLD})

#: First response: from opening to the first acknowledgement or public staff reply (an internal
#: work note never counts), or a resolution; paused on hold.
FIRST_RESPONSE = ClockDefinition(
    name="first_response",
    start=EventIn({"open"}),
    stop=AnyOf((EventIn({"acknowledge"}), PublicComment("staff"), _DONE)),
    pause=_ON_HOLD,
)

#: Next response (Zendesk's "next reply time"): each public customer comment starts a cycle that
#: the next public staff reply (or a resolution) stops.
NEXT_RESPONSE = ClockDefinition(
    name="next_response",
    start=AnyOf((PublicComment("customer"),)),
    stop=AnyOf((PublicComment("staff"), _DONE)),
)

#: Resolution: while the ticket is new, open or on hold; paused on hold; stops at resolved or
#: closed; a reopen continues the same cycle (the ITIL stance; set ``on_restart`` to restart).
RESOLUTION = ClockDefinition(
    name="resolution",
    start=_ACTIVE,
    stop=_DONE,
    pause=_ON_HOLD,
    on_restart=Restart.CONTINUE,
)

#: Per-group resolution time (an OLA): each assignment group's own time with the ticket.
GROUP_RESOLUTION = ClockDefinition(
    name="group_resolution",
    start=_ACTIVE,
    stop=_DONE,
    pause=_ON_HOLD,
    on_restart=Restart.CONTINUE,
    kind=ClockKind.OLA,
    per_group=True,
)

#: The built-in clocks; policy data may name one instead of spelling it out
#: (``"clock": "resolution"``).
BUILTIN_CLOCKS = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION, GROUP_RESOLUTION)
