"""Where an improvement comes from: a Pareto category, a SERVQUAL gap, a post-incident review,
a drill finding, an audit finding."""

from __future__ import annotations

import enum

import attrs

from itsm_core.errors import Problem, ValidationError
from itsm_core.improvement._pareto import ParetoAnalysis
from itsm_core.satisfaction import DimensionGap


class SourceKind(enum.StrEnum):
    """The origin of an improvement opportunity (the register's "source" column)."""

    COMPLAINT_CATEGORY = "complaint_category"
    SURVEY_GAP = "survey_gap"
    POST_INCIDENT_REVIEW = "post_incident_review"
    NONCONFORMITY = "nonconformity"
    AUDIT = "audit"
    MANAGEMENT_REVIEW = "management_review"
    TREND = "trend"
    STAFF_IDEA = "staff_idea"
    DRILL = "drill"
    QUALITY_INSPECTION = "quality_inspection"


@attrs.frozen(kw_only=True)
class ImprovementSource:
    """The origin of a cycle: its kind, a reference (category, dimension, review id), detail."""

    kind: SourceKind
    reference: str
    detail: str = ""

    def __attrs_post_init__(self) -> None:
        if type(self.kind) is not SourceKind or not self.reference:
            raise ValidationError(
                "ImprovementSource", [Problem("reference", "a kind and a reference are needed")]
            )


def from_pareto_category(
    analysis: ParetoAnalysis, category: str | None = None
) -> ImprovementSource:
    """A complaint category of a Pareto analysis (the worst one by default) as the source.

    >>> from itsm_core.improvement import pareto
    >>> source = from_pareto_category(pareto({"billing": 30, "outage": 12, "Other": 5}))
    >>> source.reference, source.detail
    ('billing', 'rank 1 of 3: 30 of 47 (63.8%), vital few')
    """
    bar = analysis.worst if category is None else analysis.bar(category)
    detail = (
        f"rank {bar.rank} of {len(analysis.bars)}: {bar.count:g} of {analysis.total:g} "
        f"({100 * bar.share:.1f}%)" + (", vital few" if bar.vital else "")
    )
    return ImprovementSource(
        kind=SourceKind.COMPLAINT_CATEGORY, reference=bar.category, detail=detail
    )


def from_servqual_gap(gap: DimensionGap) -> ImprovementSource:
    """A SERVQUAL dimension gap (perception minus expectation) as the source."""
    detail = (
        f"gap {gap.gap.mean:+.2f} (P {gap.perception:.2f} - E {gap.expectation:.2f}, n={gap.n})"
    )
    return ImprovementSource(
        kind=SourceKind.SURVEY_GAP, reference=str(gap.dimension.value), detail=detail
    )


def from_post_incident_review(review_id: str, summary: str = "") -> ImprovementSource:
    """A post-incident review (事后评估) as the source."""
    return ImprovementSource(
        kind=SourceKind.POST_INCIDENT_REVIEW, reference=review_id, detail=summary
    )


def from_drill_finding(drill_id: str, finding_id: str, description: str) -> ImprovementSource:
    """A finding of an emergency drill (演练) as the source: the reference names the drill and
    the finding (``"DR-7/F1"``).

    >>> from_drill_finding("DR-7", "F1", "backup line took 40 min to switch").reference
    'DR-7/F1'
    """
    return ImprovementSource(
        kind=SourceKind.DRILL, reference=f"{drill_id}/{finding_id}", detail=description
    )
