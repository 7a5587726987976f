"""Retention policies as data: archive N days after closure, destroy M years after closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import as_mapping, check_keys, is_text, join, shown, text
from itsm_core.errors import InvalidPolicy, Problem
from itsm_core.tickets import Ticket, TicketKind

_POLICY_KEYS = {"name", "default", "by_kind"}


def add_years(moment: dt.datetime, years: int) -> dt.datetime | None:
    """``moment`` on the same day ``years`` later; 29 February moves to 1 March.

    Retention periods are minimums, so a record closed on a leap day is kept until the day after
    28 February. None when the date is beyond the year 9999.

    >>> import datetime as dt
    >>> add_years(dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC), 1)
    datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    """
    year = moment.year + years
    if year > dt.MAXYEAR:
        return None
    try:
        return moment.replace(year=year)
    except ValueError:  # 29 February in a common year
        return moment.replace(year=year, month=3, day=1)


def _after_days(moment: dt.datetime, days: int) -> dt.datetime | None:
    try:
        return moment + dt.timedelta(days=days)
    except OverflowError:
        return None


def rule_problems(
    archive_after_days: object, destroy_after_years: object, path: str
) -> list[Problem]:
    """Every problem with the two numbers of a retention rule."""
    problems: list[Problem] = []
    if not is_int(archive_after_days) or archive_after_days < 0:
        problems.append(
            Problem(
                join(path, "archive_after_days"),
                f"expected a whole number of days >= 0, got {shown(archive_after_days)}",
            )
        )
    if destroy_after_years is not None and (
        not is_int(destroy_after_years) or destroy_after_years < 1
    ):
        problems.append(
            Problem(
                join(path, "destroy_after_years"),
                f"expected a whole number of years >= 1 or null (keep), got "
                f"{shown(destroy_after_years)}",
            )
        )
    if (
        not problems
        and destroy_after_years is not None
        and archive_after_days > 365 * destroy_after_years  # type: ignore[operator]
    ):
        problems.append(
            Problem(
                path,
                f"archiving after {archive_after_days} days comes after destruction "
                f"after {destroy_after_years} year(s)",
            )
        )
    return problems


@attrs.frozen(kw_only=True)
class RetentionRule:
    """How long a closed ticket stays live, then archived, before it may be destroyed.

    ``archive_after_days``: whole days after closure when the ticket is due for archiving (0:
    at closure). ``destroy_after_years``: whole years after closure when it is due for
    destruction, or None to keep it for ever. Destruction never comes before archiving.

    >>> RetentionRule(archive_after_days=30, destroy_after_years=3).to_dict()
    {'archive_after_days': 30, 'destroy_after_years': 3}
    """

    archive_after_days: int
    destroy_after_years: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = rule_problems(self.archive_after_days, self.destroy_after_years, "")
        if problems:
            raise InvalidPolicy("for retention rule", problems)

    def archive_at(self, closed_at: dt.datetime) -> dt.datetime | None:
        """When a ticket closed at ``closed_at`` is due for archiving (None: beyond 9999)."""
        return _after_days(closed_at, self.archive_after_days)

    def destroy_at(self, closed_at: dt.datetime) -> dt.datetime | None:
        """When a ticket closed at ``closed_at`` is due for destruction (None: never)."""
        if self.destroy_after_years is None:
            return None
        return add_years(closed_at, self.destroy_after_years)

    def to_dict(self) -> dict[str, Any]:
        """Plain data; :meth:`RetentionPolicy.from_dict` reads it in a policy."""
        return {
            "archive_after_days": self.archive_after_days,
            "destroy_after_years": self.destroy_after_years,
        }


def _rules_by_kind(
    value: Mapping[Any, RetentionRule],
) -> Mapping[TicketKind, RetentionRule]:
    out: dict[TicketKind, RetentionRule] = {}
    problems: list[Problem] = []
    for key, rule in value.items():
        try:
            out[TicketKind(key)] = rule
        except ValueError:
            problems.append(Problem(f"by_kind.{key}", f"{shown(key)} is not a ticket kind"))
    if problems:
        raise InvalidPolicy("for retention", problems)
    return dict(sorted(out.items()))


@attrs.frozen(kw_only=True)
class RetentionPolicy:
    """A retention rule for every ticket kind: ``default``, overridden kind by kind.

    >>> policy = RetentionPolicy.from_dict({
    ...     "name": "records",
    ...     "default": {"archive_after_days": 30, "destroy_after_years": 3},
    ...     "by_kind": {"complaint": {"archive_after_days": 90, "destroy_after_years": 5}},
    ... })
    >>> policy.rule_for(TicketKind.COMPLAINT).destroy_after_years
    5
    >>> RetentionPolicy.from_dict({"name": "", "default": {"archive_after_days": -1},
    ...                            "by_kind": {"email": {}}})
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidPolicy: invalid policy for retention: 4 problems
      - name: expected a non-blank string, got ''
      - default.archive_after_days: expected a whole number of days >= 0, got -1
      - by_kind.email: unknown ticket kind (expected one of change, complaint, ...)
      - by_kind.email.archive_after_days: missing
    """

    name: str
    default: RetentionRule
    by_kind: Mapping[TicketKind, RetentionRule] = attrs.field(
        factory=dict, converter=_rules_by_kind
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.name):
            problems.append(Problem("name", "must not be empty"))
        if problems:
            raise InvalidPolicy("for retention", problems)

    def rule_for(self, kind: TicketKind) -> RetentionRule:
        """The rule for tickets of ``kind``."""
        return self.by_kind.get(kind, self.default)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "default": self.default.to_dict(),
            "by_kind": {kind.value: rule.to_dict() for kind, rule in self.by_kind.items()},
        }

    @classmethod
    def from_dict(cls, data: object) -> RetentionPolicy:
        """Build a policy from plain data; :class:`~itsm_core.errors.InvalidPolicy` lists every
        problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidPolicy("for retention", problems)
        check_keys(top, "", (), _POLICY_KEYS, problems)
        name = text(top.get("name"), "name", problems)
        default = _rule_from(top.get("default"), "default", problems)
        by_kind: dict[TicketKind, RetentionRule] = {}
        raw_kinds = as_mapping(top.get("by_kind", {}), "by_kind", problems)
        for key, raw in (raw_kinds or {}).items():
            path = f"by_kind.{key}"
            kind = None
            try:
                kind = TicketKind(key)
            except ValueError:
                expected = ", ".join(sorted(k.value for k in TicketKind))
                problems.append(Problem(path, f"unknown ticket kind (expected one of {expected})"))
            rule = _rule_from(raw, path, problems)
            if kind is not None and rule is not None:
                by_kind[kind] = rule
        if problems or name is None or default is None:
            raise InvalidPolicy("for retention", problems)
        return cls(name=name, default=default, by_kind=by_kind)


def _rule_from(raw: object, path: str, problems: list[Problem]) -> RetentionRule | None:
    data = as_mapping(raw, path, problems)
    if data is None:
        return None
    check_keys(data, path, ("archive_after_days",), ("destroy_after_years",), problems)
    if "archive_after_days" not in data:
        return None
    archive = data["archive_after_days"]
    destroy = data.get("destroy_after_years")
    found = rule_problems(archive, destroy, path)
    problems.extend(found)
    if found:
        return None
    return RetentionRule(archive_after_days=archive, destroy_after_years=destroy)  # type: ignore[arg-type]  # rule_problems checked both


def closed_at(ticket: Ticket) -> dt.datetime | None:
    """When the ticket's retention clock starts: its closure (None while it is not closed)."""
    return ticket.closed_at if ticket.status.is_final else None
