"""A public comment or an internal work note on a ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core.errors import DeserializationError, NaiveDatetimeError, Problem, ValidationError


@attrs.frozen(kw_only=True)
class Comment:
    """Who wrote what, when, in which role. Public comments and work notes share this shape.

    >>> import datetime as dt
    >>> c = Comment(at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana", role="agent",
    ...             text="Called the customer")
    >>> Comment.from_json(c.to_json()) == c
    True
    """

    at: dt.datetime
    author: str
    role: str
    text: str

    def __attrs_post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise NaiveDatetimeError("Comment.at", self.at)
        problems = [
            Problem(name, "must not be empty")
            for name in ("author", "role", "text")
            if not getattr(self, name).strip()
        ]
        if problems:
            raise ValidationError("Comment", problems)

    def to_json(self) -> dict[str, str]:
        """Plain JSON data."""
        return {
            "at": self.at.isoformat(),
            "author": self.author,
            "role": self.role,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Comment:
        """Load from :meth:`to_json` data; DeserializationError when it does not fit."""
        try:
            return cls(
                at=dt.datetime.fromisoformat(data["at"]),
                author=data["author"],
                role=data["role"],
                text=data["text"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DeserializationError("Comment", [Problem("comment", str(exc))]) from exc
