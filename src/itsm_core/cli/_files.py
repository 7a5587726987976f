"""Reading definition files (JSON or TOML) and writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from itsm_core._plain import refuse_constant
from itsm_core.errors import DefinitionError, ItsmError, Problem, ValidationError

_T = TypeVar("_T")

_SEGMENT = re.compile(r"[^.\[\]]+")


class CliError(Exception):
    """A failure to report on stderr, one line per entry, with the exit code to end with."""

    def __init__(self, lines: Sequence[str], *, code: int = 1) -> None:
        self.lines = tuple(lines)
        self.code = code
        super().__init__("\n".join(self.lines))


def read_text(path: Path) -> str:
    """The file's text; CliError naming the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CliError([f"{path}: cannot read: {error.strerror or error}"]) from None
    except UnicodeDecodeError as error:
        raise CliError([f"{path}: not UTF-8 text (byte {error.start})"]) from None


def load_definition(path: Path) -> tuple[Any, str]:
    """The plain data of a ``.json`` or ``.toml`` file, and its text (to locate problems)."""
    suffix = path.suffix.lower()
    if suffix not in {".json", ".toml"}:
        raise CliError([f"{path}: expected a .json or .toml file"], code=2)
    text = read_text(path)
    if suffix == ".toml":
        try:
            return tomllib.loads(text), text
        except tomllib.TOMLDecodeError as error:
            raise CliError([f"{path}: invalid TOML: {error}"]) from None
        except RecursionError:
            raise CliError([f"{path}: invalid TOML: nested too deep"]) from None
        except ValueError as error:  # an integer of thousands of digits
            raise CliError([f"{path}: invalid TOML: {error}"]) from None
    try:
        return json.loads(text, parse_constant=refuse_constant), text
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise CliError([f"{path}, {where}: invalid JSON: {error.msg}"]) from None
    except RecursionError:
        raise CliError([f"{path}: invalid JSON: nested too deep"]) from None
    except ValueError as error:  # an integer of thousands of digits, NaN, Infinity
        raise CliError([f"{path}: invalid JSON: {error}"]) from None


def load(path: Path, build: Callable[[Any], _T]) -> _T:
    """``build`` (a ``from_dict``) applied to the plain data of the definition file at ``path``;
    its error becomes a CliError that names file, line and field of each problem (any other
    :class:`~itsm_core.errors.ItsmError` names the file)."""
    data, text = load_definition(path)
    try:
        return build(data)
    except (DefinitionError, ValidationError) as error:
        raise CliError(problem_lines(path, text, error.problems)) from None
    except ItsmError as error:
        raise CliError([f"{path}: {error}"]) from None


def locate(text: str, field: str) -> int | None:
    """The line of ``text`` where the dotted ``field`` (``weekly.monday[1]``) is written.

    Each key of the path is looked for after the previous one, as a JSON key (``"monday":``)
    or a TOML key or table (``monday =``, ``[weekly]``, ``"Awaiting Vendor" =``); list
    indexes are not followed, so a problem in a list points at the list's key.

    >>> locate('{\\n  "weekly": {\\n    "monday": [1]\\n  }\\n}', "weekly.monday[0]")
    3
    >>> locate("name = 'x'\\n[weekly]\\nmonday = []\\n", "weekly.monday")
    3
    >>> locate("a = 1\\n", "b") is None
    True
    """
    position = 0
    found = False
    for segment in _SEGMENT.findall(field):
        if segment.isdigit():
            continue
        key = re.escape(segment)
        pattern = re.compile(
            rf"(^|[\s{{,.\[])(\"{key}\"|'{key}'|{key})\s*(=|:|\]|\.)", re.MULTILINE
        )
        match = pattern.search(text, position)
        if match is None:
            break
        position, found = match.start(2), True
    return text.count("\n", 0, position) + 1 if found else None


def problem_lines(path: Path, text: str, problems: Sequence[Problem]) -> list[str]:
    """``file, line N, field F: message`` for each problem of a definition file."""
    lines = []
    for problem in problems:
        where = [str(path)]
        line = _locate(text, problem.path) if problem.path else None
        if line is not None:
            where.append(f"line {line}")
        if problem.path:
            where.append(f"field {problem.path}")
        lines.append(f"{', '.join(where)}: {problem.message}")
    return lines


def _locate(text: str, field: str) -> int | None:
    """:func:`locate`, or None when the path is too odd to search for (a regular expression
    over a huge or deeply bracketed path could take long or fail)."""
    if len(field) > 1000:
        return None
    try:
        return locate(text, field)
    except (re.error, RecursionError, OverflowError):
        return None


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place: readers see the
    old file or the new one, never part of it, and a failure leaves no file behind."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise CliError([f"{path}: cannot write: {error.strerror or error}"]) from None
