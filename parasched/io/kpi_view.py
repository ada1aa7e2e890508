"""The numbers the Summary shows, computed from the schedule alone (never read from the solver).

Uses ``parasched.scheduler.coverage`` so "required", "covered" and "unmet" mean what the checker
and the solver mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parasched.scheduler.coverage import coverage, flex_minutes, unplaced_sessions
from parasched.scheduler.model import PRIORITIES, Problem
from parasched.scheduler.schedule import Kind, Schedule
from parasched.scheduler.weekgrid import WeekGrid


@dataclass(frozen=True)
class SummaryNumbers:
    required: dict[int, int]  # priority -> required minutes (support, duty staff-minutes, therapy)
    covered: dict[int, int]
    unmet_minutes: dict[tuple[int, str], int]  # (priority, kind) -> minutes in the Unmet sheet
    unmet_count: dict[int, int]
    duty_minutes: dict[str, int]  # role=para, general_duties, working this week
    work_minutes: dict[str, int]  # every para
    substitute_minutes: dict[str, int]  # substitutes with any work
    handoffs: int
    flex: dict[str, tuple[int, int]] = field(default_factory=dict)  # student -> (target, got)

    def pct(self, priority: int) -> float | None:
        req = self.required.get(priority, 0)
        return None if req == 0 else self.covered.get(priority, 0) / req


def handoffs(schedule: Schedule) -> int:
    """Per student and day: times t where a support row naming them ends and one with another para starts."""
    ends: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    starts: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for a in schedule.assignments:
        if a.kind != Kind.SUPPORT:
            continue
        for sid in a.students:
            ends[(sid, a.day, a.end)].add(a.para_id)
            starts[(sid, a.day, a.start)].add(a.para_id)
    n = 0
    for key, before in ends.items():
        after = starts.get(key, set())
        if after and (after - before or before - after):
            n += 1
    return n


def summary_numbers(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> SummaryNumbers:
    grid = grid or WeekGrid(problem)
    required = dict.fromkeys(PRIORITIES, 0)
    missing = dict.fromkeys(PRIORITIES, 0)
    for need in coverage(problem, schedule, grid):
        required[need.priority] += need.required
        missing[need.priority] += need.missing
    for sid, miss in unplaced_sessions(problem, schedule):
        ses = problem.session(sid)
        required[ses.priority] += ses.duration * miss
        missing[ses.priority] += ses.duration * miss
    covered = {p: required[p] - missing[p] for p in PRIORITIES}

    unmet_minutes: dict[tuple[int, str], int] = defaultdict(int)
    unmet_count: dict[int, int] = defaultdict(int)
    for u in schedule.unmet:
        unmet_minutes[(u.priority, str(u.kind))] += u.minutes
        unmet_count[u.priority] += 1

    work: dict[str, int] = defaultdict(int)
    duty: dict[str, int] = defaultdict(int)
    for a in schedule.assignments:
        if a.kind.is_work:
            work[a.para_id] += a.minutes
        if a.kind == Kind.DUTY:
            duty[a.para_id] += a.minutes
    duty_minutes = {p.para_id: duty.get(p.para_id, 0) for p in problem.paras
                    if not p.is_substitute and p.general_duties and grid.working_days(p.para_id)}
    subs = {p.para_id: work[p.para_id] for p in problem.paras if p.is_substitute and work.get(p.para_id)}
    got = flex_minutes(problem, schedule, grid)
    flex = {s.student_id: (s.weekly_flex_minutes, got.get(s.student_id, 0))
            for s in problem.students if s.weekly_flex_minutes}
    return SummaryNumbers(required, covered, dict(unmet_minutes), dict(unmet_count), duty_minutes,
                          {p.para_id: work.get(p.para_id, 0) for p in problem.paras}, subs,
                          handoffs(schedule), flex)
