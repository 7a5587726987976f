"""Hotline calls: call records as events, measured KPIs per interval, callbacks and duty.

* **Calls** are event streams on the kernel: a :class:`CallEvent` for each fact the switch
  reports (offered, queued, answered, transferred, ended, wrapped up, abandoned, callback
  requested, ticket linked); the :class:`Call` is their fold (:data:`CALL`), with its wait,
  talk, wrap-up and handle times. :func:`record` adds one fact; :func:`call_events` gives the
  events of a finished call from call-detail figures (the importer
  ``itsm_core.adapters.cdr`` uses it). :class:`RecordCall` is a fact as a command and
  :func:`decide_call` decides it, for the desk (``itsm_core.desk.call_desk``).
* **KPIs** (:func:`interval_kpis`): per 15 or 30 minutes, the service level reached (answered
  within X s, with an explicit :class:`ServiceLevelConvention` for abandoned calls), average
  speed of answer, abandonment rate with and without short abandons, average handle time,
  occupancy, first-contact resolution of calls; :func:`plan_vs_actual` sets them beside the
  Erlang C :func:`~itsm_core.routing.staffing_plan`; :func:`kpi_table` shows them in English
  or Chinese.
* **Callbacks** (:func:`schedule_callbacks`) for abandoned calls, due within working time of a
  business calendar.
* **Duty** (:func:`check_duty`): 24-hour coverage gaps of the :class:`Shift` roster and shifts
  ended without a :class:`HandoverEntry`.
"""

from itsm_core.calls._call import (
    CALL,
    Call,
    CallEvent,
    CallEventKind,
    CallStatus,
    call_events,
    record,
)
from itsm_core.calls._callbacks import Callback, CallbackPlan, schedule_callbacks
from itsm_core.calls._decide import RecordCall, decide_call
from itsm_core.calls._duty import (
    CoverageGap,
    DutyCheck,
    HandoverEntry,
    MissingHandover,
    Shift,
    check_duty,
)
from itsm_core.calls._kpis import (
    IntervalKpis,
    PlanActual,
    ServiceLevelConvention,
    interval_kpis,
    plan_vs_actual,
)
from itsm_core.calls._labels import KPI_LABELS, kpi_table

__all__ = [
    "CALL",
    "KPI_LABELS",
    "Call",
    "CallEvent",
    "CallEventKind",
    "CallStatus",
    "Callback",
    "CallbackPlan",
    "CoverageGap",
    "DutyCheck",
    "HandoverEntry",
    "IntervalKpis",
    "MissingHandover",
    "PlanActual",
    "RecordCall",
    "ServiceLevelConvention",
    "Shift",
    "call_events",
    "check_duty",
    "decide_call",
    "interval_kpis",
    "kpi_table",
    "plan_vs_actual",
    "record",
    "schedule_callbacks",
]
