"""What an event's payload holds: the ticket fields the event sets, as typed values.

A payload maps a :class:`Ticket` field to its new value, of that field's type (an aware
datetime, an enum member, a tuple of strings...), with three special keys: ``comment`` and
``work_note`` append one :class:`Comment`, and ``attributes`` merges JSON-safe keys into the
ticket's attributes. The fields the fold takes from the event itself (``state``, ``version``,
``updated_at``...) are no payload keys. Values are checked once, when the event is built; the
fold applies them as they are, with nothing to decode.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import freeze_json, is_aware
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._comment import Comment
from itsm_core.tickets._ticket import Ticket, ticket_field_problems
from itsm_core.tickets._typecheck import plain_classes, strings_problem, type_problem

#: Ticket fields the fold sets from the event itself (its id, state, sequence, time, actor),
#: and the comment lists, which grow by the ``comment`` and ``work_note`` keys.
FROM_THE_EVENT = frozenset(
    {
        "id",
        "state",
        "status",
        "version",
        "opened_at",
        "opened_by",
        "updated_at",
        "comments",
        "work_notes",
    }
)

#: Payload keys that do not set a field: they append a comment or merge attributes.
SPECIAL_KEYS = frozenset({"comment", "work_note", "attributes"})

#: The numeric classification fields, checked as the ticket checks them (1 is highest).
_NUMBERS = ("impact", "urgency", "priority", "response_level")

#: The payload keys whose values an event checks as a ticket does, beyond their types (so a
#: fold need not check them again).
CHECKED_AS_THE_TICKET = frozenset(_NUMBERS)


def _payload_types() -> Mapping[str, Any]:
    table: dict[str, Any] = {
        field.name: field.type
        for field in attrs.fields(attrs.resolve_types(Ticket))
        if field.name not in FROM_THE_EVENT
    }
    table.update(comment=Comment, work_note=Comment)
    return types.MappingProxyType(table)


#: The type of the value of each payload key: a ticket field's type, or :class:`Comment`.
PAYLOAD_TYPES: Mapping[str, Any] = _payload_types()

_CLASSES: Mapping[str, tuple[type, ...]] = {
    key: classes
    for key, hint in PAYLOAD_TYPES.items()
    if (classes := plain_classes(hint)) is not None
}


def frozen_payload(payload: Mapping[str, object]) -> Mapping[str, object]:
    """``payload`` checked and frozen (attributes as frozen JSON); a
    :class:`~itsm_core.errors.ValidationError` lists every wrong key and value.

    >>> frozen_payload({"priority": "high", "colour": "red"})
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for TicketEvent: 2 problems
      - payload.priority: 'high' is not int or None
      - payload.colour: not a ticket field
    """
    if not isinstance(payload, Mapping):
        raise ValidationError(
            "TicketEvent", [Problem("payload", f"expected a mapping, got {shown(payload)}")]
        )
    problems: list[Problem] = []
    out: dict[str, object] = {}
    for key, value in payload.items():
        where = f"payload.{key}"
        classes = _CLASSES.get(key)
        if classes is not None:
            problem = type_problem(where, value, classes)
            if problem is None and isinstance(value, dt.datetime) and not is_aware(value):
                problem = Problem(
                    where, f"naive datetime {value.isoformat()} (a time zone is required)"
                )
            if problem is None:
                # A text field keeps plain text (CustomerTier.VIP is recorded as "vip").
                out[key] = str(value) if str in classes and isinstance(value, str) else value
            else:
                problems.append(problem)
        elif key == "priority_explanation":
            problem = strings_problem(where, value)
            if problem is None:
                out[key] = value
            else:
                problems.append(problem)
        elif key == "attributes":
            if not isinstance(value, Mapping):
                problems.append(Problem(where, f"expected a mapping, got {shown(value)}"))
                continue
            try:
                out[key] = freeze_json(value, where)
            except ValidationError as exc:
                problems.extend(exc.problems)
        elif key in FROM_THE_EVENT:
            problems.append(Problem(where, "set from the event itself, not by its payload"))
        else:
            problems.append(Problem(where, "not a ticket field"))
    numbers: dict[str, Any] = {name: out[name] for name in _NUMBERS if name in out}
    problems.extend(
        Problem(f"payload.{problem.path}", problem.message)
        for problem in ticket_field_problems(**numbers)
    )
    if problems:
        raise ValidationError("TicketEvent", problems)
    return types.MappingProxyType(out)
