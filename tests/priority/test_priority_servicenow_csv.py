"""The ServiceNow matrix reproduces the sample data's `priority` from `impact` and `urgency`."""

from __future__ import annotations

import csv
from pathlib import Path

from itsm_core.priority import SERVICENOW_MATRIX


def level(text: str) -> tuple[int, str]:
    """Split ServiceNow's ``"2 - Medium"`` into ``(2, "Medium")``."""
    number, _, label = text.partition(" - ")
    return int(number), label


def test_every_row_of_the_sample_agrees(servicenow_csv: Path) -> None:
    with servicenow_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2989  # the README's row count: the file is the one we think it is
    disagreeing = []
    for number, row in enumerate(rows, start=2):
        impact, impact_label = level(row["impact"])
        urgency, urgency_label = level(row["urgency"])
        priority, priority_label = level(row["priority"])
        assert SERVICENOW_MATRIX.rows.label(impact) == impact_label
        assert SERVICENOW_MATRIX.columns.label(urgency) == urgency_label
        got = SERVICENOW_MATRIX.grade(impact, urgency)
        if (got, SERVICENOW_MATRIX.result.label(got)) != (priority, priority_label):
            disagreeing.append((number, row["number"], row["impact"], row["urgency"], got))
    assert disagreeing == [], f"{len(disagreeing)} of {len(rows)} rows disagree"
