"""What a schedule covers and leaves uncovered, computed from the schedule alone.

The solver's extraction, the checker and the KPIs all use these functions, so "unmet" has
one meaning everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from .model import ParaRole, Problem, Support
from .schedule import Kind, Schedule, Unmet, UnmetKind
from .timegrid import Interval, gaps_outside, merge, subtract, total
from .weekgrid import Occurrence, StudentSegment, WeekGrid


@dataclass(frozen=True)
class NeedCoverage:
    """One need on one day: required minutes and the uncovered pieces (staff-minutes for duties)."""

    kind: UnmetKind
    ref: str
    day: str
    priority: int
    required: int
    uncovered: tuple[tuple[int, int, int], ...]  # (start, end, missing staff-minutes)

    @property
    def missing(self) -> int:
        return sum(m for _, _, m in self.uncovered)


def occurrences_of(schedule: Schedule) -> tuple[Occurrence, ...]:
    return tuple(Occurrence(s.session_id, s.day, s.start, s.end) for s in schedule.sessions)


def support_cover(schedule: Schedule, day: str) -> dict[str, list[tuple[Interval, bool]]]:
    """For each student on a day: (interval, alone) for every support row naming them."""
    out: dict[str, list[tuple[Interval, bool]]] = defaultdict(list)
    for a in schedule.assignments:
        if a.day == day and a.kind == Kind.SUPPORT:
            for sid in a.students:
                out[sid].append(((a.start, a.end), len(a.students) == 1))
    return out


def _support_covers(schedule: Schedule) -> dict[str, dict[str, list[tuple[Interval, bool]]]]:
    """``support_cover`` of every day at once (one pass over the schedule)."""
    out: dict[str, dict[str, list[tuple[Interval, bool]]]] = defaultdict(lambda: defaultdict(list))
    for a in schedule.assignments:
        if a.kind == Kind.SUPPORT:
            for sid in a.students:
                out[a.day][sid].append(((a.start, a.end), len(a.students) == 1))
    return out


def coverage(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> list[NeedCoverage]:
    """Required and uncovered minutes of every required need (1:1, shared, duty, therapy)."""
    grid = grid or WeekGrid.of(problem)
    occ = occurrences_of(schedule)
    out: list[NeedCoverage] = []
    rows_of: dict[tuple[str, Kind, str], list[Interval]] = defaultdict(list)  # one pass, not one per need
    for a in schedule.assignments:
        if a.kind in (Kind.DUTY, Kind.THERAPY):
            rows_of[(a.day, a.kind, a.ref)].append((a.start, a.end))
    covers = _support_covers(schedule)
    for day in grid.days:
        cover = covers.get(day, {})
        merged: dict[tuple[str, bool], tuple[Interval, ...]] = {}  # a student's day has many segments
        for seg in grid.support_needs(day, occ):
            if seg.support == Support.FLEX:
                continue
            shared = seg.support == Support.SHARED
            if (seg.student_id, shared) not in merged:
                merged[(seg.student_id, shared)] = merge(
                    iv for iv, alone in cover.get(seg.student_id, []) if alone or shared
                )
            gaps = gaps_outside(seg.start, seg.end, merged[(seg.student_id, shared)])
            st = problem.student(seg.student_id)
            out.append(
                NeedCoverage(
                    UnmetKind.SUPPORT,
                    seg.student_id,
                    day,
                    st.priority,
                    seg.end - seg.start,
                    tuple((s, e, e - s) for s, e in gaps),
                )
            )
        for duty in grid.duties_on(day):
            on_duty = rows_of.get((day, Kind.DUTY, duty.duty_id), [])
            out.append(
                NeedCoverage(
                    UnmetKind.DUTY,
                    duty.duty_id,
                    day,
                    duty.priority,
                    (duty.end - duty.start) * duty.staff_needed,
                    _staff_gaps((duty.start, duty.end), on_duty, duty.staff_needed),
                )
            )
        for o in occ:
            if o.day != day:
                continue
            ses = problem.session(o.session_id)
            if ses.para_role == ParaRole.NONE:
                continue
            with_para = rows_of.get((day, Kind.THERAPY, o.session_id), [])
            gaps = subtract([(o.start, o.end)], with_para)
            out.append(
                NeedCoverage(
                    UnmetKind.THERAPY,
                    o.session_id,
                    day,
                    ses.priority,
                    o.end - o.start,
                    tuple((s, e, e - s) for s, e in gaps),
                )
            )
    return out


def _staff_gaps(span: Interval, rows: list[Interval], needed: int) -> tuple[tuple[int, int, int], ...]:
    """Pieces of ``span`` with fewer than ``needed`` rows on duty, with missing staff-minutes."""
    points = sorted({span[0], span[1], *(p for r in rows for p in r if span[0] < p < span[1])})
    pieces: list[tuple[int, int, int]] = []
    for s, e in pairwise(points):
        on = sum(1 for a, b in rows if a <= s and e <= b)
        short = max(0, needed - on)
        if not short:
            continue
        if pieces and pieces[-1][1] == s and pieces[-1][2] // (pieces[-1][1] - pieces[-1][0]) == short:
            ps, _, pm = pieces[-1]
            pieces[-1] = (ps, e, pm + short * (e - s))
        else:
            pieces.append((s, e, short * (e - s)))
    return tuple(pieces)


def flex_minutes(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> dict[str, int]:
    """Minutes of para support each student received in their ``flex`` blocks this week."""
    grid = grid or WeekGrid.of(problem)
    occ = occurrences_of(schedule)
    got: dict[str, int] = defaultdict(int)
    covers = _support_covers(schedule)
    for day in grid.days:
        cover = covers.get(day, {})
        merged: dict[str, tuple[Interval, ...]] = {}
        for seg in grid.support_needs(day, occ):
            if seg.support != Support.FLEX:
                continue
            if seg.student_id not in merged:
                merged[seg.student_id] = merge(iv for iv, _ in cover.get(seg.student_id, []))
            got[seg.student_id] += (seg.end - seg.start) - total(
                gaps_outside(seg.start, seg.end, merged[seg.student_id])
            )
    return dict(got)


def unplaced_sessions(problem: Problem, schedule: Schedule) -> list[tuple[str, int]]:
    """(session_id, occurrences missing) for flexible sessions placed fewer times than asked."""
    placed: dict[str, int] = defaultdict(int)
    for s in schedule.sessions:
        placed[s.session_id] += 1
    out = []
    for ses in problem.sessions:
        if ses.is_flexible and ses.sessions_per_week is not None:
            missing = ses.sessions_per_week - placed[ses.session_id]
            if missing > 0:
                out.append((ses.session_id, missing))
    return out


def unmet_rows(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> list[Unmet]:
    """Every uncovered need as Unmet rows (reasons left blank; see ``explain``)."""
    grid = grid or WeekGrid.of(problem)
    rows: list[Unmet] = []
    for need in coverage(problem, schedule, grid):
        for s, e, m in need.uncovered:
            rows.append(Unmet(need.kind, need.ref, need.day, s, e, m, need.priority))
    for sid, missing in unplaced_sessions(problem, schedule):
        ses = problem.session(sid)
        for _ in range(missing):
            rows.append(Unmet(UnmetKind.THERAPY, sid, "", None, None, ses.duration, ses.priority))
    got = flex_minutes(problem, schedule, grid)
    for st in problem.students:
        short = st.weekly_flex_minutes - got.get(st.student_id, 0)
        if st.weekly_flex_minutes and short > 0:
            rows.append(Unmet(UnmetKind.FLEX, st.student_id, "", None, None, short, st.priority))
    return rows


__all__ = ["NeedCoverage", "StudentSegment", "coverage", "flex_minutes", "unmet_rows", "unplaced_sessions"]
