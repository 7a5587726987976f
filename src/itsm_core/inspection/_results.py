"""What inspections give to others: per-agent quality for appraisal and training, and the
source of an improvement cycle."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core.errors import InsufficientData, Problem
from itsm_core.improvement import ImprovementSource, SourceKind
from itsm_core.inspection._inspection import Inspection
from itsm_core.inspection._sheet import ScoringSheet


@attrs.frozen(kw_only=True)
class AgentQuality:
    """One agent's inspection results over a period: what appraisal reads (the supervisor's
    quality inspection, 监督员 第十四条) and what remedial training starts from.

    Attributes:
        agent: the agent.
        inspections: how many of their contacts were inspected.
        mean_score: the mean percent.
        pass_rate: the share passed.
        critical_failures: inspections with a critical item failed.
        failed: the ids of the inspections failed, oldest first.
        weakest_items: item key -> marks lost there (share of the item's points, summed over
            inspections), the worst first, only items with a loss.
    """

    agent: str
    inspections: int
    mean_score: float
    pass_rate: float
    critical_failures: int
    failed: tuple[str, ...]
    weakest_items: Mapping[str, float] = attrs.field(converter=frozen_mapping)

    @property
    def needs_remedial_training(self) -> bool:
        """True when an inspection failed (以需定训: training where the need shows)."""
        return bool(self.failed)


def quality_by_agent(
    sheet: ScoringSheet, inspections: Iterable[Inspection]
) -> Mapping[str, AgentQuality]:
    """Each agent's :class:`AgentQuality` from the inspections made with ``sheet`` (agents
    in name order; inspections of contacts with no agent are left out). Several inspectors'
    scores of one contact all count (use the calibration session's results separately)."""
    by_agent: dict[str, list[Inspection]] = {}
    for inspection in inspections:
        if inspection.agent is not None and inspection.sheet == sheet.name:
            by_agent.setdefault(inspection.agent, []).append(inspection)
    out = {}
    for agent in sorted(by_agent):
        rows = sorted(by_agent[agent], key=lambda r: (r.at, r.inspection_id))
        lost: dict[str, float] = {}
        for r in rows:
            for item in sheet.items:
                gap = 1 - r.score.marks[item.key] / item.points
                if gap > 0:
                    lost[item.key] = lost.get(item.key, 0.0) + gap
        out[agent] = AgentQuality(
            agent=agent,
            inspections=len(rows),
            mean_score=sum(r.score.percent for r in rows) / len(rows),
            pass_rate=sum(r.passed for r in rows) / len(rows),
            critical_failures=sum(bool(r.score.failed_critical) for r in rows),
            failed=tuple(r.inspection_id for r in rows if not r.passed),
            weakest_items=dict(sorted(lost.items(), key=lambda kv: (-kv[1], kv[0]))),
        )
    return out


def improvement_source(sheet: ScoringSheet, inspections: Iterable[Inspection]) -> ImprovementSource:
    """The item that lost the most marks across ``inspections`` as the source of a PDCA
    cycle (kind ``QUALITY_INSPECTION``, reference ``<sheet>/<item>``).

    Raises InsufficientData when no inspection with ``sheet`` lost a mark.
    """
    rows = [r for r in inspections if r.sheet == sheet.name]
    lost: dict[str, float] = {}
    for r in rows:
        for item in sheet.items:
            gap = item.weight * (1 - r.score.marks[item.key] / item.points)
            if gap > 0:
                lost[item.key] = lost.get(item.key, 0.0) + gap
    if not lost:
        raise InsufficientData(
            "improvement_source", [Problem("inspections", f"no marks lost on {sheet.name!r}")]
        )
    key = min(lost, key=lambda k: (-lost[k], k))
    failed = sum(1 for r in rows if r.score.marks[key] < sheet.item(key).points)
    total = sum(lost.values())
    detail = (
        f"{sheet.item(key).label}: not fully met in {failed} of {len(rows)} inspections, "
        f"{100 * lost[key] / total:.0f}% of the weighted marks lost"
    )
    return ImprovementSource(
        kind=SourceKind.QUALITY_INSPECTION, reference=f"{sheet.name}/{key}", detail=detail
    )
