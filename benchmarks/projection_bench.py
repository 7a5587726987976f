"""Benchmark: projections at 100,000 tickets: catch-up speed, worklist and SLA schedule queries.

Usage: .venv/bin/python benchmarks/projection_bench.py [--quick] [--tickets N] [--rounds N]

A desk of ``--tickets`` tickets (100,000 by default; ``--quick``: 10,000) is written to an
event store, each ticket's events interleaved with the others' in time order, as a desk
appends them. Then, for the in-memory stores and for SQLite (events and read models in one
file, ``synchronous=NORMAL``):

* catch-up: the ticket read model (``TicketProjection`` with SLA policies on a Shanghai
  office calendar) built from the first event in batches of 1,000, in events per second;
  also without SLA policies (worklists and lookups only), in memory;
* queries, medians of ``--rounds`` rounds: the SLA schedule (next wake-up, clocks due in the
  next day, the 100 longest breached, how many tickets are breached), worklists (a group's
  open tickets, an agent's breached tickets, the unassigned queue, a count), lookups (by id,
  by external id) and the complaint archive (a month of one type).

The results are checked against measuring each ticket on a subsample. The machine's load
average is printed before and after. The last line is
``figure: sla_schedule_100k = <ms> ms (...)``: the slowest of the schedule queries on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteProjectionStore
from itsm_core.calendar import BusinessCalendar
from itsm_core.desk import (
    ComplaintArchive,
    InMemoryProjectionStore,
    ProjectionStore,
    SlaSchedule,
    TicketLookup,
    TicketProjection,
    Worklist,
    Worklists,
    catch_up,
)
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.sla import (
    FIRST_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    ClockStatus,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    evaluate,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Classify,
    Command,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    Hold,
    HoldReason,
    OpenTicket,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

T = TypeVar("T")
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
SPREAD_MINUTES = 30 * 24 * 60  # tickets open over a month
NOW = T0 + dt.timedelta(days=31)
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            d: [["09:00", "12:00"], ["13:00", "18:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "extrapolate": True,
    }
)
CALENDARS = {"office": OFFICE}
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="standard",
            metrics=[
                MetricSpec(
                    clock=FIRST_RESPONSE,
                    targets={"*": "4 working hours"},
                    calendar="office",
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
                MetricSpec(
                    clock=RESOLUTION,
                    targets={"1": "8 hours", "2": "5 working days", "*": "20 working days"},
                    calendar="office",
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
            ],
        )
    ]
)
GROUPS = ("desk", "network", "apps", "field")
AGENTS = ("ana", "wu", "li", "sam", "kim", "jo")
TEMPLATES: list[tuple[TicketKind, list[tuple[Command, str, int]]]] = [
    (TicketKind.INCIDENT, []),
    (TicketKind.INCIDENT, [(Assign(group="network"), "agent", 5)]),
    (
        TicketKind.INCIDENT,
        [(Assign(group="desk", assignee="ana"), "agent", 5), (Acknowledge(), "agent", 30)],
    ),
    (
        TicketKind.INCIDENT,
        [
            (Assign(group="apps", assignee="wu"), "agent", 10),
            (Acknowledge(), "agent", 40),
            (Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent", 90),
            (AddComment(text="log attached"), "customer", 300),
            (Resume(), "agent", 400),
        ],
    ),
    (
        TicketKind.INCIDENT,
        [
            (Assign(group="field", assignee="li"), "agent", 10),
            (Acknowledge(), "agent", 20),
            (Resolve(code="fixed", note="replaced"), "agent", 600),
        ],
    ),
    (
        TicketKind.COMPLAINT,
        [
            (Acknowledge(), "agent", 15),
            (Classify(complaint_type=ComplaintType.SERVICE, response_level=3), "agent", 30),
            (Advance(event="handle"), "agent", 60),
            (Resolve(code="apologised", note="called back"), "agent", 600),
            (ConfirmResolution(), "customer", 900),
            (Archive(), "agent", 1000),
        ],
    ),
]


def template(index: int) -> list[TicketEvent]:
    kind, steps = TEMPLATES[index % len(TEMPLATES)]
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    opening = OpenTicket(
        ticket_id="T",
        kind=kind,
        requester="c",
        priority=1 + index % 3,
        category=("printer", "vpn", "mail")[index % 3],
        attributes={"external_id": "X"},
    )
    for command, role, minutes in [(opening, "customer", 0), *steps]:
        ctx = CommandContext(actor="x", role=role, now=T0 + dt.timedelta(minutes=minutes))
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    return events


def desk(count: int) -> list[TicketEvent]:
    """``count`` tickets from the templates (renamed, shifted over a month, customers and
    external ids of their own), every event in time order."""
    bases = [template(i) for i in range(len(TEMPLATES) * 3)]
    out: list[TicketEvent] = []
    for n in range(count):
        shift = dt.timedelta(minutes=(n * 7919) % SPREAD_MINUTES)
        for event in bases[n % len(bases)]:
            payload = dict(event.payload)
            if event.name == "open":
                payload["requester"] = f"customer-{n % 5000}"
                payload["attributes"] = {"external_id": f"ZD-{n}"}
            out.append(
                attrs.evolve(event, ticket_id=f"INC{n:06}", at=event.at + shift, payload=payload)
            )
    out.sort(key=lambda e: (e.at, e.ticket_id, e.sequence))
    return out


def fill(store: EventStore[TicketEvent], events: Sequence[TicketEvent]) -> None:
    for event in events:
        store.append(event.ticket_id, [event], event.sequence - 1)


# -- measuring ----------------------------------------------------------------------------


@attrs.frozen
class Timing:
    wall: float
    cpu: float


def timed(call: Callable[[], T], rounds: int) -> tuple[Timing, T]:
    """Medians of ``rounds`` calls (wall and CPU), and the last call's result."""
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus)), result


def queries(store: ProjectionStore) -> dict[str, Callable[[], object]]:
    schedule, views = SlaSchedule(store), Worklists(store)
    lookup, archive = TicketLookup(store), ComplaintArchive(store)
    month = (T0 + dt.timedelta(days=7), T0 + dt.timedelta(days=14))
    return {
        "schedule: next wake-up": lambda: schedule.next_wake_up(NOW),
        "schedule: due in the next day": lambda: schedule.due_between(
            NOW, NOW + dt.timedelta(days=1)
        ),
        "schedule: 100 longest breached": lambda: schedule.breached(NOW, limit=100),
        "schedule: tickets breached (count)": lambda: views.count(Worklist(breached_at=NOW)),
        "worklist: network, open, 50": lambda: views.items(
            Worklist(group="network", active=True), limit=50
        ),
        "worklist: ana's breached, 50": lambda: views.items(
            Worklist(assignee="ana", breached_at=NOW), limit=50
        ),
        "worklist: unassigned queue, 50": lambda: views.items(
            Worklist(active=True, unassigned=True), limit=50
        ),
        "worklist: open tickets (count)": lambda: views.count(Worklist(active=True)),
        "lookup: by id": lambda: lookup.get("INC004242"),
        "lookup: by external id": lambda: lookup.by_attribute("external_id", "ZD-4242"),
        "archive: a week of service complaints": lambda: archive.find(
            complaint_type=ComplaintType.SERVICE, start=month[0], end=month[1], limit=100
        ),
    }


def check(store: ProjectionStore, events: Sequence[TicketEvent], sample: int = 300) -> str:
    """The schedule's breached clocks against measuring each ticket, on a subsample."""
    by_ticket: dict[str, list[TicketEvent]] = {}
    for event in events:
        by_ticket.setdefault(event.ticket_id, []).append(event)
    chosen = sorted(by_ticket)[:: max(1, len(by_ticket) // sample)]
    lookup = TicketLookup(store)
    for ticket_id in chosen:
        report = evaluate(POLICIES, by_ticket[ticket_id], NOW, calendars=CALENDARS)
        expected = {(c.key, c.due_at) for c in report.clocks if c.status is ClockStatus.BREACHED}
        entry = lookup.get(ticket_id)
        assert entry is not None
        assert {(d.clock, d.due_at) for d in entry.breached(NOW)} == expected, ticket_id
    return f"checked against per-ticket evaluate on {len(chosen)} tickets: same"


def report(label: str, store: ProjectionStore, rounds: int) -> dict[str, float]:
    print(f"\n{label}: queries (median of {rounds}; wall ms / cpu ms, results)")
    out: dict[str, float] = {}
    for name, call in queries(store).items():
        timing, result = timed(call, rounds)
        size = (
            result
            if isinstance(result, int)
            else (1 if result is not None and not isinstance(result, tuple) else len(result or ()))
        )
        print(f"  {name:<40} {timing.wall * 1e3:9.2f} {timing.cpu * 1e3:9.2f}   {size}")
        out[name] = timing.wall * 1e3
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 tickets")
    parser.add_argument("--tickets", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    count = options.tickets or (10_000 if options.quick else 100_000)
    print(f"load average before: {os.getloadavg()}")
    events = desk(count)
    print(f"{count:,} tickets, {len(events):,} events, measured at {NOW.isoformat()}")

    memory_events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    fill(memory_events, events)
    projection = TicketProjection(policies=POLICIES, calendars=CALENDARS)
    memory = InMemoryProjectionStore()
    timing, _ = timed(lambda: catch_up(memory_events, projection, memory, batch=1_000), 1)
    print(
        f"\ncatch-up, in memory, with SLA: {len(events) / timing.wall:,.0f} events/s "
        f"({timing.wall:.1f} s wall, {timing.cpu:.1f} s cpu)"
    )
    plain = InMemoryProjectionStore()
    timing, _ = timed(lambda: catch_up(memory_events, TicketProjection(), plain, batch=1_000), 1)
    print(
        f"catch-up, in memory, without SLA: {len(events) / timing.wall:,.0f} events/s "
        f"({timing.wall:.1f} s wall)"
    )
    gc.collect()
    gc.freeze()
    print(check(memory, events))
    report("in memory", memory, options.rounds)

    with tempfile.TemporaryDirectory() as folder:
        database = SqliteDatabase(Path(folder) / "desk.db", synchronous="NORMAL")
        sqlite_events = SqliteEventStore[TicketEvent](database)
        start = time.perf_counter()
        fill(sqlite_events, events)
        print(f"\nSQLite: {len(events):,} events appended in {time.perf_counter() - start:.1f} s")
        store = SqliteProjectionStore(database)
        timing, _ = timed(lambda: catch_up(sqlite_events, projection, store, batch=1_000), 1)
        print(
            f"catch-up, SQLite, with SLA: {len(events) / timing.wall:,.0f} events/s "
            f"({timing.wall:.1f} s wall, {timing.cpu:.1f} s cpu)"
        )
        print(check(store, events))
        on_disk = report("SQLite", store, options.rounds)
        size = os.path.getsize(Path(folder) / "desk.db") / 2**20
        print(f"\nSQLite file: {size:,.0f} MiB (events and read model)")
        database.close()
    print(f"load average after: {os.getloadavg()}")
    schedule = {k: v for k, v in on_disk.items() if k.startswith("schedule")}
    worst = max(schedule, key=schedule.__getitem__)
    print(
        f"figure: sla_schedule_{count // 1000}k = {schedule[worst]:.2f} ms "
        f"(slowest schedule query on SQLite: {worst}; goal: milliseconds)"
    )


if __name__ == "__main__":
    main()
