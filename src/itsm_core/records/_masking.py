"""Masking policies: which personal data exports hide, and which fields they leave out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core._plain import (
    as_list,
    as_mapping,
    check_keys,
    enum_set,
    join,
    read_enum,
    shown,
    string_set,
    texts,
)
from itsm_core.errors import InvalidPolicy, Problem
from itsm_core.records._personal_data import PersonalDataKind, mask_text
from itsm_core.records._ticket_data import TICKET_FIELDS

_KEYS = {"mask", "drop_fields"}


def _kinds(values: Iterable[PersonalDataKind | str]) -> frozenset[PersonalDataKind]:
    return enum_set(values, PersonalDataKind, InvalidPolicy, "for masking", "mask")


def _drop_fields(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, InvalidPolicy, "for masking", "drop_fields")


@attrs.frozen(kw_only=True)
class MaskingPolicy:
    """Mask the personal data of ``mask`` in every text of an export; leave out ``drop_fields``.

    >>> policy = MaskingPolicy.from_dict({"mask": ["mobile", "email"],
    ...                                   "drop_fields": ["work_notes"]})
    >>> policy.mask_json({"note": "call 13812345678", "n": 13812345678})
    {'note': 'call 138****5678', 'n': 13812345678}
    >>> MaskingPolicy.from_dict({"mask": ["fax"], "drop_fields": ["secret"]})
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidPolicy: invalid policy for masking: 2 problems
      - mask[0]: expected one of 'email', 'id_card', 'mobile', 'landline', got 'fax'
      - drop_fields[0]: 'secret' is not a ticket field
    """

    mask: frozenset[PersonalDataKind] = attrs.field(
        default=frozenset(PersonalDataKind), converter=_kinds
    )
    drop_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_drop_fields)

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem("drop_fields", f"{shown(name)} is not a ticket field")
            for name in sorted(self.drop_fields, key=repr)
            if name not in TICKET_FIELDS or name == "id"
        ]
        if problems:
            raise InvalidPolicy("for masking", problems)

    def mask_text(self, text: str) -> str:
        """``text`` with the personal data this policy masks hidden."""
        return mask_text(text, self.mask)

    def mask_json(self, value: Any) -> Any:
        """A copy of JSON data with every string value masked (keys and numbers are kept)."""
        if isinstance(value, str):
            return self.mask_text(value)
        if isinstance(value, list | tuple):
            return [self.mask_json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.mask_json(item) for key, item in value.items()}
        return value

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        order = list(PersonalDataKind)
        return {
            "mask": [kind.value for kind in sorted(self.mask, key=order.index)],
            "drop_fields": sorted(self.drop_fields),
        }

    @classmethod
    def from_dict(cls, data: object) -> MaskingPolicy:
        """Build a policy from plain data; :class:`~itsm_core.errors.InvalidPolicy` lists every
        problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidPolicy("for masking", problems)
        check_keys(top, "", (), _KEYS, problems)
        raw_kinds = as_list(top.get("mask", list(PersonalDataKind)), "mask", problems) or []
        kinds = [
            read_enum(raw, PersonalDataKind, join("mask", index), problems)
            for index, raw in enumerate(raw_kinds)
        ]
        drop = texts(top.get("drop_fields", []), "drop_fields", problems) or ()
        problems.extend(
            Problem(f"drop_fields[{index}]", f"{shown(name)} is not a ticket field")
            for index, name in enumerate(drop)
            if name not in TICKET_FIELDS or name == "id"
        )
        if problems:
            raise InvalidPolicy("for masking", problems)
        return cls(mask=[kind for kind in kinds if kind is not None], drop_fields=drop)


#: Mask every kind of personal data, drop nothing.
MASK_ALL = MaskingPolicy()
