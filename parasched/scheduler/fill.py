"""Fill in: cover what is left uncovered with free time only, moving nobody (the 7 a.m. fix by
hand). Used on a resolve's repaired baseline and, in the solver, after a stage that won
priority-1 minutes, to give back the lower-priority minutes that stage did not look at."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .coverage import coverage, occurrences_of
from .kpis import CONTINUITY_WEIGHTS, PRIORITY_VALUE, duty_relays
from .model import Problem
from .runs import drop_short_runs
from .schedule import Assignment, Kind, Schedule, UnmetKind
from .timegrid import Interval, contains, intersect, merge, subtract, total
from .weekgrid import WeekGrid


def fill_in(
    schedule: Schedule, problem: Problem, replan_days: Iterable[str], *, familiar_only: bool = False
) -> Schedule:
    """Cover what the absences left uncovered with free time only: the 7 a.m. fix by hand.

    Nobody who has something is moved. Needs on ``replan_days`` are taken in priority order
    (therapy staffing, then 1:1 and shared support and duties by time); each uncovered piece goes
    to the eligible para with the most free time over it, regular paras before substitutes, a para
    the student had that day first. A piece is shortened where the para's ``max_continuous``
    or the student's rotation limit would be broken; duties respect ``max_duty_minutes``.
    A shared student is supported alone (the solver may group them later). ``familiar_only``:
    a student's minutes go only to paras the student already has that week (support or therapy),
    so the fill adds no new face to anyone's week (``scraps.refill_familiar``); therapy is not
    staffed then.
    """
    replan = set(replan_days)
    grid = WeekGrid.of(problem)
    rows = list(schedule.assignments)
    sessions = list(schedule.sessions)
    needs = [n for n in coverage(problem, schedule, grid) if n.day in replan and n.uncovered]
    kind_order = {UnmetKind.THERAPY: 0, UnmetKind.SUPPORT: 1, UnmetKind.DUTY: 1}
    needs.sort(key=lambda n: (n.priority, kind_order.get(n.kind, 2), n.uncovered[0][0], n.ref))
    by_para_day: dict[tuple[str, str], list[Assignment]] = {}
    for a in rows:
        by_para_day.setdefault((a.para_id, a.day), []).append(a)
    segs_by_day = {d: grid.support_needs(d, occurrences_of(schedule)) for d in replan if d in grid.days}
    order = {p.para_id: i for i, p in enumerate(problem.paras)}
    familiar: dict[str, set[str]] | None = None
    if familiar_only:
        familiar = {}
        for a in rows:
            if a.kind in (Kind.SUPPORT, Kind.THERAPY):
                for sid in a.students:
                    familiar.setdefault(sid, set()).add(a.para_id)

    def free(pid: str, day: str) -> tuple[Interval, ...]:
        return subtract(grid.para_available(pid, day), [(a.start, a.end) for a in by_para_day.get((pid, day), ())])

    def fit(pid: str, day: str, s: int, e: int, sid: str = "") -> int:
        """The end (<= e) of the longest piece from s the para may take; s when none."""
        limit = problem.settings.max_continuous_minutes
        mine = by_para_day.get((pid, day), [])
        step = problem.settings.time_step
        if limit is not None:
            work = merge([(a.start, a.end) for a in mine if a.kind.is_work])
            run_start = next((x for x, y in work if y == s), s)  # work ending where the piece starts
            run_end = next((y for x, y in work if x == e), e)  # work starting where the piece ends
            if run_end - run_start > limit:
                e = min(e, run_start + limit)
                if any(x == e for x, _ in work):  # still touching the run after: stop one step earlier
                    e -= step
            if e <= s:
                return s
        if sid:
            cap = problem.student(sid).max_minutes_with_same_para
            if cap is not None:
                had = sum(a.end - a.start for a in mine if sid in a.students)
                e = min(e, s + max(0, cap - had))
        return s + (max(0, e - s) // step) * step

    def add(row: Assignment) -> None:
        rows.append(row)
        by_para_day.setdefault((row.para_id, row.day), []).append(row)

    for need in needs:
        day = need.day
        if need.kind == UnmetKind.THERAPY:
            if familiar is not None:
                continue  # (a session's para would be a new face: left to the solver)
            _fill_therapy(need, problem, grid, sessions, free, add, order)
            continue
        for s, e, missing in need.uncovered:
            if need.kind == UnmetKind.SUPPORT:
                pieces = [
                    (max(s, g.start), min(e, g.end), g)
                    for g in segs_by_day[day]
                    if g.student_id == need.ref and g.start < e and s < g.end
                ]
                known = None if familiar is None else familiar.get(need.ref, set())
                for ps, pe, seg in pieces:
                    _fill_piece(problem, grid, day, ps, pe, 1, free, fit, add, order, seg=seg, rows=rows, only=known)
            elif need.kind == UnmetKind.DUTY:
                short = missing // max(1, e - s)
                _fill_piece(problem, grid, day, s, e, short, free, fit, add, order, duty_id=need.ref, rows=rows)
    out = dataclasses.replace(schedule, assignments=tuple(sorted(rows)), sessions=tuple(sorted(sessions)))
    # a piece shorter than min_support_minutes that joins no run of the same para is a sliver:
    # taken out again rather than kept against the rule
    return drop_short_runs(problem, out, grid)


def _fill_piece(
    problem: Problem,
    grid: WeekGrid,
    day: str,
    s: int,
    e: int,
    staff: int,
    free: Callable[[str, str], tuple[Interval, ...]],
    fit: Callable[..., int],
    add: Callable[[Assignment], None],
    order: dict[str, int],
    *,
    seg: Any = None,
    duty_id: str = "",
    rows: Sequence[Assignment] = (),
    only: set[str] | None = None,
) -> None:
    """Give [s, e) of one need to free eligible paras (among ``only`` when given), ``staff`` at a
    time (see ``fill_in``)."""
    duty = problem.duty(duty_id) if duty_id else None
    student = problem.student(seg.student_id) if seg is not None else None
    for _ in range(staff):
        todo: list[Interval] = [(s, e)]
        used: set[str] = set()
        while todo:
            best: tuple[tuple[int, int, int, int], str, list[Interval]] | None = None
            for para in problem.paras:
                pid = para.para_id
                if pid in used or (only is not None and pid not in only):
                    continue
                if student is not None and grid.support_refusal(para, student, seg.skills) is not None:
                    continue
                if duty is not None:
                    if grid.duty_refusal(para, duty) is not None:
                        continue
                    if any(
                        a.para_id == pid and a.day == day and a.ref == duty_id and a.start < e and s < a.end
                        for a in rows
                    ):
                        continue
                got: list[Interval] = []
                for x, y in intersect(todo, free(pid, day)):
                    end = fit(pid, day, x, y, seg.student_id if seg is not None else "")
                    if end > x:
                        got.append((x, end))
                if duty is not None and para.max_duty_minutes is not None:
                    done = sum(a.end - a.start for a in rows if a.para_id == pid and a.kind == Kind.DUTY)
                    room = para.max_duty_minutes - done
                    trimmed: list[Interval] = []
                    for x, y in got:
                        if room <= 0:
                            break
                        trimmed.append((x, min(y, x + room)))
                        room -= trimmed[-1][1] - x
                    got = trimmed
                minutes = total(got)
                if not minutes:
                    continue
                if duty is not None and minutes * PRIORITY_VALUE[duty.priority] <= CONTINUITY_WEIGHTS[
                    "duty_relays"
                ] * _new_relays(problem, rows, pid, day, duty_id, got):
                    continue  # five minutes of a lunch wave are not worth one more para walking in
                had = student is not None and any(
                    student.student_id in a.students for a in rows if a.para_id == pid and a.day == day
                )
                key = (-minutes, int(para.is_substitute), int(not had), order[pid])
                if best is None or key < best[0]:
                    best = (key, pid, got)
            if best is None:
                break
            _, pid, found = best
            used.add(pid)
            # each piece was fitted alone; together two may make one stretch too long (a piece
            # before and after a therapy row) or pass the rotation cap: fit again as they go in
            got = []
            for x, y in found:
                end = fit(pid, day, x, y, seg.student_id if seg is not None else "")
                if end <= x:
                    continue
                got.append((x, end))
                if seg is not None:
                    add(Assignment(pid, day, x, end, Kind.SUPPORT, students=(seg.student_id,), location=seg.location))
                elif duty is not None:
                    add(Assignment(pid, day, x, end, Kind.DUTY, ref=duty_id, location=duty.location))
            todo = list(subtract(todo, got))  # (nothing left of this para's: the next one tries)


def _new_relays(
    problem: Problem, rows: Sequence[Assignment], pid: str, day: str, duty_id: str, pieces: list[Interval]
) -> int:
    """How many relays (``kpis.duty_relays``) the para's pieces would add to the duty that day."""
    occ = [a for a in rows if a.day == day and a.kind == Kind.DUTY and a.ref == duty_id]
    added = [Assignment(pid, day, x, y, Kind.DUTY, ref=duty_id) for x, y in pieces]
    return duty_relays(problem, occ + added) - duty_relays(problem, occ)


def _fill_therapy(
    need: Any,
    problem: Problem,
    grid: WeekGrid,
    sessions: list[Any],
    free: Callable[[str, str], tuple[Interval, ...]],
    add: Callable[[Assignment], None],
    order: dict[str, int],
) -> None:
    """Staff a whole assist/deliver occurrence nobody staffs with a free qualified para."""
    ses = problem.session(need.ref)
    for i, placed in enumerate(sessions):
        if placed.session_id != ses.session_id or placed.day != need.day or placed.para_id:
            continue
        span = (placed.start, placed.end)
        if total(intersect([span], [(x, y) for x, y, _ in need.uncovered])) < span[1] - span[0]:
            continue  # partly staffed: left to the solver
        cands = [
            p
            for p in problem.paras
            if grid.session_refusal(p, ses) is None and contains(free(p.para_id, need.day), span)
        ]
        if not cands:
            continue
        para = min(cands, key=lambda p: (int(p.is_substitute), order[p.para_id]))
        add(
            Assignment(
                para.para_id, need.day, span[0], span[1], Kind.THERAPY, ref=ses.session_id, students=ses.student_ids
            )
        )
        sessions[i] = dataclasses.replace(placed, para_id=para.para_id)
