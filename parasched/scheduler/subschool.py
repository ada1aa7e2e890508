"""A day's sub-school: a few paras and students cut out of a schedule, everything else fixed.

The repair search (``parasched/solver/repair.py``) re-plans one such piece at a time. The
piece is an ordinary :class:`Problem` of one day, so the same model solves it, and what it
may not touch is expressed in the contract's own terms:

- a row of a chosen para that stays (a duty, therapy, a group with a student outside the piece)
  becomes an absence of that para for its time, listed in ``busy``: it is work, so the piece's
  model counts it in the para's continuous stretch (``max_continuous_minutes``);
- a chosen student's time covered by a row that stays (another para's, a session's) becomes an
  absence of that student, so the piece does not cover it twice.

The chosen paras' lunches and breaks, and their support of the chosen students, are free. A
para whose lunch or breaks owed would differ in the piece (its fixed rows cut its day) is left
out: the piece must owe exactly what the school owes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Absence, Problem
from .schedule import Assignment, Kind, Schedule
from .timegrid import Interval, merge
from .weekgrid import WeekGrid


@dataclass(frozen=True)
class DayPiece:
    """One day's sub-school: its problem, and the rows of the schedule it re-plans."""

    problem: Problem
    day: str
    paras: frozenset[str]
    students: frozenset[str]
    free: tuple[Assignment, ...]
    # the chosen paras' rows that stay, as (para, start, end): absences of the piece, but work
    busy: tuple[tuple[str, int, int], ...] = ()

    @property
    def hint(self) -> Schedule:
        """The schedule's own rows for the piece: a solution of the piece, to start from."""
        return Schedule(self.free)


def day_piece(
    problem: Problem,
    schedule: Schedule,
    day: str,
    paras: Iterable[str],
    students: Iterable[str],
    grid: WeekGrid | None = None,
) -> DayPiece | None:
    """The piece of ``schedule`` on ``day`` made of ``paras`` and ``students`` (None if empty)."""
    g = grid or WeekGrid.of(problem)
    chosen = {p for p in paras if g.para_available(p, day)}
    kids = {s for s in students if g.student_day(s, day)}
    for _ in range(3):  # leaving a para out may not change another's day, but bound the retries
        piece = _build(problem, schedule, day, chosen, kids, g)
        if piece is None:
            return None
        sub = WeekGrid(piece.problem)
        wrong = {
            p
            for p in chosen
            if sub.lunch_rule(p, day) != g.lunch_rule(p, day) or sub.breaks_owed(p, day) != g.breaks_owed(p, day)
        }
        if not wrong:
            return piece
        chosen -= wrong
    return None


def _build(
    problem: Problem, schedule: Schedule, day: str, chosen: set[str], kids: set[str], g: WeekGrid
) -> DayPiece | None:
    if not chosen or not kids:
        return None

    def is_free(a: Assignment) -> bool:
        return a.para_id in chosen and (
            a.kind in (Kind.LUNCH, Kind.BREAK) or (a.kind == Kind.SUPPORT and set(a.students) <= kids)
        )

    rows = [a for a in schedule.assignments if a.day == day]
    free = tuple(a for a in rows if is_free(a))
    away: dict[str, list[Interval]] = defaultdict(list)
    busy: dict[str, list[Interval]] = defaultdict(list)
    for pid in chosen:
        away[pid] += list(g.absent(pid, day))
    for sid in kids:
        away[sid] += list(g.absent(sid, day))
    for a in rows:
        if is_free(a):
            continue
        if a.para_id in chosen:
            away[a.para_id].append((a.start, a.end))
            busy[a.para_id].append((a.start, a.end))
        for sid in a.students:
            if sid in kids:
                away[sid].append((a.start, a.end))
    for ps in schedule.sessions:
        if ps.day == day:
            for sid in problem.session(ps.session_id).student_ids:
                if sid in kids:
                    away[sid].append((ps.start, ps.end))
    for occ in g.fixed_occurrences():
        if occ.day == day:
            for sid in problem.session(occ.session_id).student_ids:
                if sid in kids:
                    away[sid].append((occ.start, occ.end))
    absences = tuple(Absence(person, (day,), s, e) for person, ivs in sorted(away.items()) for s, e in merge(ivs))
    done = _flex_elsewhere(problem, schedule, day, kids, g)
    students = tuple(
        dataclasses.replace(
            st,
            preferred_paras=tuple(p for p in st.preferred_paras if p in chosen),
            avoid_paras=tuple(p for p in st.avoid_paras if p in chosen),
            weekly_flex_minutes=max(0, st.weekly_flex_minutes - done.get(st.student_id, 0)),
        )
        for st in problem.students
        if st.student_id in kids
    )
    blocks = tuple(
        dataclasses.replace(b, days=())
        for b in problem.student_blocks
        if b.student_id in kids and day in problem.days_of(b.days)
    )
    with_blocks = {b.student_id for b in problem.student_blocks if b.student_id in kids}
    students = tuple(
        s for s in students if s.student_id not in with_blocks or any(b.student_id == s.student_id for b in blocks)
    )
    sub = Problem(
        settings=dataclasses.replace(problem.settings, days=(day,)),
        paras=tuple(dataclasses.replace(p, days=()) for p in problem.paras if p.para_id in chosen),
        students=students,
        student_blocks=blocks,
        availability=tuple(a for a in problem.availability if a.para_id in chosen and a.day == day),
        absences=absences,
    )
    worked = tuple((pid, s, e) for pid, ivs in sorted(busy.items()) for s, e in merge(ivs))
    return DayPiece(sub, day, frozenset(chosen), frozenset(s.student_id for s in students), free, worked)


def _flex_elsewhere(problem: Problem, schedule: Schedule, day: str, kids: set[str], g: WeekGrid) -> dict[str, int]:
    """Flex minutes each student already has on the other days (their weekly target less these)."""
    from .coverage import flex_minutes

    if not any(problem.student(s).weekly_flex_minutes for s in kids):
        return {}
    others = Schedule(
        tuple(a for a in schedule.assignments if a.day != day and set(a.students) & kids),
        tuple(s for s in schedule.sessions if s.day != day),
    )
    return flex_minutes(problem, others, g)


def splice(schedule: Schedule, piece: DayPiece, rows: Iterable[Assignment]) -> Schedule:
    """``schedule`` with the piece's free rows replaced by ``rows`` (the piece re-planned)."""
    gone = set(piece.free)
    keep = tuple(a for a in schedule.assignments if a not in gone)
    new = tuple(
        a
        for a in rows
        if a.day == piece.day and a.para_id in piece.paras and a.kind in (Kind.SUPPORT, Kind.LUNCH, Kind.BREAK)
    )
    return Schedule(tuple(sorted(keep + new)), schedule.sessions)


__all__ = ["DayPiece", "day_piece", "splice"]
