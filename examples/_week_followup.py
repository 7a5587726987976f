"""Monday after the week: follow-up visits (回访) of the tickets resolved and not yet closed.

A ``FollowUpPolicies`` (data) says which tickets are followed up and when: complaints one
business day after their resolution, everything else two, on the office calendar (so a ticket
resolved on Friday is called on Tuesday; the make-up Sunday counts). Each visit is a follow-up
task (``itsm_core.desk.FollowUpDesk``); the calls' results are part of the story: one customer
is not satisfied, and the task's ``ticket_command`` (a ``Reopen``) goes back through the
service desk, so the ticket is worked again. Nothing here is random.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import attrs
from _week_desk import END_OF_WEEK, OFFICE, table
from _week_run import Week

from itsm_core.customers import (
    OUTCOME_LABELS,
    FollowUpPolicies,
    RecordAttempt,
    follow_up_coverage,
)
from itsm_core.desk import FollowUpDesk
from itsm_core.i18n import Messages
from itsm_core.metrics import SurveyAnswer
from itsm_core.repositories import InMemoryEventStore
from itsm_core.workflow import StatusCategory

POLICIES = FollowUpPolicies.from_dict(
    {
        "policies": [
            {"name": "complaints", "kinds": ["complaint"], "business_days": 1},
            {"name": "resolved", "business_days": 2, "max_attempts": 2},
        ]
    }
)


def show(week: Week, answers: Iterable[SurveyAnswer]) -> None:
    """Schedule, call and report the follow-ups; reopen the ticket of the dissatisfied one;
    then the coverage of the closed tickets by Sunday's survey round (``answers``) and the
    follow-ups."""
    numbers = itertools.count(1)
    visits = FollowUpDesk(store=InMemoryEventStore(), ids=lambda: f"fu-{next(numbers)}")
    zh = Messages.load("zh-CN", "customers")
    resolved = [
        ticket
        for ticket in (week.desk.ticket(tid) for tid in sorted(week.rows))
        if ticket.status is StatusCategory.RESOLVED
    ]
    rows, tasks = [], []
    for n, ticket in enumerate(resolved[:6]):
        schedule = POLICIES.schedule(ticket, task_id=f"FU-{ticket.id}", calendar=OFFICE)
        if schedule is None:
            continue
        visits.execute(schedule.task_id, schedule, actor="desk", role="agent", now=END_OF_WEEK)
        call = max(schedule.due_at, END_OF_WEEK)
        calls = (
            [RecordAttempt(reached=True, satisfied=False, score=2, note="the VPN still drops")]
            if n == 0
            else [RecordAttempt(reached=False)] * 2
            if n == 3
            else [RecordAttempt(reached=True, satisfied=True, score=4 + n % 2)]
        )
        for attempt in calls:
            result = visits.execute(schedule.task_id, attempt, actor="zhou", role="agent", now=call)
        task = result.task
        tasks.append(task)
        outcome = task.outcome
        after = "-"
        if result.ticket_command is not None:  # a dissatisfied customer: the ticket reopens
            actor = ticket.assignee or "desk"
            outcome_ticket = week.desk.execute(
                ticket.id, result.ticket_command, actor=actor, role="agent", now=call
            ).ticket
            after = f"reopened ({outcome_ticket.state})"
        label = "" if outcome is None else f"{outcome.value} {zh.text(OUTCOME_LABELS[outcome])}"
        rows.append(
            (
                ticket.id,
                week.requesters[ticket.id],
                task.policy,
                f"{call:%a %d %b %H:%M}",
                label,
                after,
            )
        )
    table(("ticket", "customer", "policy", "called", "outcome", "ticket after"), rows)
    # The survey round's answers, linked to their tickets as LinkSurvey would record them.
    surveyed = {answer.ticket_id for answer in answers}
    tickets = [week.desk.ticket(tid) for tid in sorted(week.rows)]
    linked = [attrs.evolve(t, survey="W39") if t.id in surveyed else t for t in tickets]
    coverage = follow_up_coverage(linked, tasks)
    print(
        f"Coverage (服务跟进覆盖率): {coverage.covered} of {coverage.closed} closed tickets "
        f"surveyed or followed up = {coverage.ratio:.1%}; target {coverage.target:.0%}: "
        f"{'met' if coverage.met else 'NOT met'}"
    )
