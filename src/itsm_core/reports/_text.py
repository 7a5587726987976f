"""Showing report values in a language: cells, headings, headline sentences, definitions."""

from __future__ import annotations

import math

import attrs

from itsm_core.i18n import Messages, format_datetime, format_decimal
from itsm_core.metrics import BUSINESS_KPIS, STANDARD_KPIS, TargetCheck
from itsm_core.reports import _labels as msg
from itsm_core.reports._model import Better, Cell, Column, Headline, ReportTable, ServiceReport
from itsm_core.reports._operations import check_unit

_STANDARD = {k.name: k for k in (*STANDARD_KPIS, *BUSINESS_KPIS)}


@attrs.frozen
class Words:
    """The ``reports`` messages of one language, with the helpers that show report values."""

    messages: Messages

    @classmethod
    def load(cls, language: str) -> Words:
        """The words of ``language`` (any tag :func:`itsm_core.i18n.language_of` accepts)."""
        return cls(Messages.load(language, "reports"))

    @property
    def language(self) -> str:
        return self.messages.language

    def text(self, message: str, /, **facts: object) -> str:
        return self.messages.format(message, **facts) if facts else self.messages.text(message)

    def term(self, key: str) -> str:
        return msg.label(self.messages, key)

    def unit(self, unit: str) -> str:
        return msg.unit_label(self.messages, unit)

    def number(self, value: float, digits: int) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_decimal(value, self.language, digits=0)
        if not math.isfinite(value):
            return str(value)
        return format_decimal(value, self.language, digits=digits)

    def with_unit(self, value: float | None, unit: str, digits: int = 1) -> str:
        if value is None:
            return "—"
        number = self.number(value, digits)
        if unit in {"%", ""}:
            return f"{number}{unit}" if unit else number
        if unit == "tickets":
            return number
        return f"{number} {self.unit(unit)}"

    def heading(self, column: Column) -> str:
        title = self.text(column.title)
        if column.unit and not column.unit.startswith("@") and column.unit != "p":
            return f"{title} ({self.unit(column.unit)})"
        return title

    def cell(self, table: ReportTable, column: Column, row: tuple[Cell, ...], value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            if any(c.unit == f"@{column.key}" for c in table.columns):
                return self.unit(value)  # the unit other columns name: "tickets", not a KPI
            return self.term(value) if column.terms else value
        if column.unit.startswith("@"):
            return self.with_unit(value, table.unit(column, row), column.digits)
        return self.number(value, column.digits)

    def title(self, table: ReportTable) -> str:
        facts = {name: self.term(value) for name, value in table.facts}
        return self.text(table.title, **facts)

    def when(self, report: ServiceReport) -> str:
        from zoneinfo import ZoneInfo

        return format_datetime(report.as_of, self.language, ZoneInfo(report.time_zone))

    def compared(self, report: ServiceReport) -> str:
        if report.previous is None:
            return self.text(msg.ONLY_PERIOD, current=report.current)
        return self.text(msg.COMPARED, current=report.current, previous=report.previous)

    def definitions(self, report: ServiceReport) -> list[str]:
        lines = []
        for kpi, described in zip(report.kpi.spec.kpis, report.definitions, strict=True):
            standard = _STANDARD.get(kpi.name)
            known = msg.DEFINITION_TEXTS.get(kpi.name)
            lines.append(self.text(known) if standard == kpi and known else described)
        return lines

    # -- headline sentences ------------------------------------------------------------------

    def value(self, h: Headline) -> str:
        digits = 0 if h.unit == "tickets" else 1
        return self.with_unit(h.value, h.unit, digits)

    def interval(self, h: Headline) -> str:
        if h.lower is None or h.upper is None:
            return ""
        return self.text(
            msg.CARD_INTERVAL,
            lower=self.with_unit(h.lower, h.unit),
            upper=self.with_unit(h.upper, h.unit),
        )

    def target(self, h: Headline) -> str:
        if h.target is None:
            return ""
        template = msg.CARD_TARGET_HIGHER if h.better is Better.HIGHER else msg.CARD_TARGET_LOWER
        line = self.text(template, target=self.with_unit(h.target.bound, h.unit))
        met = h.meets_target
        return line if met is None else f"{line}: {self.term('met' if met else 'missed')}"

    def change(self, h: Headline, previous: str | None) -> str:
        if h.change is None or previous is None:
            return ""
        unit = "pp" if h.unit == "%" else h.unit
        digits = 0 if h.unit == "tickets" else 1
        sign = "+" if h.change > 0 else ""
        amount = sign + self.with_unit(h.change, unit, digits)
        before = self.with_unit(h.previous, h.unit, digits)
        return self.text(msg.CARD_CHANGE, change=amount, previous=previous, before=before)

    def significance(self, h: Headline) -> str:
        if h.p_value is None:
            return ""
        p = self.number(h.p_value, 3)
        template = msg.CARD_SIGNIFICANT if h.significant else msg.CARD_NOT_SIGNIFICANT
        return f"{self.text(template, p=p)} ({self.text(h.test)})"

    # -- alerts and operations -----------------------------------------------------------------

    def alert(self, check: TargetCheck) -> str:
        """One missed target: the figure, the bound it misses and the clause it quotes."""
        unit = check_unit(check)
        template = msg.ALERT_AT_MOST if check.target.at_most is not None else msg.ALERT_AT_LEAST
        line = self.text(
            template,
            name=self.term(check.target.name),
            value=self.with_unit(check.value, unit),
            target=self.with_unit(check.target.bound, unit),
        )
        if not check.target.clause:
            return line
        return self.text(msg.ALERT_CLAUSE, alert=line, clause=check.target.clause)

    def figure(self, table: ReportTable, row: tuple[Cell, ...]) -> tuple[str, str, str]:
        """A row of the operations figures: its name, its value with its unit, its band."""
        key, value, unit, band = row
        number = value if isinstance(value, int | float) else None
        if unit in {"calls", "contacts"}:  # a count: its name says what is counted
            shown = "—" if number is None else self.number(number, 0)
        else:
            shown = self.with_unit(number, str(unit), 2 if key == "kappa" else 1)
        return self.term(str(key)), shown, "" if band is None else self.term(str(band))
