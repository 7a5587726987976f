"""Where a time zone's UTC offset is known without asking the zone: stretches of one offset.

Turning an aware datetime into an instant asks its ``tzinfo`` for the UTC offset, and turning an
instant back into a datetime asks it again; next to a binary search, those calls are most of
the cost of ``add`` and ``elapsed``. So the timeline samples its calendar's zone once per UTC
day of the months it compiles (a pure function of the zone and the month, kept with them) and
keeps the result here: the *stretches* of consecutive samples with the same offset, each shrunk
by two days at both ends.

Inside a stretch the offset is the stretch's, and every wall-clock reading is unambiguous: a UTC
offset is less than a day either way, so another instant with the same reading would lie less
than two days away, that is inside the same stretch, where readings and instants correspond one
to one. So there an instant is its wall-clock reading minus the offset, and the other way round,
with nothing asked of the zone; ``fold`` does not matter (it only matters where a reading is
ambiguous or skipped). Everything outside the stretches (two days either side of an offset
change, or of the sampled range's ends) is converted by asking the zone, as before.

This rests on one property of the time zone database: a zone does not change its offset and
change it back within one day, so two equal samples a day apart have no change between them. In
every zone of the tz database the two closest offset changes are about four days apart
(Africa/Freetown, 1939). The tests compare both ways of converting around every change of a
set of zones chosen for their odd histories.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right

from ._instants import EPOCH_ORDINAL, US, US_PER_DAY, from_delta, month_start_us, to_delta

#: How far inside its sampled run a stretch starts and ends.
MARGIN_US = 2 * US_PER_DAY


def day_offsets(zone: dt.tzinfo, month: int) -> list[int]:
    """The zone's UTC offset (microseconds) at 00:00 UTC of each day of a UTC month."""
    first = dt.date.fromordinal(EPOCH_ORDINAL + month_start_us(month) // US_PER_DAY)
    last = dt.date.fromordinal(EPOCH_ORDINAL + month_start_us(month + 1) // US_PER_DAY)
    found = []
    fromutc = zone.fromutc
    for ordinal in range(first.toordinal(), last.toordinal()):
        day = dt.date.fromordinal(ordinal)
        local = fromutc(dt.datetime(day.year, day.month, day.day, tzinfo=zone))
        offset = local.utcoffset()
        assert offset is not None  # a zone's fromutc gives an aware datetime
        found.append(offset.days * US_PER_DAY + offset.seconds * 1_000_000 + offset.microseconds)
    return found


class ZoneMap:
    """The stretches of one zone's constant offset over a sampled range of UTC days.

    ``utc_edges`` and ``wall_edges`` are flat sorted lists ``[start0, end0, start1, end1, ...]``
    of the stretches as UTC instants and as wall-clock readings (microseconds since 1970-01-01
    00:00 of each), ``offsets`` the offset of each; the ``*_delta`` lists hold the same as
    timedeltas for the scalar operations.
    """

    __slots__ = (
        "epoch",
        "offsets",
        "offsets_delta",
        "utc_edges",
        "utc_edges_delta",
        "wall_edges",
        "wall_edges_delta",
        "zone",
    )

    def __init__(self, zone: dt.tzinfo, first_day_us: int, samples: list[int]) -> None:
        self.zone = zone
        #: 1970-01-01 00:00 on the zone's wall clock: an aware datetime in ``zone`` minus this
        #: is its wall-clock reading (same ``tzinfo``: Python subtracts wall times).
        self.epoch = dt.datetime(1970, 1, 1, tzinfo=zone)
        utc_edges: list[int] = []
        wall_edges: list[int] = []
        offsets: list[int] = []
        index = 0
        for offset, run in itertools.groupby(samples):
            count = len(list(run))
            start = first_day_us + index * US_PER_DAY + MARGIN_US
            end = first_day_us + (index + count - 1) * US_PER_DAY - MARGIN_US
            index += count
            if start < end:
                utc_edges += (start, end)
                wall_edges += (start + offset, end + offset)
                offsets.append(offset)
        self.utc_edges = utc_edges
        self.wall_edges = wall_edges
        self.offsets = offsets
        self.utc_edges_delta = [US * us for us in utc_edges]
        self.wall_edges_delta = [US * us for us in wall_edges]
        self.offsets_delta = [US * us for us in offsets]

    def wall_offset(self, wall: int, until: int | None = None) -> int | None:
        """The offset of the instant read ``wall`` (microseconds since 1970-01-01 00:00) on the
        zone's clock, or None when unknown; with ``until``, the offset of every reading from
        ``wall`` to ``until`` (all in one stretch), or None."""
        i = bisect_right(self.wall_edges, wall)
        if not i & 1 or (until is not None and until >= self.wall_edges[i]):
            return None
        return self.offsets[i >> 1]

    def instant(self, value: dt.datetime, where: str) -> dt.timedelta:
        """The instant of an aware datetime as a timedelta since the epoch (``to_delta``),
        without asking the zone when it is the map's and the reading lies in a stretch."""
        if type(value) is dt.datetime and value.tzinfo is self.zone:
            wall = value - self.epoch
            i = bisect_right(self.wall_edges_delta, wall)
            if i & 1:
                return wall - self.offsets_delta[i >> 1]
        return to_delta(value, where)

    def datetime(self, instant: dt.timedelta, tz: dt.tzinfo | None) -> dt.datetime:
        """The datetime of an instant (a timedelta since the epoch) in ``tz`` (``from_delta``),
        without asking the zone when it is the map's and the instant lies in a stretch."""
        if tz is self.zone:
            i = bisect_right(self.utc_edges_delta, instant)
            if i & 1:
                return self.epoch + (instant + self.offsets_delta[i >> 1])
        return from_delta(instant, tz)
