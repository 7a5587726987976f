"""Which notifications a ticket's new events and SLA clocks call for: one pure function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.i18n import Messages, format_datetime
from itsm_core.sla import ActionKind, ClockKind, SlaReport, due_actions
from itsm_core.tickets import STAFF_ROLES, Ticket, TicketEvent, TicketKind

from ._moments import (
    DEFAULT_DELAY_REASON,
    HOLD_REASONS,
    NO_IMPACT,
    NO_RESOLUTION,
    NO_SERVICE,
    NO_SUMMARY,
    STILL_WORKING,
    UNKNOWN_TIME,
    Moment,
)
from ._notification import Notification, notification_key
from ._recipient import Recipient
from ._templates import DOMAIN, Templates


def _delta_problem(value: object, path: str, *, optional: bool) -> Problem | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.timedelta) and value > dt.timedelta(0):
        return None
    return Problem(path, f"expected a positive timedelta, got {shown(value)}")


@attrs.frozen(kw_only=True)
class NoticeRules:
    """When the clock-driven moments happen.

    Attributes:
        audience: the name that means "the customer" in an SLA threshold's ``notify``: a
            warning threshold of a customer-facing (``sla`` kind) clock that names it sends a
            delay notice.
        delay_thresholds: warning thresholds that send a delay notice whatever they notify:
            by default ``warn-75`` of :data:`~itsm_core.sla.SERVICENOW_THRESHOLDS`, so the
            customer hears of a delay at three quarters of the target, before the breach.
        delay_clocks: the clocks whose warnings are delays the customer hears of: by default
            ``resolution`` (a late first response is answered by the response itself).
        delay_extension: the new due time a delay notice promises when the ticket has no
            later ``expected_resolution_at``: the clock's due time plus this.
        progress_every: the next-update interval: an open ticket whose customer has heard
            nothing for this long gets a progress update (None: no progress updates).
        reason_attribute: the ticket attribute that holds the agent's own words for a delay
            (set it with an ``Advance`` field); without one, the hold reason or a standard
            reason is given.
    """

    audience: str = "customer"
    delay_thresholds: frozenset[str] = attrs.field(
        default=frozenset({"warn-75"}), converter=frozenset
    )
    delay_clocks: frozenset[str] = attrs.field(
        default=frozenset({"resolution"}), converter=frozenset
    )
    delay_extension: dt.timedelta = dt.timedelta(hours=24)
    progress_every: dt.timedelta | None = None
    reason_attribute: str = "delay_reason"

    def __attrs_post_init__(self) -> None:
        problems = [
            found
            for found in (
                _delta_problem(self.delay_extension, "delay_extension", optional=False),
                _delta_problem(self.progress_every, "progress_every", optional=True),
            )
            if found is not None
        ]
        for name in ("audience", "reason_attribute"):
            value: object = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(name, f"expected a non-blank string, got {shown(value)}"))
        problems.extend(
            Problem(name, "expected a set of names")
            for name in ("delay_thresholds", "delay_clocks")
            if not all(isinstance(item, str) and item for item in getattr(self, name))
        )
        if problems:
            raise ValidationError("NoticeRules", problems)


@attrs.frozen
class _Writer:
    """Renders the moments of one ticket for one recipient."""

    ticket: Ticket
    recipient: Recipient
    templates: Templates
    messages: Messages

    def when(self, value: dt.datetime | None) -> str:
        if value is None:
            return self.messages.text(UNKNOWN_TIME)
        return format_datetime(value, self.recipient.language, self.recipient.tz)

    def write(
        self, moment: Moment, anchor: str, at: dt.datetime, facts: Mapping[str, str]
    ) -> Notification:
        ticket, recipient = self.ticket, self.recipient
        every = {
            "name": recipient.name,
            "reference": ticket.id,
            "summary": ticket.symptom or ticket.category or self.messages.text(NO_SUMMARY),
            **facts,
        }
        subject, body = self.templates.get(moment, recipient.language).render(every)
        return Notification(
            key=notification_key(ticket.id, moment, anchor, recipient.address),
            kind=moment,
            ticket_id=ticket.id,
            recipient=recipient,
            channel=recipient.channel,
            language=recipient.language,
            subject=subject,
            body=body,
            facts=every,
            at=at,
        )


def _expected(ticket: Ticket, report: SlaReport | None, now: dt.datetime) -> dt.datetime | None:
    """When the ticket is expected to be resolved, as seen at ``now``: the time agreed on the
    ticket, else the resolution clock's due time, else the first due time of another
    customer-facing clock; only times after ``now`` count."""
    found: list[dt.datetime | None] = [ticket.expected_resolution_at]
    if report is not None:
        clocks = [c for c in report.clocks if c.kind is ClockKind.SLA and c.status.ongoing]
        found.extend(c.due_at for c in clocks if c.name == "resolution")
        found.extend(sorted((c.due_at for c in clocks if c.due_at is not None), key=_utc))
    return next((t for t in found if t is not None and t > now), None)


def _utc(value: dt.datetime | None) -> dt.datetime:
    assert value is not None
    return value.astimezone(dt.UTC)


def _check(
    ticket: object, events: Sequence[object], recipient: object, templates: object, now: object
) -> None:
    problems: list[Problem] = []
    for name, value, kind in (
        ("ticket", ticket, Ticket),
        ("recipient", recipient, Recipient),
        ("templates", templates, Templates),
    ):
        if not isinstance(value, kind):
            problems.append(Problem(name, f"expected a {kind.__name__}, got {shown(value)}"))
    for index, event in enumerate(events):
        if not isinstance(event, TicketEvent):
            problems.append(Problem(f"events[{index}]", f"not a ticket event: {shown(event)}"))
        elif isinstance(ticket, Ticket) and event.ticket_id != ticket.id:
            problems.append(
                Problem(f"events[{index}]", f"an event of {event.ticket_id!r}, not {ticket.id!r}")
            )
    if not isinstance(now, dt.datetime):
        problems.append(Problem("now", f"expected an aware datetime, got {shown(now)}"))
    if problems:
        raise ValidationError("notifications", problems)
    assert isinstance(now, dt.datetime)
    check_aware(now, "now")


def notifications(
    ticket: Ticket,
    events: Iterable[TicketEvent],
    report: SlaReport | None,
    recipient: Recipient,
    templates: Templates,
    now: dt.datetime,
    *,
    rules: NoticeRules = NoticeRules(),
) -> tuple[Notification, ...]:
    """The notifications a ticket calls for at ``now``, for one recipient.

    Args:
        ticket: the ticket as of its latest event.
        events: its new events (those not looked at before; any, for a sweep at a wake-up).
        report: its SLA clocks at ``now`` (``CommandOutcome.sla``, ``sla.evaluate``), or None.
        recipient: whom to tell (the requester, or an affected customer of a major incident).
        templates: the texts (:meth:`Templates.default`, or your own).
        now: the instant of the look (aware).
        rules: when the clock-driven moments happen (:class:`NoticeRules`).

    What each moment comes from:

    * the ``open`` event: an acknowledgement with the reference and expected time, or for a
      major incident an emergency bulletin;
    * the ``resolve`` event: the resolution with the request to confirm it;
    * the ``link_survey`` event: the survey invitation;
    * an SLA warning due at ``now`` on a customer-facing clock, named by ``rules`` (before
      the breach): a delay notice with the reason and the new due time;
    * an open ticket whose customer heard nothing for ``rules.progress_every``: a progress
      update.

    Deriving again gives the same keys (:func:`notification_key`): from the same events, or
    from an SLA action or update interval already notified, nothing new comes out, so
    calling it on every command and at every wake-up never duplicates a message. Follow-up
    reminders come from the follow-up schedule: :func:`follow_up_reminder`.
    """
    batch = tuple(events)
    _check(ticket, batch, recipient, templates, now)
    writer = _Writer(ticket, recipient, templates, Messages.load(recipient.language, DOMAIN))
    text = writer.messages.text
    out: list[Notification] = []
    for event in batch:
        anchor = str(event.sequence)
        if event.name == "open" and ticket.kind is TicketKind.MAJOR_INCIDENT:
            facts = {
                "service": ticket.service or ticket.configuration_item or text(NO_SERVICE),
                "impact": ticket.impact_scope or text(NO_IMPACT),
                "expected": writer.when(_expected(ticket, report, event.at)),
            }
            out.append(writer.write(Moment.EMERGENCY_BULLETIN, anchor, event.at, facts))
        elif event.name == "open":
            facts = {"expected": writer.when(_expected(ticket, report, event.at))}
            out.append(writer.write(Moment.ACKNOWLEDGEMENT, anchor, event.at, facts))
        elif event.name == "resolve":
            note = event.payload.get("resolution_note") or ticket.resolution_note
            facts = {"resolution": str(note) if note else text(NO_RESOLUTION)}
            out.append(writer.write(Moment.RESOLUTION, anchor, event.at, facts))
        elif event.name == "link_survey":
            link = event.payload.get("survey") or ticket.survey
            out.append(
                writer.write(Moment.SURVEY_INVITATION, anchor, event.at, {"survey": str(link)})
            )
    if ticket.is_open and report is not None:
        out.extend(_delays(writer, report, now, rules))
    if ticket.is_open and rules.progress_every is not None:
        update = _progress(writer, report, now, rules.progress_every)
        if update is not None:
            out.append(update)
    return tuple(out)


def _delays(
    writer: _Writer, report: SlaReport, now: dt.datetime, rules: NoticeRules
) -> Iterable[Notification]:
    ticket = writer.ticket
    clocks = {clock.key: clock for clock in report.clocks}
    for action in due_actions(report, now):
        clock = clocks[action.clock]
        wanted = rules.audience in action.notify or action.threshold in rules.delay_thresholds
        customer_facing = clock.kind is ClockKind.SLA and clock.name in rules.delay_clocks
        if action.action is not ActionKind.WARN or not customer_facing or not wanted:
            continue
        due = clock.due_at
        if due is None:  # pragma: no cover - a warned, ongoing cycle has a due time
            continue
        promised = ticket.expected_resolution_at
        later = promised is not None and promised > due
        new_due = promised if later and promised is not None else due + rules.delay_extension
        own = ticket.attributes.get(rules.reason_attribute)
        if isinstance(own, str) and own.strip():
            reason = own
        elif ticket.hold_reason is not None:
            reason = writer.messages.text(HOLD_REASONS[ticket.hold_reason.value])
        else:
            reason = writer.messages.text(DEFAULT_DELAY_REASON)
        facts = {"reason": reason, "due": writer.when(due), "new_due": writer.when(new_due)}
        anchor = f"{action.clock}/{action.cycle}/{action.threshold}"
        yield writer.write(Moment.DELAY_NOTICE, anchor, action.due_at, facts)


def _progress(
    writer: _Writer, report: SlaReport | None, now: dt.datetime, every: dt.timedelta
) -> Notification | None:
    """A progress update when the customer heard nothing for ``every`` (or a multiple)."""
    ticket = writer.ticket
    heard = [ticket.opened_at, *(c.at for c in ticket.comments if c.role in STAFF_ROLES)]
    last = max(heard, key=_utc)
    intervals = (now - last) // every
    if intervals < 1:
        return None
    at = last + intervals * every
    anchor = f"{last.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}/{intervals}"
    facts = {
        "update": writer.messages.text(STILL_WORKING),
        "expected": writer.when(_expected(ticket, report, now)),
    }
    return writer.write(Moment.PROGRESS_UPDATE, anchor, at, facts)


def follow_up_reminder(
    ticket: Ticket,
    recipient: Recipient,
    templates: Templates,
    visit_at: dt.datetime,
    *,
    at: dt.datetime,
) -> Notification:
    """The reminder of a follow-up call or visit (回访) at ``visit_at``, due at ``at``; its
    key is the ticket's and the visit's time, so scheduling it again never duplicates it."""
    _check(ticket, (), recipient, templates, at)
    check_aware(visit_at, "visit_at")
    writer = _Writer(ticket, recipient, templates, Messages.load(recipient.language, DOMAIN))
    anchor = f"{visit_at.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}"
    return writer.write(Moment.FOLLOW_UP_REMINDER, anchor, at, {"visit_at": writer.when(visit_at)})
