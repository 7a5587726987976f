"""The cattrs converter: strict about types, exact about datetimes, built fresh by a function.

There is no module-level converter to configure or to leak configuration through: call
:func:`make_converter` and keep the result (a :class:`~itsm_core.serialization.Serializer`
does). What it adds to cattrs' defaults:

* strict primitives: ``"5"`` is not an int and ``5`` is not a string (cattrs would coerce);
  ``True`` is not an int; a float field takes an int;
* aware datetimes as RFC 9557 text (offset plus IANA zone name), naive ones refused;
* frozen JSON-safe mappings (ticket attributes, command fields) thawed to dicts and checked;
* text or a mapping where a list or set is expected refused (cattrs would split ``"ab"``
  into ``{"a", "b"}``);
* unknown keys refused (``forbid_extra_keys``) and every problem collected
  (``detailed_validation``), so :func:`~itsm_core.serialization.problems_from` lists them all;
* union members told apart by a ``"_type"`` tag where their fields alone would not;
* the configuration types that already have a documented ``to_dict`` / ``from_dict`` form
  (policies, matrices, surveys, calendars) use it, so there is one data format per type;
* the command an emergency activation or drill event holds, tagged in ``"_type"`` with the
  event's name (``"activated"``, ``"step_recorded"``...), and the plan an activation keeps in
  the plan's own ``to_dict`` / ``from_dict`` format;
* the changes events carry (a ticket event's payload, a nonconformity event's changes), each
  value un/structured by the type of the field it sets;
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

from itsm_core._checks import Json, freeze_json
from itsm_core._plain import shown
from itsm_core.emergency import ActivationEvent, DrillEvent, EmergencyPlan
from itsm_core.errors import Problem, ValidationError
from itsm_core.improvement import CycleEvent, Nonconformity, NonconformityEvent
from itsm_core.satisfaction import Answer
from itsm_core.serialization._datetimes import format_datetime, parse_datetime
from itsm_core.serialization._problems import problems_from
from itsm_core.tickets import TicketEvent
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


def _structure_json_mapping(value: object, _: type) -> Mapping[str, Json]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping, got {value!r}")
    frozen = freeze_json(value, "")
    assert isinstance(frozen, Mapping)  # a mapping freezes to a mapping
    return frozen


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
    """``hook`` taking only a list (or tuple, set): text and mappings, which cattrs would
    iterate into characters or keys (``"INC1"`` read as ``{"I", "N", "C", "1"}``), and
    anything else are refused; None goes to ``hook``, which takes it for an optional list."""

    def structure(value: object, kind: Any) -> Any:
        if value is not None and not isinstance(value, list | tuple | set | frozenset):
            raise TypeError(f"expected a list, got {value!r}")
        return hook(value, kind)

    return structure


def _guarded(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    """The converter's structure hook for ``kind``, refusing text for a list, tuple or set."""
    hook = converter.get_structure_hook(kind)
    return _whole_collection(hook) if _is_collection(kind) else hook


def _collection_overrides(converter: cattrs.Converter, cls: type) -> dict[str, Any]:
    """cattrs overrides guarding every list, tuple or set field of ``cls``."""
    return {
        field.name: cattrs.gen.override(struct_hook=_guarded(converter, field.type))
        for field in attrs.fields(attrs.resolve_types(cls))
        if _is_collection(field.type)
    }


def _structure_fn(
    converter: cattrs.Converter, cls: type, **overrides: Any
) -> Callable[[object, type], Any]:
    """cattrs' own structure function for the attrs class ``cls``, behind a clear "expected a
    mapping" check, with its collection fields refusing text (see :func:`_whole_collection`)
    and ``overrides`` for particular fields."""
    inner: Callable[[Any, type], Any] = cattrs.gen.make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        **{**_collection_overrides(converter, cls), **overrides},
    )

    def structure(value: object, _: type) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping for {cls.__name__}, got {value!r}")
        return inner(value, cls)

    return structure


def _attrs_hook_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    """The structure hook of any attrs class: see :func:`_structure_fn`."""
    return lambda cls: _structure_fn(converter, cls)


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


def _configure_tagged(
    converter: cattrs.Converter,
    union: Any,
    tags: Mapping[str, type],
    what: str,
    *,
    optional: bool = False,
) -> None:
    """Members of ``union`` (or None, when ``optional``) as their data with a ``"_type"`` tag:
    the member's key in ``tags``. A missing or unknown tag is reported at ``_type`` with the
    tags this release reads.

    The one mechanism for fields that hold one of several classes: a cycle event's change
    (tagged with the class name) and the command an emergency activation or drill event holds
    (tagged with the event's name, from the commands' table).
    """
    names = {cls: name for name, cls in tags.items()}
    configure_tagged_union(union, converter, tag_generator=names.__getitem__, tag_name="_type")
    tagged = converter.get_structure_hook(union)
    listed = ", ".join(sorted(tags))

    def structure(value: object, _: Any) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a mapping, got {value!r}")
        tag = value.get("_type")
        if not isinstance(tag, str) or tag not in tags:
            found = "missing" if "_type" not in value else f"{shown(tag)} is unknown"
            raise ValidationError(what, [Problem("_type", f"{found} (one of {listed})")])
        return tagged(value, union)

    unstructure_member = converter.get_unstructure_hook(union)
    kind = union | None if optional else union
    converter.register_structure_hook_func(_exactly(kind), structure)
    converter.register_unstructure_hook_func(
        _exactly(kind), lambda value: None if value is None else unstructure_member(value)
    )


def _configure_commands(converter: cattrs.Converter, event: Any, what: str) -> None:
    """The ``command`` of ``event`` (an activation or drill event: the event is the command it
    accepted) tagged with the event's name, from ``event.COMMANDS``."""
    union = attrs.fields(attrs.resolve_types(event)).command.type
    _configure_tagged(converter, union, event.COMMANDS, what)


def _configure_field_changes(
    converter: cattrs.Converter,
    event: type,
    attribute: str,
    field_types: Mapping[str, Any],
    what: str,
    *,
    pairs: bool,
) -> None:
    """Un/structure the ``attribute`` of ``event``: the values the event sets, each under the
    name of the field it sets and as a value of that field's type (``field_types``).

    The one mechanism for events that carry field changes: a nonconformity event's ``changes``
    are ``[field, value]`` pairs (``pairs=True``), a ticket event's ``payload`` a mapping from
    field to value. A name that is not in ``field_types`` is a problem; every problem is
    reported with its path.
    """

    def unstructure_value(key: str, value: Any) -> Any:
        return converter.unstructure(value, field_types.get(key, Any))

    def unstructure(changes: Any) -> Any:
        if pairs:
            return [[key, unstructure_value(key, value)] for key, value in changes]
        return {key: unstructure_value(key, value) for key, value in changes.items()}

    def entries(value: object, problems: list[Problem]) -> list[tuple[str, str, object]]:
        """``(path of the value, field name, raw value)`` for each change in ``value``."""
        if not pairs:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a mapping of field values, got {value!r}")
            return [(str(key), key, raw) for key, raw in value.items()]
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list of [field, value] pairs, got {value!r}")
        found: list[tuple[str, str, object]] = []
        for index, pair in enumerate(value):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                problems.append(
                    Problem(f"[{index}]", f"expected a [field, value] pair, got {pair!r}")
                )
            else:
                found.append((f"[{index}][1]", pair[0], pair[1]))
        return found

    def structure(value: object, _: type) -> Any:
        problems: list[Problem] = []
        changes: list[tuple[str, Any]] = []
        for where, key, raw in entries(value, problems):
            if key not in field_types:
                path = where.removesuffix("[1]") if pairs else where
                problems.append(Problem(path, f"{key!r} is not a {what} field"))
                continue
            try:
                changes.append((key, _guarded(converter, field_types[key])(raw, field_types[key])))
            except Exception as exc:  # every failure becomes a reported problem
                problems.extend(problems_from(exc, where))
        if problems:
            raise ValidationError(f"{what} changes", problems)
        return tuple(changes) if pairs else dict(changes)

    # Factories: the hooks are generated when the event type is first met, not for every
    # converter made.
    unstructure_overrides: dict[str, Any] = {
        attribute: cattrs.gen.override(unstruct_hook=unstructure)
    }
    structure_overrides: dict[str, Any] = {attribute: cattrs.gen.override(struct_hook=structure)}
    converter.register_unstructure_hook_factory(
        _exactly(event),
        lambda _: cattrs.gen.make_dict_unstructure_fn(event, converter, **unstructure_overrides),
    )
    converter.register_structure_hook_factory(
        _exactly(event), lambda _: _structure_fn(converter, event, **structure_overrides)
    )


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


def _nonconformity_field_types() -> Mapping[str, Any]:
    return {field.name: field.type for field in attrs.fields(attrs.resolve_types(Nonconformity))}


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
    # An activation keeps a snapshot of its plan, in the plan's one data format.
    for cls in (EmergencyPlan, *delegated):
        delegate_to_methods(converter, cls)
    # After the delegations: a tagged union builds its members' hooks when configured.
    _configure_tagged(
        converter,
        CYCLE_CHANGE,
        {member.__name__: member for member in typing.get_args(CYCLE_CHANGE)},
        "cycle change",
        optional=True,
    )
    _configure_commands(converter, ActivationEvent, "activation command")
    _configure_commands(converter, DrillEvent, "drill command")
    _configure_field_changes(
        converter,
        NonconformityEvent,
        "changes",
        _nonconformity_field_types(),
        "nonconformity",
        pairs=True,
    )
    _configure_field_changes(
        converter, TicketEvent, "payload", TicketEvent.PAYLOAD_TYPES, "ticket payload", pairs=False
    )
    _configure_workflows(converter)
    return converter
