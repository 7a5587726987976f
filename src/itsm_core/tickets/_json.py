"""JSON-safe values, frozen: mappings become read-only, lists become tuples."""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from typing import Any

from itsm_core.errors import Problem, ValidationError

#: A JSON-safe value as stored in events and attributes (frozen form).
Json = None | bool | int | float | str | tuple["Json", ...] | Mapping[str, "Json"]


def freeze_json(value: object, where: str = "payload") -> Json:
    """Check ``value`` is JSON-safe and return a frozen copy; ValidationError lists every problem.

    >>> frozen = freeze_json({"a": [1, "x", None]})
    >>> frozen["a"]
    (1, 'x', None)
    >>> freeze_json({"when": object()})
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for payload: 1 problem
      - payload.when: object is not JSON-safe
    """
    problems: list[Problem] = []
    frozen = _freeze(value, where, problems)
    if problems:
        raise ValidationError(where, problems)
    return frozen


def _freeze(value: object, path: str, problems: list[Problem]) -> Json:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.append(Problem(path, f"{value} is not a finite number"))
        return value
    if isinstance(value, list | tuple):
        return tuple(_freeze(item, f"{path}[{i}]", problems) for i, item in enumerate(value))
    if isinstance(value, Mapping):
        out: dict[str, Json] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(path, f"key {key!r} is not a string"))
                continue
            out[key] = _freeze(item, f"{path}.{key}", problems)
        return types.MappingProxyType(out)
    problems.append(Problem(path, f"{type(value).__name__} is not JSON-safe"))
    return None


def thaw_json(value: Json) -> Any:
    """The plain ``dict``/``list`` form of a frozen JSON value (for ``json.dumps``).

    >>> thaw_json(freeze_json({"a": (1, 2)}))
    {'a': [1, 2]}
    """
    if isinstance(value, tuple):
        return [thaw_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: thaw_json(item) for key, item in value.items()}
    return value


def frozen_mapping(value: Mapping[str, object]) -> Mapping[str, Json]:
    """Freeze a mapping (attrs converter for payloads and attributes)."""
    frozen = freeze_json(value)
    if not isinstance(frozen, Mapping):  # pragma: no cover - a Mapping freezes to a Mapping
        raise ValidationError("payload", [Problem("payload", "expected a mapping")])
    return frozen
