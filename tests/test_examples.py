"""The examples run, print nothing on stderr, and print the same thing every time.

The facts checked in the week's output are worked out here by hand from the story's script
(examples/_week_script.py) and the office calendar, not copied from the output.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(script: str) -> str:
    """Run an example from the repository root; return its stdout after checking it ran clean."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.strip()
    return done.stdout


@pytest.fixture(scope="module")
def week() -> str:
    return run("week.py")


def section(text: str, title: str) -> str:
    """The lines of ``text`` from the heading ``title`` to the next heading of its level."""
    start = text.index(f"\n{title}\n")
    underline = "=" if text[start + len(title) + 2] == "=" else "-"
    rest = text[start + 1 :].split("\n")
    end = next(
        (
            i
            for i in range(3, len(rest) - 1)
            if rest[i + 1] and set(rest[i + 1]) == {underline} and len(rest[i + 1]) == len(rest[i])
        ),
        len(rest),
    )
    return "\n".join(rest[:end])


def test_week_is_deterministic(week: str) -> None:
    assert run("week.py") == week


def test_week_fits_a_terminal(week: str) -> None:
    assert max(len(line) for line in week.splitlines()) <= 110


def test_week_counts_requests_per_channel(week: str) -> None:
    # Counted by hand in the intake table of _week_script.py:
    # phone   101 106 109 111 113 117 120 125 128 129 134 138 142 144 150 155 157 = 17
    # web     103 108 114 118 124 126 133 137 141 146 147 149 152 153            = 14
    # email   104 107 112 121 122 131 136 139 145 148 154 158                    = 12
    # chat    102 110 116 123 130 140 151                                        = 7
    # walk-in 105 119 127 135 143 156                                            = 6
    # internal (the change CHG-115 and the problem PRB-132)                      = 2
    expected = {"phone": 17, "web portal": 14, "email": 12, "chat": 7, "walk-in": 6, "internal": 2}
    assert sum(expected.values()) == 58
    listed = ", ".join(f"{name} {n}" for name, n in expected.items())
    assert f"By channel: {listed}\n" in week
    assert "58 tickets opened, by day" in week


def test_week_intake_per_day(week: str) -> None:
    # Mon 101-110, Tue 111-119, Wed 120-128, Thu 129-137, Fri 138-146, Sat 147-149, Sun 150-158
    counts = [int(n) for n in re.findall(r"^Intake: (\d+) requests$", week, re.MULTILINE)]
    assert counts == [10, 9, 9, 9, 9, 3, 9]


def test_due_dates_jump_the_national_day_holiday(week: str) -> None:
    table = section(week, "Left open for next week: due dates across the National Day holiday")
    # a row's words: ticket, state, opened (4 words: "Sun 28 Sep 16:00"), clock, target...
    lines = {(line.split()[0], line.split()[6]): line for line in table.splitlines()[3:]}
    # INC-157, P4 (3 working days), opened on the make-up Sunday 28 Sep at 16:00:
    # Mon 29 Sep is day 1, Tue 30 Sep day 2, 1-8 Oct are National Day, Thu 9 Oct day 3: 16:00.
    assert lines[("INC-157", "resolution")].endswith("Thu 09 Oct 16:00")
    # ASK-158, P5 (5 working days) from Sun 28 Sep 17:30: Mon 29, Tue 30, Thu 9, Fri 10 and the
    # make-up Saturday 11 Oct: due Sat 11 Oct 17:30.
    assert lines[("ASK-158", "resolution")].endswith("Sat 11 Oct 17:30")
    # Its first response (P5, 4 working hours): 30 min on Sunday, 3 h on Monday morning, then
    # 30 min after lunch: Mon 29 Sep 13:30.
    assert lines[("ASK-158", "first_response")].endswith("Mon 29 Sep 13:30")
    # INC-141 (P4, Fri 26 Sep 10:45): Sun 28 (a working day), Mon 29, Tue 30 Sep 10:45.
    assert lines[("INC-141", "resolution")].endswith("Tue 30 Sep 10:45")


def test_breach_and_escalation_of_inc_120(week: str) -> None:
    # INC-120, P2 (8 working hours), opened Wed 24 Sep 09:20: 2 h 40 before lunch and 5 h in the
    # afternoon leave 20 min for Thursday: due Thu 09:20; the escalation one hour later.
    thursday = section(week, "Thursday 25 September 2025")
    assert re.search(r"09:20\s+INC-120\s+resolution\s+breach\s+breach", thursday)
    assert re.search(r"10:20\s+INC-120\s+resolution\s+escalate\s+escalate level 2", thursday)
    # At Wednesday's close it had 20 min left: a warning (7 h 40 of 8 h = 96 %).
    wednesday = section(week, "Wednesday 24 September 2025")
    assert re.search(r"INC-120\s+resolution\s+warning\s+7h40\s+0h20\s+96 %", wednesday)


def test_pause_on_tuesday(week: str) -> None:
    # INC-112 (P3) waits for the customer from 11:00 (90 working minutes after 09:30).
    tuesday = section(week, "Tuesday 23 September 2025")
    assert re.search(r"INC-112\s+resolution\s+paused\s+1h30", tuesday)


def test_complaints_pareto(week: str) -> None:
    # Complaints in the script: network CMP-109, 113, 134, 149; access CMP-122, 155;
    # email CMP-139; printing CMP-143: 8 of 58 tickets.
    assert re.search(r"complaint_rate\s+8/58\s+13\.8 %", week)
    pareto = section(week, "Continual improvement: a PDCA cycle from the complaint Pareto")
    assert re.search(r"1\s+network\s+4\s+50\.0%", pareto)
    assert re.search(r"2\s+access\s+2\s+25\.0%", pareto)
    assert "Fewer network complaints" in pareto


def test_complaint_five_steps(week: str) -> None:
    steps = section(week, "A complaint in five steps")
    for step in ("1 受理", "2 分析/分类", "3 处理", "4 反馈", "5 归档"):
        assert step in steps
    assert "-> archived, archived=True" in steps


def test_week_runs_on_the_desk_and_replaying_its_script_appends_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import _week_run

    week = _week_run.play_week()
    recorded = week.desk.store.read_all()
    # One command per action of the script, each appending events caused by its key (the
    # ticket and the step of its script).
    keys = [key for key, _ in week.script]
    assert len(set(keys)) == len(keys) > 58
    causes = [None if r.metadata is None else r.metadata.causation_id for r in recorded]
    assert causes[:2] == ["INC-101/0", "INC-101/1"]
    assert set(causes) == set(keys)
    again = _week_run.play(week.desk, week.script)
    assert all(outcome.duplicate for outcome in again)
    assert week.desk.store.read_all() == recorded


def test_tour_runs() -> None:
    assert run("demo.py")


def test_sharded_kpis_runs() -> None:
    assert run("sharded_kpis.py")


def test_week_follow_up_finds_a_dissatisfied_customer_and_reopens(week: str) -> None:
    # _week_followup.py: the first ticket still resolved on Sunday night (CMP-139, resolved in
    # the complaint workflow's feedback step) is called first and its customer is not satisfied.
    table = section(week, "Follow-up visits (回访): a dissatisfied customer's ticket reopens")
    (row,) = [line for line in table.splitlines() if "CMP-139" in line]
    assert "dissatisfied 客户不满意" in row
    assert "reopened (handling)" in row
    assert "target 95%: NOT met" in table
