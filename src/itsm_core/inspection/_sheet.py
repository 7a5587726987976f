"""Scoring sheets as data: items with weights and points, critical items that fail a contact."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import as_list, as_mapping, check_keys, is_a, is_number, is_text, shown
from itsm_core.errors import InvalidPolicy, Problem, ValidationError
from itsm_core.i18n import N_


class SubjectKind(enum.StrEnum):
    """What an inspection looks at: a hotline call or a ticket."""

    CALL = "call"
    TICKET = "ticket"


@attrs.frozen(kw_only=True)
class SheetItem:
    """One line of a scoring sheet.

    ``points`` is the top mark (1 for a met / not met item, 5 for a scale); ``weight`` its share
    of the total. A ``critical`` item (a wrong answer on policy, a breach of confidentiality)
    fails the whole contact when it is not fully met, whatever the total.
    """

    key: str
    label: str
    weight: float = 1.0
    points: int = 1
    critical: bool = False


@attrs.frozen(kw_only=True)
class Score:
    """The result of a sheet on one contact: ``percent`` (0-100, weighted), ``passed``
    (at least the pass mark and no critical item failed), the critical items failed, and the
    mark of each item."""

    percent: float
    passed: bool
    failed_critical: tuple[str, ...]
    marks: Mapping[str, int] = attrs.field(converter=frozen_mapping)


_KEYS = ("name", "subject", "items", "pass_mark")
_ITEM_KEYS = ("key", "label", "weight", "points", "critical")


@attrs.frozen(kw_only=True)
class ScoringSheet:
    """A quality scoring sheet (质检评分表) for calls or tickets.

    >>> sheet = HOTLINE_SHEET
    >>> score = sheet.score({"greeting": 1, "listening": 4, "accuracy": 5, "record": 1,
    ...                      "closing": 1, "confidentiality": 1})
    >>> round(score.percent, 1), score.passed
    (96.0, True)
    >>> sheet.score({**score.marks, "confidentiality": 0}).failed_critical
    ('confidentiality',)
    """

    name: str
    subject: SubjectKind
    items: tuple[SheetItem, ...]
    pass_mark: float = 80.0

    def __attrs_post_init__(self) -> None:
        problems = _sheet_problems(self)
        if problems:
            raise InvalidPolicy(f"scoring sheet {shown(self.name)}", problems)

    def item(self, key: str) -> SheetItem:
        """The item with that key (ValidationError naming the known keys otherwise)."""
        for item in self.items:
            if item.key == key:
                return item
        known = ", ".join(item.key for item in self.items)
        raise ValidationError(self.name, [Problem(key, f"no such item ({known})")])

    def score(self, marks: Mapping[str, int]) -> Score:
        """Score one contact: a whole mark from 0 to the item's points for every item.

        Raises ValidationError listing every missing, unknown or out-of-range mark.
        """
        problems: list[Problem] = []
        if as_mapping(marks, "marks", problems) is None:
            raise ValidationError(f"marks for {self.name!r}", problems)
        known = {item.key for item in self.items}
        problems.extend(
            Problem(f"marks.{key}", "no such item") for key in marks if key not in known
        )
        for item in self.items:
            mark = marks.get(item.key)
            if mark is None:
                problems.append(Problem(f"marks.{item.key}", "missing"))
            elif not (is_int(mark) and 0 <= mark <= item.points):
                problems.append(
                    Problem(
                        f"marks.{item.key}",
                        f"expected a whole mark from 0 to {item.points}, got {shown(mark)}",
                    )
                )
        if problems:
            raise ValidationError(f"marks for {self.name!r}", problems)
        total = sum(item.weight for item in self.items)
        percent = 100 * sum(item.weight * marks[item.key] / item.points for item in self.items)
        percent /= total
        failed = tuple(
            item.key for item in self.items if item.critical and marks[item.key] < item.points
        )
        return Score(
            percent=percent,
            passed=not failed and percent >= self.pass_mark,
            failed_critical=failed,
            marks={item.key: marks[item.key] for item in self.items},
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back."""
        return {
            "name": self.name,
            "subject": self.subject.value,
            "pass_mark": self.pass_mark,
            "items": [attrs.asdict(item) for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringSheet:
        """A sheet from plain data (a JSON or TOML file); InvalidPolicy lists every problem."""
        problems: list[Problem] = []
        mapping = as_mapping(data, "", problems)
        if mapping is None:
            raise InvalidPolicy("scoring sheet", problems)
        check_keys(mapping, "", ("name", "subject", "items"), ("pass_mark",), problems)
        subject = mapping.get("subject")
        if "subject" in mapping and subject not in [kind.value for kind in SubjectKind]:
            problems.append(Problem("subject", f"expected call or ticket, got {shown(subject)}"))
        items: list[SheetItem] = []
        for index, raw in enumerate(as_list(mapping.get("items", []), "items", problems) or []):
            item = as_mapping(raw, f"items[{index}]", problems)
            if item is None:
                continue
            before = len(problems)
            check_keys(item, f"items[{index}]", ("key", "label"), _ITEM_KEYS[2:], problems)
            if len(problems) == before:
                items.append(SheetItem(**item))  # type: ignore[arg-type]  # checked below
        if problems:
            raise InvalidPolicy("scoring sheet", problems)
        return cls(
            name=mapping["name"],  # type: ignore[arg-type]  # checked by __attrs_post_init__
            subject=SubjectKind(str(subject)),
            items=tuple(items),
            pass_mark=mapping.get("pass_mark", 80.0),  # type: ignore[arg-type]
        )


def _sheet_problems(sheet: ScoringSheet) -> list[Problem]:
    problems = []
    if not is_text(sheet.name):
        problems.append(Problem("name", f"expected a name, got {shown(sheet.name)}"))
    if not is_a(sheet.subject, SubjectKind):
        problems.append(Problem("subject", f"expected a SubjectKind, got {shown(sheet.subject)}"))
    if not (is_number(sheet.pass_mark) and 0 <= sheet.pass_mark <= 100):
        problems.append(
            Problem("pass_mark", f"expected a percentage 0-100, got {shown(sheet.pass_mark)}")
        )
    if not is_a(sheet.items, tuple) or not sheet.items:
        return [*problems, Problem("items", "a sheet needs at least one item")]
    seen: set[str] = set()
    for index, item in enumerate(sheet.items):
        where = f"items[{index}]"
        if not is_a(item, SheetItem):
            problems.append(Problem(where, f"expected a SheetItem, got {shown(item)}"))
            continue
        if not is_text(item.key):
            problems.append(Problem(f"{where}.key", f"expected a key, got {shown(item.key)}"))
        elif item.key in seen:
            problems.append(Problem(f"{where}.key", f"{item.key!r} is used twice"))
        else:
            seen.add(item.key)
        if not is_text(item.label):
            problems.append(Problem(f"{where}.label", f"expected a label, got {shown(item.label)}"))
        if not (is_number(item.weight) and item.weight > 0 and math.isfinite(item.weight)):
            problems.append(
                Problem(f"{where}.weight", f"expected a number > 0, got {shown(item.weight)}")
            )
        if not (is_int(item.points) and 1 <= item.points <= 100):
            problems.append(
                Problem(
                    f"{where}.points", f"expected a whole number 1-100, got {shown(item.points)}"
                )
            )
        if not is_a(item.critical, bool):
            problems.append(
                Problem(f"{where}.critical", f"expected true or false, got {shown(item.critical)}")
            )
    return problems


#: A hotline call sheet after the customer-service spec's quality points: greeting, listening,
#: accurate information, the request recorded, closing, and confidentiality as a critical item.
HOTLINE_SHEET = ScoringSheet(
    name="hotline",
    subject=SubjectKind.CALL,
    pass_mark=80.0,
    items=(
        SheetItem(key="greeting", label=N_("Greeting and identification"), weight=1),
        SheetItem(key="listening", label=N_("Listening and empathy"), weight=2, points=5),
        SheetItem(key="accuracy", label=N_("Accurate information"), weight=3, points=5),
        SheetItem(key="record", label=N_("Request recorded in a ticket"), weight=2),
        SheetItem(key="closing", label=N_("Closing and confirmation"), weight=1),
        SheetItem(key="confidentiality", label=N_("Confidentiality kept"), weight=1, critical=True),
    ),
)
