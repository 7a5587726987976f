"""Generic declarative workflows: enum states in status categories, transitions as data.

A :class:`Workflow` is validated when built (every problem reported at once), answers
side-effect-free questions (:meth:`Workflow.allowed_events`, :meth:`Workflow.check`), renders
itself as a Mermaid diagram or a Markdown table, and round-trips through plain data
(:meth:`Workflow.to_dict`, :func:`workflow_from_dict`). It knows nothing of tickets: the
subject its guards inspect is a type parameter.
"""

from itsm_core.workflow._category import StatusCategory
from itsm_core.workflow._data import workflow_from_dict
from itsm_core.workflow._guard import Guard, GuardContext
from itsm_core.workflow._render import render_markdown_table, render_mermaid
from itsm_core.workflow._transition import Transition
from itsm_core.workflow._verdict import Verdict
from itsm_core.workflow._workflow import Workflow

__all__ = [
    "Guard",
    "GuardContext",
    "StatusCategory",
    "Transition",
    "Verdict",
    "Workflow",
    "render_markdown_table",
    "render_mermaid",
    "workflow_from_dict",
]
