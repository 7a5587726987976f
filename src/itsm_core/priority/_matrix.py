"""A grading matrix: two graded inputs (rows x columns) to a graded result, as validated data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import (
    as_list,
    as_mapping,
    blank_problem,
    check_keys,
    join,
    read_str,
    shown,
    type_problem,
    under,
)
from itsm_core.errors import InvalidPriorityMatrix, Problem, ValidationError
from itsm_core.priority._explanation import ExplanationStep, StepKind
from itsm_core.priority._scale import PriorityScale, read_scale


def _as_grid(value: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    # Lists become tuples; anything else is left as it is for validation to report.
    found: object = value
    if not isinstance(found, list | tuple):
        return value  # type: ignore[return-value]
    return tuple(tuple(row) if isinstance(row, list | tuple) else row for row in found)


@attrs.frozen(kw_only=True)
class GradingMatrix:
    """A lookup table from a row level and a column level to a result level, validated.

    ``cells[r - 1][c - 1]`` is the result for row level ``r`` and column level ``c``. The same
    class holds a priority matrix (impact x urgency -> priority), a complaint grading table
    (severity x urgency -> response level) and a risk matrix (likelihood x severity -> response
    level): the scales name the axes. On every scale level 1 is the highest.

    Construction checks that the matrix is

    * **total**: every (row, column) cell is set;
    * **on its scales**: no row, column or result level outside the scales;
    * **monotone**: a higher row or column level (a smaller number) never gives a lower result
      (a larger number). Checking neighbouring cells suffices, since the order is transitive.

    Every offending cell is reported in one ``InvalidPriorityMatrix``.

    >>> impact = PriorityScale("impact", ["High", "Low"])
    >>> urgency = PriorityScale("urgency", ["High", "Low"])
    >>> priority = PriorityScale("priority", ["P1", "P2", "P3"])
    >>> m = GradingMatrix(name="tiny", rows=impact, columns=urgency, result=priority,
    ...                   cells=[[1, 2], [2, 3]])
    >>> m.grade(2, 1)
    2
    >>> GradingMatrix(name="bad", rows=impact, columns=urgency, result=priority,
    ...               cells=[[2, 1], [4]])
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidPriorityMatrix: invalid priority matrix 'bad': 3 problems
      - cells[impact=2][urgency=1]: 4 is not a priority level (levels 1..3, 1 the highest)
      - cells[impact=2][urgency=2]: missing: no priority set
      - cells[impact=1][urgency=2]: priority 1 is higher than priority 2 at urgency 1, ...
    """

    name: str
    rows: PriorityScale
    columns: PriorityScale
    result: PriorityScale
    cells: tuple[tuple[int, ...], ...] = attrs.field(converter=_as_grid)

    def __attrs_post_init__(self) -> None:
        checks = [blank_problem(self.name, "name")] + [
            type_problem(getattr(self, field), PriorityScale, field, "a PriorityScale")
            for field in ("rows", "columns", "result")
        ]
        problems = [problem for problem in checks if problem is not None]
        if not problems:
            problems.extend(grid_problems(self.rows, self.columns, self.result, self.cells))
        if problems:
            raise InvalidPriorityMatrix(shown(self.name), problems)

    def grade(self, row: int, column: int) -> int:
        """The result level for ``row`` and ``column``; off-scale input is a ``ValidationError``."""
        problems = [
            p
            for p in (
                self.rows.problem(row, self.rows.name),
                self.columns.problem(column, self.columns.name),
            )
            if p is not None
        ]
        if problems:
            raise ValidationError(f"lookup in {shown(self.name)}", problems)
        return self.cells[row - 1][column - 1]

    def cell_name(self, row: int, column: int) -> str:
        """The cell's address, e.g. ``"itil-3x3[impact=2][urgency=1]"``."""
        return f"{self.name}{_cell_path(self.rows, row, self.columns, column)[len('cells') :]}"

    def explain(self, row: int, column: int) -> ExplanationStep:
        """The explanation step of looking up ``row`` and ``column`` in this matrix."""
        value = self.grade(row, column)
        return ExplanationStep(
            kind=StepKind.MATRIX,
            source=self.cell_name(row, column),
            target=self.result.name,
            value=value,
            label=self.result.label(value),
            reason=(
                f"{self.rows.name} {self.rows.describe(row)} x "
                f"{self.columns.name} {self.columns.describe(column)}"
            ),
        )

    def to_markdown(self) -> str:
        """The matrix as a Markdown table: rows down, columns across, labelled results."""
        header = [f"{self.rows.name} \\ {self.columns.name}"] + [
            self.columns.describe(c) for c in self.columns.levels
        ]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for r in self.rows.levels:
            cells = [self.result.describe(self.cells[r - 1][c - 1]) for c in self.columns.levels]
            lines.append("| " + " | ".join([self.rows.describe(r), *cells]) + " |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "rows": self.rows.to_dict(),
            "columns": self.columns.to_dict(),
            "result": self.result.to_dict(),
            "cells": [list(row) for row in self.cells],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> GradingMatrix:
        """Build a matrix from plain data; every problem is reported in ``InvalidPriorityMatrix``.

        ``cells`` is a list of rows (row level 1 first), each a list of result levels (column
        level 1 first); ``null`` marks a cell left unset and is reported as missing.
        """
        problems: list[Problem] = []
        matrix = read_matrix(data, "", problems)
        if matrix is None:
            found: object = data
            name = found.get("name") if isinstance(found, Mapping) else None
            raise InvalidPriorityMatrix(shown(name) if name is not None else "matrix", problems)
        return matrix


def _cell_path(
    rows: PriorityScale, row: int, columns: PriorityScale, column: int | None = None
) -> str:
    path = f"cells[{rows.name}={row}]"
    return path if column is None else f"{path}[{columns.name}={column}]"


def grid_problems(
    rows: PriorityScale, columns: PriorityScale, result: PriorityScale, grid: object
) -> list[Problem]:
    """Every problem of a grid against its scales: shape, missing cells, off-scale, monotone."""
    if not isinstance(grid, list | tuple):
        return [Problem("cells", f"expected a list of rows, got {shown(grid)}")]
    problems: list[Problem] = []
    valid: dict[tuple[int, int], int] = {}
    for r, row in enumerate(grid, start=1):
        if r > rows.size:
            problems.append(
                Problem(
                    _cell_path(rows, r, columns),
                    f"{r} is not a {rows.name} level (levels 1..{rows.size}): extra row",
                )
            )
            continue
        if not isinstance(row, list | tuple):
            problems.append(
                Problem(_cell_path(rows, r, columns), f"expected a row, got {shown(row)}")
            )
            continue
        for c, value in enumerate(row, start=1):
            path = _cell_path(rows, r, columns, c)
            if c > columns.size:
                problems.append(
                    Problem(
                        path,
                        f"{c} is not a {columns.name} level (levels 1..{columns.size}): extra cell",
                    )
                )
            elif value is None:
                problems.append(Problem(path, f"missing: no {result.name} set"))
            elif not is_int(value):
                problems.append(
                    Problem(path, f"expected a {result.name} level, got {shown(value)}")
                )
            elif value not in result:
                problems.append(result.problem(value, path))  # type: ignore[arg-type]
            else:
                valid[r, c] = value
        problems.extend(
            Problem(_cell_path(rows, r, columns, c), f"missing: no {result.name} set")
            for c in range(len(row) + 1, columns.size + 1)
        )
    problems.extend(
        Problem(_cell_path(rows, r, columns, c), f"missing: no {result.name} set")
        for r in range(len(grid) + 1, rows.size + 1)
        for c in columns.levels
    )
    problems.extend(_monotone_problems(rows, columns, result, valid))
    return problems


def _monotone_problems(
    rows: PriorityScale,
    columns: PriorityScale,
    result: PriorityScale,
    valid: Mapping[tuple[int, int], int],
) -> list[Problem]:
    """Each cell whose result is higher than that of a neighbour with a higher row or column."""
    problems: list[Problem] = []
    for (r, c), value in sorted(valid.items()):
        for scale, neighbour in ((rows, (r - 1, c)), (columns, (r, c - 1))):
            above = valid.get(neighbour)
            if above is not None and value < above:
                level = neighbour[0] if scale is rows else neighbour[1]
                problems.append(
                    Problem(
                        _cell_path(rows, r, columns, c),
                        f"{result.name} {value} is higher than {result.name} {above} at "
                        f"{scale.name} {level}, a higher {scale.name}; the matrix must be "
                        "monotone",
                    )
                )
    return problems


def read_matrix(value: object, path: str, problems: list[Problem]) -> GradingMatrix | None:
    """Read a matrix from plain data at ``path``; record problems and return None if invalid."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("name", "rows", "columns", "result", "cells"), (), problems)
    name = read_str(data, "name", path, problems)
    scales = {
        key: read_scale(data[key], join(path, key), problems) if key in data else None
        for key in ("rows", "columns", "result")
    }
    rows, columns, result = scales["rows"], scales["columns"], scales["result"]
    cells = as_list(data["cells"], join(path, "cells"), problems) if "cells" in data else None
    if rows is not None and columns is not None and result is not None and cells is not None:
        problems.extend(under(path, grid_problems(rows, columns, result, cells)))
    if len(problems) > before or name is None or rows is None or columns is None:
        return None
    assert result is not None
    assert cells is not None
    return GradingMatrix(name=name, rows=rows, columns=columns, result=result, cells=cells)  # type: ignore[arg-type]
