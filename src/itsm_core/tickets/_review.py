"""The post-incident review of a major incident: four parts, each non-blank.

The emergency standards make the review (事后评估) mandatory and name what it covers: the cause,
the effect of the response, the resources used and the improvements. A major incident closes
only with all four (the ``post_incident_review_complete`` guard reads them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError

#: The four parts of a post-incident review, with what each says.
REVIEW_PARTS: Mapping[str, str] = {
    "cause": "the cause",
    "response_effect": "the effect of the response",
    "resources": "the resources used",
    "improvements": "the improvements",
}


def review_problems(data: object, where: str = "post_incident_review") -> list[Problem]:
    """What is wrong with review ``data`` (a mapping of the four parts to text): each missing,
    blank or non-text part by its path, and any key that is not a part.

    >>> for problem in review_problems({"cause": "DNS", "resources": " "}):
    ...     print(problem)
    post_incident_review.response_effect: the effect of the response is missing
    post_incident_review.resources: the resources used is blank
    post_incident_review.improvements: the improvements is missing
    """
    if not isinstance(data, Mapping):
        return [
            Problem(
                where,
                f"expected the four parts ({', '.join(REVIEW_PARTS)}), got {shown(data)}",
            )
        ]
    problems = []
    for part, meaning in REVIEW_PARTS.items():
        value = data.get(part)
        if value is None:
            problems.append(Problem(f"{where}.{part}", f"{meaning} is missing"))
        elif not isinstance(value, str):
            problems.append(Problem(f"{where}.{part}", f"{meaning} is not text: {shown(value)}"))
        elif not value.strip():
            problems.append(Problem(f"{where}.{part}", f"{meaning} is blank"))
    problems.extend(
        Problem(f"{where}.{key}", "not a part of the review")
        for key in data
        if key not in REVIEW_PARTS
    )
    return problems


@attrs.frozen(kw_only=True)
class PostIncidentReview:
    """A major incident's post-incident review: ``cause``, ``response_effect`` (how well the
    response worked), ``resources`` (people, tools, suppliers used) and ``improvements``.

    Each part must be non-blank: a :class:`~itsm_core.errors.ValidationError` names every
    missing one. Close the major incident with ``Close(fields=review.as_fields())``.

    >>> review = PostIncidentReview(cause="expired DNS certificate",
    ...     response_effect="service restored in 40 min", resources="2 network engineers",
    ...     improvements="certificate expiry alarm")
    >>> sorted(review.as_fields()["post_incident_review"])
    ['cause', 'improvements', 'resources', 'response_effect']
    """

    cause: str
    response_effect: str
    resources: str
    improvements: str

    def __attrs_post_init__(self) -> None:
        problems = review_problems(attrs.asdict(self), "")
        if problems:
            raise ValidationError(
                "PostIncidentReview",
                [Problem(p.path.lstrip("."), p.message) for p in problems],
            )

    def as_fields(self) -> dict[str, Any]:
        """The ``Close`` fields that carry this review."""
        return {"post_incident_review": attrs.asdict(self)}
