"""Guards: typed pure predicates that say why a transition may not happen now."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from itsm_core._checks import check_aware, frozen_mapping
from itsm_core.errors import Problem, ValidationError

T = TypeVar("T")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _fields(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return frozen_mapping(value)  # typed for the attrs plugin


@attrs.frozen(kw_only=True)
class GuardContext(Generic[T]):
    """Everything a guard may look at: the subject (e.g. a ticket), who, when, and the input.

    ``fields`` are the values supplied with the attempt (a resolution code, a hold reason...).

    >>> import datetime as dt
    >>> ctx = GuardContext(subject="T-1", actor="ana", role="agent",
    ...                    now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), fields={"note": "x"})
    >>> ctx.fields["note"]
    'x'
    """

    subject: T
    actor: str
    role: str
    now: dt.datetime
    fields: Mapping[str, Any] = attrs.field(factory=dict, converter=_fields)

    def __attrs_post_init__(self) -> None:
        check_aware(self.now, "GuardContext.now")
        problems = []
        if not self.actor:
            problems.append(Problem("actor", "must not be empty"))
        if not self.role:
            problems.append(Problem("role", "must not be empty"))
        if problems:
            raise ValidationError("GuardContext", problems)


@attrs.frozen
class Guard(Generic[T]):
    """A named "may I?" rule: ``check(context)`` returns a refusal reason, or None to allow.

    Guards must be pure: they read the context and nothing else. They answer whether a
    well-formed request may happen now; whether the input itself is well formed (a missing or
    unknown field value) is the transition's job (``required_fields``, ``field_choices``).

    Two guards are equal when their name, their rule (the same callable) and their description
    are; data names a guard, and :func:`workflow_from_dict` finds it in a registry by that name.

    >>> import datetime as dt
    >>> business_hours = Guard(
    ...     "business_hours",
    ...     lambda c: None if 8 <= c.now.hour < 18 else "only between 08:00 and 18:00",
    ...     "changes are implemented in business hours",
    ... )
    >>> ctx = GuardContext(subject=None, actor="ana", role="agent",
    ...                    now=dt.datetime(2026, 1, 5, 22, tzinfo=dt.UTC))
    >>> business_hours(ctx)
    'only between 08:00 and 18:00'
    """

    name: str
    check: Callable[[GuardContext[T]], str | None]
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValidationError(
                "Guard", [Problem("name", f"{self.name!r} is not a lower_snake_case name")]
            )

    def __call__(self, context: GuardContext[T]) -> str | None:
        """Run the rule: a refusal reason, or None when the guard allows the transition."""
        return self.check(context)
