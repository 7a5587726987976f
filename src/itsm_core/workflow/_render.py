"""Text renderers: a Mermaid state diagram and a Markdown transition table."""

from __future__ import annotations

from typing import Any

from itsm_core.workflow._workflow import Workflow


def render_mermaid(workflow: Workflow[Any, Any]) -> str:
    """A Mermaid ``stateDiagram-v2`` of ``workflow``: one arrow per (source, event).

    Each state is labelled with its status category; terminal states lead to ``[*]``.

    >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
    >>> CONSULTATION_WORKFLOW = BUILTIN_WORKFLOWS.get("consultation")
    >>> print(render_mermaid(CONSULTATION_WORKFLOW).splitlines()[1])
        [*] --> new
    """
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial.value}"]
    for state, category in workflow.states.items():
        lines.append(f"    {state.value} : {state.value} ({category.value})")
    lines.extend(
        f"    {source.value} --> {transition.target.value} : {transition.event}"
        for transition in workflow.transitions
        for source in workflow.states
        if source in transition.sources
    )
    lines.extend(
        f"    {state.value} --> [*]" for state in workflow.states if state in workflow.terminal
    )
    return "\n".join(lines) + "\n"


def render_markdown_table(workflow: Workflow[Any, Any]) -> str:
    """A Markdown table of the transitions: event, from, to, roles, required fields, guards.

    >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
    >>> CONSULTATION_WORKFLOW = BUILTIN_WORKFLOWS.get("consultation")
    >>> print(render_markdown_table(CONSULTATION_WORKFLOW).splitlines()[0])
    | event | from | to | roles | required fields | guards |
    """
    lines = [
        "| event | from | to | roles | required fields | guards |",
        "|---|---|---|---|---|---|",
    ]
    for t in workflow.transitions:
        sources = ", ".join(str(s.value) for s in workflow.states if s in t.sources)
        fields = [
            f"{name} ∈ {{{', '.join(sorted(t.field_choices[name]))}}}"
            if name in t.field_choices
            else name
            for name in sorted(t.required_fields | set(t.field_choices))
        ]
        cells = [
            f"`{t.event}`",
            sources,
            str(t.target.value),
            ", ".join(sorted(t.roles)) or "any",
            ", ".join(fields) or "–",
            ", ".join(t.guard_names) or "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
