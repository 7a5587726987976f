"""The post-event review (事后评估): four parts, each required."""

from __future__ import annotations

import attrs

from itsm_core._plain import is_a, is_text, shown, tuple_or_given
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class PostEventReview:
    """The structured review after an emergency: the ``cause``, the ``response_effect`` (how
    well the response worked), the ``resources_used`` and the ``improvements`` to make (one or
    more, each a PDCA cycle to start). Every part is non-blank text.

    >>> PostEventReview(cause="UPS failed", response_effect=" ", resources_used="2 UPS units",
    ...                 improvements=[])
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for PostEventReview: 2 problems
      - response_effect: expected a non-blank string, got ' '
      - improvements: give at least one improvement, got ()
    """

    cause: str
    response_effect: str
    resources_used: str
    improvements: tuple[str, ...] = attrs.field(converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(name, f"expected a non-blank string, got {shown(getattr(self, name))}")
            for name in ("cause", "response_effect", "resources_used")
            if not is_text(getattr(self, name))
        ]
        if not is_a(self.improvements, tuple) or not self.improvements:
            message = f"give at least one improvement, got {shown(self.improvements)}"
            problems.append(Problem("improvements", message))
        else:
            problems.extend(
                Problem(f"improvements[{i}]", f"expected a non-blank string, got {shown(item)}")
                for i, item in enumerate(self.improvements)
                if not is_text(item)
            )
        if problems:
            raise ValidationError("PostEventReview", problems)
