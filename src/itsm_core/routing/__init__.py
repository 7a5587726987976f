"""Routing and staffing: who takes a ticket, and how many agents a hotline needs.

A :class:`Team` holds agents (skills with levels, languages, support tier, groups, capacity),
assignment :class:`Group` values (tier, strategy, escalation target) and duty rosters, which are
business calendars, so "who is on duty at t" (:meth:`Team.on_duty`) and "the next instant
someone qualified is on duty" (:meth:`Team.next_on_duty`) are exact. :class:`RoutingRules`
are ordered data; :func:`route` applies them to a ticket, a :class:`TeamState` and an instant,
and returns a :class:`RoutingDecision` that explains every step and gives the ticket's
``Assign`` (and ``Escalate``) commands.

Staffing: :func:`erlang_b`, :func:`erlang_c`, :func:`queue_figures` (probability of waiting,
service level, average speed of answer, occupancy), :func:`agents_needed` for a
:class:`ServiceTarget` with shrinkage, and :func:`staffing_plan` over a day of intervals.
"""

from itsm_core.routing._agents import Agent
from itsm_core.routing._decision import RouteOutcome, RoutingDecision
from itsm_core.routing._erlang import QueueFigures, erlang_b, erlang_c, queue_figures
from itsm_core.routing._groups import AssignmentStrategy, Group
from itsm_core.routing._requirements import Requirements
from itsm_core.routing._route import route
from itsm_core.routing._rules import RoutingRule, RoutingRules
from itsm_core.routing._staffing import (
    IntervalForecast,
    ServiceTarget,
    Staffing,
    StaffingPlan,
    agents_needed,
    staffing_plan,
)
from itsm_core.routing._state import TeamState
from itsm_core.routing._team import NextOnDuty, Team

__all__ = [
    "Agent",
    "AssignmentStrategy",
    "Group",
    "IntervalForecast",
    "NextOnDuty",
    "QueueFigures",
    "Requirements",
    "RouteOutcome",
    "RoutingDecision",
    "RoutingRule",
    "RoutingRules",
    "ServiceTarget",
    "Staffing",
    "StaffingPlan",
    "Team",
    "TeamState",
    "agents_needed",
    "erlang_b",
    "erlang_c",
    "queue_figures",
    "route",
    "staffing_plan",
]
