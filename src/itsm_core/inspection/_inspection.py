"""Inspection records, and calibration between inspectors with Fleiss' kappa."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import is_a, is_text, shown
from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.inspection._sampling import Candidate
from itsm_core.inspection._sheet import Score, ScoringSheet, SubjectKind


@attrs.frozen(kw_only=True)
class Inspection:
    """One inspector's scoring of one contact with one sheet (质检记录).

    Built by :func:`inspect`, which scores the marks, so ``score`` always matches them.
    """

    inspection_id: str
    sheet: str
    kind: SubjectKind
    subject_id: str
    agent: str | None
    inspector: str
    at: dt.datetime
    score: Score
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")

    @property
    def passed(self) -> bool:
        return self.score.passed


def inspect(
    sheet: ScoringSheet,
    candidate: Candidate,
    marks: Mapping[str, int],
    *,
    inspection_id: str,
    inspector: str,
    at: dt.datetime,
    note: str = "",
) -> Inspection:
    """Score ``candidate`` with ``sheet``: the inspection record.

    Raises ValidationError listing every bad mark, an inspector who inspects their own
    contact, and a sheet made for another kind of contact.
    """
    problems = []
    for name, value in (("inspection_id", inspection_id), ("inspector", inspector)):
        if not is_text(value):
            problems.append(Problem(name, f"expected a non-blank string, got {shown(value)}"))
    if candidate.kind is not sheet.subject:
        problems.append(
            Problem(
                "sheet",
                f"{sheet.name!r} scores {sheet.subject.value}s, not {candidate.kind.value}s",
            )
        )
    if candidate.agent is not None and inspector == candidate.agent:
        problems.append(Problem("inspector", "an agent does not inspect their own contact"))
    if problems:
        raise ValidationError("inspection", problems)
    return Inspection(
        inspection_id=inspection_id,
        sheet=sheet.name,
        kind=candidate.kind,
        subject_id=candidate.subject_id,
        agent=candidate.agent,
        inspector=inspector,
        at=at,
        score=sheet.score(marks),
        note=note,
    )


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa of a table of counts: one row per rated unit, one column per category,
    each cell the number of raters who put the unit in that category (every row the same
    number of raters, at least 2).

    ``kappa = (P - Pe) / (1 - Pe)``, with ``P`` the mean agreement per unit,
    ``(sum n_ij^2 - n) / (n (n - 1))``, and ``Pe`` the agreement expected by chance,
    ``sum p_j^2`` over the categories' overall shares (Fleiss 1971).

    >>> round(fleiss_kappa([[2, 0], [0, 2], [1, 1], [2, 0]]), 4)
    0.4667

    Raises InsufficientData for no rows, fewer than 2 raters, or every rating in one category
    (agreement by chance is then 1 and kappa undefined); ValidationError for an uneven table.
    """
    rows = [list(row) for row in table]
    problems = []
    if not rows:
        raise InsufficientData("fleiss_kappa", [Problem("table", "no units rated")])
    width = len(rows[0])
    for index, row in enumerate(rows):
        if len(row) != width or not all(is_int(count) and count >= 0 for count in row):
            problems.append(Problem(f"table[{index}]", f"expected {width} counts >= 0"))
    if problems:
        raise ValidationError("fleiss_kappa", problems)
    raters = sum(rows[0])
    uneven = [i for i, row in enumerate(rows) if sum(row) != raters]
    if uneven:
        raise ValidationError(
            "fleiss_kappa",
            [Problem(f"table[{i}]", f"rated by {sum(rows[i])}, not {raters}") for i in uneven],
        )
    if raters < 2:
        raise InsufficientData("fleiss_kappa", [Problem("table", "fewer than 2 raters")])
    units = len(rows)
    agreement = (
        sum(
            (sum(count * count for count in row) - raters) / (raters * (raters - 1)) for row in rows
        )
        / units
    )
    shares = [sum(row[j] for row in rows) / (units * raters) for j in range(width)]
    chance = sum(share * share for share in shares)
    if chance >= 1:
        raise InsufficientData(
            "fleiss_kappa", [Problem("table", "every rating in one category: kappa undefined")]
        )
    return (agreement - chance) / (1 - chance)


def agreement_band(kappa: float) -> str:
    """Landis and Koch's (1977) words for a kappa: poor (< 0), slight (to 0.20), fair (to
    0.40), moderate (to 0.60), substantial (to 0.80), almost perfect.

    >>> agreement_band(0.47)
    'moderate'
    """
    for limit, band in (
        (0, "poor"),
        (0.2, "slight"),
        (0.4, "fair"),
        (0.6, "moderate"),
        (0.8, "substantial"),
    ):
        if kappa < limit or (limit > 0 and kappa <= limit):
            return band
    return "almost perfect"


@attrs.frozen(kw_only=True)
class Calibration:
    """How far inspectors agree on the same contacts (质检校准).

    Attributes:
        inspectors: who scored every contact.
        subjects: the contacts they all scored.
        item_kappa: Fleiss' kappa over whether each item of each contact was fully met (None:
            undefined, every item judged the same way).
        verdict_kappa: Fleiss' kappa over pass/fail per contact (None: undefined).
        largest_spread: the widest gap in percent between two inspectors on one contact,
            and that contact.
    """

    inspectors: tuple[str, ...]
    subjects: tuple[str, ...]
    item_kappa: float | None
    verdict_kappa: float | None
    largest_spread: tuple[float, str]

    @property
    def band(self) -> str | None:
        """:func:`agreement_band` of ``item_kappa``."""
        return None if self.item_kappa is None else agreement_band(self.item_kappa)


def calibrate(sheet: ScoringSheet, inspections: Iterable[Inspection]) -> Calibration:
    """Compare inspectors who scored the same contacts with ``sheet``.

    Every contact must be scored once by each inspector taking part (the calibration
    session's design); ValidationError names a contact that is not, or an inspection made
    with another sheet.
    """
    rows = tuple(inspections)
    problems = [
        Problem(f"inspections[{i}]", f"made with sheet {r.sheet!r}, not {sheet.name!r}")
        for i, r in enumerate(rows)
        if not is_a(r, Inspection) or r.sheet != sheet.name
    ]
    if problems:
        raise ValidationError("calibration", problems)
    by_subject: dict[str, dict[str, Inspection]] = {}
    for r in rows:
        by_subject.setdefault(r.subject_id, {})[r.inspector] = r
    inspectors = tuple(sorted({r.inspector for r in rows}))
    problems = [
        Problem(subject, f"scored by {sorted(found)}, not by all of {list(inspectors)}")
        for subject, found in sorted(by_subject.items())
        if tuple(sorted(found)) != inspectors
    ]
    if problems:
        raise ValidationError("calibration", problems)
    if len(inspectors) < 2:
        raise InsufficientData("calibration", [Problem("inspections", "fewer than 2 inspectors")])
    item_table = []
    verdict_table = []
    spreads = []
    for subject, found in sorted(by_subject.items()):
        for item in sheet.items:
            met = sum(r.score.marks[item.key] == item.points for r in found.values())
            item_table.append([met, len(found) - met])
        passed = sum(r.passed for r in found.values())
        verdict_table.append([passed, len(found) - passed])
        percents = [r.score.percent for r in found.values()]
        spreads.append((max(percents) - min(percents), subject))
    return Calibration(
        inspectors=inspectors,
        subjects=tuple(sorted(by_subject)),
        item_kappa=_kappa_or_none(item_table),
        verdict_kappa=_kappa_or_none(verdict_table),
        largest_spread=max(spreads, key=lambda pair: (pair[0], pair[1])),
    )


def _kappa_or_none(table: list[list[int]]) -> float | None:
    try:
        return fleiss_kappa(table)
    except InsufficientData:
        return None
