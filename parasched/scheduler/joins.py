"""Joins: an uncovered shared student joins the group a para already supports in the same room.

On the By Student page a coordinator sees Ana (shared support, reading block in Room 12)
uncovered from 9:00 to 9:45 while Ms A sits in Room 12 with Ben and Cleo, both shared, the group
allowed three. Writing Ana into Ms A's group covers her and moves nobody: Ms A stays where she is,
with whom she is, doing what she does. The search rarely finds these on a large school: a
student's model offers only their likeliest paras (``candidate_limit``), and the repair pieces
start from 1:1 shortfalls.

A join is kept when the minutes it covers are worth more to the judge than what it costs the
student in continuity (``kpis.PRIORITY_VALUE`` against ``kpis.cutting_in_cost``: two handoffs,
and one more para in the day and week when Ms A is new to Ana) and the checker finds no new
broken rule for that para and student that day (group size, skills, same-gender care, avoid
lists, runs no shorter than ``min_support_minutes``, the rotation cap).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from .check import day_violations
from .coverage import coverage, occurrences_of
from .kpis import PRIORITY_VALUE, cutting_in_cost
from .model import Problem, Student, Support
from .schedule import Assignment, Kind, PlacedSession, Schedule, UnmetKind
from .timegrid import Interval, subtract
from .weekgrid import StudentSegment, WeekGrid


def join_groups(
    problem: Problem, schedule: Schedule, days: Iterable[str] | None = None, grid: WeekGrid | None = None
) -> Schedule:
    """``schedule`` with uncovered shared students joined to groups in their room (module
    docstring); the very same object when no join pays."""
    grid = grid or WeekGrid.of(problem)
    wanted = None if days is None else set(days)
    plan = [d for d in grid.days if wanted is None or d in wanted]
    occ = occurrences_of(schedule)
    uncovered: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for n in coverage(problem, schedule, grid):
        if n.kind == UnmetKind.SUPPORT and n.day in plan and n.uncovered:
            uncovered[(n.day, n.ref)] += [(s, e) for s, e, _ in n.uncovered]
    if not uncovered:
        return schedule
    rows = list(schedule.assignments)
    sessions = schedule.sessions
    week_with = {(a.para_id, sid) for a in rows if a.kind in (Kind.SUPPORT, Kind.THERAPY) for sid in a.students}
    joined = False
    for day in plan:
        segs = [g for g in grid.support_needs(day, occ) if g.support == Support.SHARED]
        segs.sort(key=lambda g: (problem.student(g.student_id).priority, g.start, g.student_id))
        for seg in segs:
            todo = [
                (max(s, seg.start), min(e, seg.end))
                for s, e in uncovered.get((day, seg.student_id), ())
                if s < seg.end and seg.start < e
            ]
            while todo:
                a, b = todo.pop()
                found = _best_join(problem, grid, rows, sessions, week_with, day, seg, a, b)
                if found is None:
                    continue
                pid, ja, jb = found
                rows = _joined(rows, pid, day, seg, ja, jb)
                week_with.add((pid, seg.student_id))
                joined = True
                todo += list(subtract([(a, b)], [(ja, jb)]))
    if not joined:
        return schedule
    return dataclasses.replace(schedule, assignments=tuple(sorted(rows)))


def _best_join(
    problem: Problem,
    grid: WeekGrid,
    rows: list[Assignment],
    sessions: tuple[PlacedSession, ...],
    week_with: set[tuple[str, str]],
    day: str,
    seg: StudentSegment,
    a: int,
    b: int,
) -> tuple[str, int, int] | None:
    """The para whose group the student joins over the longest worthwhile part of [a, b) that
    breaks no rule, and that part; None when no join pays."""
    sid = seg.student_id
    student = problem.student(sid)
    step = problem.settings.min_support_minutes
    mine: dict[str, list[Assignment]] = defaultdict(list)
    for r in rows:
        if r.day == day and r.kind == Kind.SUPPORT and r.location == seg.location and sid not in r.students:
            mine[r.para_id].append(r)
    cands: list[tuple[int, str, int, int]] = []
    paras_this_week = sum(1 for _, s in week_with if s == sid)
    for pid, rs in mine.items():
        para = problem.para(pid)
        if grid.support_refusal(para, student, seg.skills) is not None:
            continue
        with_student_today = any(sid in r.students and r.day == day for r in rows if r.para_id == pid)
        cost = cutting_in_cost(not with_student_today, (pid, sid) not in week_with, paras_this_week, student.priority)
        for ws, we in _windows(problem, sorted(rs), student):
            ja, jb = max(a, ws), min(b, we)
            if jb - ja < step or (jb - ja) * PRIORITY_VALUE[student.priority] <= cost:
                continue
            cands.append(((jb - ja) * PRIORITY_VALUE[student.priority] - cost, pid, ja, jb))
    for _, pid, ja, jb in sorted(cands, reverse=True):
        if _keeps_rules(problem, grid, rows, sessions, pid, day, seg, ja, jb):
            return pid, ja, jb
    return None


def _windows(problem: Problem, rs: list[Assignment], student: Student) -> list[Interval]:
    """Back-to-back stretches of one para's group rows in one room with a seat left for
    ``student`` (rows naming a 1:1 student are no group)."""
    out: list[list[int]] = []
    for r in rs:
        others = [problem.student(s) for s in r.students]
        cap = min([student.group_max, *(o.group_max for o in others)])
        if len(r.students) + 1 > cap or any(o.support == Support.ONE_TO_ONE for o in others):
            continue
        if out and out[-1][1] == r.start:
            out[-1][1] = r.end
        else:
            out.append([r.start, r.end])
    return [(s, e) for s, e in out]


def _joined(rows: list[Assignment], pid: str, day: str, seg: StudentSegment, ja: int, jb: int) -> list[Assignment]:
    """``rows`` with the student written into the para's group rows in the room over [ja, jb)."""
    out: list[Assignment] = []
    for r in rows:
        if not (r.para_id == pid and r.day == day and r.kind == Kind.SUPPORT and r.location == seg.location):
            out.append(r)
            continue
        if r.end <= ja or jb <= r.start:
            out.append(r)
            continue
        if r.start < ja:
            out.append(dataclasses.replace(r, end=ja))
        s, e = max(r.start, ja), min(r.end, jb)
        out.append(dataclasses.replace(r, start=s, end=e, students=tuple(sorted((*r.students, seg.student_id)))))
        if jb < r.end:
            out.append(dataclasses.replace(r, start=jb))
    return out


def _keeps_rules(
    problem: Problem,
    grid: WeekGrid,
    rows: list[Assignment],
    sessions: tuple[PlacedSession, ...],
    pid: str,
    day: str,
    seg: StudentSegment,
    ja: int,
    jb: int,
) -> bool:
    """Whether the join breaks no rule the para's and the student's day did not break already
    (judged on their rows only: nobody else's day changes)."""
    sid = seg.student_id

    def part(rs: list[Assignment]) -> Schedule:
        return Schedule(
            tuple(r for r in rs if r.day == day and (r.para_id == pid or sid in r.students)),
            tuple(x for x in sessions if x.day == day),
        )

    def found(rs: list[Assignment]) -> set[tuple[str, str, str]]:
        return {(v.rule, v.para_id, v.student_id) for v in day_violations(problem, part(rs), [day], grid, paras=[pid])}

    had = found(rows)
    return not (found(_joined(rows, pid, day, seg, ja, jb)) - had)


__all__ = ["join_groups"]
