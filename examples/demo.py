"""`make tour`: a tour of every package of itsm_core, one vignette each (`make demo` tells a week).

Each section lives in a sibling module `_demo_<name>.py` with a `show()` function, added as its
module lands. The output is deterministic: no clock, no randomness.
"""

from __future__ import annotations

from collections.abc import Callable

import _demo_calendar
import _demo_importers
import _demo_improvement
import _demo_knowledge
import _demo_metrics
import _demo_priority
import _demo_records
import _demo_routing
import _demo_satisfaction
import _demo_sla
import _demo_storage
import _demo_tickets

import itsm_core

SECTIONS: list[tuple[str, Callable[[], None]]] = [
    ("Business calendars: working time done right", _demo_calendar.show),
    ("Priorities: a decision that explains itself", _demo_priority.show),
    ("Tickets: a complaint in five steps and a change through CAB", _demo_tickets.show),
    ("SLA clocks: a pause, a warning, a breach, and the actions due", _demo_sla.show),
    ("Routing and staffing: the right agent, and enough of them", _demo_routing.show),
    ("Knowledge base: search in Chinese and English", _demo_knowledge.show),
    ("Records: retention, access, masking and a sealed audit trail", _demo_records.show),
    ("Storage: in memory, in SQLite, and a stale write refused", _demo_storage.show),
    ("Satisfaction: a survey round with honest statistics", _demo_satisfaction.show),
    ("Continual improvement: a PDCA cycle from the complaint Pareto", _demo_improvement.show),
    ("KPIs: the week's report", _demo_metrics.show),
    ("Importers: Zendesk and Jira histories onto our workflows", _demo_importers.show),
]


def banner(title: str) -> None:
    """Print a section title."""
    print()
    print(title)
    print("=" * len(title))


def main() -> None:
    """Run every section of the demo in order."""
    print(f"itsm_core {itsm_core.__version__}: a helpdesk day through the public API")
    for title, show in SECTIONS:
        banner(title)
        show()


if __name__ == "__main__":
    main()
