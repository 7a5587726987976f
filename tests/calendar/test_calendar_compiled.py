"""The compiled state: months compiled lazily, the zone's offsets cached, fill order irrelevant.

These tests look inside the private cache of a calendar value (``_timeline``) on purpose: what
they check (how much a first call compiles, and that the cached offsets convert exactly like the
zone itself around every offset change) is invisible in results, which is the point.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar, _bulk
from itsm_core.calendar._bulk import Sorted
from itsm_core.calendar._instants import EPOCH, US, delta_us, from_delta, to_delta
from itsm_core.calendar._timeline import Timeline
from itsm_core.errors import ValidationError

H = dt.timedelta(hours=1)
OFFICE = {
    "timezone": "Asia/Shanghai",
    "weekly": {
        day: [["09:00", "12:00"], ["13:00", "18:00"]]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    },
    "holidays": [{"start": "2025-10-01", "end": "2025-10-08"}],
    "overrides": {"2025-09-28": {"like": "monday"}},
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
NAIVE_EPOCH = dt.datetime(1970, 1, 1)

# Zones with odd histories: the closest offset changes of the database (Freetown 1939, Brazil
# 2000), half-hour and 45-minute offsets and daylight saving of 30 minutes (Lord Howe), negative
# daylight saving (Dublin), a skipped day (Apia 2011), +14 hours, a two-hour daylight saving
# (Troll), daylight saving suspended for Ramadan (Casablanca), and offsets changed for good.
ODD_ZONES = {
    "Africa/Freetown": (1935, 1945),
    "America/Noronha": (1999, 2003),
    "Asia/Gaza": (2020, 2030),
    "Australia/Lord_Howe": (2023, 2026),
    "Europe/Dublin": (2023, 2025),
    "Pacific/Apia": (2010, 2013),
    "Pacific/Kiritimati": (1994, 1996),
    "Pacific/Chatham": (2024, 2026),
    "Antarctica/Troll": (2024, 2026),
    "Africa/Casablanca": (2024, 2027),
    "Europe/Moscow": (2010, 2015),
    "America/St_Johns": (2024, 2025),
    "America/New_York": (2024, 2025),
}


def _offset_at(zone: ZoneInfo, us: int) -> dt.timedelta | None:
    return from_delta(US * us, zone).utcoffset()


def _changes(zone: ZoneInfo, first_year: int, last_year: int) -> list[int]:
    """The instants (microseconds, to the second) where the zone's offset changes."""
    found = []
    day = 86_400 * 10**6
    t = to_delta(dt.datetime(first_year, 1, 1, tzinfo=dt.UTC), "t") // US
    end = to_delta(dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC), "t") // US
    previous = _offset_at(zone, t)
    while t < end:
        current = _offset_at(zone, t + day)
        if current != previous:
            low, high = t, t + day  # the change lies in (low, high]
            while high - low > 10**6:
                middle = (low + high) // 2 // 10**6 * 10**6
                if middle <= low:
                    middle = low + 10**6
                if _offset_at(zone, middle) == previous:
                    low = middle
                else:
                    high = middle
            found.append(high)
            previous = current
        t += day
    return found


@pytest.mark.parametrize("key", sorted(ODD_ZONES))
def test_cached_offsets_convert_like_the_zone(key: str) -> None:
    zone = ZoneInfo(key)
    first_year, last_year = ODD_ZONES[key]
    months = (first_year * 12 - 1, last_year * 12 + 12)
    zone_map = Timeline().zone_map(zone, *months)
    changes = _changes(zone, first_year, last_year)
    assert changes, f"no offset change found in {key} {first_year}-{last_year}"
    rng = random.Random(key)
    probes = [
        change + step
        for change in changes
        for step in (0, 1, -1, 10**6, -(10**6), 3600 * 10**6, -3600 * 10**6)
    ]
    probes += [change + rng.randrange(-5 * 86_400, 5 * 86_400) * 10**6 for change in changes]
    probes += [change + rng.randrange(-(10**13), 10**13) for change in changes for _ in range(20)]
    fast = 0
    for us in probes:
        instant = US * us
        expected = from_delta(instant, zone)
        got = zone_map.datetime(instant, zone)
        assert (got, got.isoformat(), got.fold) == (expected, expected.isoformat(), expected.fold)
        for fold in (0, 1):
            local = expected.replace(fold=fold)
            assert zone_map.instant(local, "t") == to_delta(local, "t"), local
        fast += (
            zone_map.wall_offset(
                delta_us(expected.replace(tzinfo=None) - EPOCH.replace(tzinfo=None))
            )
            is not None
        )
    # Readings in the gaps and overlaps themselves (a minute into each, both folds).
    for change in changes:
        before = _offset_at(zone, change - 1)
        after = _offset_at(zone, change)
        assert before is not None
        assert after is not None
        for offset in (before, after):
            local = (EPOCH + US * change + offset + dt.timedelta(minutes=1)).replace(tzinfo=zone)
            for fold in (0, 1):
                reading = local.replace(fold=fold)
                assert zone_map.instant(reading, "t") == to_delta(reading, "t")
    assert fast > len(probes) // 4  # most probes are away from the changes: the map answers


def test_the_first_add_compiles_about_a_month() -> None:
    calendar = BusinessCalendar.from_dict(OFFICE)
    start = dt.datetime(2025, 3, 4, 10, tzinfo=SHANGHAI)
    assert calendar.add(start, 8 * H) == dt.datetime(2025, 3, 5, 10, tzinfo=SHANGHAI)
    timeline = calendar._timeline
    assert timeline.state is not None
    assert len(timeline._chunks) == 1  # March 2025 (UTC), not the whole year
    assert timeline.state.first == timeline.state.last == 2025 * 12 + 2
    # A deadline beyond the compiled month extends it, a month at a time at first.
    calendar.add(start, 200 * H)
    assert 2 <= len(timeline._chunks) <= 3


def test_results_do_not_depend_on_the_order_months_were_compiled() -> None:
    rng = random.Random(7)
    base = dt.datetime(2024, 1, 1, tzinfo=SHANGHAI)
    cases = [
        (base + dt.timedelta(minutes=rng.randrange(3 * 365 * 1440)), rng.randrange(-2000, 2000))
        for _ in range(300)
    ]
    fresh = BusinessCalendar.from_dict(OFFICE)
    expected = [(fresh.add(s, n * H), fresh.elapsed(s, s + n * 7 * H)) for s, n in cases]
    for order in (
        [dt.datetime(2025, 6, 15, tzinfo=SHANGHAI), dt.datetime(2024, 2, 1, tzinfo=SHANGHAI)],
        [dt.datetime(2026, 12, 31, tzinfo=SHANGHAI), dt.datetime(2019, 5, 1, tzinfo=SHANGHAI)],
        [dt.datetime(2025, 1, 31, 23, tzinfo=dt.UTC)],
    ):
        calendar = BusinessCalendar.from_dict(OFFICE)
        for when in order:  # extend the compiled range backwards and forwards first
            calendar.is_working(when)
        got = [(calendar.add(s, n * H), calendar.elapsed(s, s + n * 7 * H)) for s, n in cases]
        assert got == expected


@given(
    st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=60, unique=True),
    st.integers(1, 5000),
    st.lists(st.integers(0, 10**7), min_size=1, max_size=50),
    st.booleans(),
)
def test_the_bucket_index_counts_like_searchsorted(
    edges: list[int], width: int, offsets: list[int], stepping: bool
) -> None:
    values = np.array(sorted(edges), dtype=np.int64)
    origin = int(values[0])
    buckets = (int(values[-1]) - origin) // width + 2
    index = Sorted(np, values, origin, width, buckets)
    x = np.array([origin + o % (buckets * width) for o in offsets], dtype=np.int64)
    expected = np.searchsorted(values, x, side="left")
    limit = 10**9 if stepping else 0  # every bucket steps, or none does
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_bulk, "MAX_STEPS", limit)
        assert index.below(np, x).tolist() == expected.tolist()


def test_bulk_forms_with_crowded_days_search_per_value() -> None:
    # 24 half-hour windows a day: more edges a day than the stepping search takes.
    windows = [[f"{h:02d}:00", f"{h:02d}:30"] for h in range(24)]
    calendar = BusinessCalendar.from_dict({"timezone": "Europe/Paris", "weekly": {
        "monday": windows, "thursday": windows}})  # fmt: skip
    starts = [dt.datetime(2025, 3, d, h, 10, tzinfo=ZoneInfo("Europe/Paris"))
              for d in range(20, 31) for h in range(0, 24, 5)]  # fmt: skip
    spans = [dt.timedelta(minutes=m) for m in range(-1500, 1500, 1500 * 2 // len(starts))]
    spans = spans[: len(starts)]
    assert calendar.add_many(starts, spans) == [
        calendar.add(s, d) for s, d in zip(starts, spans, strict=True)
    ]
    ends = starts[::-1]
    assert calendar.elapsed_many(starts, ends) == [
        calendar.elapsed(a, b) for a, b in zip(starts, ends, strict=True)
    ]
    arrays = _bulk._arrays(np, calendar._timeline.state)  # type: ignore[arg-type]
    assert arrays.start_index.steps > _bulk.MAX_STEPS


def test_instants_beyond_the_datetime_years_in_utc_are_refused() -> None:
    # Was: OverflowError (the UTC reading of these instants is in year 0 or 10000).
    calendar = BusinessCalendar.from_dict({"timezone": "UTC", "weekly": OFFICE["weekly"]})
    east, west = dt.timezone(5 * H), dt.timezone(-5 * H)
    first, last = dt.datetime(1, 1, 1, 2, tzinfo=east), dt.datetime(9999, 12, 31, 23, tzinfo=west)
    with pytest.raises(ValidationError, match="year before 1 of"):
        calendar.elapsed(first, first + H)
    with pytest.raises(ValidationError, match="year before 1 of"):
        calendar.add(first, H)
    with pytest.raises(ValidationError, match="year 10000 of"):
        calendar.is_working(last)
