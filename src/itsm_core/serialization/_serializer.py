"""Values to and from versioned, JSON-safe envelopes, with every problem reported at once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, overload

import cattrs

from itsm_core._plain import key_text, shown
from itsm_core.errors import DeserializationError, InvalidTypeSpec, Problem, ValidationError
from itsm_core.serialization._converter import make_converter
from itsm_core.serialization._problems import join, problems_from
from itsm_core.serialization._types import DEFAULT_TYPES, TypeSpec

T = TypeVar("T")

_ENVELOPE_KEYS = frozenset({"type", "version", "data"})


class Serializer:
    """Dump registered values to envelopes ``{"type", "version", "data"}`` and load them back.

    One serializer owns one converter (from :func:`make_converter`); build as many as you
    like, nothing is global. ``load`` raises a single
    :class:`~itsm_core.errors.DeserializationError` listing every problem with its path:
    unknown type or version, missing or unknown keys, wrong types, invalid values.

    >>> import datetime as dt
    >>> from itsm_core.tickets import Comment
    >>> serializer = Serializer()
    >>> note = Comment(at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana",
    ...                role="agent", text="Called back")
    >>> envelope = serializer.dump(note)
    >>> envelope["type"], envelope["version"]
    ('comment', 1)
    >>> serializer.load(envelope, Comment) == note
    True
    >>> serializer.load({"type": "comment", "version": 9, "data": {"author": 7}})
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for 'comment': 1 problem
      - version: unknown schema version 9 (this release reads 1)
    """

    def __init__(self, types: Iterable[TypeSpec] = DEFAULT_TYPES) -> None:
        specs = tuple(types)
        problems: list[Problem] = []
        by_name: dict[str, TypeSpec] = {}
        by_class: dict[type, TypeSpec] = {}
        for index, spec in enumerate(specs):
            if spec.name in by_name:
                problems.append(Problem(f"[{index}].name", f"duplicate name {spec.name!r}"))
            if spec.cls in by_class:
                problems.append(
                    Problem(f"[{index}].cls", f"{spec.cls.__name__} is registered twice")
                )
            by_name[spec.name] = spec
            by_class[spec.cls] = spec
        if problems:
            raise InvalidTypeSpec("set", problems)
        self._by_name = by_name
        self._by_class = by_class
        self.converter: cattrs.Converter = make_converter(
            spec.cls for spec in specs if spec.via_methods
        )

    @property
    def types(self) -> tuple[TypeSpec, ...]:
        """The registered types, in registration order."""
        return tuple(self._by_name.values())

    def spec(self, cls: type) -> TypeSpec:
        """The registration of ``cls``; ValidationError when it has none."""
        try:
            return self._by_class[cls]
        except KeyError:
            raise ValidationError(
                "serializer", [Problem("type", f"{cls.__name__} is not a registered type")]
            ) from None

    def dump(self, value: object) -> dict[str, Any]:
        """The envelope of ``value``: plain JSON data (dicts, lists, str, numbers, None).

        Raises:
            ValidationError: ``value`` is not of a registered type.
        """
        spec = self.spec(type(value))
        return {
            "type": spec.name,
            "version": spec.version,
            "data": self.converter.unstructure(value, spec.cls),
        }

    @overload
    def load(self, envelope: object) -> object: ...

    @overload
    def load(self, envelope: object, into: type[T]) -> T: ...

    def load(self, envelope: object, into: type[Any] | None = None) -> Any:
        """The value in ``envelope`` (older schema versions are upgraded first).

        Args:
            envelope: what :meth:`dump` returned (or its JSON, parsed).
            into: the class expected; a different registered type is a problem (``object``
                accepts any registered type).

        Raises:
            DeserializationError: every problem found, each with its path (``data.`` paths
                point into the envelope's data).
        """
        if not isinstance(envelope, Mapping):
            raise DeserializationError(
                "envelope", [Problem("", f"expected a mapping, got {type(envelope).__name__}")]
            )
        problems = [Problem(k, "missing") for k in sorted(_ENVELOPE_KEYS - set(envelope))]
        problems += [
            Problem(join("", k), "unknown key")
            for k in sorted(set(envelope) - _ENVELOPE_KEYS, key=key_text)
        ]
        name = envelope.get("type")
        spec = self._by_name.get(name) if isinstance(name, str) else None
        if "type" in envelope and spec is None:
            known = ", ".join(sorted(self._by_name))
            problems.append(Problem("type", f"unknown type {shown(name)} (known: {known})"))
        if spec is not None and into not in (None, object) and spec.cls is not into:
            problems.append(Problem("type", f"{name!r} is not a {into.__name__}"))
        version = envelope.get("version")
        if spec is not None and "version" in envelope:
            problems.extend(_version_problems(spec, version))
        subject = repr(name) if spec is not None else "envelope"
        if problems or spec is None:
            raise DeserializationError(subject, problems)
        data = envelope["data"]
        assert isinstance(version, int)  # checked by _version_problems
        for step in range(version, spec.version):
            try:
                data = spec.upgrades[step](data)
            except Exception as exc:  # reported as a problem, with its step
                raise DeserializationError(
                    subject, [Problem("data", f"upgrade from version {step} failed: {exc}")]
                ) from exc
        try:
            return self.converter.structure(data, spec.cls)
        except Exception as exc:  # cattrs groups, our errors, anything else
            raise DeserializationError(subject, problems_from(exc, "data")) from exc

    def dumps(self, value: object) -> str:
        """:meth:`dump` as JSON text (keys sorted, UTF-8 kept readable)."""
        return json.dumps(self.dump(value), sort_keys=True, ensure_ascii=False)

    @overload
    def loads(self, text: str | bytes) -> object: ...

    @overload
    def loads(self, text: str | bytes, into: type[T]) -> T: ...

    def loads(self, text: str | bytes, into: type[Any] | None = None) -> Any:
        """:meth:`load` from JSON text; text that is not JSON is a DeserializationError too."""
        try:
            envelope = json.loads(text)
        except (ValueError, TypeError) as exc:  # not JSON, not UTF-8, thousands of digits
            raise DeserializationError("JSON text", [Problem("", str(exc))]) from exc
        except RecursionError:
            raise DeserializationError("JSON text", [Problem("", "nested too deep")]) from None
        return self.load(envelope) if into is None else self.load(envelope, into)


def _version_problems(spec: TypeSpec, version: object) -> list[Problem]:
    if isinstance(version, bool) or not isinstance(version, int):
        return [Problem("version", f"expected an integer schema version, got {shown(version)}")]
    readable = [v for v in range(1, spec.version + 1) if _upgradable(spec, v)]
    if version not in readable:
        listed = ", ".join(map(str, readable))
        return [
            Problem(
                "version", f"unknown schema version {shown(version)} (this release reads {listed})"
            )
        ]
    return []


def _upgradable(spec: TypeSpec, version: int) -> bool:
    return all(step in spec.upgrades for step in range(version, spec.version))
