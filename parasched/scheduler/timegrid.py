"""Days, minutes and half-open intervals: the arithmetic of the week grid.

Inside parasched every time is an integer number of minutes from midnight and every
interval is a half-open ``(start, end)`` pair: 08:00-08:30 is ``(480, 510)``, 30 minutes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from functools import cache

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Interval = tuple[int, int]


def day_index(day: str) -> int:
    """Position of a day name in the week (Mon = 0)."""
    return DAYS.index(day)


def fmt_time(minutes: int) -> str:
    """08:05 for 485."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@cache  # the checker names the time of every row it looks at, most of them never shown
def fmt_span(start: int, end: int) -> str:
    """08:00-08:30 for (480, 510)."""
    return f"{fmt_time(start)}-{fmt_time(end)}"


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted union of intervals; touching intervals are joined."""
    out: list[list[int]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def gaps_outside(start: int, end: int, cut: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """Parts of [start, end) outside ``cut``, which is already ``merge``d (sorted, disjoint): for
    many spans against one set of rows, merged once (``coverage``: every segment of a student's day)."""
    out: list[Interval] = []
    cur = start
    for s, e in cut[max(0, bisect_right(cut, (start, start)) - 1) :]:
        if e <= cur:
            continue
        if s >= end:
            break
        if s > cur:
            out.append((cur, s))
        cur = e
        if cur >= end:
            break
    if cur < end:
        out.append((cur, end))
    return tuple(out)


def subtract(intervals: Iterable[Interval], removed: Iterable[Interval]) -> tuple[Interval, ...]:
    """Parts of ``intervals`` not covered by any of ``removed``."""
    cut = merge(removed)
    return tuple(g for s, e in merge(intervals) for g in gaps_outside(s, e, cut))


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> tuple[Interval, ...]:
    """Parts covered by both ``a`` and ``b``."""
    a_m, b_m = merge(a), merge(b)
    out: list[Interval] = []
    i = j = 0
    while i < len(a_m) and j < len(b_m):
        s = max(a_m[i][0], b_m[j][0])
        e = min(a_m[i][1], b_m[j][1])
        if s < e:
            out.append((s, e))
        if a_m[i][1] < b_m[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def total(intervals: Iterable[Interval]) -> int:
    """Minutes covered by the union of intervals."""
    return sum(e - s for s, e in merge(intervals))


def overlaps(a: Interval, b: Interval) -> bool:
    """True when two half-open intervals share at least one minute."""
    return a[0] < b[1] and b[0] < a[1]


def contains(outer: Iterable[Interval], inner: Interval) -> bool:
    """True when ``inner`` lies inside one piece of the union ``outer``."""
    return any(s <= inner[0] and inner[1] <= e for s, e in merge(outer))
