"""Pins the public API: every name a user can import, per public module.

A name added to or removed from an `__all__` fails this test until it is updated here on purpose
(and in CHANGELOG.md).
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC_API: dict[str, set[str]] = {
    "itsm_core": {"ItsmError", "__version__"},
    "itsm_core.errors": {
        "CalendarCoverageError",
        "CommandRejected",
        "DefinitionError",
        "DeserializationError",
        "DomainError",
        "InvalidCalendar",
        "InvalidPolicy",
        "InvalidPriorityMatrix",
        "InvalidSurvey",
        "InvalidWorkflowDefinition",
        "ItsmError",
        "NaiveDatetimeError",
        "NotFound",
        "Problem",
        "RepositoryError",
        "TransitionNotAllowed",
        "ValidationError",
        "VersionConflict",
    },
    "itsm_core.priority": {
        "COMPLAINT_GRADING",
        "DEFAULT_INTAKE_RULES",
        "EMERGENCY_GRADING",
        "EMERGENCY_RISK_MATRIX",
        "ExplanationStep",
        "GradingDecision",
        "GradingMatrix",
        "ITIL_MATRIX",
        "ITIL_POLICY",
        "IntakeFacts",
        "IntakeRule",
        "IntakeRules",
        "Interruption",
        "MATRIX_5X5",
        "Override",
        "PriorityDecision",
        "PriorityPolicy",
        "ResponseGrading",
        "RuleMatch",
        "SERVICENOW_MATRIX",
        "Scale",
        "StepKind",
    },
    "itsm_core.satisfaction": {
        "Answer",
        "CES_1",
        "CES_2",
        "CesResult",
        "CronbachAlpha",
        "CsatReport",
        "CsatScore",
        "Difference",
        "DimensionGap",
        "FIVE_POINT",
        "InsufficientData",
        "Interval",
        "IntervalMethod",
        "ItemGap",
        "KanoAnswer",
        "KanoCategory",
        "KanoResult",
        "MeanEstimate",
        "MissingPolicy",
        "NpsBreaks",
        "NpsCategory",
        "NpsCounts",
        "NpsResult",
        "ProportionEstimate",
        "QualityIndex",
        "QualityIndexWeights",
        "Question",
        "SEVEN_POINT",
        "SQI_DIMENSIONS",
        "SamplingDecision",
        "SamplingOutcome",
        "SamplingRule",
        "Scale",
        "ServqualDimension",
        "ServqualInstrument",
        "ServqualItem",
        "ServqualReport",
        "ServqualResponse",
        "Survey",
        "SurveyResponse",
        "YES_NO",
        "ZERO_TO_TEN",
        "ces",
        "classify_feature",
        "compare_nps",
        "cronbach_alpha",
        "csat",
        "difference_of_means",
        "difference_of_proportions",
        "kano_category",
        "kano_from_counts",
        "mean_estimate",
        "mean_index",
        "mean_score",
        "nps",
        "proportion",
        "proportion_interval",
        "sample_position",
        "service_quality_index",
        "servqual",
        "top_box",
        "wilson_interval",
    },
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_all_is_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC_API[module_name]
    assert len(set(module.__all__)) == len(module.__all__), "a name is listed twice"


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_every_exported_name_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


def test_exported_items_have_docstrings() -> None:
    undocumented = []
    for module_name in PUBLIC_API:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            item = getattr(module, name)
            if (callable(item) or isinstance(item, type)) and not (item.__doc__ or "").strip():
                undocumented.append(f"{module_name}.{name}")
    assert not undocumented
