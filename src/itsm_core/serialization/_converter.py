"""The cattrs converter: strict about types, exact about datetimes, built fresh by a function.

There is no module-level converter to configure or to leak configuration through: call
:func:`make_converter` and keep the result (a :class:`~itsm_core.serialization.Serializer`
does). What it adds to cattrs' defaults:

* strict primitives: ``"5"`` is not an int and ``5`` is not a string (cattrs would coerce);
  ``True`` is not an int; a float field takes an int;
* aware datetimes as RFC 9557 text (offset plus IANA zone name), naive ones refused;
* frozen JSON-safe mappings (ticket payloads and attributes) thawed to dicts and checked;
* text or a mapping where a list or set is expected refused (cattrs would split ``"ab"``
  into ``{"a", "b"}``);
* unknown keys refused (``forbid_extra_keys``) and every problem collected
  (``detailed_validation``), so :func:`~itsm_core.serialization.problems_from` lists them all;
* union members told apart by a ``"_type"`` tag where their fields alone would not;
* the configuration types that already have a documented ``to_dict`` / ``from_dict`` form
  (policies, matrices, surveys, calendars) use it, so there is one data format per type;
* nonconformity events, whose changes name the field they set, structured by that field's type;
* workflows in their documented data format, through ``itsm_core.workflow``'s own reader and
  writer (see :func:`_configure_workflows`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import operator
import types
import typing
from collections import abc
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from itsm_core.errors import Problem, ValidationError
from itsm_core.improvement import CycleEvent, Nonconformity, NonconformityEvent
from itsm_core.satisfaction import Answer
from itsm_core.serialization._datetimes import format_datetime, parse_datetime
from itsm_core.serialization._problems import problems_from
from itsm_core.tickets import Json
from itsm_core.workflow import Workflow, workflow_from_dict


def _cycle_change() -> Any:
    """What a cycle event carries, read off ``CycleEvent.change`` (a start command, an
    artefact, a Check record or a standard): one union, tagged with ``"_type"``."""
    kind = attrs.fields(attrs.resolve_types(CycleEvent)).change.type
    members = [member for member in typing.get_args(kind) if member is not type(None)]
    return functools.reduce(operator.or_, members)


#: The members of ``CycleEvent.change`` (None aside), told apart by their class name.
CYCLE_CHANGE = _cycle_change()


def _strict_str(value: object, kind: type[Any]) -> Any:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return kind(value) if issubclass(kind, enum.Enum) else value


def _strict_int(value: object, kind: type[Any]) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {value!r}")
    return kind(value) if issubclass(kind, enum.Enum) else value


def _strict_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def _strict_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _structure_answer(value: object, _: type) -> int | bool:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer or true/false answer, got {value!r}")
    return value


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _exactly(kind: object) -> Callable[[Any], bool]:
    return lambda candidate: bool(candidate == kind)


def _structure_datetime(value: object, _: type) -> dt.datetime:
    return parse_datetime(value)


def _json_problems(value: object, path: str, problems: list[Problem]) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.append(Problem(path, f"{value} is not a finite number"))
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _json_problems(item, f"{path}[{index}]", problems)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(path, f"key {key!r} is not a string"))
            else:
                _json_problems(item, f"{path}.{key}" if path else key, problems)
        return
    problems.append(Problem(path, f"{type(value).__name__} is not JSON-safe"))


def _structure_json_mapping(value: object, _: type) -> Mapping[str, Json]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping, got {value!r}")
    problems: list[Problem] = []
    _json_problems(value, "", problems)
    if problems:
        raise ValidationError("JSON value", problems)
    return value


def thaw(value: object) -> Any:
    """Frozen JSON (read-only mappings, tuples) as plain dicts and lists.

    >>> thaw(types.MappingProxyType({"a": (1, {"b": None})}))
    {'a': [1, {'b': None}]}
    """
    if isinstance(value, tuple | list):
        return [thaw(item) for item in value]
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    return value


_JSON_LEAVES = frozenset({type(None), bool, int, float, str})


def _is_json_mapping(kind: Any) -> bool:
    """``Mapping[str, Json]``, also as resolved from a string annotation (which expands the
    recursive alias one level, so it no longer compares equal)."""
    if typing.get_origin(kind) is not Mapping:
        return False
    args = typing.get_args(kind)
    return len(args) == 2 and args[0] is str and set(typing.get_args(args[1])) >= _JSON_LEAVES


def _sorted_list(values: Iterable[Any]) -> list[Any]:
    items = list(values)
    try:
        return sorted(items)
    except TypeError:  # pragma: no cover - only sortable members are stored in sets today
        return items


_COLLECTIONS = frozenset({list, tuple, set, frozenset, Sequence, Set, abc.MutableSequence})


def _is_collection(kind: Any) -> bool:
    """A list, tuple or set type, or an optional one (``tuple[str, ...] | None``)."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(kind) if m is not type(None)]
        return bool(members) and all(_is_collection(m) for m in members)
    return typing.get_origin(kind) in _COLLECTIONS


def _whole_collection(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``hook`` refusing text and mappings, which cattrs would iterate into characters or keys
    (``"INC1"`` read as ``{"I", "N", "C", "1"}``)."""

    def structure(value: object, kind: Any) -> Any:
        if isinstance(value, str | bytes | Mapping):
            raise TypeError(f"expected a list, got {value!r}")
        return hook(value, kind)

    return structure


def _collection_overrides(converter: cattrs.Converter, cls: type) -> dict[str, Any]:
    """cattrs overrides guarding every list, tuple or set field of ``cls``."""
    return {
        field.name: cattrs.gen.override(
            struct_hook=_whole_collection(converter.get_structure_hook(field.type))
        )
        for field in attrs.fields(attrs.resolve_types(cls))
        if _is_collection(field.type)
    }


def _attrs_hook_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    """cattrs' own hook for an attrs class, behind a clear "expected a mapping" check, with its
    collection fields refusing text (see :func:`_whole_collection`)."""

    def factory(cls: type) -> Any:
        inner: Callable[[Any, type], Any] = cattrs.gen.make_dict_structure_fn(
            cls,
            converter,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=True,
            **_collection_overrides(converter, cls),
        )

        def structure(value: object, _: type) -> Any:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a mapping for {cls.__name__}, got {value!r}")
            return inner(value, cls)

        return structure

    return factory


def delegate_to_methods(converter: cattrs.Converter, cls: type) -> None:
    """Un/structure ``cls`` with its own ``to_dict`` and ``from_dict`` (one format per type).

    ``from_dict`` reports problems with its own error; the converter's caller turns them into
    one :class:`~itsm_core.errors.DeserializationError` (see :func:`problems_from`).
    """
    converter.register_unstructure_hook(cls, lambda value: value.to_dict())

    def structure(value: object, _: type) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping, got {value!r}")
        return cls.from_dict(value)  # type: ignore[attr-defined]

    converter.register_structure_hook(cls, structure)


def _configure_cycle_changes(converter: cattrs.Converter) -> None:
    """A cycle event's ``change`` (or None) tagged with its class name in ``"_type"``; a
    missing or unknown tag is reported at ``change._type`` with the tags this release reads."""
    configure_tagged_union(CYCLE_CHANGE, converter)
    tags = sorted(member.__name__ for member in typing.get_args(CYCLE_CHANGE))

    def structure(value: object, _: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping, got {value!r}")
        tag = value.get("_type")
        if tag not in tags:
            found = "missing" if "_type" not in value else f"{tag!r} is unknown"
            message = f"{found} (one of {', '.join(tags)})"
            raise ValidationError("cycle change", [Problem("_type", message)])
        return converter.structure(value, CYCLE_CHANGE)

    converter.register_structure_hook_func(_exactly(CYCLE_CHANGE | None), structure)
    converter.register_unstructure_hook_func(
        _exactly(CYCLE_CHANGE | None),
        lambda value: None if value is None else converter.unstructure(value, CYCLE_CHANGE),
    )


def _configure_nonconformity_events(converter: cattrs.Converter) -> None:
    """``changes`` pairs a Nonconformity field name with a value of that field's type."""
    resolved = attrs.resolve_types(Nonconformity)
    field_types: dict[str, Any] = {field.name: field.type for field in attrs.fields(resolved)}

    def unstructure_changes(changes: Sequence[tuple[str, Any]]) -> list[list[Any]]:
        return [
            [key, converter.unstructure(value, field_types.get(key, Any))] for key, value in changes
        ]

    def structure_changes(value: object, _: type) -> tuple[tuple[str, Any], ...]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list of [field, value] pairs, got {value!r}")
        problems: list[Problem] = []
        pairs: list[tuple[str, Any]] = []
        for index, pair in enumerate(value):
            where = f"[{index}]"
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                problems.append(Problem(where, f"expected a [field, value] pair, got {pair!r}"))
                continue
            key, raw = pair
            if key not in field_types:
                problems.append(Problem(where, f"{key!r} is not a nonconformity field"))
                continue
            try:
                pairs.append((key, converter.structure(raw, field_types[key])))
            except Exception as exc:  # every failure becomes a reported problem
                problems.extend(problems_from(exc, f"{where}[1]"))
        if problems:
            raise ValidationError("nonconformity changes", problems)
        return tuple(pairs)

    hooks = cattrs.gen.make_dict_unstructure_fn(
        NonconformityEvent,
        converter,
        changes=cattrs.gen.override(unstruct_hook=unstructure_changes),
    )
    converter.register_unstructure_hook(NonconformityEvent, hooks)
    structure_fields = cattrs.gen.make_dict_structure_fn(
        NonconformityEvent,
        converter,
        changes=cattrs.gen.override(struct_hook=structure_changes),
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
    )

    def structure_event(value: object, _: type) -> NonconformityEvent:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping for NonconformityEvent, got {value!r}")
        return structure_fields(value, NonconformityEvent)

    converter.register_structure_hook(NonconformityEvent, structure_event)


def _is_workflow(cls: Any) -> bool:
    return cls is Workflow or typing.get_origin(cls) is Workflow


def _configure_workflows(converter: cattrs.Converter) -> None:
    """Workflows as the data of ``Workflow.to_dict`` / ``workflow_from_dict``: one format and
    one reader, the workflow package's. Reading needs the state enum, given as the type
    argument (``Workflow[IncidentState, Ticket]``); a converter holds no guard registry, so a
    workflow whose data names guards is read with ``workflow_from_dict(data, states, guards)``.
    """

    def structure(value: object, cls: Any) -> Workflow[Any, Any]:
        states = typing.get_args(cls)[:1]
        if not states:
            raise TypeError("read a workflow as Workflow[StateEnum, Subject]: name its states")
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping, got {type(value).__name__}")
        return workflow_from_dict(value, states[0])

    converter.register_unstructure_hook_func(_is_workflow, lambda value: value.to_dict())
    converter.register_structure_hook_func(_is_workflow, structure)


def make_converter(delegated: Iterable[type] = ()) -> cattrs.Converter:
    """A new converter for itsm_core's values, aggregates and events.

    Args:
        delegated: classes to un/structure through their own ``to_dict`` / ``from_dict``
            (the serializer passes the registered types that ask for it).

    >>> import datetime as dt
    >>> from itsm_core.tickets import Comment
    >>> converter = make_converter()
    >>> data = converter.unstructure(Comment(
    ...     at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana", role="agent", text="ok"))
    >>> data
    {'at': '2026-01-05T09:00:00+00:00', 'author': 'ana', 'role': 'agent', 'text': 'ok'}
    >>> converter.structure(data, Comment).author
    'ana'
    """
    converter = cattrs.Converter(
        detailed_validation=True,
        forbid_extra_keys=True,
        unstruct_collection_overrides={Sequence: list, Set: _sorted_list},
    )
    # These dispatch on subclasses too: the str and int hooks also read StrEnums and IntEnums.
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):  # before str and int in their MROs
        converter.register_unstructure_hook(base, _enum_value)
    converter.register_structure_hook_func(_exactly(Answer), _structure_answer)
    converter.register_structure_hook_factory(attrs.has, _attrs_hook_factory(converter))
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(dt.datetime, format_datetime)
    converter.register_structure_hook_func(_is_json_mapping, _structure_json_mapping)
    converter.register_unstructure_hook_func(_is_json_mapping, thaw)
    converter.register_unstructure_hook(types.MappingProxyType, thaw)
    _configure_cycle_changes(converter)
    for cls in delegated:
        delegate_to_methods(converter, cls)
    _configure_nonconformity_events(converter)
    _configure_workflows(converter)
    return converter
