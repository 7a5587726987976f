"""Demo section: retention due dates, access decisions with reasons, masked exports, a sealed
audit trail that names the event someone tampered with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from itsm_core.records import (
    STANDARD_ACCESS_POLICY,
    Actor,
    LegalHold,
    MaskingPolicy,
    RetentionPolicy,
    SealedStream,
    export_ticket,
    retention_due,
    seal_events,
    verify_sealed,
)
from itsm_core.tickets import (
    AddComment,
    Assign,
    Command,
    CommandContext,
    ConfirmResolution,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _story(ticket_id: str, requester: str) -> tuple[Ticket, list[TicketEvent]]:
    steps: list[tuple[Command, str, str]] = [
        (
            OpenTicket(
                ticket_id=ticket_id,
                kind=TicketKind.INCIDENT,
                requester=requester,
                symptom="VPN down, call me on 13812345678 or mail zhang.wei@example.com",
            ),
            requester,
            "customer",
        ),
        (Assign(group="network", assignee="ana"), "li", "agent"),
        (AddComment(text="caller ID 11010519491231002X", internal=True), "ana", "agent"),
        (Resolve(code="fixed", note="VPN profile renewed"), "ana", "agent"),
        (ConfirmResolution(), requester, "customer"),
    ]
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    for minutes, (command, actor, role) in enumerate(steps):
        ctx = CommandContext(actor=actor, role=role, now=T0 + dt.timedelta(minutes=10 * minutes))
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    assert ticket is not None
    return ticket, events


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        line = "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
        print(("  " + line).rstrip())


def show() -> None:
    """Print the four parts of record keeping on one small incident."""
    ticket, events = _story("INC1", "zhang")
    other, _ = _story("INC2", "wang")

    policy = RetentionPolicy.from_dict(
        {"name": "desk", "default": {"archive_after_days": 30, "destroy_after_years": 3}}
    )
    hold = LegalHold(
        id="LH-7",
        reason="dispute",
        placed_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        requesters={"zhang"},
    )
    print("Retention (archive 30 days, destroy 3 years after closure; hold LH-7 on zhang):")
    rows = []
    for label, at in (
        ("closure + 29 days", T0 + dt.timedelta(days=29)),
        ("closure + 31 days", T0 + dt.timedelta(days=31)),
        ("closure + 3 years", T0.replace(year=2029) + dt.timedelta(hours=1)),
    ):
        due = retention_due([ticket, other], policy, at, holds=[hold])
        rows.append(
            (
                label,
                ", ".join(i.ticket_id for i in due.archive) or "-",
                ", ".join(i.ticket_id for i in due.destroy) or "-",
                ", ".join(f"{i.ticket_id} ({', '.join(i.held_by)})" for i in due.held) or "-",
            )
        )
    _table(("at", "archive", "destroy", "held"), rows)
    print()

    print("Access (STANDARD_ACCESS_POLICY) to INC1, group network, assignee ana:")
    actors = {
        "zhang (customer)": Actor(id="zhang", roles={"customer"}),
        "wang (customer)": Actor(id="wang", roles={"customer"}),
        "ana (agent, network)": Actor(id="ana", roles={"agent"}, groups={"network"}),
        "li (agent, database)": Actor(id="li", roles={"agent"}, groups={"database"}),
    }
    rows = []
    for label, actor in actors.items():
        for action in ("read", "read_confidential", "reopen"):
            decision = STANDARD_ACCESS_POLICY.can(actor, action, ticket)
            why = (
                f"rule {decision.rule}"
                if decision.allowed
                else decision.reason.split("does not apply: ")[-1].split(";")[0]
            )
            rows.append((label, action, "yes" if decision.allowed else "no", why))
    _table(("actor", "action", "allowed", "why"), rows)
    print()

    exported = export_ticket(ticket, MaskingPolicy(drop_fields={"work_notes"}))
    print("Export with personal data masked (work notes dropped):")
    print(f"  symptom:  {exported['symptom']}")
    print(f"  in export: work_notes={'work_notes' in exported}")
    print()

    stream = seal_events(events)
    seal = stream.seal()
    print(f"Sealed audit trail: {seal.count} events, head {seal.head[:16]}...")
    records = list(stream.records)
    records[3] = attrs.evolve(records[3], event=attrs.evolve(records[3].event, reason="edited"))
    cases = {
        "untouched": stream,
        "event #4 edited": SealedStream(records),
        "event #3 deleted": SealedStream(stream.records[:2] + stream.records[3:]),
        "events #1 and #2 swapped": SealedStream(
            (stream.records[1], stream.records[0], *stream.records[2:])
        ),
        "last event cut off": SealedStream(stream.records[:-1]),
    }
    verdicts: list[tuple[str, str]] = []
    for label, candidate in cases.items():
        found = verify_sealed(candidate, seal).tamper
        verdicts.append((label, "intact" if found is None else found.message))
    _table(("stream", "verification"), verdicts)


if __name__ == "__main__":
    show()
