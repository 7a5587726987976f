"""People: training (以需定训), exams and practical tests (考核评估), certifications, skill
levels for routing, and appraisal with 360-degree feedback (360度反馈).

* **Training**: a :class:`Course` (new-hire, remedial, skill or certification) has its
  :class:`Exam` values with pass marks; :meth:`Course.record` gives the :class:`TrainingRecord`
  (passed when every exam is, a certification's expiry set). A :class:`CourseCatalogue` is data
  (``CourseCatalogue.from_dict``). :func:`expiring` lists certifications running out.
* **Training by need**: :func:`training_needs` says who needs which course and why
  (:class:`TrainingNeed`): new hires, a failed quality inspection (:class:`InspectionOutcome`),
  an expiring certification.
* **Skills for routing**: :func:`skills_of` gives the skill levels training and valid
  certifications give; :func:`with_skills` sets them on a routing ``Agent``.
* **Appraisal**: an :class:`AppraisalScheme` weighs, per dimension (the spec's four: work
  quality, attitude, ability, output), the KPI scorecard's score with self, superior,
  360-degree and inspection :class:`Rating` values, and bands the total
  (:class:`RatingBand`: 优秀, 良好, 合格, 不合格 by default). Labels in Chinese and English come
  from :func:`people_label`.
"""

from itsm_core.people._appraisal import (
    DEFAULT_BANDS,
    DEFAULT_DIMENSIONS,
    DEFAULT_WEIGHTS,
    AppraisalResult,
    AppraisalScheme,
    AppraisalSource,
    DimensionAppraisal,
    Rating,
    RatingBand,
    inspection_ratings,
)
from itsm_core.people._labels import people_label
from itsm_core.people._needs import InspectionOutcome, NeedReason, TrainingNeed, training_needs
from itsm_core.people._skills import skills_of, with_skills
from itsm_core.people._training import (
    Course,
    CourseCatalogue,
    CourseKind,
    Exam,
    ExamKind,
    TrainingRecord,
    expiring,
)

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_DIMENSIONS",
    "DEFAULT_WEIGHTS",
    "AppraisalResult",
    "AppraisalScheme",
    "AppraisalSource",
    "Course",
    "CourseCatalogue",
    "CourseKind",
    "DimensionAppraisal",
    "Exam",
    "ExamKind",
    "InspectionOutcome",
    "NeedReason",
    "Rating",
    "RatingBand",
    "TrainingNeed",
    "TrainingRecord",
    "expiring",
    "inspection_ratings",
    "people_label",
    "skills_of",
    "training_needs",
    "with_skills",
]
