"""Sets of half-open integer intervals ``[start, end)``: normalise, union, intersect, subtract.

A *set* here is a list of ``(start, end)`` pairs, sorted, with ``start < end`` and no two pairs
overlapping or touching. The same functions serve window offsets within a day and instants in
microseconds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Span = tuple[int, int]


def normalise(spans: Iterable[Span]) -> list[Span]:
    """Sort, drop empty spans, and merge overlapping or touching ones."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def union(*sets: Iterable[Span]) -> list[Span]:
    """Every point in at least one of the sets."""
    return normalise(span for spans in sets for span in spans)


def intersect(left: list[Span], right: list[Span]) -> list[Span]:
    """Points in both normalised sets."""
    result: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(left: list[Span], right: list[Span]) -> list[Span]:
    """Points of the normalised set ``left`` not in the normalised set ``right``."""
    result: list[Span] = []
    j = 0
    for start, end in left:
        cursor = start
        while j < len(right) and right[j][1] <= cursor:
            j += 1
        k = j
        while k < len(right) and right[k][0] < end:
            if right[k][0] > cursor:
                result.append((cursor, right[k][0]))
            cursor = max(cursor, right[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(spans: list[Span], low: int, high: int) -> list[Span]:
    """The part of a normalised set inside ``[low, high)``."""
    if high <= low:
        return []
    # Spans are sorted by start and, being disjoint, by end too.
    first = bisect_right(spans, low, key=lambda span: span[1])
    last = bisect_left(spans, high, lo=first, key=lambda span: span[0])
    inside = spans[first:last]
    if inside:
        if inside[0][0] < low:
            inside[0] = (low, inside[0][1])
        if inside[-1][1] > high:
            inside[-1] = (inside[-1][0], high)
    return inside
