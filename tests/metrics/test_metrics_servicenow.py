"""The real ServiceNow sample: the report printed in docs/metrics/servicenow.md is what the
page's code produces, and the figures the file can check are checked against its own columns.

Run as a script with ``--write`` to regenerate the page's report and cross-check table.
"""

from __future__ import annotations

import collections
import csv
import itertools
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from itsm_core.metrics import KpiReport, render_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "metrics" / "servicenow.md"
CSV = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "servicenow_incident_events_sample.csv"
)
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def page_namespace() -> dict[str, Any]:
    """Run the page's code blocks (defining ``servicenow_report``) without the data."""
    namespace: dict[str, Any] = {"__name__": "servicenow_page", "Path": Path}
    text = PAGE.read_text(encoding="utf-8")
    for block in FENCE.findall(text):
        exec(
            compile(
                block.replace("SAMPLE = Path(", "SAMPLE = Path('/nonexistent') or Path("),
                str(PAGE),
                "exec",
            ),
            namespace,
        )
    return namespace


def file_figures(path: Path) -> dict[str, int]:
    """Independent counts from the CSV columns (csv module only)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by = collections.defaultdict(list)
    for row in rows:
        by[row["number"]].append(row)
    reopened = sum(1 for g in by.values() if max(int(r["reopen_count"]) for r in g) > 0)
    reassigned = sum(1 for g in by.values() if max(int(r["reassignment_count"]) for r in g) > 0)
    unexplained = 0  # counter > 0 but no row shows one known group replaced by another
    for g in by.values():
        known = [r["assignment_group"] for r in g]
        changes = sum(1 for a, b in itertools.pairwise(known) if a != b and a != "?")
        if max(int(r["reassignment_count"]) for r in g) > 0 and changes == 0:
            unexplained += 1
    made = sum(1 for g in by.values() if g[-1]["made_sla"] == "TRUE")
    last_priority = collections.Counter(g[-1]["priority"].split(" - ")[0] for g in by.values())
    changed_priority = sum(1 for g in by.values() if len({r["priority"] for r in g}) > 1)
    return {
        **{f"last_priority_{p}": count for p, count in last_priority.items()},
        "priority_changes": changed_priority,
        "incidents": len(by),
        "reopened": reopened,
        "reassigned": reassigned,
        "unexplained": unexplained,
        "made_sla": made,
    }


def priorities(report: KpiReport) -> dict[str, int]:
    """Tickets by priority over the whole range, from the report's breakdown."""
    return {
        f"last_priority_{b.value}": b.tickets
        for b in report.breakdowns
        if b.period.label == "all" and b.dimension == "priority"
    }


def crosscheck_rows(report: KpiReport, figures: dict[str, int]) -> str:
    by_priority = priorities(report)
    shown = ", ".join(f"P{k[-1]} {v}" for k, v in sorted(by_priority.items()))
    from_file = ", ".join(f"P{k[-1]} {figures[k]}" for k in sorted(by_priority))
    reopened = report.rate("reopened_ever")
    reassigned = report.rate("reassignment_rate")
    sla = next(c for c in report.sla if c.period.label == "all")
    assert sla.rate is not None
    lines = [
        "| figure | from the event stream | from the file's columns | agreement |",
        "|---|---|---|---|",
        f"| incidents | {report.diagnostics.tickets} | {figures['incidents']} distinct "
        f"`number` | equal |",
        f"| incidents reopened at least once | {reopened.successes} | "
        f"{figures['reopened']} with `reopen_count` > 0 | equal |",
        f"| incidents reassigned at least once | {reassigned.successes} | "
        f"{figures['reassigned']} with `reassignment_count` > 0 | "
        f"{figures['reassigned'] - reassigned.successes} differ: the counter rose without "
        f"any row showing one group replaced by another ({figures['unexplained']} incidents) |",
        f"| SLA met (resolution) | {sla.met} of {sla.denominator} "
        f"({sla.rate.percent:.1f} %) | {figures['made_sla']} with `made_sla` TRUE on the "
        f"last row | equal |",
        f"| incidents by priority (when counted) | {shown} | {from_file} on the last row "
        f"| {'equal' if all(figures[k] == v for k, v in by_priority.items()) else 'differ'}: "
        f"{figures['priority_changes']} incidents changed priority |",
    ]
    return "\n".join(lines) + "\n"


def sections(report: KpiReport, figures: dict[str, int]) -> dict[str, str]:
    return {"report": render_markdown(report), "crosscheck": crosscheck_rows(report, figures)}


def between(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


@pytest.fixture(scope="module")
def report(servicenow_csv: Path) -> KpiReport:
    result = page_namespace()["servicenow_report"](servicenow_csv)
    assert isinstance(result, KpiReport)
    return result


def test_the_page_shows_what_its_code_computes(report: KpiReport, servicenow_csv: Path) -> None:
    text = PAGE.read_text(encoding="utf-8")
    for name, expected in sections(report, file_figures(servicenow_csv)).items():
        assert between(text, name) == expected, f"regenerate: python {__file__} --write"


def test_figures_agree_with_the_files_own_columns(report: KpiReport, servicenow_csv: Path) -> None:
    figures = file_figures(servicenow_csv)
    assert report.diagnostics.tickets == figures["incidents"] == 445
    assert report.rate("reopened_ever").successes == figures["reopened"]
    # Every reassignment the log shows is found; the tool's counter also counts changes the
    # exported rows do not show.
    assert (
        report.rate("reassignment_rate").successes == figures["reassigned"] - figures["unexplained"]
    )
    sla = next(c for c in report.sla if c.period.label == "all")
    assert (sla.met, sla.denominator, sla.open_breached) == (figures["made_sla"], 445, 0)
    # The imported events carry priority changes: a ticket counts under its last priority.
    assert priorities(report) == {
        k: v for k, v in figures.items() if k.startswith("last_priority_")
    }
    assert figures["priority_changes"] > 0
    assert all(flow.identity_holds for flow in report.flows)
    assert report.backlog[-1].open == 0  # every incident is closed by the end of the log


def write() -> None:  # pragma: no cover - a maintenance script
    result = page_namespace()["servicenow_report"](CSV)
    text = PAGE.read_text(encoding="utf-8")
    for name, body in sections(result, file_figures(CSV)).items():
        head, rest = text.split(f"<!-- {name}:start -->\n", 1)
        _, tail = rest.split(f"<!-- {name}:end -->", 1)
        text = f"{head}<!-- {name}:start -->\n{body}<!-- {name}:end -->{tail}"
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    write()
