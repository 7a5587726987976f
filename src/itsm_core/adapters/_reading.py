"""Reading other tools' files: UTF-8 text and CSV records, every failure naming file and line.

The importers share these so that a file that is not UTF-8, a CSV cell over the ``csv``
module's field limit, or a row cut short is reported the same way by each of them: one
:class:`~itsm_core.errors.DeserializationError` naming the file and the line, never a
``UnicodeDecodeError`` or a ``csv.Error`` (whose line count is that of the last line read, not
of the record that failed).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from itsm_core._plain import refuse_constant, shown
from itsm_core.errors import DeserializationError, Problem


def decode_utf8(data: bytes, source: str) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped); DeserializationError naming
    ``source`` and the line of the first byte that is not UTF-8.

    >>> decode_utf8(b"\\xef\\xbb\\xbfok", "a.csv")
    'ok'
    >>> decode_utf8(b"ok\\nbad \\xff", "a.csv")
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for a.csv: 1 problem
      - line 2: not UTF-8 text (byte 0xff at column 5)
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column})"
        raise DeserializationError(source, [Problem(f"line {line}", message)]) from None


def read_utf8(path: Path | str) -> str:
    """The text of the UTF-8 file at ``path``; DeserializationError naming the file (and the
    line of a byte that is not UTF-8) when it cannot be read or is not UTF-8.

    >>> read_utf8("no/such/file.csv")
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for no/such/file.csv: 1 problem
      - cannot read: No such file or directory
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise cannot_read(path, error) from None
    return decode_utf8(data, str(path))


def cannot_read(path: Path | str, error: OSError) -> DeserializationError:
    """The error for a file that cannot be read at all (missing, a directory, no permission),
    naming the file: an importer raises ItsmErrors only."""
    return DeserializationError(str(path), [Problem("", f"cannot read: {error.strerror or error}")])


def not_utf8(cells: Iterable[str]) -> bool:
    """True when text decoded with ``errors="surrogateescape"`` holds a byte that was not
    UTF-8 (such a byte becomes a lone surrogate, which valid UTF-8 never decodes to)."""
    return any("\udc80" <= char <= "\udcff" for cell in cells for char in cell)


def csv_records(lines: Iterable[str], source: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` of each CSV record of ``lines``, blank records skipped; the
    first record is the header, and a later one with fewer cells than it is a problem (a row
    cut short is reported, never read with missing fields).

    ``first line`` is the physical line the record starts on (a quoted cell may span lines).
    Raises DeserializationError naming ``source`` and that line for a row cut short, for
    anything the ``csv`` module refuses (a cell over its field limit, a stray quote), and for
    a byte that was not UTF-8 (see :func:`not_utf8`).

    >>> list(csv_records(["a,b\\n", "\\n", "1,2\\n"], "x.csv"))
    [(1, ['a', 'b']), (3, ['1', '2'])]
    >>> list(csv_records(["a,b\\n", "1\\n"], "x.csv"))
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for x.csv: 1 problem
      - line 2: 1 cells, the header has 2 columns: the row is cut short
    """
    reader = csv.reader(lines)
    width: int | None = None
    last = 0
    while True:
        first = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DeserializationError(
                source, [Problem(f"line {first}", f"unreadable CSV: {error}")]
            ) from None
        last = reader.line_num
        if not_utf8(cells):
            raise DeserializationError(source, [Problem(f"line {first}", "not UTF-8 text")])
        if not any(cell.strip() for cell in cells):
            continue
        if width is not None and len(cells) < width:
            message = f"{len(cells)} cells, the header has {width} columns: the row is cut short"
            raise DeserializationError(source, [Problem(f"line {first}", message)])
        if width is None:
            width = len(cells)
        yield first, cells


def load_json(text: object, source: str, *, line: int | None = None) -> Any:
    """The JSON value of ``text``; DeserializationError naming ``source`` (and the line and
    column of a syntax error) for anything else: not JSON, nested too deep, a number of
    thousands of digits, NaN or Infinity (not JSON either), bytes that are not UTF-8.

    ``line``: the line ``text`` is in a JSON Lines file (the problems then name it).

    >>> load_json('{"a": [1, 2]}', "x.json")
    {'a': [1, 2]}
    >>> load_json("[" * 100_000, "x.json")
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for x.json: 1 problem
      - invalid JSON: nested too deep
    >>> load_json('{"n": 1,}', "x.jsonl", line=7)
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for x.jsonl: 1 problem
      - line 7, column 9: invalid JSON: Expecting property name enclosed in double quotes
    """
    if isinstance(text, bytes | bytearray):
        text = decode_utf8(bytes(text), source)
    where = f"line {line}" if line is not None else ""
    if not isinstance(text, str):
        raise DeserializationError(
            source, [Problem(where, f"expected JSON text, got {shown(text)}")]
        )
    try:
        return json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        at = f"{where}, column {exc.colno}" if where else f"line {exc.lineno} column {exc.colno}"
        raise DeserializationError(source, [Problem(at, f"invalid JSON: {exc.msg}")]) from None
    except RecursionError:
        message = "invalid JSON: nested too deep"
    except ValueError as exc:  # an integer over Python's digit limit, NaN, Infinity
        message = f"invalid JSON: {exc}"
    raise DeserializationError(source, [Problem(where, message)])


def csv_rows(text: TextIO, source: str) -> Iterator[tuple[int, Mapping[str, object]]]:
    """``(line, row)`` of each data row of a CSV file with a header row, the row a mapping
    from header to cell; a row with more cells than the header, or a file without a header,
    is a DeserializationError naming the line."""
    records = csv_records(text, source)
    first = next(records, None)
    if first is None:
        raise DeserializationError(source, [Problem("line 1", "no header row")])
    header = first[1]
    for line, cells in records:
        if len(cells) > len(header):
            raise DeserializationError(
                source, [Problem(f"line {line}", "more cells than the header has columns")]
            )
        yield line, dict(zip(header, cells, strict=True))


def jsonl_rows(text: TextIO, source: str) -> Iterator[tuple[int, Mapping[str, object]]]:
    """``(line, object)`` of each non-blank line of a JSON Lines file; a line that is not UTF-8,
    not JSON or not an object is a DeserializationError naming it."""
    for line, content in enumerate(text, start=1):
        if not content.strip():
            continue
        if not_utf8([content]):
            raise DeserializationError(source, [Problem(f"line {line}", "not UTF-8 text")])
        value = load_json(content, source, line=line)
        if not isinstance(value, dict):
            raise DeserializationError(source, [Problem(f"line {line}", "expected a JSON object")])
        yield line, value
