"""Plain JSON-safe data for the artefacts a cycle records, read back with every problem listed.

Datetimes are ISO 8601 strings with their UTC offset; enums are their values; tuples are
lists. :class:`Reader` collects every problem with its path (``event.change.due``) instead of
stopping at the first, and builds a value only when its parts read cleanly; the caller raises
one :class:`~itsm_core.errors.DeserializationError` at the end.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping
from typing import Any

from itsm_core.errors import ItsmError, Problem, ValidationError
from itsm_core.improvement._artefacts import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    CheckResult,
    CheckVerdict,
    Fishbone,
    FiveWhys,
    MeasuredResult,
    ProblemStatement,
    Standard,
    Target,
    Vision,
    Why,
    check_result,
)
from itsm_core.improvement._measurement import Direction, KpiKind, Measurement
from itsm_core.improvement._sources import ImprovementSource, SourceKind

Data = dict[str, Any]


class _Bad:
    """The marker of a part that did not read (its problem is already listed)."""

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()
_REQUIRED: Any = object()


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def encode_datetime(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset (None stays None)."""
    return None if value is None else value.isoformat()


class Reader:
    """Reads plain data into values, listing every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> Any:
        """List a problem; returns :data:`BAD`."""
        self.problems.append(Problem(path, message))
        return BAD

    # -- containers --------------------------------------------------------------------------

    def mapping(self, value: object, path: str, known: frozenset[str] | None = None) -> Any:
        """``value`` as a mapping with string keys (unknown keys listed when ``known``)."""
        if not isinstance(value, Mapping):
            return self.fail(path, f"expected an object, got {type(value).__name__}")
        if known is not None:
            for key in sorted(set(value) - known, key=str):
                self.fail(_join(path, str(key)), "unknown key")
        return value

    def field(
        self,
        data: Mapping[str, Any],
        path: str,
        key: str,
        read: Callable[[object, str], Any],
        default: Any = _REQUIRED,
    ) -> Any:
        """``data[key]`` read with ``read``; missing is a problem unless there is a default."""
        if key not in data:
            if default is _REQUIRED:
                return self.fail(_join(path, key), "missing")
            return default
        return read(data[key], _join(path, key))

    def items(self, value: object, path: str, read: Callable[[object, str], Any]) -> Any:
        """A list read item by item into a tuple."""
        if not isinstance(value, list | tuple):
            return self.fail(path, f"expected a list, got {type(value).__name__}")
        out = tuple(read(item, _join(path, i)) for i, item in enumerate(value))
        return BAD if any(item is BAD for item in out) else out

    def optional(self, read: Callable[[object, str], Any]) -> Callable[[object, str], Any]:
        """``read`` that lets None through."""
        return lambda value, path: None if value is None else read(value, path)

    # -- scalars -----------------------------------------------------------------------------

    def text(self, value: object, path: str) -> Any:
        """A string."""
        return value if isinstance(value, str) else self.fail(path, f"expected text: {value!r}")

    def integer(self, value: object, path: str) -> Any:
        """An integer (not a bool)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return self.fail(path, f"expected an integer: {value!r}")

    def number(self, value: object, path: str) -> Any:
        """A finite int or float (not a bool)."""
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        return self.fail(path, f"expected a finite number: {value!r}")

    def boolean(self, value: object, path: str) -> Any:
        """True or False."""
        return value if isinstance(value, bool) else self.fail(path, f"expected a bool: {value!r}")

    def datetime(self, value: object, path: str) -> Any:
        """An ISO 8601 string with a UTC offset."""
        if not isinstance(value, str):
            return self.fail(path, f"expected an ISO 8601 datetime string: {value!r}")
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return self.fail(path, f"not an ISO 8601 datetime: {value!r}")
        if parsed.utcoffset() is None:
            return self.fail(path, f"{value!r} has no UTC offset")
        return parsed

    def choice(self, kind: type[enum.Enum]) -> Callable[[object, str], Any]:
        """A reader of ``kind``'s values."""

        def read(value: object, path: str) -> Any:
            try:
                return kind(value)
            except ValueError:
                allowed = ", ".join(str(m.value) for m in kind)
                return self.fail(path, f"{value!r} is not one of {allowed}")

        return read

    # -- building ----------------------------------------------------------------------------

    def build(self, path: str, make: Callable[..., Any], **parts: Any) -> Any:
        """``make(**parts)`` when every part read; its validation problems get ``path``."""
        if any(part is BAD for part in parts.values()):
            return BAD
        try:
            return make(**parts)
        except ValidationError as error:
            for problem in error.problems:
                self.fail(_join(path, problem.path) if problem.path else path, problem.message)
        except (ItsmError, TypeError, ValueError) as error:
            self.fail(path, str(error))
        return BAD


# -- the artefacts ------------------------------------------------------------------------------


def measurement_to_dict(m: Measurement) -> Data:
    """A measurement as plain data."""
    return {
        "kpi": m.kpi,
        "value": m.value,
        "n": m.n,
        "period_start": encode_datetime(m.period_start),
        "period_end": encode_datetime(m.period_end),
        "kind": m.kind.value,
        "unit": m.unit,
        "standard_deviation": m.standard_deviation,
    }


_MEASUREMENT_KEYS = frozenset(
    ("kpi", "value", "n", "period_start", "period_end", "kind", "unit", "standard_deviation")
)


def read_measurement(r: Reader, value: object, path: str) -> Any:
    """Read :func:`measurement_to_dict` data."""
    data = r.mapping(value, path, _MEASUREMENT_KEYS)
    if data is BAD:
        return BAD
    return r.build(
        path,
        Measurement,
        kpi=r.field(data, path, "kpi", r.text),
        value=r.field(data, path, "value", r.number),
        n=r.field(data, path, "n", r.integer),
        period_start=r.field(data, path, "period_start", r.datetime),
        period_end=r.field(data, path, "period_end", r.datetime),
        kind=r.field(data, path, "kind", r.choice(KpiKind)),
        unit=r.field(data, path, "unit", r.text, ""),
        standard_deviation=r.field(data, path, "standard_deviation", r.optional(r.number), None),
    )


def target_to_dict(t: Target) -> Data:
    """A target as plain data."""
    return {
        "kpi": t.kpi,
        "value": t.value,
        "direction": t.direction.value,
        "due": encode_datetime(t.due),
    }


def read_target(r: Reader, value: object, path: str) -> Any:
    """Read :func:`target_to_dict` data."""
    data = r.mapping(value, path, frozenset(("kpi", "value", "direction", "due")))
    if data is BAD:
        return BAD
    return r.build(
        path,
        Target,
        kpi=r.field(data, path, "kpi", r.text),
        value=r.field(data, path, "value", r.number),
        direction=r.field(data, path, "direction", r.choice(Direction)),
        due=r.field(data, path, "due", r.datetime),
    )


def action_item_to_dict(a: ActionItem) -> Data:
    """An action item as plain data."""
    return {
        "action_id": a.action_id,
        "description": a.description,
        "owner": a.owner,
        "due": encode_datetime(a.due),
        "status": a.status.value,
        "completed_at": encode_datetime(a.completed_at),
        "evidence": a.evidence,
    }


def read_action_item(r: Reader, value: object, path: str) -> Any:
    """Read :func:`action_item_to_dict` data."""
    keys = ("action_id", "description", "owner", "due", "status", "completed_at", "evidence")
    data = r.mapping(value, path, frozenset(keys))
    if data is BAD:
        return BAD
    return r.build(
        path,
        ActionItem,
        action_id=r.field(data, path, "action_id", r.text),
        description=r.field(data, path, "description", r.text),
        owner=r.field(data, path, "owner", r.text),
        due=r.field(data, path, "due", r.datetime),
        status=r.field(data, path, "status", r.choice(ActionStatus), ActionStatus.PLANNED),
        completed_at=r.field(data, path, "completed_at", r.optional(r.datetime), None),
        evidence=r.field(data, path, "evidence", r.optional(r.text), None),
    )


def source_to_dict(s: ImprovementSource) -> Data:
    """An improvement source as plain data."""
    return {"kind": s.kind.value, "reference": s.reference, "detail": s.detail}


def read_source(r: Reader, value: object, path: str) -> Any:
    """Read :func:`source_to_dict` data."""
    data = r.mapping(value, path, frozenset(("kind", "reference", "detail")))
    if data is BAD:
        return BAD
    return r.build(
        path,
        ImprovementSource,
        kind=r.field(data, path, "kind", r.choice(SourceKind)),
        reference=r.field(data, path, "reference", r.text),
        detail=r.field(data, path, "detail", r.text, ""),
    )


#: The type tag of each artefact an event may carry (besides the start of a cycle).
ARTEFACT_TAGS: dict[type, str] = {
    Vision: "vision",
    ProblemStatement: "problem_statement",
    Measurement: "measurement",
    Target: "target",
    FiveWhys: "five_whys",
    Fishbone: "fishbone",
    ActionItem: "action_item",
    ActionUpdate: "action_update",
    MeasuredResult: "measured_result",
    CheckResult: "check_result",
    Standard: "standard",
}


def artefact_to_dict(value: Any) -> Data:
    """Any artefact of :data:`ARTEFACT_TAGS` as plain data tagged with ``type``."""
    tag = ARTEFACT_TAGS[type(value)]
    body: Data
    if isinstance(value, Vision | ProblemStatement):
        body = {"text": value.text}
    elif isinstance(value, Measurement):
        body = measurement_to_dict(value)
    elif isinstance(value, Target):
        body = target_to_dict(value)
    elif isinstance(value, FiveWhys):
        body = {
            "chain": [{"why": w.why, "because": w.because} for w in value.chain],
            "root_cause": value.root_cause,
        }
    elif isinstance(value, Fishbone):
        body = {
            "causes": [{"category": c, "causes": list(items)} for c, items in value.causes],
            "root_cause": value.root_cause,
        }
    elif isinstance(value, ActionItem):
        body = action_item_to_dict(value)
    elif isinstance(value, ActionUpdate):
        body = {
            "action_id": value.action_id,
            "status": value.status.value,
            "at": encode_datetime(value.at),
            "evidence": value.evidence,
        }
    elif isinstance(value, MeasuredResult):
        body = {"result": measurement_to_dict(value.result), "evidence": list(value.evidence)}
    elif isinstance(value, CheckResult):
        # The comparison is recomputed on reading: it follows from these.
        body = {
            "baseline": measurement_to_dict(value.comparison.before),
            "result": measurement_to_dict(value.result),
            "target": target_to_dict(value.target),
            "verdict": value.verdict.value,
            "evidence": list(value.evidence),
        }
    else:
        assert isinstance(value, Standard)
        body = {"description": value.description, "reference": value.reference}
    return {"type": tag, **body}


def _read_why(r: Reader, value: object, path: str) -> Any:
    data = r.mapping(value, path, frozenset(("why", "because")))
    if data is BAD:
        return BAD
    return r.build(
        path,
        Why,
        why=r.field(data, path, "why", r.text),
        because=r.field(data, path, "because", r.text),
    )


def _read_category(r: Reader, value: object, path: str) -> Any:
    data = r.mapping(value, path, frozenset(("category", "causes")))
    if data is BAD:
        return BAD
    category = r.field(data, path, "category", r.text)
    causes = r.field(data, path, "causes", lambda v, p: r.items(v, p, r.text))
    return BAD if BAD in (category, causes) else (category, causes)


def _check(r: Reader, path: str, **parts: Any) -> Any:
    """A Check record recomputed from its baseline, result and target; the stored verdict
    must agree."""
    verdict = parts.pop("verdict")
    if any(part is BAD for part in parts.values()) or verdict is BAD:
        return BAD
    measured = r.build(path, MeasuredResult, result=parts["result"], evidence=parts["evidence"])
    if measured is BAD:
        return BAD
    result = r.build(
        path, check_result, baseline=parts["baseline"], target=parts["target"], measured=measured
    )
    if result is not BAD and result.verdict is not verdict:
        return r.fail(
            f"{path}.verdict",
            f"{verdict.value!r} does not follow from the measurements ({result.verdict.value!r})",
        )
    return result


def read_artefact(r: Reader, value: object, path: str) -> Any:
    """Read :func:`artefact_to_dict` data (the ``type`` tag says which artefact)."""
    data = r.mapping(value, path)
    if data is BAD:
        return BAD
    tags = {tag: kind for kind, tag in ARTEFACT_TAGS.items()}
    tag = data.get("type")
    if tag not in tags:
        return r.fail(f"{path}.type", f"{tag!r} is not one of {', '.join(sorted(tags))}")
    body = {k: v for k, v in data.items() if k != "type"}
    kind = tags[tag]
    if kind is Measurement:
        return read_measurement(r, body, path)
    if kind is Target:
        return read_target(r, body, path)
    if kind is ActionItem:
        return read_action_item(r, body, path)
    readers: dict[type, tuple[tuple[str, ...], Callable[[Mapping[str, Any]], Any]]] = {
        Vision: (("text",), lambda d: r.build(path, Vision, text=r.field(d, path, "text", r.text))),
        ProblemStatement: (
            ("text",),
            lambda d: r.build(path, ProblemStatement, text=r.field(d, path, "text", r.text)),
        ),
        FiveWhys: (
            ("chain", "root_cause"),
            lambda d: r.build(
                path,
                FiveWhys,
                chain=r.field(d, path, "chain", lambda v, p: r.items(v, p, _bind(r, _read_why))),
                root_cause=r.field(d, path, "root_cause", r.text),
            ),
        ),
        Fishbone: (
            ("causes", "root_cause"),
            lambda d: r.build(
                path,
                lambda causes, root_cause: Fishbone(causes=dict(causes), root_cause=root_cause),
                causes=r.field(
                    d, path, "causes", lambda v, p: r.items(v, p, _bind(r, _read_category))
                ),
                root_cause=r.field(d, path, "root_cause", r.text),
            ),
        ),
        ActionUpdate: (
            ("action_id", "status", "at", "evidence"),
            lambda d: r.build(
                path,
                ActionUpdate,
                action_id=r.field(d, path, "action_id", r.text),
                status=r.field(d, path, "status", r.choice(ActionStatus)),
                at=r.field(d, path, "at", r.datetime),
                evidence=r.field(d, path, "evidence", r.optional(r.text), None),
            ),
        ),
        MeasuredResult: (
            ("result", "evidence"),
            lambda d: r.build(
                path,
                MeasuredResult,
                result=r.field(d, path, "result", _bind(r, read_measurement)),
                evidence=r.field(d, path, "evidence", lambda v, p: r.items(v, p, r.text)),
            ),
        ),
        CheckResult: (
            ("baseline", "result", "target", "verdict", "evidence"),
            lambda d: _check(
                r,
                path,
                baseline=r.field(d, path, "baseline", _bind(r, read_measurement)),
                result=r.field(d, path, "result", _bind(r, read_measurement)),
                target=r.field(d, path, "target", _bind(r, read_target)),
                verdict=r.field(d, path, "verdict", r.choice(CheckVerdict)),
                evidence=r.field(d, path, "evidence", lambda v, p: r.items(v, p, r.text)),
            ),
        ),
        Standard: (
            ("description", "reference"),
            lambda d: r.build(
                path,
                Standard,
                description=r.field(d, path, "description", r.text),
                reference=r.field(d, path, "reference", r.optional(r.text), None),
            ),
        ),
    }
    keys, read = readers[kind]
    r.mapping(body, path, frozenset(keys))
    return read(body)


def _bind(r: Reader, read: Callable[[Reader, object, str], Any]) -> Callable[[object, str], Any]:
    return lambda value, path: read(r, value, path)
