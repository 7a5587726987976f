"""Mapping another tool's status names onto the states of one of our workflows.

Every helpdesk names its statuses its own way: ServiceNow's ``Awaiting User Info``, Zendesk's
``pending``, Jira's ``Waiting for customer``. A :class:`StatusMap` says, as data, which state of
which workflow each of them is, and which hold reason a waiting status means (the SLA engine
pauses on the hold reason). It is checked against the workflow when it is built, so a mapping
that names a state the workflow lacks, or a hold reason on a state that is not on hold, never
exists.

>>> incident = StatusMap.from_dict(
...     {
...         "workflow": "incident",
...         "statuses": {
...             "open": "in_progress",
...             "pending": {"state": "on_hold", "hold_reason": "awaiting_customer"},
...             "solved": "resolved",
...         },
...     }
... )
>>> incident.target("pending", where="line 3")
StatusTarget(state='on_hold', hold_reason=<HoldReason.AWAITING_CUSTOMER: 'awaiting_customer'>)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core._plain import as_mapping, shown
from itsm_core.errors import DeserializationError, InvalidMapping, Problem
from itsm_core.tickets import BUILTIN_WORKFLOWS, HoldReason, TicketKind, WorkflowRegistry
from itsm_core.workflow import StatusCategory

__all__ = ["StatusMap", "StatusTarget"]


@attrs.frozen
class StatusTarget:
    """A workflow state (its enum value) and, for a waiting status, why it waits."""

    state: str
    hold_reason: HoldReason | None = None

    def to_plain(self) -> str | dict[str, str]:
        """A bare state name, or ``{"state": ..., "hold_reason": ...}`` when it holds."""
        if self.hold_reason is None:
            return self.state
        return {"state": self.state, "hold_reason": self.hold_reason.value}


@attrs.frozen
class StatusMap:
    """Another tool's status names -> states of the workflow called ``workflow``.

    Build it with :meth:`from_dict` (checked against a workflow registry) or directly from
    :class:`StatusTarget` values and then :meth:`check` it.
    """

    workflow: str
    statuses: Mapping[str, StatusTarget] = attrs.field(converter=frozen_mapping)
    #: The kind of ticket opened; by default the one the built-in workflow serves.
    kind: TicketKind | None = None

    @property
    def ticket_kind(self) -> TicketKind:
        """``kind``, or the kind of the built-in workflow (InvalidMapping for a custom one)."""
        return self.kind if self.kind is not None else kind_of_workflow(self.workflow)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, workflows: WorkflowRegistry = BUILTIN_WORKFLOWS
    ) -> StatusMap:
        """Read ``{"workflow": name, "statuses": {source: state | {state, hold_reason}}}``
        (and ``"kind"``, the ticket kind, for a custom workflow).

        Raises InvalidMapping listing every problem, each with its path.
        """
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise InvalidMapping("status map", [Problem("", "expected a table (mapping)")])
        as_mapping(data, "", problems)
        if problems:
            raise InvalidMapping("status map", problems)
        workflow = data.get("workflow")
        if not isinstance(workflow, str):
            problems.append(Problem("workflow", "expected the name of a workflow"))
        raw = data.get("statuses")
        targets: dict[str, StatusTarget] = {}
        if not isinstance(raw, Mapping) or not raw:
            problems.append(Problem("statuses", "expected a non-empty table of statuses"))
            raw = {}
        elif as_mapping(raw, "statuses", problems) is None:
            raw = {}
        for name, value in raw.items():
            target = _target(f"statuses.{name}", value, problems)
            if target is not None:
                targets[str(name)] = target
        kind = data.get("kind")
        kinds = [k.value for k in TicketKind]
        if kind is not None and kind not in kinds:
            problems.append(
                Problem("kind", f"unknown ticket kind {shown(kind)} ({', '.join(kinds)})")
            )
        unknown = sorted(set(data) - {"workflow", "statuses", "kind"})
        problems.extend(Problem(key, "unknown key") for key in unknown)
        if problems or not isinstance(workflow, str):
            raise InvalidMapping("status map", problems)
        status_map = cls(
            workflow=workflow,
            statuses=targets,
            kind=TicketKind(kind) if kind is not None else None,
        )
        status_map.check(workflows)
        status_map.ticket_kind  # noqa: B018 - raises InvalidMapping for an unknown kind
        return status_map

    def check(self, workflows: WorkflowRegistry = BUILTIN_WORKFLOWS) -> None:
        """InvalidMapping unless every target is a state of the workflow, and hold reasons
        sit only on states whose category is on hold."""
        if self.workflow not in workflows.names:
            known = ", ".join(workflows.names)
            raise InvalidMapping(
                "status map",
                [Problem("workflow", f"no workflow {self.workflow!r} (known: {known})")],
            )
        flow = workflows.get(self.workflow)
        by_value = {state.value: state for state in flow.states}
        problems: list[Problem] = []
        for name, target in self.statuses.items():
            path = f"statuses.{name}"
            state = by_value.get(target.state)
            if state is None:
                known = ", ".join(by_value)
                problems.append(
                    Problem(path, f"{self.workflow!r} has no state {target.state!r} ({known})")
                )
            elif target.hold_reason is not None and (
                flow.category(state) is not StatusCategory.ON_HOLD
            ):
                problems.append(
                    Problem(path, f"hold_reason on {target.state!r}, which is not an on-hold state")
                )
        if problems:
            raise InvalidMapping("status map", problems)

    def target(self, status: str, *, where: str) -> StatusTarget:
        """The target of ``status``; DeserializationError naming ``where`` if it is unmapped."""
        try:
            return self.statuses[status]
        except KeyError:
            known = ", ".join(repr(name) for name in self.statuses)
            raise DeserializationError(
                "status", [Problem(where, f"unmapped status {status!r} (mapped: {known})")]
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The plain data :meth:`from_dict` reads."""
        data: dict[str, Any] = {
            "workflow": self.workflow,
            "statuses": {name: target.to_plain() for name, target in self.statuses.items()},
        }
        if self.kind is not None:
            data["kind"] = self.kind.value
        return data


def _target(path: str, value: object, problems: list[Problem]) -> StatusTarget | None:
    if isinstance(value, str) and value:
        return StatusTarget(value)
    if not isinstance(value, Mapping):
        problems.append(Problem(path, "expected a state name or {state, hold_reason}"))
        return None
    if as_mapping(value, path, problems) is None:
        return None
    state = value.get("state")
    hold = value.get("hold_reason")
    before = len(problems)
    if not isinstance(state, str) or not state:
        problems.append(Problem(f"{path}.state", "expected a state name"))
    reasons = [reason.value for reason in HoldReason]
    if hold is not None and hold not in reasons:
        problems.append(
            Problem(
                f"{path}.hold_reason", f"unknown hold reason {shown(hold)} ({', '.join(reasons)})"
            )
        )
    extra = sorted(set(value) - {"state", "hold_reason"})
    problems.extend(Problem(f"{path}.{key}", "unknown key") for key in extra)
    if len(problems) > before:
        return None
    assert isinstance(state, str)
    return StatusTarget(state, HoldReason(hold) if hold is not None else None)


def kind_of_workflow(workflow: str) -> TicketKind:
    """The ticket kind a built-in workflow serves (``change_normal`` -> change).

    >>> kind_of_workflow("service_request").value, kind_of_workflow("change_normal").value
    ('service_request', 'change')
    """
    for kind in TicketKind:
        if workflow == kind.value:
            return kind
    if workflow.startswith("change_"):
        return TicketKind.CHANGE
    raise InvalidMapping(
        "status map",
        [Problem("kind", f"workflow {workflow!r} is not built in: name its ticket kind")],
    )
