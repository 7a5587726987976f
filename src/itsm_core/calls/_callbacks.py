"""Callbacks for abandoned calls, scheduled on a business calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from itsm_core._plain import is_duration, shown
from itsm_core.calendar import BusinessTime
from itsm_core.calls._call import Call
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class Callback:
    """A call to return: the caller of ``call_id``, from ``earliest`` (the first working
    instant after the call was lost) and no later than ``due`` (``within`` of working time
    after it)."""

    call_id: str
    caller: str
    lost_at: dt.datetime
    earliest: dt.datetime
    due: dt.datetime
    requested: bool

    def overdue(self, now: dt.datetime) -> bool:
        """True once ``now`` is past ``due``."""
        return now > self.due


@attrs.frozen(kw_only=True)
class CallbackPlan:
    """The callbacks to make, soonest due first, and the calls that cannot be returned (no
    calling number), by id."""

    callbacks: tuple[Callback, ...]
    without_number: tuple[str, ...]


def schedule_callbacks(
    calls: Iterable[Call],
    calendar: BusinessTime,
    *,
    within: dt.timedelta,
    short_abandon: dt.timedelta = dt.timedelta(seconds=5),
) -> CallbackPlan:
    """A callback for every abandoned call (short abandons left out, as in the service level)
    and every call whose caller asked for one.

    ``earliest`` is ``calendar.next_working`` of the moment the call was lost (abandoned, or
    the request); ``due`` is ``calendar.add(that moment, within)``: a call lost at 17:55 on a
    09:00-18:00 calendar with ``within`` of 30 minutes is due at 09:25 the next working day.

    >>> import datetime as dt
    >>> from itsm_core.calendar import TWENTY_FOUR_SEVEN
    >>> from itsm_core.calls import CALL, call_events
    >>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> lost = CALL.replay(call_events("C1", t, caller="138", wait=dt.timedelta(seconds=50)))
    >>> plan = schedule_callbacks([lost], TWENTY_FOUR_SEVEN, within=dt.timedelta(hours=1))
    >>> [(c.call_id, c.due.time().isoformat()) for c in plan.callbacks]
    [('C1', '10:00:50')]
    """
    problems = []
    if not is_duration(within, positive=True):
        problems.append(Problem("within", f"expected a positive timedelta, got {shown(within)}"))
    if not is_duration(short_abandon, positive=False):
        problems.append(
            Problem("short_abandon", f"expected a timedelta >= 0, got {shown(short_abandon)}")
        )
    if problems:
        raise ValidationError("schedule_callbacks", problems)
    callbacks = []
    without = []
    for call in calls:
        requested = call.callback_requested_at is not None
        lost = call.abandoned_at is not None and call.wait is not None and call.wait > short_abandon
        if not (requested or lost):
            continue
        if call.caller is None:
            without.append(call.call_id)
            continue
        at = call.callback_requested_at if requested else call.abandoned_at
        assert at is not None
        callbacks.append(
            Callback(
                call_id=call.call_id,
                caller=call.caller,
                lost_at=at,
                earliest=calendar.next_working(at),
                due=calendar.add(at, within),
                requested=requested,
            )
        )
    callbacks.sort(key=lambda c: (c.due, c.call_id))
    return CallbackPlan(callbacks=tuple(callbacks), without_number=tuple(sorted(without)))
