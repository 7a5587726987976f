"""Benchmark: replay 1,000,000 ticket events and decide 100,000 commands.

Run: ``.venv/bin/python benchmarks/tickets_bench.py`` (``--quick`` for a smoke run). Prints
operations per second; nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Classify,
    Close,
    Command,
    CommandContext,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

#: One incident life: 14 commands after the opening (15 events).
LIFE: list[tuple[str, Command]] = [
    ("agent", Classify(impact=2, urgency=2, priority=3)),
    ("agent", Assign(group="network", assignee="ana")),
    ("agent", Acknowledge()),
    ("agent", AddComment(text="looking into it")),
    ("agent", Hold(reason=HoldReason.AWAITING_CUSTOMER)),
    ("customer", AddComment(text="here is the log")),
    ("customer", Resume()),
    ("agent", AddComment(text="found it", internal=True)),
    ("agent", Resolve(code="fixed", note="restarted the service")),
    ("customer", Reopen(reason="it came back")),
    ("agent", AddComment(text="second look")),
    ("agent", Resolve(code="fixed", note="replaced the disk")),
    ("agent", AddComment(text="closing")),
    ("system", Close(reason="auto-close")),
]


def life(number: int) -> list[TicketEvent]:
    """Decide one incident's life; return its events."""
    ctx = CommandContext(actor="agent-1", role="agent", now=T0)
    opening = OpenTicket(ticket_id=f"INC{number:07d}", kind=TicketKind.INCIDENT, requester="bob")
    ticket, events = decide(None, opening, ctx)
    trail = list(events)
    for step, (role, command) in enumerate(LIFE, start=1):
        ctx = CommandContext(actor=f"{role}-1", role=role, now=T0 + dt.timedelta(minutes=step))
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    return trail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100x fewer operations")
    args = parser.parse_args()
    scale = 100 if args.quick else 1
    decisions = 100_000 // scale
    replayed = 1_000_000 // scale

    lives = decisions // (len(LIFE) + 1)
    start = time.perf_counter()
    streams = [life(n) for n in range(lives)]
    elapsed = time.perf_counter() - start
    decided = sum(len(s) for s in streams)
    print(f"decide: {decided:,} commands in {elapsed:.2f} s = {decided / elapsed:,.0f} commands/s")

    start = time.perf_counter()
    folded = 0
    while folded < replayed:
        for stream in streams:
            replay(stream)
            folded += len(stream)
            if folded >= replayed:
                break
    elapsed = time.perf_counter() - start
    print(f"replay: {folded:,} events in {elapsed:.2f} s = {folded / elapsed:,.0f} events/s")


if __name__ == "__main__":
    main()
