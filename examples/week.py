"""`make demo`: one week of the Shanghai service desk, through the public API of itsm_core.

Monday 22 to Sunday 28 September 2025, the week before the National Day holiday (Sunday is a
make-up working day). Fifty-eight requests arrive by phone, e-mail, the web portal, chat and at
the walk-in counter; each gets a priority that explains itself and is worked command by command
through the service desk (``itsm_core.desk.ServiceDesk``), which keeps the events in an
in-memory event store. Every later section reads them through the desk: the SLA board each
evening, the complaint and the change followed end to end, the clocks left open for after the
holiday, the survey round, the KPI report and the complaint Pareto that starts a PDCA cycle.
The output is deterministic: no clock, and the only randomness is seeded.

Run: ``.venv/bin/python examples/week.py``. The story's data is in ``_week_script.py``.
"""

from __future__ import annotations

import _week_calls
import _week_cases
import _week_closure
import _week_days
import _week_drill
import _week_followup
import _week_improve
import _week_kpis
import _week_notices
import _week_report
import _week_survey
from _week_desk import OFFICE, heading
from _week_run import play_week

import itsm_core
from itsm_core.metrics import Dimension


def main() -> None:
    """Play the week and print it, section by section."""
    week = play_week()
    print(f"itsm_core {itsm_core.__version__}: a week at the Shanghai service desk")
    print(
        f"{OFFICE.name}: 09:00-12:00 and 13:00-18:00 Asia/Shanghai, Monday to Friday; "
        "National Day 1-8 October;"
    )
    print("make-up working days (调休) Sunday 28 September and Saturday 11 October.")
    heading("The week, day by day")
    _week_days.show(week)
    heading("A complaint in five steps")
    _week_cases.show_complaint(week)
    _week_closure.show(week)
    heading("A change through the CAB, and the problem it solved")
    _week_cases.show_change(week)
    heading("Left open for next week: due dates across the National Day holiday")
    _week_cases.show_open(week)
    _week_notices.show(week)
    heading("The survey round")
    survey = _week_survey.run_round(week)
    _week_survey.show(survey)
    heading("The week's KPI report")
    _week_kpis.show(_week_kpis.week_report(week, survey.answers))
    _week_report.show(week, survey.answers)
    heading("Continual improvement: a PDCA cycle from the complaint Pareto")
    by_category = _week_kpis.week_report(week, survey.answers, group_by=(Dimension.CATEGORY,))
    _week_improve.show(by_category)
    _week_drill.show()
    _week_calls.show()
    heading("Follow-up visits (回访): a dissatisfied customer's ticket reopens")
    _week_followup.show(week, survey.answers)


if __name__ == "__main__":
    main()
