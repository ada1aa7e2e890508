"""Scraps: a para's few minutes in a student's week, dropped when the student is better off.

On the By Student page a coordinator sees a student with Ms A all week, Mr B at lunch, and Ms C
for fifteen minutes on Wednesday because she happened to be free. Ms C's fifteen minutes cover
a little, and cost the student one more adult in the week, one more in the day and the handoffs
into and out of her run. A scrap is every support row of one para naming one student, over the
week or over one day. It is dropped when the school is better off without it by the solver's
judge (``value``: the weights of uncovered minutes per priority and of the continuity terms,
``solver.objective.COVERAGE_VALUE``, passed in so that the domain imports no solver): the
minutes it covered are then uncovered, and the continuity it cost is saved.

A priority-1 minute is worth 100, so a safety-critical student's scrap is never dropped for
continuity; fifteen priority-2 minutes (150) from a para the student sees nowhere else in the
week (one more para in the week, in the day, and up to two handoffs) are.

Dropping a scrap touches only that student's rows: a group row keeps its other students, the
para's time becomes free, and no rule of the checker can break (less work, whole runs removed).
The result is checked anyway (``check.new_violations``); a schedule with a new violation is
never returned, by ``drop_scraps`` nor by ``refill_familiar``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .check import new_violations
from .coverage import occurrences_of
from .fill import fill_in
from .kpis import student_day_handoffs, week_para_units
from .model import Problem, Support
from .schedule import Assignment, Kind, Schedule
from .timegrid import Interval, gaps_outside, merge
from .weekgrid import StudentSegment, WeekGrid


@dataclass
class ScrapStats:
    """What was dropped (for benchmarks and docs)."""

    dropped: int = 0  # scraps (a para's rows with one student, over a week or a day)
    minutes: int = 0  # row minutes taken out (a second para over covered minutes included)
    gain: int = 0  # the judge's first level, lower by this much


def drop_scraps(
    problem: Problem,
    schedule: Schedule,
    value: Mapping[str, int],
    grid: WeekGrid | None = None,
    stats: ScrapStats | None = None,
) -> Schedule:
    """``schedule`` without the scraps the judge's ``value`` says the students are better off
    without (module docstring); the very same object when nothing is dropped."""
    grid = grid or WeekGrid.of(problem)
    stats = stats if stats is not None else ScrapStats()
    segments = _segments(grid, schedule)
    rows_of: dict[str, list[int]] = defaultdict(list)  # student -> indexes of rows naming them
    for i, a in enumerate(schedule.assignments):
        if a.kind in (Kind.SUPPORT, Kind.THERAPY):
            for sid in a.students:
                rows_of[sid].append(i)
    dropped: dict[int, set[str]] = defaultdict(set)  # row index -> students taken out of it
    for sid, idx in rows_of.items():
        st = problem.student(sid)
        rows = {i: schedule.assignments[i] for i in idx}
        student = _Student(sid, st.priority, segments[sid], value)
        while True:
            now = student.cost(rows.values())
            best: tuple[int, list[int]] | None = None
            for cand in _candidates(rows):
                after = student.cost(a for i, a in rows.items() if i not in cand)
                gain = now - after
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, cand)
            if best is None:
                break
            gain, cand = best
            stats.dropped += 1
            stats.gain += gain
            stats.minutes += sum(rows[i].minutes for i in cand)
            for i in cand:
                dropped[i].add(sid)
                del rows[i]
    if not dropped:
        return schedule
    out: list[Assignment] = []
    for i, a in enumerate(schedule.assignments):
        gone = dropped.get(i)
        if not gone:
            out.append(a)
        elif len(gone) < len(a.students):
            out.append(replace(a, students=tuple(s for s in a.students if s not in gone)))
    pruned = replace(schedule, assignments=tuple(out))
    return schedule if new_violations(problem, schedule, pruned) else pruned  # (a guard: never seen)


def _segments(grid: WeekGrid, schedule: Schedule) -> dict[str, dict[str, list[StudentSegment]]]:
    """Each student's need segments, by day (therapy time taken out)."""
    occ = occurrences_of(schedule)
    out: dict[str, dict[str, list[StudentSegment]]] = defaultdict(lambda: defaultdict(list))
    for day in grid.days:
        for seg in grid.support_needs(day, occ):
            out[seg.student_id][day].append(seg)
    return out


def _candidates(rows: dict[int, Assignment]) -> list[list[int]]:
    """Support rows of one para with the student, over the week and over each day (therapy rows
    never move: a session's para stays)."""
    week: dict[str, list[int]] = defaultdict(list)
    day: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, a in rows.items():
        if a.kind == Kind.SUPPORT:
            week[a.para_id].append(i)
            day[(a.para_id, a.day)].append(i)
    out = list(week.values())
    out += [d for d in day.values() if len(d) < len(week[rows[d[0]].para_id])]
    return out


@dataclass(frozen=True)
class _Student:
    """One student's part of the judge's first level, from the rows naming them."""

    sid: str
    priority: int
    segments: Mapping[str, list[StudentSegment]]
    value: Mapping[str, int]

    def cost(self, rows: Iterable[Assignment]) -> int:
        by_day: dict[str, list[Assignment]] = defaultdict(list)
        for a in rows:
            by_day[a.day].append(a)
        week_paras = {a.para_id for day_rows in by_day.values() for a in day_rows}
        cost = self.value.get("extra_week_paras", 0) * week_para_units(len(week_paras), self.priority)
        unmet = 0
        for day in set(self.segments) | set(by_day):
            day_rows = by_day.get(day, [])
            cost += self.value.get("handoffs", 0) * student_day_handoffs(day_rows)
            cost += self.value.get("extra_paras", 0) * max(0, len({a.para_id for a in day_rows}) - 1)
            unmet += self._unmet(day, day_rows)
        return cost + self.value.get(f"unmet_p{self.priority}", 0) * unmet

    def _unmet(self, day: str, rows: list[Assignment]) -> int:
        """Uncovered minutes of the student's 1:1 and shared need this day (``coverage``'s rule:
        a 1:1 need is covered only by a row naming the student alone)."""
        alone: list[Interval] = [(a.start, a.end) for a in rows if a.kind == Kind.SUPPORT and len(a.students) == 1]
        any_row: list[Interval] = [(a.start, a.end) for a in rows if a.kind == Kind.SUPPORT]
        by_any, by_alone = merge(any_row), merge(alone)  # once a day, not once a segment
        return sum(
            e - s
            for seg in self.segments.get(day, ())
            if seg.support != Support.FLEX
            for s, e in gaps_outside(seg.start, seg.end, by_any if seg.support == Support.SHARED else by_alone)
        )


def refill_familiar(
    problem: Problem, schedule: Schedule, value: Mapping[str, int], grid: WeekGrid | None = None
) -> Schedule:
    """Uncovered minutes given to paras the student already has that week, from their free time
    (``fill.fill_in`` with ``familiar_only``: no new face), kept for each student whose part of
    the judge's first level (``value``) improves (a piece that passes the student to another of
    their paras for ten minutes is not); else the very same schedule. After ``drop_scraps`` the
    time a scrap's para gave up is free, and the student's own paras may cover part of what it
    left. Duty minutes the fill covers are kept: they cost no one continuity."""
    grid = grid or WeekGrid.of(problem)
    filled = fill_in(schedule, problem, grid.days, familiar_only=True)
    had, got = Counter(schedule.assignments), Counter(filled.assignments)
    added = got - had
    if not added or had - got or filled.sessions != schedule.sessions:
        return schedule  # nothing new (or the fill changed more than it adds: never kept)
    segments = _segments(grid, schedule)
    new_of: dict[str, list[Assignment]] = defaultdict(list)
    for a in added.elements():
        if a.kind == Kind.SUPPORT:
            new_of[a.students[0]].append(a)
    keep = [a for a in added.elements() if a.kind != Kind.SUPPORT]
    for sid, rows in new_of.items():
        st = problem.student(sid)
        student = _Student(sid, st.priority, segments[sid], value)
        own = [a for a in schedule.assignments if a.kind in (Kind.SUPPORT, Kind.THERAPY) and sid in a.students]
        if student.cost([*own, *rows]) < student.cost(own):
            keep += rows
    if not keep:
        return schedule
    out = replace(schedule, assignments=tuple(sorted([*schedule.assignments, *keep])))
    return schedule if new_violations(problem, schedule, out) else out


def keep_familiar(
    problem: Problem, schedule: Schedule, value: Mapping[str, int], grid: WeekGrid | None = None
) -> Schedule:
    """``drop_scraps``, then ``refill_familiar``: fewer faces in each student's week, and the
    students' own paras covering what they can of the minutes given up."""
    grid = grid or WeekGrid.of(problem)
    return refill_familiar(problem, drop_scraps(problem, schedule, value, grid), value, grid)
