"""A read-only set of named workflows; the built-in one and how to extend it."""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._builtin import (
    COMPLAINT_WORKFLOW,
    CONSULTATION_WORKFLOW,
    EMERGENCY_CHANGE_WORKFLOW,
    INCIDENT_WORKFLOW,
    MAJOR_INCIDENT_WORKFLOW,
    NORMAL_CHANGE_WORKFLOW,
    PROBLEM_WORKFLOW,
    SERVICE_REQUEST_WORKFLOW,
    STANDARD_CHANGE_WORKFLOW,
    TECHNICAL_SERVICE_WORKFLOW,
)
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import ChangeType, TicketKind
from itsm_core.workflow import Workflow

TicketWorkflow = Workflow[Any, Ticket]


def _by_name(workflows: Iterable[TicketWorkflow]) -> Mapping[str, TicketWorkflow]:
    table: dict[str, TicketWorkflow] = {}
    for workflow in workflows:
        if workflow.name in table:
            raise ValidationError(
                "WorkflowRegistry", [Problem(workflow.name, "two workflows with this name")]
            )
        table[workflow.name] = workflow
    return types.MappingProxyType(table)


@attrs.frozen
class WorkflowRegistry:
    """Workflows by name. Tickets record the name of theirs; decisions look it up here.

    >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
    >>> BUILTIN_WORKFLOWS.get("complaint").initial.value
    'received'
    """

    workflows: Mapping[str, TicketWorkflow] = attrs.field(converter=_by_name)
    #: Every role a transition of these workflows names, sorted: the roles ``decide`` knows.
    roles: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        named = {
            str(role)
            for workflow in self.workflows.values()
            for transition in workflow.transitions
            for role in transition.roles
        }
        object.__setattr__(self, "roles", tuple(sorted(named)))

    @property
    def names(self) -> tuple[str, ...]:
        """The workflow names, sorted."""
        return tuple(sorted(self.workflows))

    def get(self, name: str) -> TicketWorkflow:
        """The workflow called ``name``; ValidationError if there is none."""
        try:
            return self.workflows[name]
        except KeyError:
            raise ValidationError(
                "workflow name",
                [Problem("workflow", f"no workflow {name!r} (known: {', '.join(self.names)})")],
            ) from None

    def with_workflow(self, workflow: TicketWorkflow) -> WorkflowRegistry:
        """A new registry with ``workflow`` added (or replacing the one of the same name)."""
        return WorkflowRegistry({**self.workflows, workflow.name: workflow}.values())


BUILTIN_WORKFLOWS = WorkflowRegistry(
    [
        INCIDENT_WORKFLOW,
        SERVICE_REQUEST_WORKFLOW,
        CONSULTATION_WORKFLOW,
        COMPLAINT_WORKFLOW,
        PROBLEM_WORKFLOW,
        NORMAL_CHANGE_WORKFLOW,
        STANDARD_CHANGE_WORKFLOW,
        EMERGENCY_CHANGE_WORKFLOW,
        MAJOR_INCIDENT_WORKFLOW,
        TECHNICAL_SERVICE_WORKFLOW,
    ]
)


def default_workflow_name(kind: TicketKind, change_type: ChangeType | None = None) -> str:
    """The built-in workflow for a kind of ticket (changes: by change type, normal by default).

    >>> default_workflow_name(TicketKind.CHANGE, ChangeType.EMERGENCY)
    'change_emergency'
    """
    if kind is TicketKind.CHANGE:
        return f"change_{(change_type or ChangeType.NORMAL).value}"
    return kind.value
