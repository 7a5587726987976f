"""Satisfaction and service-quality scoring: surveys, CSAT, NPS, CES, SERVQUAL, Kano.

Surveys as data (questions, scales, dimensions) with validated responses and reproducible
sampling rules (回访抽样); CSAT, NPS and CES; SERVQUAL gaps; the Kano model; Cronbach's alpha
for a survey's scales; a weighted service quality index. Every score carries its n, its
interval and the interval's method, computed with :mod:`itsm_core.stats` (proportions, means,
comparisons), where the general statistics live; a clipped interval says so; no data is an
error, never a silent 0 %.
"""

from itsm_core.satisfaction._ces import CES_1, CES_2, CesResult, ces
from itsm_core.satisfaction._csat import CsatReport, CsatScore, csat, mean_score, top_box
from itsm_core.satisfaction._kano import (
    KanoAnswer,
    KanoCategory,
    KanoResult,
    classify_feature,
    kano_category,
    kano_from_counts,
)
from itsm_core.satisfaction._nps import (
    NpsBreaks,
    NpsCategory,
    NpsCounts,
    NpsResult,
    compare_nps,
    nps,
)
from itsm_core.satisfaction._quality_index import (
    SQI_DIMENSIONS,
    QualityIndex,
    QualityIndexWeights,
    service_quality_index,
)
from itsm_core.satisfaction._reliability import CronbachAlpha, MissingPolicy, cronbach_alpha
from itsm_core.satisfaction._sampling import (
    SamplingDecision,
    SamplingOutcome,
    SamplingRule,
    sample_position,
)
from itsm_core.satisfaction._scales import FIVE_POINT, SEVEN_POINT, YES_NO, ZERO_TO_TEN, Scale
from itsm_core.satisfaction._scoring import mean_index
from itsm_core.satisfaction._servqual import (
    DimensionGap,
    ItemGap,
    ServqualDimension,
    ServqualInstrument,
    ServqualItem,
    ServqualReport,
    ServqualResponse,
    servqual,
)
from itsm_core.satisfaction._survey import Answer, Question, Survey, SurveyResponse

__all__ = [
    "CES_1",
    "CES_2",
    "FIVE_POINT",
    "SEVEN_POINT",
    "SQI_DIMENSIONS",
    "YES_NO",
    "ZERO_TO_TEN",
    "Answer",
    "CesResult",
    "CronbachAlpha",
    "CsatReport",
    "CsatScore",
    "DimensionGap",
    "ItemGap",
    "KanoAnswer",
    "KanoCategory",
    "KanoResult",
    "MissingPolicy",
    "NpsBreaks",
    "NpsCategory",
    "NpsCounts",
    "NpsResult",
    "QualityIndex",
    "QualityIndexWeights",
    "Question",
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
    "ces",
    "classify_feature",
    "compare_nps",
    "cronbach_alpha",
    "csat",
    "kano_category",
    "kano_from_counts",
    "mean_index",
    "mean_score",
    "nps",
    "sample_position",
    "service_quality_index",
    "servqual",
    "top_box",
]
