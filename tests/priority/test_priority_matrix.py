"""GradingMatrix: the shipped tables cell by cell, validation, laws, and plain-data round trips."""

from __future__ import annotations

import json
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidPriorityMatrix, ValidationError
from itsm_core.priority import (
    ITIL_MATRIX,
    MATRIX_5X5,
    SERVICENOW_MATRIX,
    GradingMatrix,
    PriorityScale,
)
from itsm_core.priority._catalogue import EMERGENCY_RISK_MATRIX

IMPACT = PriorityScale("impact", ["High", "Medium", "Low"])
URGENCY = PriorityScale("urgency", ["High", "Medium", "Low"])
PRIORITY = PriorityScale("priority", ["P1", "P2", "P3", "P4", "P5"])

# ITIL's published 3x3 table (ITIL Service Operation, incident prioritisation), written out by hand.
ITIL_TABLE = {
    ("High", "High"): "Critical",
    ("High", "Medium"): "High",
    ("High", "Low"): "Medium",
    ("Medium", "High"): "High",
    ("Medium", "Medium"): "Medium",
    ("Medium", "Low"): "Low",
    ("Low", "High"): "Medium",
    ("Low", "Medium"): "Low",
    ("Low", "Low"): "Planning",
}


def matrix(cells: object, name: str = "m") -> GradingMatrix:
    return GradingMatrix(name=name, rows=IMPACT, columns=URGENCY, result=PRIORITY, cells=cells)  # type: ignore[arg-type]


@pytest.mark.parametrize(("impact", "urgency"), list(product(range(1, 4), range(1, 4))))
def test_itil_matrix_cell_by_cell(impact: int, urgency: int) -> None:
    priority = ITIL_MATRIX.grade(impact, urgency)
    assert priority == impact + urgency - 1
    labels = (ITIL_MATRIX.rows.label(impact), ITIL_MATRIX.columns.label(urgency))
    assert ITIL_MATRIX.result.label(priority) == ITIL_TABLE[labels]


def test_servicenow_matrix_is_the_default_lookup_on_four_levels() -> None:
    expected = {
        (1, 1): "Critical", (1, 2): "High", (1, 3): "Moderate",
        (2, 1): "High", (2, 2): "Moderate", (2, 3): "Low",
        (3, 1): "Moderate", (3, 2): "Low", (3, 3): "Low",
    }  # fmt: skip
    got = {
        (i, u): SERVICENOW_MATRIX.result.label(SERVICENOW_MATRIX.grade(i, u))
        for i, u in product(range(1, 4), range(1, 4))
    }
    assert got == expected


# GLPI's default `priority_matrix` as published (install/empty_data.php), in GLPI's numbering:
# 1 very low .. 5 very high; rows are urgency, columns impact.
GLPI_DEFAULT = {
    1: {1: 1, 2: 1, 3: 2, 4: 2, 5: 2},
    2: {1: 1, 2: 2, 3: 2, 4: 3, 5: 3},
    3: {1: 2, 2: 2, 3: 3, 4: 4, 5: 4},
    4: {1: 2, 2: 3, 3: 4, 4: 4, 5: 5},
    5: {1: 2, 2: 3, 3: 4, 4: 5, 5: 5},
}


@pytest.mark.parametrize(("impact", "urgency"), list(product(range(1, 6), range(1, 6))))
def test_5x5_matrix_is_glpis_default_renumbered(impact: int, urgency: int) -> None:
    glpi = GLPI_DEFAULT[6 - urgency][6 - impact]
    assert MATRIX_5X5.grade(impact, urgency) == 6 - glpi


@pytest.mark.parametrize(("likelihood", "severity"), list(product(range(1, 6), range(1, 6))))
def test_emergency_risk_matrix_follows_the_score_bands(likelihood: int, severity: int) -> None:
    score = (6 - likelihood) * (6 - severity)  # the usual 1..25 risk score
    expected = 1 if score >= 15 else 2 if score >= 5 else 3
    assert EMERGENCY_RISK_MATRIX.grade(likelihood, severity) == expected


@pytest.mark.parametrize(
    "shipped", [ITIL_MATRIX, SERVICENOW_MATRIX, MATRIX_5X5, EMERGENCY_RISK_MATRIX]
)
def test_shipped_matrices_round_trip_through_json(shipped: GradingMatrix) -> None:
    data = json.loads(json.dumps(shipped.to_dict()))
    assert GradingMatrix.from_dict(data) == shipped


def test_every_offending_cell_is_listed() -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        matrix([[1, 2, 9], [2, 1], [3, 4, 5], [1, 1, 1]], name="broken")
    paths = [p.path for p in caught.value.problems]
    assert paths == [
        "cells[impact=1][urgency=3]",  # 9 is not a priority level
        "cells[impact=2][urgency=3]",  # missing
        "cells[impact=4]",  # no impact level 4
        "cells[impact=2][urgency=2]",  # 1 beats 2 above it (impact 1) ...
        "cells[impact=2][urgency=2]",  # ... and 2 left of it (urgency 1)
    ]
    message = str(caught.value)
    assert "invalid priority matrix 'broken': 5 problems" in message
    assert "9 is not a priority level" in message
    assert "missing: no priority set" in message
    assert "must be monotone" in message


def test_missing_rows_and_extra_columns_are_reported() -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        matrix([[1, 2, 3, 4]])
    paths = [p.path for p in caught.value.problems]
    assert paths[0] == "cells[impact=1][urgency=4]"
    assert sorted(paths[1:]) == [
        f"cells[impact={i}][urgency={u}]" for i in (2, 3) for u in (1, 2, 3)
    ]


@pytest.mark.parametrize(
    "cells",
    [
        [[1, 2, 3], [2, 3, 4], [3, 4, True]],
        [[1, 2, 3], [2, 3, 4], [3, 4, "5"]],
        [[1, 2, 3], [2, 3, 4], 7],
        [[1, 2, 3], [2, 3, 4], [3, 4, None]],
        "123",
    ],
)
def test_cells_of_the_wrong_type_are_refused(cells: object) -> None:
    with pytest.raises(InvalidPriorityMatrix):
        matrix(cells)


def test_bad_name_and_scales_are_refused() -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        GradingMatrix(name=" ", rows="impact", columns=URGENCY, result=PRIORITY, cells=[])  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["name", "rows"]


def test_lookup_off_the_scale_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        ITIL_MATRIX.grade(0, 4)
    assert [p.path for p in caught.value.problems] == ["impact", "urgency"]
    with pytest.raises(ValidationError):
        ITIL_MATRIX.grade(True, 1)


def test_explain_names_the_cell_and_its_inputs() -> None:
    step = ITIL_MATRIX.explain(3, 2)
    assert str(step) == (
        "matrix: itil-3x3[impact=3][urgency=2] -> priority 4 (Low): "
        "impact 3 (Low) x urgency 2 (Medium)"
    )


def test_markdown_rendering_lists_every_cell() -> None:
    text = SERVICENOW_MATRIX.to_markdown()
    lines = text.splitlines()
    assert lines[0] == "| impact \\ urgency | 1 (High) | 2 (Medium) | 3 (Low) |"
    assert lines[-1] == "| 3 (Low) | 3 (Moderate) | 4 (Low) | 4 (Low) |"
    assert len(lines) == 2 + 3


# --- laws -------------------------------------------------------------------------------------


def monotone_by_every_pair(grid: list[list[int]]) -> bool:
    """Oracle: compare every pair of cells, not only neighbours."""
    cells = {(r, c): v for r, row in enumerate(grid) for c, v in enumerate(row)}
    return all(
        v1 <= v2
        for (r1, c1), v1 in cells.items()
        for (r2, c2), v2 in cells.items()
        if r1 <= r2 and c1 <= c2
    )


grids = st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=3, max_size=3)


@given(grids)
def test_a_complete_grid_is_accepted_exactly_when_monotone(grid: list[list[int]]) -> None:
    if monotone_by_every_pair(grid):
        built = matrix(grid)
        for i, u in product(range(1, 4), range(1, 4)):
            assert built.grade(i, u) == grid[i - 1][u - 1]  # total: every cell answers
    else:
        with pytest.raises(InvalidPriorityMatrix) as caught:
            matrix(grid)
        assert all("monotone" in p.message for p in caught.value.problems)


@st.composite
def monotone_grids(draw: st.DrawFn) -> tuple[int, int, list[list[int]]]:
    """A random monotone grid: each cell at least the max of its upper and left neighbours."""
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    grid: list[list[int]] = []
    for r in range(rows):
        row: list[int] = []
        for c in range(columns):
            floor = max(grid[r - 1][c] if r else 1, row[c - 1] if c else 1)
            row.append(draw(st.integers(floor, 7)))
        grid.append(row)
    return rows, columns, grid


@given(monotone_grids())
def test_monotone_grids_of_any_shape_are_accepted(shape: tuple[int, int, list[list[int]]]) -> None:
    rows, columns, grid = shape
    built = GradingMatrix(
        name="any",
        rows=PriorityScale("impact", [f"I{k}" for k in range(rows)]),
        columns=PriorityScale("urgency", [f"U{k}" for k in range(columns)]),
        result=PriorityScale("priority", [f"P{k}" for k in range(7)]),
        cells=grid,
    )
    for i, u in product(range(1, rows + 1), range(1, columns + 1)):
        assert built.grade(i, u) <= built.grade(min(i + 1, rows), u)
        assert built.grade(i, u) <= built.grade(i, min(u + 1, columns))
    assert GradingMatrix.from_dict(json.loads(json.dumps(built.to_dict()))) == built


@given(st.sampled_from(sorted(product(range(3), range(3)))))
def test_removing_any_cell_is_reported_as_that_cell(cell: tuple[int, int]) -> None:
    grid: list[list[int | None]] = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
    grid[cell[0]][cell[1]] = None
    with pytest.raises(InvalidPriorityMatrix) as caught:
        GradingMatrix.from_dict({**ITIL_MATRIX.to_dict(), "cells": grid})
    assert [p.path for p in caught.value.problems] == [
        f"cells[impact={cell[0] + 1}][urgency={cell[1] + 1}]"
    ]


# --- plain data -------------------------------------------------------------------------------


def test_from_dict_reports_every_problem_with_its_path() -> None:
    data = {
        "name": "",
        "rows": {"name": "impact", "labels": ["High", "High"]},
        "columns": {"name": "urgency"},
        "result": ["P1"],
        "cells": [[1]],
        "colour": "red",
    }
    with pytest.raises(InvalidPriorityMatrix) as caught:
        GradingMatrix.from_dict(data)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["colour", "name", "rows.labels[1]", "columns.labels", "result"]


def test_from_dict_checks_cells_against_valid_scales() -> None:
    data = ITIL_MATRIX.to_dict()
    data["cells"] = [[1, 2, 3], [2, 3, 4], [3, 4, 6]]
    with pytest.raises(InvalidPriorityMatrix) as caught:
        GradingMatrix.from_dict(data)
    assert str(caught.value).startswith("invalid priority matrix 'itil-3x3': 1 problem")
    assert caught.value.problems[0].path == "cells[impact=3][urgency=3]"


def test_from_dict_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(InvalidPriorityMatrix):
        GradingMatrix.from_dict([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidPriorityMatrix):
        GradingMatrix.from_dict({**ITIL_MATRIX.to_dict(), "cells": "none"})


def test_scale_validation_and_round_trip() -> None:
    assert PriorityScale.from_dict(IMPACT.to_dict()) == IMPACT
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityScale("", ["A", "", "A", 3])  # type: ignore[list-item]
    assert [p.path for p in caught.value.problems] == [
        "name",
        "labels[1]",
        "labels[2]",
        "labels[3]",
    ]
    with pytest.raises(InvalidPriorityMatrix):
        PriorityScale("impact", "HML")
    with pytest.raises(InvalidPriorityMatrix):
        PriorityScale("impact", [])
    with pytest.raises(InvalidPriorityMatrix):
        PriorityScale.from_dict({"name": "impact", "labels": "HML"})
    with pytest.raises(ValidationError):
        IMPACT.label(4)
