"""Quality inspection (质检): the supervisor's scoring of calls and tickets.

* **Sheets** as data: a :class:`ScoringSheet` of :class:`SheetItem` values (weights, points,
  critical items that fail a contact whatever its total), read from plain data
  (:meth:`ScoringSheet.from_dict`); :data:`HOTLINE_SHEET` is an example for calls.
* **Sampling** by rule (:class:`InspectionSampling`: so many per agent, or a share of the pool, by
  tags) of :func:`call_candidates` and :func:`ticket_candidates`, deterministic given the seed
  the caller passes (:func:`sample`).
* **Records**: :func:`inspect` scores a contact into an :class:`Inspection`.
* **Calibration** between inspectors on the same contacts (:func:`calibrate`), with Fleiss'
  kappa (:func:`fleiss_kappa`) and Landis and Koch's bands (:func:`agreement_band`).
* **Results** for others: :func:`quality_by_agent` gives each agent's :class:`AgentQuality`
  (for appraisal and remedial training); :func:`improvement_source` the worst item as the
  source of a PDCA cycle; :func:`quality_table` and :func:`calibration_text` show them in
  English or Chinese.
"""

from itsm_core.inspection._inspection import (
    Calibration,
    Inspection,
    agreement_band,
    calibrate,
    fleiss_kappa,
    inspect,
)
from itsm_core.inspection._labels import QUALITY_LABELS, calibration_text, quality_table
from itsm_core.inspection._results import AgentQuality, improvement_source, quality_by_agent
from itsm_core.inspection._sampling import (
    Candidate,
    InspectionSampling,
    call_candidates,
    rank,
    sample,
    ticket_candidates,
)
from itsm_core.inspection._sheet import (
    HOTLINE_SHEET,
    Score,
    ScoringSheet,
    SheetItem,
    SubjectKind,
)

__all__ = [
    "HOTLINE_SHEET",
    "QUALITY_LABELS",
    "AgentQuality",
    "Calibration",
    "Candidate",
    "Inspection",
    "InspectionSampling",
    "Score",
    "ScoringSheet",
    "SheetItem",
    "SubjectKind",
    "agreement_band",
    "calibrate",
    "calibration_text",
    "call_candidates",
    "fleiss_kappa",
    "improvement_source",
    "inspect",
    "quality_by_agent",
    "quality_table",
    "rank",
    "sample",
    "ticket_candidates",
]
