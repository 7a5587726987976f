"""A public comment or an internal work note on a ticket."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core._checks import check_aware
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class Comment:
    """Who wrote what, when, in which role. Public comments and work notes share this shape.

    Its plain form is the converter's (see :mod:`itsm_core.serialization`).

    >>> import datetime as dt
    >>> Comment(at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana", role="agent",
    ...         text=" ")
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for Comment: 1 problem
      - text: must not be empty
    """

    at: dt.datetime
    author: str
    role: str
    text: str

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "Comment.at")
        problems = [
            Problem(name, "must not be empty")
            for name in ("author", "role", "text")
            if not getattr(self, name).strip()
        ]
        if problems:
            raise ValidationError("Comment", problems)
