"""Runs: a para's unbroken time with one student, and the ``min_support_minutes`` rule.

A **run** is back-to-back ``support`` rows of one para naming the student (a change of room
inside it does not end it; a group row counts toward the run of each of its students). Every run
lasts at least ``Settings.min_support_minutes`` unless it covers the whole need stretch it lies
in (``WeekGrid.need_stretches``): a para who drops in for five minutes is not support.

The checker, the greedy scheduler, the KPIs and the benchmarks all count runs here, so "a run"
has one meaning everywhere (the solver states the same rule in ``solver/constraints/runs.py``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .coverage import occurrences_of
from .model import Problem
from .schedule import Assignment, Kind, Schedule
from .timegrid import Interval
from .weekgrid import Occurrence, WeekGrid


@dataclass(frozen=True)
class Run:
    """One para's unbroken time with one student on one day."""

    para_id: str
    student_id: str
    day: str
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


def runs(schedule: Schedule, days: Iterable[str] | None = None) -> list[Run]:
    """Every run of the schedule (on ``days`` only, when given), ordered by day, student, start."""
    keep = set(days) if days is not None else None
    spans: dict[tuple[str, str, str], list[Interval]] = defaultdict(list)
    for a in schedule.assignments:
        if a.kind != Kind.SUPPORT or (keep is not None and a.day not in keep):
            continue
        for sid in a.students:
            spans[(a.para_id, sid, a.day)].append((a.start, a.end))
    out: list[Run] = []
    for (pid, sid, day), got in spans.items():
        got.sort()
        start, end = got[0]
        for s, e in got[1:]:
            if s == end:  # back to back: the same run
                end = e
                continue
            out.append(Run(pid, sid, day, start, end))
            start, end = s, e
        out.append(Run(pid, sid, day, start, end))
    out.sort(key=lambda r: (r.day, r.student_id, r.start, r.para_id))
    return out


def short_runs(
    problem: Problem,
    schedule: Schedule,
    grid: WeekGrid | None = None,
    days: Iterable[str] | None = None,
    occurrences: tuple[Occurrence, ...] | None = None,
) -> list[tuple[Run, Interval | None]]:
    """Runs shorter than ``min_support_minutes`` that do not cover their whole need stretch,
    each with the stretch it lies in (None when it lies in none: support where none is needed,
    which the checker reports under its own rule). ``occurrences``: the therapy held (default:
    the schedule's sessions)."""
    least = problem.settings.min_support_minutes
    if least <= 0:
        return []
    grid = grid or WeekGrid.of(problem)
    if occurrences is None:
        occurrences = occurrences_of(schedule)
    stretches: dict[str, dict[str, tuple[Interval, ...]]] = {}
    out: list[tuple[Run, Interval | None]] = []
    for r in runs(schedule, days):
        if r.minutes >= least:
            continue
        if r.day not in stretches:
            stretches[r.day] = grid.need_stretches(r.day, occurrences)
        home = next(((s, e) for s, e in stretches[r.day].get(r.student_id, ()) if s < r.end and r.start < e), None)
        if home is not None and r.start <= home[0] and home[1] <= r.end:
            continue  # the whole need stretch, however short
        out.append((r, home))
    return out


def drop_short_runs(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> Schedule:
    """The schedule without its short runs: each offending student is taken off those rows (a row
    left naming nobody goes). Used on warm starts built piece by piece (greedy, a repaired
    baseline) so they keep the rule.

    Stretches are judged with fixed therapy only, as the solver does (a placed flexible session
    may make a shorter run legal, but the solver does not count on it), so the result is a
    solution of the solver's model as well as of the checker's rule."""
    grid = grid or WeekGrid.of(problem)
    bad = short_runs(problem, schedule, grid, occurrences=grid.fixed_occurrences())
    if not bad:
        return schedule
    cut: dict[tuple[str, str, str], list[Interval]] = defaultdict(list)
    for r, _ in bad:
        cut[(r.para_id, r.student_id, r.day)].append((r.start, r.end))
    rows: list[Assignment] = []
    for a in schedule.assignments:
        if a.kind != Kind.SUPPORT:
            rows.append(a)
            continue
        keep = tuple(
            sid
            for sid in a.students
            if not any(s <= a.start and a.end <= e for s, e in cut.get((a.para_id, sid, a.day), ()))
        )
        if keep == a.students:
            rows.append(a)
        elif keep:
            rows.append(dataclasses.replace(a, students=keep))
    return dataclasses.replace(schedule, assignments=tuple(rows))


__all__ = ["Run", "drop_short_runs", "runs", "short_runs"]
