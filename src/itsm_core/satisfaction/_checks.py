"""Run-time guards of survey definitions and answers; they check, never coerce.

The statistical input checks (numbers, counts, confidence levels, enough data) live in
``itsm_core.stats._checks``, below this package.
"""

from __future__ import annotations


def nonempty_str(value: object) -> bool:
    """True for a non-empty str (checked at run time, whatever the annotation promised)."""
    return isinstance(value, str) and bool(value)


def instance_of(value: object, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` for values whose static type already claims ``kind``: a run-time guard."""
    return isinstance(value, kind)
