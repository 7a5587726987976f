"""A FastAPI sidecar beside a helpdesk (issue 20's example): it takes the helpdesk's webhooks
(a ticket created, updated or commented; a delivery may come twice), answers what is due,
breached or on a worklist, and pushes the SLA actions due back to the helpdesk, each once.
One SQLite file keeps it all: the events, the ticket read model and the actions pushed.

    app = make_app(SqliteDatabase("desk.db"), push=lambda action: httpx.post(URL, json=...))

Serve ``app`` with any ASGI server, and have a timer call ``POST /tick`` every minute. The
code is walked through in docs/howto/webhooks.md and tested in tests/test_examples_fastapi.py.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Literal

import attrs
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel

from itsm_core import sla, tickets
from itsm_core.adapters import sqlite
from itsm_core.calendar import BusinessCalendar
from itsm_core.desk import ServiceDesk, SlaSchedule, TicketProjection, Worklist, Worklists, catch_up
from itsm_core.errors import ItsmError, RepositoryError
from itsm_core.serialization import DEFAULT_TYPES, Serializer, TypeSpec

WORKDAY = [["09:00", "12:00"], ["13:00", "18:00"]]
WEEK = dict.fromkeys(["monday", "tuesday", "wednesday", "thursday", "friday"], WORKDAY)
OFFICE = {"sh": BusinessCalendar.from_dict({"timezone": "Asia/Shanghai", "weekly": WEEK})}
RESPOND = sla.MetricSpec(clock=sla.FIRST_RESPONSE, targets={"*": "1 business hour"}, calendar="sh")
TARGETS = {"1": "4 business hours", "2": "8 business hours", "*": "3 business days"}
WARN = sla.SERVICENOW_THRESHOLDS  # warn at 50 % and 75 % of the target, breach at 100 %
RESOLVE = sla.MetricSpec(clock=sla.RESOLUTION, targets=TARGETS, calendar="sh", thresholds=WARN)
POLICIES = sla.PolicySet(policies=[sla.SlaPolicy(name="support", metrics=[RESPOND, RESOLVE])])
TICKETS = TicketProjection(policies=POLICIES, calendars=OFFICE)  # the read model
# The helpdesk's statuses: the state each one means here, and the command that gets there.
STATUSES: dict[str, tuple[str, tickets.Command]] = {
    "open": ("in_progress", tickets.Acknowledge()),
    "pending": ("on_hold", tickets.Hold(reason=tickets.HoldReason.AWAITING_CUSTOMER)),
    "solved": ("resolved", tickets.Resolve(code="solved", note="solved in the helpdesk")),
    # Closed in the helpdesk: recorded as the system's confirmation, visibly (auto_confirmed).
    "closed": ("closed", tickets.ConfirmResolution(note="closed in the helpdesk", auto=True)),
}
BACK: dict[str, tickets.Command] = {  # to "open" again from these states
    "on_hold": tickets.Resume(),
    "resolved": tickets.Reopen(reason="reopened in the helpdesk"),
}
ACTIONS = Serializer((*DEFAULT_TYPES, TypeSpec(name="due_action", cls=sla.DueAction)))


class Hook(BaseModel):  # one delivery; `delivery` stays the same when it is sent again
    delivery: str
    event: Literal["created", "updated", "commented"]
    ticket: str
    at: AwareDatetime  # when it happened in the helpdesk
    actor: str
    role: Literal["system", "agent", "customer"] = "system"
    kind: tickets.TicketKind = tickets.TicketKind.INCIDENT  # created: the kind and priority
    priority: int | None = None
    status: Literal["open", "pending", "solved", "closed"] = "open"  # updated: the new status
    text: str = ""  # commented: the comment


def command_for(desk: ServiceDesk, hook: Hook) -> tickets.Command | None:
    if hook.event == "created":
        return tickets.OpenTicket(
            ticket_id=hook.ticket, kind=hook.kind, requester=hook.actor, priority=hook.priority
        )
    if hook.event == "commented":
        return tickets.AddComment(text=hook.text)
    state = desk.ticket(hook.ticket).state
    target, command = STATUSES[hook.status]
    if state == target:
        return None  # another field changed: nothing to do here
    return BACK.get(state, command) if hook.status == "open" else command


def make_app(
    database: sqlite.SqliteDatabase,
    push: Callable[[sla.DueAction], object],
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> FastAPI:
    events = sqlite.SqliteEventStore[tickets.TicketEvent](database)
    views = sqlite.SqliteProjectionStore(database)
    pushed = sqlite.SqliteRepository[sla.DueAction](database, "pushed", serializer=ACTIONS)
    desk = ServiceDesk(store=events, ids=lambda: str(uuid.uuid4()), sla=POLICIES, calendars=OFFICE)
    worklists, schedule, app = Worklists(views), SlaSchedule(views), FastAPI()

    def push_new(actions: Iterable[sla.DueAction]) -> None:
        for action in actions:
            if pushed.find(action.key) is None:  # at least once: a failed push is tried again
                push(action)
                pushed.save(action.key, action, expected_version=0)

    @app.exception_handler(ItsmError)
    def refused(request: Request, error: ItsmError) -> JSONResponse:
        retry = isinstance(error, RepositoryError)  # the store, or a ticket not there yet
        return JSONResponse({"error": str(error)}, status_code=503 if retry else 422)

    @app.post("/webhooks")
    def webhook(hook: Hook) -> dict[str, Any]:
        command = command_for(desk, hook)
        if command is None:
            return {"events": [], "duplicate": False}
        done = desk.execute(
            hook.ticket,
            command,
            actor=hook.actor,
            role=hook.role,
            now=hook.at,
            idempotency_key=hook.delivery,
        )
        catch_up(events, TICKETS, views)  # the read model takes the new events
        push_new(done.due)
        return {"events": [event.name for event in done.events], "duplicate": done.duplicate}

    @app.get("/due")
    def due(before: AwareDatetime, now: AwareDatetime | None = None) -> list[dict[str, Any]]:
        return [attrs.asdict(d) for d in schedule.due_between(now or clock(), before)]

    @app.get("/breached")
    def breached(now: AwareDatetime | None = None) -> list[dict[str, Any]]:
        return [attrs.asdict(d) for d in schedule.breached(now or clock())]

    @app.get("/worklist")
    def worklist(group: str | None = None, assignee: str | None = None) -> list[str]:
        listed = worklists.items(Worklist(active=True, group=group, assignee=assignee))
        return [entry.ticket.id for entry in listed]

    @app.post("/tick")
    def tick(now: AwareDatetime | None = None) -> None:
        now = now or clock()
        deadlines = schedule.due_between(None, None)  # of every clock under way
        woken = [d.ticket_id for d in deadlines if any(at <= now for _, at in d.thresholds)]
        for ticket_id in dict.fromkeys(woken):  # a threshold reached: evaluate the ticket
            push_new(sla.due_actions(desk.evaluate(ticket_id, now), now))

    return app
