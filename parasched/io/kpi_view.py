"""The numbers the Summary shows, computed from the schedule alone (never read from the solver).

Coverage, duty load, handoffs and flex come from :func:`parasched.scheduler.kpis.compute_kpis`
so they mean what the checker and the solver mean; the unmet table reads the schedule's Unmet
rows (what the Unmet sheet lists).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parasched.scheduler.kpis import Kpis, compute_kpis
from parasched.scheduler.model import PRIORITIES, Problem
from parasched.scheduler.schedule import Schedule
from parasched.scheduler.weekgrid import WeekGrid


@dataclass(frozen=True)
class SummaryNumbers:
    kpis: Kpis
    unmet_minutes: dict[tuple[int, str], int]  # (priority, kind) -> minutes in the Unmet sheet
    unmet_count: dict[int, int]
    work_minutes: dict[str, int]  # every para
    substitute_minutes: dict[str, int]  # substitutes with any work
    flex: dict[str, tuple[int, int]] = field(default_factory=dict)  # student with a target -> (target, got)

    @property
    def required(self) -> dict[int, int]:
        return {p: self.kpis.required_minutes.get(p, 0) for p in PRIORITIES}

    @property
    def covered(self) -> dict[int, int]:
        return {p: self.kpis.covered_minutes.get(p, 0) for p in PRIORITIES}

    @property
    def duty_minutes(self) -> dict[str, int]:
        return self.kpis.duty_minutes

    @property
    def handoffs(self) -> int:
        return self.kpis.handoffs

    def pct(self, priority: int) -> float | None:
        req = self.required[priority]
        return None if req == 0 else self.covered[priority] / req


def summary_numbers(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> SummaryNumbers:
    grid = grid or WeekGrid(problem)
    kpis = compute_kpis(problem, schedule, grid)
    unmet_minutes: dict[tuple[int, str], int] = defaultdict(int)
    unmet_count: dict[int, int] = defaultdict(int)
    for u in schedule.unmet:
        unmet_minutes[(u.priority, str(u.kind))] += u.minutes
        unmet_count[u.priority] += 1
    work: dict[str, int] = defaultdict(int)
    for a in schedule.assignments:
        if a.kind.is_work:
            work[a.para_id] += a.minutes
    subs = {p.para_id: work[p.para_id] for p in problem.paras if p.is_substitute and work.get(p.para_id)}
    flex = {sid: (target, got) for sid, (got, target) in kpis.flex.items() if target}
    return SummaryNumbers(
        kpis,
        dict(unmet_minutes),
        dict(unmet_count),
        {p.para_id: work.get(p.para_id, 0) for p in problem.paras},
        subs,
        flex,
    )
