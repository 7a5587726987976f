"""The continual improvement register: every cycle, queried by status, owner, KPI, source."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core.errors import NotFound, VersionConflict
from itsm_core.improvement._cycle import ImprovementCycle
from itsm_core.improvement._phases import CycleModel
from itsm_core.improvement._sources import SourceKind
from itsm_core.workflow import StatusCategory


@attrs.frozen
class ImprovementRegister:
    """The continual improvement register (CIR): "a database or structured document to track
    and manage improvement ideas from identification through to final action" (ITIL 4).

    A value: :meth:`with_cycle` returns a new register. Entries are the cycles themselves,
    so a register row is always what the cycle's events say.

    >>> ImprovementRegister().query(owner="li")
    ()
    """

    cycles: Mapping[str, ImprovementCycle] = attrs.field(factory=dict, converter=frozen_mapping)

    def with_cycle(self, cycle: ImprovementCycle) -> ImprovementRegister:
        """The register with ``cycle`` added or updated.

        Raises:
            VersionConflict: the register holds a newer version of that cycle.
        """
        held = self.cycles.get(cycle.cycle_id)
        if held is not None and held.version > cycle.version:
            raise VersionConflict(cycle.cycle_id, cycle.version, held.version)
        return ImprovementRegister({**self.cycles, cycle.cycle_id: cycle})

    def get(self, cycle_id: str) -> ImprovementCycle:
        """The cycle with that id; NotFound otherwise."""
        try:
            return self.cycles[cycle_id]
        except KeyError:
            raise NotFound("improvement cycle", cycle_id) from None

    def query(
        self,
        *,
        status: StatusCategory | Iterable[StatusCategory] | None = None,
        phase: str | None = None,
        owner: str | None = None,
        kpi: str | None = None,
        source_kind: SourceKind | None = None,
        source_reference: str | None = None,
        model: CycleModel | None = None,
        benefit_achieved: bool | None = None,
        min_benefit: float | None = None,
    ) -> tuple[ImprovementCycle, ...]:
        """The cycles matching every filter given, ordered by id.

        ``status`` is a status category (or several): NEW for cycles still in their first
        phase, OPEN in progress, CLOSED standardised or continued, CANCELLED abandoned.
        ``benefit_achieved`` True keeps cycles whose Check measured an improvement over the
        baseline (False: checked, no improvement); ``min_benefit`` an improvement of at least
        that much, in the KPI's units.
        """
        statuses = (
            None
            if status is None
            else frozenset({status} if isinstance(status, StatusCategory) else status)
        )

        def keep(cycle: ImprovementCycle) -> bool:
            source = cycle.source
            benefit = cycle.benefit
            checks = (
                statuses is None or cycle.status in statuses,
                phase is None or cycle.phase == phase,
                owner is None or cycle.owner == owner,
                kpi is None or cycle.kpi == kpi,
                model is None or cycle.model is model,
                source_kind is None or (source is not None and source.kind is source_kind),
                source_reference is None
                or (source is not None and source.reference == source_reference),
                benefit_achieved is None
                or (benefit is not None and (benefit > 0) == benefit_achieved),
                min_benefit is None or (benefit is not None and benefit >= min_benefit),
            )
            return all(checks)

        return tuple(self.cycles[key] for key in sorted(self.cycles) if keep(self.cycles[key]))

    def chain(self, cycle_id: str) -> tuple[ImprovementCycle, ...]:
        """The cycles linked to ``cycle_id`` (previous and next), oldest first."""
        cycle = self.get(cycle_id)
        seen = {cycle.cycle_id}

        def follow(link: Callable[[ImprovementCycle], str | None]) -> list[ImprovementCycle]:
            found: list[ImprovementCycle] = []
            current = cycle
            while (linked := link(current)) is not None and linked in self.cycles:
                if linked in seen:
                    break
                current = self.cycles[linked]
                seen.add(linked)
                found.append(current)
            return found

        earlier = follow(lambda c: c.previous_cycle)
        later = follow(lambda c: c.next_cycle)
        return (*reversed(earlier), cycle, *later)

    def to_markdown(self, cycles: Iterable[ImprovementCycle] | None = None) -> str:
        """A Markdown table of the register (or of ``cycles``): the CIR columns."""
        rows = tuple(self.cycles[k] for k in sorted(self.cycles)) if cycles is None else cycles
        lines = [
            "| id | title | owner | source | KPI | phase | benefit |",
            "|---|---|---|---|---|---|---:|",
        ]
        for c in rows:
            source = "" if c.source is None else f"{c.source.kind.value}: {c.source.reference}"
            benefit = "" if c.benefit is None else f"{c.benefit:+.4g}"
            lines.append(
                f"| {c.cycle_id} | {c.title} | {c.owner} | {source} | {c.kpi or ''} "
                f"| {c.phase} | {benefit} |"
            )
        return "\n".join(lines)
