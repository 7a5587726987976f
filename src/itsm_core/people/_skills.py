"""Skill levels from training, in the form routing reads (``Agent.skills``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware
from itsm_core.people._training import CourseCatalogue, TrainingRecord, latest
from itsm_core.routing import Agent


def skills_of(
    agent_id: str,
    records: Iterable[TrainingRecord],
    catalogue: CourseCatalogue,
    now: dt.datetime,
) -> dict[str, int]:
    """The skill levels ``agent_id`` holds at ``now``: for each skill, the highest level a
    course they passed gives, counting only each course's latest record and only while it is
    valid (an expired certification gives nothing)."""
    check_aware(now, "skills_of.now")
    levels: dict[str, int] = {}
    for (agent, course_id), record in sorted(latest(records).items()):
        if agent != agent_id or not record.valid(now):
            continue
        for skill, level in catalogue.get(course_id).skills.items():
            levels[skill] = max(level, levels.get(skill, 0))
    return dict(sorted(levels.items()))


def with_skills(
    agent: Agent,
    records: Iterable[TrainingRecord],
    catalogue: CourseCatalogue,
    now: dt.datetime,
) -> Agent:
    """``agent`` with the skill levels training gives at ``now`` (:func:`skills_of`) set on
    top of those it has: the higher level of the two wins, so routing
    (``itsm_core.routing``) sees what the agent was trained and certified for.

    >>> from itsm_core.people import Course
    >>> course = Course(course_id="sap-1", title="SAP basics", kind="skill", skills={"sap": 1})
    >>> at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> ana = Agent(id="ana", roster="day", groups={"desk"}, skills={"network": 2})
    >>> dict(with_skills(ana, [course.record("ana", at, {})], CourseCatalogue([course]),
    ...                  at).skills)
    {'network': 2, 'sap': 1}
    """
    trained = skills_of(agent.id, records, catalogue, now)
    merged = dict(agent.skills)
    for skill, level in trained.items():
        merged[skill] = max(level, merged.get(skill, 0))
    return attrs.evolve(agent, skills=dict(sorted(merged.items())))
